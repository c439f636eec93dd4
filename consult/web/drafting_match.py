"""The preview's matching table and reading the drafter's corrections (drafting blueprint).

The preview shows, for each clause of a draft version, which clause of the
previous published version it continues (and so whose key, comments and
history it takes). One form covers the table: each row has a text input
holding the old clause's key, empty for a new clause. A text input with one
shared list of suggestions (``<datalist>``) is used instead of a select per
row, because a 2,000-clause law would otherwise send millions of options; the
drafter may also type an old clause's number when no other old clause has it.
By default only the rows that are not unchanged are listed (and so in the
form); every clause is one link away. A pair whose text changed shows how
many of its words are alike, and asks for a check when that is under half:
such a pair was made by its place (a matched parent, a section's number)
more than by its text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult import labels
from consult.domain.alignment import ClauseText
from consult.services.carry import Matching

FIELD_PREFIX = "continues-"
EXCERPT_LENGTH = 90

#: Below this share of words alike (in percent), a pairing rests more on the
#: clauses' places than on their texts: the table asks the drafter to check it.
WEAK_PERCENT = 50


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """Return the start of ``text`` on one line, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@dataclass(frozen=True)
class OldRef:
    """An old clause as the table and the list of suggestions name it."""

    key: str
    number: str
    heading: str
    excerpt: str

    @property
    def label(self) -> str:
        """Number, heading and start of the text, for a suggestion or a cell."""
        return " – ".join(part for part in (self.number, self.heading, self.excerpt) if part)


def _old_ref(clause: ClauseText) -> OldRef:
    return OldRef(clause.key, clause.number, clause.heading, excerpt(clause.text))


@dataclass(frozen=True)
class MatchRow:
    """One row of the matching table: a new clause, or an old clause removed."""

    status: str
    status_label: str
    position: int | None  # the new clause's position; None for a removed clause
    key: str
    number: str
    heading: str
    excerpt: str
    old: tuple[OldRef, ...]
    value: str = ""
    error: str | None = None
    alike: int | None = None  # percent of words alike, when the text changed

    @property
    def weak(self) -> bool:
        """Whether so few words are alike that the drafter should check the pairing."""
        return self.alike is not None and self.alike < WEAK_PERCENT

    @property
    def field_name(self) -> str:
        """The name of this row's input."""
        return FIELD_PREFIX + self.key

    @property
    def field_id(self) -> str:
        """The id of this row's input (keys may hold dots, positions never do)."""
        return f"continues-{self.position}"


@dataclass(frozen=True)
class MatchView:
    """Everything the preview shows about the matching, ready for the template."""

    previous_number: int
    summary: list[tuple[str, int]]
    rows: list[MatchRow]
    suggestions: list[OldRef]
    show_all: bool
    hidden: int
    form_error: str | None = None


def current_values(matching: Matching, keys: Sequence[str]) -> dict[str, str]:
    """Return each new clause key -> the old key it continues, '' for a new clause."""
    return {key: key if key in matching.old_keys else "" for key in keys}


def match_view(
    matching: Matching,
    *,
    show_all: bool,
    submitted: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    form_error: str | None = None,
) -> MatchView:
    """Return the table for ``matching``; ``submitted`` and ``errors`` refill a refused form."""
    submitted, errors = submitted or {}, errors or {}
    names = labels.translated(labels.COMPARISON_STATUSES)  # once, not once per row
    rows: list[MatchRow] = []
    hidden = 0
    for pair in matching.alignment.pairs:
        shown = show_all or pair.status != "unchanged" or any(c.key in errors for c in pair.new)
        if not shown:
            hidden += len(pair.new)
            continue
        label = names[pair.status]
        old = tuple(_old_ref(c) for c in pair.old)
        if not pair.new:
            ref = old[0]
            rows.append(
                MatchRow(
                    pair.status, label, None, ref.key, ref.number, ref.heading, ref.excerpt, ()
                )
            )
            continue
        alike = round(100 * pair.similarity) if pair.old and pair.text_changed else None
        for clause in pair.new:
            value = clause.key if clause.key in matching.old_keys else ""
            rows.append(
                MatchRow(
                    pair.status,
                    label,
                    clause.position,
                    clause.key,
                    clause.number,
                    clause.heading,
                    excerpt(clause.text),
                    old,
                    submitted.get(clause.key, value),
                    errors.get(clause.key),
                    alike,
                )
            )
    summary = [(names[status], n) for status, n in matching.alignment.summary().items()]
    suggestions = [_old_ref(c) for c in _old_clauses(matching)]
    return MatchView(
        matching.previous.number, summary, rows, suggestions, show_all, hidden, form_error
    )


def _old_clauses(matching: Matching) -> list[ClauseText]:
    found = {c.key: c for pair in matching.alignment.pairs for c in pair.old}
    return sorted(found.values(), key=lambda c: c.position)


@dataclass
class MatchInputError(Exception):
    """The corrections form cannot be read: per-row messages, or one for the whole form."""

    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    submitted: dict[str, str] = field(default_factory=dict)


def read_corrections(
    form: Mapping[str, str], matching: Matching, new_keys: Sequence[str]
) -> dict[str, str | None]:
    """Return the rows whose choice changed: new key -> old key, or None for a new clause.

    Raises MatchInputError for a row naming no clause of this version (a
    forged or out-of-date form), an old clause unknown or ambiguous, or one old
    clause chosen for two rows.
    """
    submitted = {
        name[len(FIELD_PREFIX) :]: " ".join(str(value).split())
        for name, value in form.items()
        if name.startswith(FIELD_PREFIX)
    }
    current = current_values(matching, new_keys)
    strangers = [key for key in submitted if key not in current]
    if strangers:
        raise MatchInputError(
            message=_(
                "The form names a clause that is not in this version; the page may be out "
                "of date. Nothing was changed: check the matching below and try again."
            )
        )
    by_number: dict[str, list[str]] = {}
    for clause in _old_clauses(matching):
        if clause.number:
            by_number.setdefault(clause.number.casefold(), []).append(clause.key)
    errors: dict[str, str] = {}
    corrections: dict[str, str | None] = {}
    chosen: dict[str, str] = {}
    for key, value in submitted.items():
        if value == current[key]:
            continue
        if not value:
            corrections[key] = None
            continue
        target, error = _resolve(value, matching.old_keys, by_number, matching.previous.number)
        if error is not None:
            errors[key] = error
            continue
        assert target is not None
        if target in chosen:
            message = _(
                "Old clause %(old)s is chosen for two clauses: choose it for one only.",
                old=target,
            )
            errors[key] = errors[chosen[target]] = message
            continue
        chosen[target] = key
        corrections[key] = target
    if errors:
        raise MatchInputError(errors=errors, submitted=submitted)
    return corrections


def _resolve(
    value: str, old_keys: frozenset[str], by_number: Mapping[str, list[str]], previous: int
) -> tuple[str | None, str | None]:
    """Return (old key, None) for a key or an unambiguous number, else (None, message)."""
    if value in old_keys:
        return value, None
    keys = by_number.get(value.casefold(), [])
    if len(keys) == 1:
        return keys[0], None
    if keys:
        return None, _(
            "Several clauses of version %(number)s are numbered “%(value)s”: "
            "type the key of the one you mean (the list of suggestions shows them).",
            number=previous,
            value=value,
        )
    return None, _(
        "Version %(number)s has no clause with the key or number “%(value)s”. "
        "Type an old clause's key, or leave the field empty for a new clause.",
        number=previous,
        value=value,
    )
