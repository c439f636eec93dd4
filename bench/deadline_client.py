"""The client side of the deadline benchmark: one stakeholder with a browser's habits.

Each Stakeholder keeps its own cookie jar, logs in through the login form,
opens the comment form once (for its CSRF token) and then submits comments
until the round closes. A submission that meets a connection error or a 5xx
is retried with the same idempotency key, with a short backoff and a bounded
number of attempts, until it gets a definite answer: 303 (a receipt) or 409
(closed). With a second host (`fallback`, another port), a connection error on
the first moves the stakeholder to the second for good, and the retry goes
there with the same idempotency key. Only the standard library is used; the
site is on 127.0.0.1 unless a stakeholder is given another host
(tests/scale/test_two_hosts.py).
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 15.0
MAX_ATTEMPTS = 10
CSRF_PATTERN = re.compile(r"<input[^>]*\bname=\"csrf_token\"[^>]*>", re.IGNORECASE)
VALUE_PATTERN = re.compile(r"\bvalue=\"([^\"]*)\"")
RECEIPT_PATTERN = re.compile(r"/comments/(\d+)")
TRACKING_PATTERN = re.compile(r"class=\"tracking-number\">\s*([^<\s]+)\s*<")
WORDS = [
    "border",
    "migrants",
    "protection",
    "rights",
    "state",
    "authorities",
    "shall",
    "ensure",
    "access",
    "procedures",
    "children",
    "detention",
    "alternatives",
    "return",
    "guarantee",
    "remedy",
    "information",
    "language",
    "assistance",
    "monitoring",
    "independent",
    "oversight",
    "dignity",
    "non-refoulement",
]


class ClientError(Exception):
    """The site answered something a stakeholder would not expect."""


class ServerError(ClientError):
    """The site answered 5xx: worth trying again."""


def check_status(step: str, status: int, expected: int) -> None:
    """Raise ServerError for a 5xx, ClientError for any other unexpected status."""
    if status >= 500:
        raise ServerError(f"{step}: {status}")
    if status != expected:
        raise ClientError(f"{step}: {status} (expected {expected})")


@dataclass
class Submission:
    """One comment sent (with its retries) and its definite answer, if any."""

    key: str
    author_id: int
    double: str  # "", "concurrent" or "back-to-back"
    outcome: str = "unresolved"  # accepted, refused, unresolved or "status NNN"
    comment_id: int | None = None
    attempts: int = 0
    connection_errors: int = 0
    server_errors: int = 0
    accepted_latency: float | None = None  # the attempt that returned the 303
    accepted_sent_at: float = 0.0  # time.time() when that attempt started
    total_time: float = 0.0
    sent_at: float = 0.0
    answered_at: float = 0.0
    receipt_status: int | None = None  # the receipt page, when the client followed the 303
    receipt_latency: float | None = None
    receipt_number: str | None = None  # the tracking number the receipt page showed


@dataclass
class Plan:
    """When and how the stakeholders submit."""

    port: int
    round_id: int
    clause_keys: list[str]
    start_at: float  # time.time() when submissions start
    close_at: float  # the round's closing time, as time.time()
    stop_at: float  # no new submission after this
    give_up_at: float  # no retry after this
    think_time: float = 1.0
    double_rate: float = 0.10
    receipt_rate: float = 1.0  # share of 303s followed to the receipt page, as a browser does
    max_per_client: int = 500
    stop: threading.Event = field(default_factory=threading.Event)


class Stakeholder:
    """One person in a browser: a cookie jar, a CSRF token, and a submit loop."""

    def __init__(
        self,
        email: str,
        password: str,
        user_id: int,
        port: int,
        seed: int,
        host: str = HOST,
        fallback: int | None = None,
    ) -> None:
        self.email = email
        self.password = password
        self.user_id = user_id
        self.host = host
        self.port = port
        self.fallback = fallback  # the other host's port, used once this one fails
        self.moved_at: float | None = None  # when it moved to the other host
        self.interrupted_at: float | None = None  # its first connection error
        self.served_again_at: float | None = None  # first definite answer after that
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()
        self.csrf_token = ""
        self.random = random.Random(seed)
        self.submissions: list[Submission] = []
        self.error: str | None = None
        self.prepare_retries: list[str] = []  # why a login or form had to be tried again

    # HTTP ------------------------------------------------------------------

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Send one request with this person's cookies; return (status, location, body)."""
        with self.lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, "Connection": "close"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        port = self.port
        conn = self.connection(port)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            return response.status, response.headers.get("Location", ""), text
        except (OSError, http.client.HTTPException):
            self._move(port)
            raise
        finally:
            conn.close()

    def connection(self, port: int) -> http.client.HTTPConnection:
        """Return a new connection to the site on `port`, for one request."""
        return http.client.HTTPConnection(self.host, port, timeout=REQUEST_TIMEOUT)

    def _move(self, failed_port: int) -> None:
        """After a connection error on the first host, use the other one from now on."""
        with self.lock:
            if self.interrupted_at is None:
                self.interrupted_at = time.time()
            if self.fallback is not None and failed_port == self.port != self.fallback:
                self.port, self.moved_at = self.fallback, time.time()

    def _served(self) -> None:
        with self.lock:
            if self.interrupted_at is not None and self.served_again_at is None:
                self.served_again_at = time.time()

    def _keep_cookies(self, headers: list[str]) -> None:
        with self.lock:
            for header in headers:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    @staticmethod
    def csrf_in(page: str) -> str:
        """Return the CSRF token of the form in `page`."""
        tag = CSRF_PATTERN.search(page)
        value = VALUE_PATTERN.search(tag.group(0)) if tag else None
        if value is None:
            raise ClientError("no csrf_token input on the page")
        return value.group(1)

    # Steps -------------------------------------------------------------------

    def login(self) -> None:
        """Sign in through the form; raise ClientError unless redirected."""
        status, _, page = self.request("GET", "/login")
        check_status("GET /login", status, 200)
        form = {"email": self.email, "password": self.password, "csrf_token": self.csrf_in(page)}
        status, _, _ = self.request("POST", "/login", form)
        check_status("POST /login", status, 302)

    def open_form(self, round_id: int, clause_key: str) -> None:
        """Open the comment form once, keeping its CSRF token."""
        status, _, page = self.request("GET", f"/rounds/{round_id}/comment?clause={clause_key}")
        check_status("GET comment form", status, 200)
        self.csrf_token = self.csrf_in(page)

    def prepare(self, round_id: int, clause_key: str, attempts: int = 8) -> None:
        """Log in and open the form, retrying failures a person would retry; keep any error."""
        for attempt in range(attempts):
            try:
                self.login()
                self.open_form(round_id, clause_key)
                self.error = None
                return
            except (OSError, http.client.HTTPException, ServerError) as err:
                self.error = f"{type(err).__name__}: {err}"
                self.prepare_retries.append(self.error)
                time.sleep(0.2 * (attempt + 1) * (0.5 + self.random.random()))
            except ClientError as err:
                self.error = str(err)
                return

    def comment_form(self, clause_key: str, key: str) -> dict[str, str]:
        """Return a plausible comment as form fields."""
        words = self.random.choices(WORDS, k=self.random.randint(20, 200))
        form = {
            "csrf_token": self.csrf_token,
            "idempotency_key": key,
            "clause": clause_key,
            "type": self.random.choice(("general", "substantive", "editorial")),
            "body": " ".join(words).capitalize() + ".",
            "proposed_text": "",
        }
        if self.random.random() < 0.3:
            form["proposed_text"] = " ".join(self.random.choices(WORDS, k=40))
        return form

    def submit(self, plan: Plan, form: dict[str, str], double: str = "") -> Submission:
        """POST the comment until a definite answer (303 or 409), within bounds."""
        record = Submission(form["idempotency_key"], self.user_id, double, sent_at=time.time())
        path = f"/rounds/{plan.round_id}/comment"
        started = time.perf_counter()
        while record.attempts < MAX_ATTEMPTS:
            record.attempts += 1
            attempt_start, attempt_wall = time.perf_counter(), time.time()
            try:
                status, location, _ = self.request("POST", path, form)
            except (OSError, http.client.HTTPException):
                record.connection_errors += 1
                status, location = 0, ""
            elapsed = time.perf_counter() - attempt_start
            if status == 303 and (found := RECEIPT_PATTERN.search(location)):
                record.outcome, record.comment_id = "accepted", int(found.group(1))
                record.accepted_latency, record.accepted_sent_at = elapsed, attempt_wall
                self._served()
                break
            if status == 409:
                record.outcome = "refused"
                self._served()
                break
            if status and status < 500:
                record.outcome = f"status {status}"
                break
            if status >= 500:
                record.server_errors += 1
            if time.time() >= plan.give_up_at:
                break
            backoff = min(2.0, 0.1 * 2 ** (record.attempts - 1))
            time.sleep(backoff * (0.5 + self.random.random()))
        record.total_time = time.perf_counter() - started
        record.answered_at = time.time()
        if record.comment_id is not None and self.random.random() < plan.receipt_rate:
            self._read_receipt(record)
        self.submissions.append(record)
        return record

    def _read_receipt(self, record: Submission) -> None:
        """Follow the 303 like a browser: the receipt page shows the tracking number."""
        start = time.perf_counter()
        try:
            try:
                status, _, page = self.request("GET", f"/comments/{record.comment_id}")
            except (OSError, http.client.HTTPException):
                if self.fallback is None:
                    raise
                start = time.perf_counter()  # once more, on the host it moved to
                status, _, page = self.request("GET", f"/comments/{record.comment_id}")
        except (OSError, http.client.HTTPException):
            return
        record.receipt_latency = time.perf_counter() - start
        record.receipt_status = status
        found = TRACKING_PATTERN.search(page) if status == 200 else None
        record.receipt_number = found.group(1) if found else None

    def run(self, plan: Plan) -> None:
        """Submit comments from plan.start_at until the round refuses or plan.stop_at."""
        if self.error or not self.csrf_token:
            return
        self.interrupted_at = self.served_again_at = None  # count from the window only
        time.sleep(max(0.0, plan.start_at - time.time() + self.random.random() * plan.think_time))
        for _ in range(plan.max_per_client):
            if plan.stop.is_set() or time.time() >= plan.stop_at:
                return
            form = self.comment_form(self.random.choice(plan.clause_keys), uuid.uuid4().hex)
            if self.random.random() < plan.double_rate:
                outcome = self._double_submit(plan, form)
            else:
                outcome = self.submit(plan, form).outcome
            if outcome == "refused":
                return  # a person told "closed" stops
            pause = min(self.random.expovariate(1 / plan.think_time), 4 * plan.think_time)
            time.sleep(max(0.0, min(pause, plan.stop_at - time.time())))

    def _double_submit(self, plan: Plan, form: dict[str, str]) -> str:
        if self.random.random() < 0.5:
            twin = threading.Thread(target=self.submit, args=(plan, form, "concurrent"))
            twin.start()
            outcome = self.submit(plan, form, "concurrent").outcome
            twin.join(timeout=max(1.0, plan.give_up_at - time.time() + REQUEST_TIMEOUT))
            return outcome
        self.submit(plan, form, "back-to-back")
        return self.submit(plan, form, "back-to-back").outcome


