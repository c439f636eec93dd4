"""Throttling of the login: failed attempts counted per account and per client address.

Flask-Limiter keeps the counts, with a moving window: in Redis where REDIS_URL
(CONSULT_REDIS_URL, the one export jobs use) is set, so that every worker and
host shares them, else in this process's memory (the embedded default).
LOGIN_THROTTLE_STORAGE names another storage (a `limits` URI) if need be.

Only failures count. Once an account (the e-mail address typed, known or not)
has LOGIN_ACCOUNT_LIMITS failures, or a client address LOGIN_ADDRESS_LIMITS,
every login for it is refused, right password or not, until the oldest failure
leaves its window; the longer windows make the pause grow when guessing goes on.
LOGIN_BURST_LIMITS also bounds all attempts at an account, counted before the
password check, so that guesses sent all at once cannot slip past the count.
A wrong current password on the change-password form (consult.web.passwords)
is a failure on the same counters: a signed-in browser is no way around them.

A refused attempt is audited once per lock (`first_refusal`): a mark in the
same storage, named by the lock's counter and its end, counts the attempts it
refused, so that a script hammering a locked account cannot flood the audit log.

So that a stranger cannot keep someone out by failing on purpose, a browser
that signed in to an account before carries a signed cookie naming it (the
"device cookie" of OWASP's advice): its attempts at that account are counted
on that cookie alone, not on the account. The trade-off is in the README.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import RateLimitItem, parse_many
from werkzeug.wrappers import Response

from consult.domain.emails import normalise_email
from consult.moments import Moment
from consult.plurals import ngettext

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    # Set false to count nothing (the test app, which signs in many times).
    "LOGIN_THROTTLE": True,
    # Failures per account; each longer window lengthens the pause.
    "LOGIN_ACCOUNT_LIMITS": "5 per 15 minutes; 10 per hour; 20 per day",
    # Failures per client address, whatever the accounts tried.
    "LOGIN_ADDRESS_LIMITS": "30 per 15 minutes; 100 per day",
    # Attempts per account (or device), successful or not, counted before the password
    # is checked: a bound on guesses sent all at once.
    "LOGIN_BURST_LIMITS": "10 per 1 minute",
    # A `limits` storage URI; empty: REDIS_URL if set, else memory://.
    "LOGIN_THROTTLE_STORAGE": "",
    # How long a browser that signed in keeps its own count for that account.
    "LOGIN_DEVICE_DAYS": 90,
}

EXTENSION = "consult_login_throttle"
DEVICE_COOKIE = "consult_device"
PREFIX = "consult-login"


def setting(name: str) -> Any:
    """Return the throttle setting `name` from the configuration, or its default."""
    return current_app.config.get(name, DEFAULTS[name])


def _digest(text: str) -> str:
    # Counters are named by a digest: no e-mail address is written to Redis.
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def client_address() -> str:
    """Return the client's address (from X-Forwarded-For only behind PROXY_COUNT proxies)."""
    return request.remote_addr or "unknown"


@dataclass(frozen=True)
class Attempt:
    """A login attempt: the e-mail typed (normalised), the client address, the device's id."""

    email: str
    address: str
    device: str | None

    @property
    def account(self) -> tuple[str, str]:
        """The counter of the account: this browser's own if it signed in to it before."""
        return ("device", self.device) if self.device else ("account", _digest(self.email))

    def counters(self) -> list[tuple[str, tuple[str, ...]]]:
        """Return each setting of failure limits and the counter it applies to."""
        return [
            ("LOGIN_ACCOUNT_LIMITS", (PREFIX, *self.account)),
            ("LOGIN_ADDRESS_LIMITS", (PREFIX, "address", self.address)),
        ]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="consult.login-device")


