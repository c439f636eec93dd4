"""The password policy (pure Python): long enough, not common, not the person's own name.

Of the kind OWASP ASVS (V2.1) asks for: at least 12 characters, at most 128,
any characters, no composition rules (no "one digit and one capital"), and a
check against a list of common passwords shipped with Consult
(common_passwords.txt beside this module: its header says where it comes
from) and against the account's own e-mail address and name.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"
#: A part of a name or e-mail shorter than this is not checked for ("Al", "jo").
MIN_PERSONAL_PART = 4

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


class PasswordProblem(enum.Enum):
    """Why a new password is refused."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    PERSONAL = "personal"


@cache
def common_passwords(path: Path = COMMON_PASSWORDS_FILE) -> frozenset[str]:
    """Return the listed common passwords, lower case (read once)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and line != "#" and not line.startswith("# "))


def _folded(text: str) -> str:
    """Return `text` in one case, accents and compatibility forms folded (NFKC)."""
    return unicodedata.normalize("NFKC", text).casefold()


def _letters_and_digits(text: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", _folded(text))


def _core(password: str) -> str:
    """Return the password without the digits and symbols padded around it ("Password2024!")."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", _folded(password))


def is_common(password: str, common: frozenset[str]) -> bool:
    """Return whether `password`, or its core without padding, is a listed common password."""
    folded = _folded(password).strip()
    core = _core(password)
    return folded in common or (len(core) >= MIN_PERSONAL_PART and core in common)


def personal_parts(email: str, name: str) -> list[str]:
    """Return what of the e-mail address and name a password must not be made of, folded,
    longest first: the address, its local part, the name, and each word of them.

    The domain alone is left out: everybody in an organisation shares it.
    """
    local = email.partition("@")[0]
    words = re.split(r"[\s.\-_+]+", f"{local} {name}")
    parts = {_letters_and_digits(text) for text in (email, local, name, *words)}
    return sorted((p for p in parts if len(p) >= MIN_PERSONAL_PART), key=len, reverse=True)


def is_personal(password: str, email: str, name: str) -> bool:
    """Return whether `password` is mostly the account's e-mail address or name.

    Letters and digits are compared, in one case: a password is refused when,
    once every part of the address and name it contains is taken out, fewer
    than MIN_LENGTH characters are left ("Greta.Berger.2026" for Greta Berger).
    """
    rest = _letters_and_digits(password)
    found = False
    for part in personal_parts(email, name):
        if part in rest:
            rest = rest.replace(part, "")
            found = True
    return found and len(rest) < MIN_LENGTH


def check_password(
    password: str, *, email: str, name: str, common: frozenset[str] | None = None
) -> PasswordProblem | None:
    """Return why `password` is refused for the account (`email`, `name`), or None if it is fine."""
    if len(password) < MIN_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    if is_common(password, common_passwords() if common is None else common):
        return PasswordProblem.COMMON
    if is_personal(password, email, name):
        return PasswordProblem.PERSONAL
    return None
