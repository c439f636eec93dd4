"""Two application hosts on one PostgreSQL database and one Redis: what must cross hosts.

The module starts two hosts, each a gunicorn master with two workers serving
`consult:create_app()`, with the same secret key, database and Redis. Each
host runs in a network namespace of its own (made here, joined to this one by a
veth pair on a small subnet of its own, removed at the end), so that the hosts
share nothing but what a real deployment shares: the database, reached through
PostgreSQL's unix socket, and a redis-server started here on a unix socket in a
temporary folder (from inside a namespace, 127.0.0.1 is not this machine's).
Where namespaces cannot be made (not root, no `ip` command, or the kernel
refuses, or CONSULT_TEST_NO_NAMESPACES is set), the hosts listen on two
loopback addresses, 127.0.0.2 and 127.0.0.3, instead; the mode used is printed
and named in every assertion message.

The database is one made for the module on the local PostgreSQL server (and
dropped at the end), whichever database the rest of the suite runs on: several
hosts on one SQLite file is not a deployment Consult supports, so there is no
SQLite variant of this test. An RQ worker runs in host B's namespace.

What is checked: a person who signed in on host A goes on on host B; a session
ended on A is refused on B; failed logins at one account are counted across
both hosts; a PDF asked for on A is made by the worker on B and downloaded
from A; and the deadline lock holds across hosts (40 people behind a load
balancer without sticky sessions comment in the last second before a round
closes and just after: nothing is stored after the close, no acknowledged
comment is lost or stored twice, no tracking number is given twice).
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from rq import Worker
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench import deadline_server as server_side
from bench.deadline_checks import check_database
from bench.deadline_client import (
    REQUEST_TIMEOUT,
    Plan,
    Stakeholder,
    prepare_all,
    receipts,
    run_threads,
)
from consult.extensions import db
from consult.models import Document, ExportJob

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SOCKET = os.environ.get("CONSULT_TEST_POSTGRES_SOCKET", "/var/run/postgresql")
SECRET = "two-hosts-secret"
ACCOUNT_LIMIT = 4  # failures per account before the lock (CONSULT_LOGIN_ACCOUNT_LIMITS)
WORKERS = 2  # gunicorn workers per host
CLIENTS = 40  # people commenting at the deadline
QUEUE = "consult"
NAMESPACES = "network namespaces"
LOOPBACK = "loopback addresses 127.0.0.2 and 127.0.0.3"
PDF_TIMEOUT = 120.0


@dataclass
class Host:
    """One application host: where it listens, the namespace it runs in (if any), its gunicorn."""

    name: str
    address: str
    namespace: str | None
    instance: Path
    server: server_side.Server | None = None

    @property
    def prefix(self) -> tuple[str, ...]:
        """The command that runs a program on this host."""
        return ("ip", "netns", "exec", self.namespace) if self.namespace else ()

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.port

    def person(self, email: str, user_id: int = 0) -> Stakeholder:
        """A browser of its own that sends every request to this host."""
        return Stakeholder(email, server_side.PASSWORD, user_id, self.port, 0, host=self.address)


@dataclass
class Hosts:
    """The two hosts, and what they share."""

    mode: str
    a: Host
    b: Host
    app: Any  # an app on the shared database, for setup and checks in this process
    setup: server_side.Setup
    slug: str
    redis_url: str
    worker_log: Path
    started_in: float

    def logs(self) -> str:
        """The end of each host's log, for an assertion message."""
        parts = [f"mode: {self.mode}"]
        for host in (self.a, self.b):
            if host.server is not None:
                parts.append(f"--- host {host.name}:\n{server_side.log_tail(host.server, 15)}")
        return "\n".join(parts)


# Namespaces, Redis, processes ------------------------------------------------


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


def _ip_quietly(*args: str) -> None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(["ip", *args], capture_output=True, timeout=30)


def _free_subnet() -> str:
    """Return 10.X.Y, a /24 that no address or route of this machine is in."""
    used = " ".join(
        subprocess.run(["ip", "-4", *what], capture_output=True, text=True, timeout=30).stdout
        for what in (["-o", "addr"], ["route"])
    )
    for _ in range(100):
        subnet = f"10.{random.randint(200, 254)}.{random.randint(0, 255)}"
        if f"{subnet}." not in used:
            return subnet
    raise RuntimeError("no free 10.x.y.0/24 subnet for the namespaces")