def run_threads(targets: list[threading.Thread], deadline: float) -> int:
    """Start daemon threads, wait for them until `deadline` (time.time()); return how many hang."""
    for thread in targets:
        thread.daemon = True
        thread.start()
    for thread in targets:
        thread.join(timeout=max(0.0, deadline - time.time()))
    return sum(1 for t in targets if t.is_alive())


def prepare_all(
    people: list[Stakeholder], round_id: int, clause_key: str, deadline: float, batches: int = 8
) -> None:
    """Sign everyone in and open their comment form, in `batches` threads, before the window
    (password hashing and page rendering stay out of what is measured)."""
    run_threads(
        [
            threading.Thread(
                target=lambda batch=batch: [p.prepare(round_id, clause_key) for p in batch]
            )
            for batch in (people[i::batches] for i in range(batches))
        ],
        deadline,
    )


def receipts(
    submissions: list[Submission],
) -> tuple[dict[int, tuple[int, str]], dict[int, str | None]]:
    """Return the comments acknowledged (id -> author and idempotency key) and the tracking
    number each receipt page showed (id -> number), as the clients saw them."""
    acknowledged = {
        s.comment_id: (s.author_id, s.key) for s in submissions if s.comment_id is not None
    }
    shown = {
        s.comment_id: s.receipt_number
        for s in submissions
        if s.comment_id is not None and s.receipt_status is not None
    }
    return acknowledged, shown
