"""Turning uploaded bytes into checked text and front-matter metadata.

Owns the checks that run before any parsing: size, binary content, UTF-8,
emptiness, and the optional YAML (or TOML) front-matter block at the very top,
including the checks on the values Consult keeps: the document's symbol,
publisher and language.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from dataclasses import dataclass

import yaml

from consult.domain.text_clean import strip_controls

from .errors import N_, DraftError

MAX_DRAFT_BYTES = 5 * 1024 * 1024

# Control characters that never occur in text (tab, newline, form feed, carriage
# return and escape are tolerated).
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}
_BINARY_SAMPLE = 64 * 1024
# Only "document" names the document: other tools write "slug" with other meanings
# (the German laws in the corpus carry one), and a stray value must not be
# mistaken for a conflict with the document the user chose.
_FRONT_MATTER_KEYS = ("document", "title", "kind", "label", "symbol", "publisher", "language")
# The longest symbol and publisher the document keeps (its columns' sizes).
_ONE_LINE_LIMITS = {"symbol": 100, "publisher": 300}
MAX_LANGUAGE_LENGTH = 20
# A BCP 47 language tag as drafters write one: a primary language of 2 or 3
# letters, then subtags of letters and digits ("zh-Hans", "pt-BR", "es-419").
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# "---" or "..." closes front matter; so does kramdown-rfc's "--- abstract".
_TOP_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*)$")
_CLOSING_RE = re.compile(r"^(---|\.\.\.)(\s+[a-z]+)?\s*$")


@dataclass(frozen=True)
class Source:
    """A decoded draft: its lines (front matter blanked out) and front-matter values."""

    lines: list[str]
    meta: dict[str, str]


def decode_draft(data: bytes) -> str:
    """Return the uploaded draft as text, without a UTF-8 byte-order mark.

    This is the one decode of an upload: the text returned is what an import
    stores, newlines as written (the parser normalises them when it splits the
    text into lines). Raises DraftError for an oversized, binary or non-UTF-8
    upload.
    """
    if len(data) > MAX_DRAFT_BYTES:
        raise DraftError(
            N_("the draft is %(size).1f MB; the limit is %(limit)d MB"),
            size=len(data) / 1024 / 1024,
            limit=MAX_DRAFT_BYTES // (1024 * 1024),
        )
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample or (
        sample and sum(1 for b in sample if b in _CONTROL) > len(sample) // 20
    ):
        raise DraftError(N_("this looks like a binary file, not a text draft"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DraftError(
            N_("the draft is not UTF-8 text (save it with the UTF-8 encoding)"), line
        ) from None
    if "\x00" in text:
        raise DraftError(N_("this looks like a binary file, not a text draft"))
    # Stray control characters (a paste from a word processor) are removed,
    # line ends kept as written.
    return strip_controls(text)


def normalise_newlines(text: str) -> str:
    """Return ``text`` with every newline written ``\\n`` (the lines the parser counts)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> Source:
    """Return the draft's lines with any front-matter block blanked, and its values.

    Front matter is recognised only when the first line is ``---`` and a later
    line is ``---`` or ``...``; elsewhere such lines are ordinary text. Invalid
    YAML raises DraftError naming the line.
    """
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "+++":
        return _toml_front_matter(lines)
    if not lines or lines[0].rstrip() != "---":
        return Source(lines, {})
    end = next((i for i in range(1, len(lines)) if _CLOSING_RE.match(lines[i])), None)
    if end is None:
        return Source(lines, {})
    block = "\n".join(lines[1:end])
    try:
        loaded = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as err:
        if lines[end].strip() not in ("---", "..."):
            # kramdown-rfc ("--- abstract") accepts sloppy YAML: read top-level keys only.
            loaded = _top_level_keys(lines[1:end])
            return Source([""] * (end + 1) + lines[end + 1 :], _pick(loaded, lines[:end]))
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise DraftError(
            N_("the front matter is not valid YAML: %(problem)s"), line, problem=problem
        ) from None
    if not isinstance(loaded, dict):
        raise DraftError(N_("the front matter must be a list of 'key: value' lines"), 2)
    blanked = [""] * (end + 1) + lines[end + 1 :]
    return Source(blanked, _pick(loaded, lines[:end]))