def _namespaces(stack: contextlib.ExitStack, tag: str, folder: Path) -> list[Host] | str:
    """Make a namespace per host, each joined to this one by a veth pair; or say why not."""
    if os.environ.get("CONSULT_TEST_NO_NAMESPACES"):
        return "CONSULT_TEST_NO_NAMESPACES is set"
    if os.geteuid() != 0:
        return "not root"
    if shutil.which("ip") is None:
        return "no ip command (iproute2)"
    try:
        subnet = _free_subnet()
        hosts = []
        for n, name in enumerate("AB"):
            namespace = f"consult-{tag}-{name.lower()}"
            outside, inside = f"ch{tag}{n}o", f"ch{tag}{n}i"
            _ip("netns", "add", namespace)
            stack.callback(_ip_quietly, "netns", "delete", namespace)
            _ip("link", "add", outside, "type", "veth", "peer", "name", inside, "netns", namespace)
            stack.callback(_ip_quietly, "link", "delete", outside)
            _ip("addr", "add", f"{subnet}.{4 * n + 1}/30", "dev", outside)
            _ip("link", "set", outside, "up")
            _ip("-n", namespace, "link", "set", "lo", "up")
            _ip("-n", namespace, "addr", "add", f"{subnet}.{4 * n + 2}/30", "dev", inside)
            _ip("-n", namespace, "link", "set", inside, "up")
            _ip("netns", "exec", namespace, "true")  # programs can be run in it
            hosts.append(Host(name, f"{subnet}.{4 * n + 2}", namespace, folder / f"host-{name}"))
        return hosts
    except subprocess.CalledProcessError as err:
        return f"`{' '.join(err.cmd)}` failed: {err.stderr.decode(errors='replace').strip()}"
    except (OSError, RuntimeError, subprocess.SubprocessError) as err:
        return f"{type(err).__name__}: {err}"


TERM_THEN_KILL = ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0))
# An idle `rq worker` that has run a job may sit out a first SIGTERM (its warm
# shutdown) in its wait for the next job; a second is its cold shutdown.
TERM_TWICE_THEN_KILL = ((signal.SIGTERM, 2.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0))


def _stop(
    process: subprocess.Popen[bytes],
    group: bool = True,
    steps: tuple[tuple[signal.Signals, float], ...] = TERM_THEN_KILL,
) -> None:
    """Stop a process (and its process group): each signal of `steps` in turn, until it ends."""
    for sig, wait in steps:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if group:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    if group:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def _wait_for(what: str, ready: Any, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} not ready within 60 s:\n{log.read_text(errors='replace')}")


def _start_redis(stack: contextlib.ExitStack, folder: Path) -> str:
    """Start a redis-server of our own on a unix socket; return its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("The two-host test needs redis-server (Debian: apt-get install redis-server)")
    socket_path = folder / "redis.sock"
    log = folder / "redis.log"
    command = [binary, "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700"]
    command += ["--save", "", "--appendonly", "no", "--dir", str(folder), "--logfile", str(log)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stack.callback(_stop, process, False)
    url = f"unix://{socket_path}?db=0"

    def ready() -> bool:
        with redis.Redis.from_url(url) as connection:
            return bool(connection.ping())

    log.touch()
    _wait_for("redis-server", ready, process, log)
    return url


def _socket_url(tcp_url: str) -> str:
    """Return the URL of the same database through PostgreSQL's unix socket."""
    url = make_url(tcp_url)
    return f"postgresql://{url.username}@/{url.database}?host={POSTGRES_SOCKET}"


def _start_hosts(hosts: list[Host], database_url: str, settings: dict[str, str]) -> None:
    """Start both gunicorns at once; raise the first failure once both have been tried."""

    def start(host: Host) -> server_side.Server:
        return server_side.start_gunicorn(
            database_url,
            host.instance,
            timeout=90,
            host=host.address,
            worker_count=WORKERS,
            app="consult:create_app()",
            prefix=host.prefix,
            extra_env=settings,
        )

    with ThreadPoolExecutor(len(hosts)) as pool:
        futures = [pool.submit(start, host) for host in hosts]
    errors = []
    for host, future in zip(hosts, futures, strict=True):
        try:
            host.server = future.result()
        except Exception as err:
            errors.append(err)
    if errors:
        raise errors[0]


def _stop_hosts(hosts: list[Host]) -> None:
    """Stop the gunicorns that started, both at once (each takes a few seconds)."""
    servers = [host.server for host in hosts if host.server is not None]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(server_side.stop_gunicorn, servers))


