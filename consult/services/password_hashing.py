"""Password hashes: argon2id for new ones, older werkzeug hashes still accepted.

`PASSWORD_HASH_METHOD` is "argon2" (argon2-cffi's defaults, RFC 9106's
low-memory profile) or "argon2:TIME:MEMORY_KIB:PARALLELISM" (tests use cheap
parameters). A hash made otherwise (werkzeug's scrypt or pbkdf2, as Consult
stored them before) is still verified, and replaced by an argon2 hash at the
person's next successful sign-in (`needs_rehash`); so is an argon2 hash made
with other parameters than the configured ones.

An account created with an e-mailed link to choose a password has an unusable
hash (`unusable_hash`): "!" and random letters, which is no hash at all, so no
password verifies against it, its own text included; checking one takes as long
as checking a real hash, so that the time of a refusal does not tell such an
account from others.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "argon2"
ARGON2_PREFIX = "$argon2"
#: What an unusable hash starts with: neither argon2 nor werkzeug ever writes it.
UNUSABLE_PREFIX = "!"


@cache
def _hasher(method: str) -> PasswordHasher | None:
    """Return the argon2 hasher `method` describes, or None for a werkzeug method."""
    name, *numbers = method.split(":")
    if name != "argon2":
        return None
    if not numbers:
        return PasswordHasher()
    time_cost, memory_cost, parallelism = (int(n) for n in numbers)
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _method() -> str:
    return str(current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD)


def make_hash(password: str) -> str:
    """Return a salted hash of `password` by the configured method."""
    method = _method()
    hasher = _hasher(method)
    if hasher is None:
        return generate_password_hash(password, method=method)
    return hasher.hash(password)


def unusable_hash() -> str:
    """Return a stored hash that no password matches: an account without a password yet."""
    return UNUSABLE_PREFIX + secrets.token_urlsafe(24)


def is_usable(stored: str) -> bool:
    """Return whether `stored` is a real hash, that some password matches."""
    return not stored.startswith(UNUSABLE_PREFIX)


def verify(stored: str, password: str) -> bool:
    """Return whether `password` matches the `stored` hash, whatever its method."""
    if not is_usable(stored):
        verify_nothing(password)  # as long as a real check
        return False
    if stored.startswith(ARGON2_PREFIX):
        try:
            return PasswordHasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored, password)
    except ValueError:  # an unknown or damaged hash
        return False


def needs_rehash(stored: str) -> bool:
    """Return whether `stored` was made otherwise than the configured method would now."""
    if not is_usable(stored):
        return False  # nothing to upgrade: no password matches it
    hasher = _hasher(_method())
    if hasher is None:
        return False  # a werkzeug method configured: leave hashes as they are
    if not stored.startswith(ARGON2_PREFIX):
        return True
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


@cache
def _dummy_hash(method: str) -> str:
    hasher = _hasher(method)
    password = secrets.token_hex(16)
    return generate_password_hash(password, method) if hasher is None else hasher.hash(password)


def verify_nothing(password: str) -> None:
    """Take as long as verifying a real hash, for an unknown e-mail address (no enumeration)."""
    verify(_dummy_hash(_method()), password)