def _device(email: str) -> str | None:
    """Return the id of this browser's device cookie if it was given for `email`, else None."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return None
    try:
        data = _serializer().loads(cookie, max_age=int(setting("LOGIN_DEVICE_DAYS")) * 86400)
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("account") != _digest(email):
        return None
    device = data.get("device")
    return device if isinstance(device, str) else None


def attempt(email: str) -> Attempt:
    """Return the attempt of the current request to sign in as `email`."""
    email = normalise_email(email)
    return Attempt(email, client_address(), _device(email))


def remember_device(response: Response, email: str) -> None:
    """Give the browser that just signed in as `email` its device cookie."""
    value = {"account": _digest(normalise_email(email)), "device": secrets.token_urlsafe(16)}
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(value),
        max_age=int(setting("LOGIN_DEVICE_DAYS")) * 86400,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SECURE_COOKIES")),
    )


def _limiter() -> Limiter:
    limiter: Limiter = current_app.extensions[EXTENSION]
    return limiter


def _limits(name: str) -> list[RateLimitItem]:
    return parse_many(str(setting(name)))


@dataclass(frozen=True)
class Lock:
    """A counter that has reached one of its limits, refusing attempts until `ends` (Unix time).

    While it holds, the attempts it refuses are not counted on it, so that its
    end stays the same: the end names the lock.
    """

    key: tuple[str, ...]
    ends: float


@dataclass(frozen=True)
class Pause:
    """Why an attempt is refused unchecked: the locks that hold it, and when it may be tried."""

    locks: tuple[Lock, ...]

    @property
    def until(self) -> datetime:
        """When the attempt may be tried again: once the last of its locks has ended."""
        return datetime.fromtimestamp(max(lock.ends for lock in self.locks), UTC)


def admit(login: Attempt) -> Pause | None:
    """Admit `login` to a password check (None), or return the pause that refuses it.

    An admitted attempt is counted at once on LOGIN_BURST_LIMITS: failures are
    counted only once a password is found wrong, so without it many guesses
    sent at the same moment would all be checked before the first failure counts.
    If the storage cannot be reached, logins are not held back (and the error is logged).
    """
    if not setting("LOGIN_THROTTLE"):
        return None
    strategy = _limiter().limiter
    locks: list[Lock] = []
    try:
        for name, key in login.counters():
            for item in _limits(name):
                if not strategy.test(item, *key):
                    reset = strategy.get_window_stats(item, *key).reset_time
                    locks.append(Lock(key, reset))
        burst = (PREFIX, "burst", *login.account)
        for item in _limits("LOGIN_BURST_LIMITS") if not locks else ():
            if not strategy.hit(item, *burst):  # counts and tests in one step
                reset = strategy.get_window_stats(item, *burst).reset_time
                locks.append(Lock(burst, reset))
                break
    except Exception:
        log.exception("The login throttle's storage failed: login not held back")
        return None
    return Pause(tuple(locks)) if locks else None


def first_refusal(pause: Pause, form: str) -> bool:
    """Count an attempt at `form` refused by `pause`; return whether to audit it.

    It is audited if it is the first that one of its locks refused at that
    form: each lock (a counter over one limit, until a given end) is reported
    once, however many attempts it refuses, on memory or Redis alike (where
    several workers share the marks). Once a lock has ended, failures that lock
    the counter again make a new lock, reported again. If the storage cannot
    be reached, the attempt is audited.
    """
    storage = _limiter().limiter.storage
    first = False
    try:
        for lock in pause.locks:
            mark = "/".join((*lock.key, "refused", form, f"{lock.ends:.6f}"))
            # The mark outlives its lock by a little: a worker whose clock lags
            # may still see the lock, and must not report it again.
            expiry = max(1, math.ceil(lock.ends - time.time())) + 60
            if storage.incr(mark, expiry) == 1:
                first = True
    except Exception:
        log.exception("The login throttle's storage failed: refused attempt audited")
        return True
    return first


def count_failure(login: Attempt) -> None:
    """Count a failed login on its account (or device) and its client address."""
    if not setting("LOGIN_THROTTLE"):
        return
    strategy = _limiter().limiter
    try:
        for name, key in login.counters():
            for item in _limits(name):
                strategy.hit(item, *key)
    except Exception:
        log.exception("The login throttle's storage failed: failure not counted")


def forgive_account(email: str) -> None:
    """Forget the failures counted on the account `email` (not those of addresses or browsers).

    After a password link was used: its owner has just proved they hold the
    account's mailbox and chosen a new password, and must not wait out a lock
    that someone else's guesses set on the account.
    """
    if not setting("LOGIN_THROTTLE"):
        return
    strategy = _limiter().limiter
    key = (PREFIX, "account", _digest(normalise_email(email)))
    try:
        for item in _limits("LOGIN_ACCOUNT_LIMITS"):
            strategy.clear(item, *key)
    except Exception:
        log.exception("The login throttle's storage failed: the account's failures remain")


def wait_words(seconds: float) -> str:
    """Return how long to wait, in words: "about 15 minutes", "about 2 hours"."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 120:
        return str(ngettext("about %(num)s minute", "about %(num)s minutes", minutes))
    hours = math.ceil(minutes / 60)
    return str(ngettext("about %(num)s hour", "about %(num)s hours", hours))


def paused_page(
    until: datetime, *, password_change: bool = False
) -> tuple[str, int, dict[str, str]]:
    """Return the 429 page, with its Retry-After header, for a login paused until `until`.

    `password_change`: the change-password form is what was paused (its own words).
    """
    seconds = max(1, math.ceil(until.timestamp() - time.time()))
    # The time is shown to the minute: round it up, never telling a time that is too early.
    shown = datetime.fromtimestamp(math.ceil(until.timestamp() / 60) * 60, UTC)
    page = render_template(
        "auth/throttled.html",
        title=_("Too many wrong passwords")
        if password_change
        else _("Too many failed sign-in attempts"),
        password_change=password_change,
        until=Moment(shown),
        wait=wait_words(seconds),
    )
    return page, 429, {"Retry-After": str(seconds)}


def storage_uri(redis_url: str) -> str:
    """Return the `limits` storage URI of a Redis URL as redis-py and RQ take it.

    They are the same but for a Redis reached through its unix socket:
    `unix:///path/redis.sock?db=0` for redis-py, `redis+unix://...` for `limits`.
    """
    if redis_url.startswith("unix://"):
        return "redis+" + redis_url
    return redis_url


def init_app(app: Flask) -> None:
    """Give `app` its own limiter on the configured storage (Redis, or memory)."""
    storage = (
        app.config.get("LOGIN_THROTTLE_STORAGE")
        or storage_uri(str(app.config.get("REDIS_URL") or ""))
        or DEFAULTS["LOGIN_THROTTLE_STORAGE"]
        or "memory://"
    )
    # No route limits: the login view asks the limiter itself, so that only failures count.
    limiter = Limiter(lambda: "", storage_uri=str(storage), strategy="moving-window")
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