def _start_worker(
    stack: contextlib.ExitStack, host: Host, database_url: str, settings: dict[str, str], tag: str
) -> Callable[[], Path]:
    """Start `rq worker` on `host`; return a wait for it to listen on the queue, giving its log."""
    log_path = host.instance / "rq-worker.log"
    name = f"host-{host.name.lower()}-{tag}"
    rq = Path(sys.executable).parent / "rq"
    command = [*host.prefix, str(rq), "worker", "--url", settings["CONSULT_REDIS_URL"]]
    command += ["--path", str(ROOT), "--name", name, QUEUE]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**server_side.environment(database_url, host.instance), **settings},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack.callback(_stop, process, True, TERM_TWICE_THEN_KILL)

    def ready() -> bool:
        with redis.Redis.from_url(settings["CONSULT_REDIS_URL"]) as connection:
            return name in {w.name for w in Worker.all(connection=connection)}

    def wait() -> Path:
        _wait_for("rq worker", ready, process, log_path)
        return log_path

    return wait


@pytest.fixture(scope="module")
def hosts() -> Iterator[Hosts]:
    """Hosts A and B on one fresh PostgreSQL database and one Redis, with an RQ worker on B.

    Everything is stopped and removed at the end, whatever failed.
    """
    started = time.monotonic()
    if (why := server_side.postgres_available()) is not None:
        pytest.fail(f"The two-host test needs the local PostgreSQL server: {why}")
    tag = uuid.uuid4().hex[:6]
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="consult-hosts-")))
        tcp_url = stack.enter_context(server_side.database("postgresql", folder))
        database_url = _socket_url(tcp_url)
        server_side.init_db(database_url, folder)
        app = server_side.bench_app(database_url, folder)
        stack.callback(_dispose, app)
        redis_url = _start_redis(stack, folder)

        made = _namespaces(stack, tag, folder)
        if isinstance(made, str):
            mode = f"{LOOPBACK} (no namespaces: {made})"
            made = [
                Host(name, address, None, folder / f"host-{name}")
                for name, address in (("A", "127.0.0.2"), ("B", "127.0.0.3"))
            ]
        else:
            mode = f"{NAMESPACES} ({made[0].namespace}, {made[1].namespace})"
        print(f"\ntwo hosts: {mode}")
        host_a, host_b = made
        settings = {
            "CONSULT_SECRET_KEY": SECRET,
            "CONSULT_REDIS_URL": redis_url,
            "CONSULT_LOGIN_ACCOUNT_LIMITS": f"{ACCOUNT_LIMIT} per 1 minute",
            "CONSULT_JOB_QUEUE": QUEUE,
        }
        for host in made:
            host.instance.mkdir()
        worker_ready = _start_worker(stack, host_b, database_url, settings, tag)
        stack.callback(_stop_hosts, made)
        # The data is made while the hosts start (they need only the schema).
        far_close = datetime.now(UTC) + timedelta(hours=1)
        with ThreadPoolExecutor(1) as pool:
            data = pool.submit(server_side.create_data, app, 8, CLIENTS + 3, far_close)
            _start_hosts(made, database_url, settings)
            setup = data.result()
        with app.app_context():
            slug = str(db.session.scalar(select(Document.slug)))
            db.session.remove()
        worker_log = worker_ready()
        yield Hosts(
            mode,
            host_a,
            host_b,
            app,
            setup,
            slug,
            redis_url,
            worker_log,
            time.monotonic() - started,
        )


def _dispose(app: Any) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# HTTP -----------------------------------------------------------------------


def _login_page_path(location: str) -> bool:
    return location.split("?")[0].rstrip("/").endswith("/login")


def _try_login(host: Host, email: str, password: str) -> int:
    """Sign in from a new browser on `host`; return the status of the POST."""
    person = host.person(email)
    status, _, page = person.request("GET", "/login")
    assert status == 200
    form = {"email": email, "password": password, "csrf_token": person.csrf_in(page)}
    return person.request("POST", "/login", form)[0]


def _download(person: Stakeholder, path: str) -> tuple[int, str, bytes]:
    """GET `path` with the person's cookies; return status, content type and the raw body."""
    cookie = "; ".join(f"{k}={v}" for k, v in person.cookies.items())
    conn = person.connection(person.port)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


class Roaming(Stakeholder):
    """A person behind a load balancer without sticky sessions: each request goes to
    the next host in turn, retries and receipts included."""

    def __init__(self, email: str, user_id: int, hosts: list[Host], first: int) -> None:
        start = hosts[first]
        super().__init__(
            email, server_side.PASSWORD, user_id, start.port, seed=user_id, host=start.address
        )
        self.hosts = hosts
        self.turn = itertools.count(first)
        self.local = threading.local()
        self.answers: list[tuple[str, str, str, int]] = []  # host, method, path, status

    def connection(self, port: int) -> http.client.HTTPConnection:
        del port  # the next host in turn, whatever the port asked for
        with self.lock:
            host = self.hosts[next(self.turn) % len(self.hosts)]
        self.local.host = host.name
        return http.client.HTTPConnection(host.address, host.port, timeout=REQUEST_TIMEOUT)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        status, location, body = super().request(method, path, form)
        self.answers.append((self.local.host, method, path, status))
        return status, location, body