def _toml_front_matter(lines: list[str]) -> Source:
    """Blank a Hugo-style TOML block between "+++" lines; read its values if it is valid."""
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "+++"), None)
    if end is None:
        return Source(lines, {})
    loaded: dict[object, object] = {}
    with contextlib.suppress(tomllib.TOMLDecodeError):  # unreadable, but still no clause
        loaded.update(tomllib.loads("\n".join(lines[1:end])))
    return Source([""] * (end + 1) + lines[end + 1 :], _pick(loaded, lines[:end]))


def _pick(loaded: dict[object, object], head: list[str]) -> dict[str, str]:
    """Return the front-matter values Consult uses, as strings, the checked ones checked.

    ``head`` is the draft's lines up to the closing marker, where a bad
    value's line is looked up. Raises DraftError for a symbol, publisher or
    language that the document cannot take.
    """
    meta: dict[str, str] = {}
    for key in _FRONT_MATTER_KEYS:
        value = loaded.get(key)
        if key in _ONE_LINE_LIMITS or key == "language":
            checked = _checked(key, value, head)
            if checked:
                meta[key] = checked
        elif value is not None and not isinstance(value, (dict, list)) and str(value).strip():
            meta[key] = str(value).strip()
    return meta


def _checked(key: str, value: object, head: list[str]) -> str | None:
    """Return the symbol, publisher or language ``value`` as the document keeps it.

    Runs of white space become one space; a language tag's primary subtag is
    lower-cased ("EN" is "en", "zh-Hans" stays). Returns None for no value.
    """
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise DraftError(
            N_("the front matter's '%(key)s' must be one line of text"),
            _key_line(head, key),
            key=key,
        )
    text = " ".join(str(value).split())
    if not text:
        return None
    if key == "language":
        return _language_tag(text, isinstance(value, bool), _key_line(head, key))
    limit = _ONE_LINE_LIMITS[key]
    if len(text) > limit:
        raise DraftError(
            N_(
                "the front matter's '%(key)s' is %(length)d characters long; the limit is %(limit)d"
            ),
            _key_line(head, key),
            key=key,
            length=len(text),
            limit=limit,
        )
    return text


def _language_tag(text: str, was_bool: bool, line: int) -> str:
    """Return ``text`` as a language tag with a lower-case primary subtag, or raise DraftError."""
    if was_bool:
        # YAML reads a bare "no" (Norwegian), "yes", "on" or "off" as true or false.
        raise DraftError(
            N_(
                "the front matter's language was read as true or false, not a language tag: "
                "write the tag in quotes"
            ),
            line,
        )
    if not _LANGUAGE_RE.match(text) or len(text) > MAX_LANGUAGE_LENGTH:
        raise DraftError(
            N_(
                "the front matter's language '%(tag)s' is not a language tag: write a tag "
                "such as 'en', 'fr', 'es', 'ar', 'zh-Hans' or 'pt-BR' "
                "(at most %(limit)d characters)"
            ),
            line,
            tag=text,
            limit=MAX_LANGUAGE_LENGTH,
        )
    primary, _, rest = text.partition("-")
    return primary.lower() + ("-" + rest if rest else "")


def _key_line(head: list[str], key: str) -> int:
    """Return the line (from 1) where the front matter sets ``key``, else the first line."""
    pattern = re.compile(rf"^[\"']?{re.escape(key)}[\"']?\s*[:=]")
    return next((i + 1 for i, line in enumerate(head) if pattern.match(line)), 1)


def _top_level_keys(lines: list[str]) -> dict[object, object]:
    """Return ``key: value`` pairs written at the start of a line."""
    found: dict[object, object] = {}
    for line in lines:
        match = _TOP_KEY_RE.match(line)
        if match:
            found.setdefault(match.group(1), match.group(2).strip().strip("'\""))
    return found