# The checks -----------------------------------------------------------------


def test_a_person_signed_in_on_host_a_goes_on_on_host_b(hosts: Hosts) -> None:
    person = hosts.setup.stakeholders[CLIENTS]
    on_a = hosts.a.person(person.email)
    on_a.login()
    on_b = hosts.b.person(person.email)
    on_b.cookies = dict(on_a.cookies)
    status, location, page = on_b.request("GET", "/account/sessions")
    assert status == 200, f"{hosts.mode}: host B answered {status} {location}"
    assert f"Stakeholder {CLIENTS:03d}" in page, hosts.mode
    # A form shown by host A is accepted by host B: the browser's cookies as A left them
    # (the CSRF token is in the signed session) go to B.
    status, _, form_page = on_a.request("GET", "/account/sessions")
    assert status == 200, hosts.mode
    on_b.cookies = dict(on_a.cookies)
    form = {"csrf_token": on_a.csrf_in(form_page)}
    status, location, _ = on_b.request("POST", "/account/sessions/end-others", form)
    assert (status, location.split("?")[0].endswith("/account/sessions")) == (302, True), (
        f"{hosts.mode}: {status} {location}"
    )


def test_a_session_ended_on_host_a_is_refused_on_host_b(hosts: Hosts) -> None:
    person = hosts.setup.stakeholders[CLIENTS + 1]
    # Signed out on A: a copy of the cookies no longer works on B.
    on_a = hosts.a.person(person.email)
    on_a.login()
    copy_on_b = hosts.b.person(person.email)
    copy_on_b.cookies = dict(on_a.cookies)
    assert copy_on_b.request("GET", "/account/sessions")[0] == 200, hosts.mode
    status, _, page = on_a.request("GET", "/account/sessions")
    status, location, _ = on_a.request("POST", "/logout", {"csrf_token": on_a.csrf_in(page)})
    assert status == 302 and _login_page_path(location), f"{hosts.mode}: {status} {location}"
    status, location, _ = copy_on_b.request("GET", "/account/sessions")
    assert status == 302 and _login_page_path(location), (
        f"{hosts.mode}: host B still accepts a session signed out on A: {status} {location}"
    )
    # Ended from another session on A ("sign out everywhere else"): refused on B.
    elsewhere_on_b = hosts.b.person(person.email)
    elsewhere_on_b.login()
    assert elsewhere_on_b.request("GET", "/account/sessions")[0] == 200, hosts.mode
    on_a = hosts.a.person(person.email)
    on_a.login()
    status, _, page = on_a.request("GET", "/account/sessions")
    form = {"csrf_token": on_a.csrf_in(page)}
    assert on_a.request("POST", "/account/sessions/end-others", form)[0] == 302, hosts.mode
    status, location, _ = elsewhere_on_b.request("GET", "/account/sessions")
    assert status == 302 and _login_page_path(location), (
        f"{hosts.mode}: host B still accepts a session ended on A: {status} {location}"
    )
    assert on_a.request("GET", "/account/sessions")[0] == 200, hosts.mode


def test_failed_logins_are_counted_across_both_hosts(hosts: Hosts) -> None:
    """Each host (and each worker) sees only some of the failures: the lock comes
    after ACCOUNT_LIMIT of them, counted together in Redis."""
    email = hosts.setup.stakeholders[CLIENTS + 2].email
    turns = [hosts.a, hosts.b] * (ACCOUNT_LIMIT // 2) + [hosts.a] * (ACCOUNT_LIMIT % 2)
    statuses = [_try_login(host, email, "not the password") for host in turns]
    assert statuses == [200] * ACCOUNT_LIMIT, f"{hosts.mode}: {statuses}"
    refused = [_try_login(host, email, server_side.PASSWORD) for host in (hosts.a, hosts.b)]
    assert refused == [429, 429], (
        f"{hosts.mode}: after {ACCOUNT_LIMIT} failures alternated between the hosts "
        f"the right password got {refused} on A and B"
    )


def test_a_pdf_asked_for_on_a_is_made_on_b_and_served_from_a(hosts: Hosts) -> None:
    secretariat = hosts.a.person("secretariat@bench.test")
    secretariat.login()
    path = f"/documents/{hosts.slug}/v1/pdf"
    status, _, page = secretariat.request("GET", path)
    assert status == 200, hosts.mode
    form = {"csrf_token": secretariat.csrf_in(page), "variant": "clean"}
    status, location, _ = secretariat.request("POST", path, form)
    found = re.search(r"/exports/(\d+)$", location)
    assert status == 303 and found, f"{hosts.mode}: {status} {location}"
    job_id = int(found.group(1))
    deadline = time.monotonic() + PDF_TIMEOUT
    while True:
        status, media_type, body = _download(secretariat, f"/exports/{job_id}/file")
        if status == 200:
            break
        with hosts.app.app_context():
            job = db.session.get(ExportJob, job_id)
            state, error = job.state, job.error
            db.session.remove()
        assert state != "failed", f"{hosts.mode}: the PDF job failed: {error}"
        assert time.monotonic() < deadline, (
            f"{hosts.mode}: no PDF after {PDF_TIMEOUT:.0f} s (job {state}); worker log:\n"
            + hosts.worker_log.read_text(errors="replace")[-2000:]
        )
        assert status == 303, f"{hosts.mode}: {status}"
        time.sleep(0.5)
    assert media_type == "application/pdf", hosts.mode
    assert body.startswith(b"%PDF"), hosts.mode
    with hosts.app.app_context():
        job = db.session.get(ExportJob, job_id)
        done = (job.state, job.runner)
        db.session.remove()
    assert done == ("done", "rq"), hosts.mode
    # Host B's worker, the only one there is, ran it.
    assert f"consult export job {job_id}" in hosts.worker_log.read_text(errors="replace"), (
        hosts.mode
    )


def test_the_deadline_holds_across_hosts(hosts: Hosts) -> None:
    setup = hosts.setup
    both = [hosts.a, hosts.b]
    people = [
        Roaming(s.email, s.user_id, both, first=n % 2)
        for n, s in enumerate(setup.stakeholders[:CLIENTS])
    ]
    # Sign in and open the form first (each person's requests alternate between the hosts).
    prepare_all(people, setup.round_id, setup.clause_keys[0], time.time() + 90)
    unready = [f"{p.email}: {p.error}" for p in people if p.error or not p.csrf_token]
    assert not unready, f"{hosts.mode}: {unready[:5]}\n{hosts.logs()}"

    close_at = time.time() + 3.0
    server_side.set_closing_time(hosts.app, setup.round_id, datetime.fromtimestamp(close_at, UTC))
    plan = Plan(
        port=0,  # each Roaming person picks its host
        round_id=setup.round_id,
        clause_keys=setup.clause_keys,
        start_at=close_at - 1.0,  # the last second before the close ...
        close_at=close_at,
        stop_at=close_at + 0.5,  # ... and just after it
        give_up_at=close_at + 10,
        think_time=0.2,
        double_rate=0.15,
        receipt_rate=0.5,
    )
    hanging = run_threads(
        [threading.Thread(target=p.run, args=(plan,)) for p in people],
        plan.give_up_at + REQUEST_TIMEOUT + 5,
    )
    plan.stop.set()
    assert hanging == 0, f"{hosts.mode}: {hanging} clients still waiting\n{hosts.logs()}"

    submissions = [s for p in people for s in p.submissions]
    outcomes = Counter(s.outcome for s in submissions)
    assert set(outcomes) <= {"accepted", "refused"}, f"{hosts.mode}: {outcomes}\n{hosts.logs()}"
    accepted_on = Counter(
        host
        for p in people
        for host, method, path, status in p.answers
        if method == "POST" and path.endswith("/comment") and status == 303
    )
    assert accepted_on["A"] > 0 and accepted_on["B"] > 0, f"{hosts.mode}: {accepted_on}"
    assert outcomes["refused"] > 0, f"{hosts.mode}: nobody met the close: {outcomes}"

    acknowledged, shown = receipts(submissions)
    facts = check_database(hosts.app, setup.round_id, acknowledged, shown)
    seen = f"{hosts.mode}: {outcomes}, accepted on {dict(accepted_on)}: {facts}"
    assert facts.late_rows == 0, f"stored after the close: {seen}"
    assert facts.missing_receipts == 0, f"acknowledged but lost: {seen}"
    assert facts.mismatched_receipts == 0, seen
    assert facts.duplicate_keys == 0, f"stored twice: {seen}"
    assert facts.unacknowledged_rows == 0, f"stored but never acknowledged: {seen}"
    assert facts.duplicate_tracking_numbers == 0, f"a tracking number given twice: {seen}"
    assert facts.wrong_receipt_pages == 0, f"a receipt page showed another number: {seen}"
    assert facts.rows == len(acknowledged), seen
    print(f"deadline across hosts: {seen}; hosts started in {hosts.started_in:.1f} s")
