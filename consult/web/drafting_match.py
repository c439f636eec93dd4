"""The preview's matching and reading the drafter's corrections (drafting blueprint).

The preview shows, for each clause of a draft version, which clause of the
previous published version it continues (and so whose key, comments and
history it takes). First come the pairings that need a decision (changed,
moved, renumbered, split, merged, added, removed), each with the word diff
of its text; runs of unchanged clauses are folded in ``<details>``. One form
covers every clause, folded or not: each has a text input holding the old
clause's key, empty for a new clause. A text input with one shared list of
suggestions (``<datalist>``) is used instead of a select per row, because a
2,000-clause law would otherwise send millions of options; the drafter may
also type an old clause's number when no other old clause has it. A pair
whose text changed shows how many of its words are alike, and asks for a
check when that is under half: such a pair was made by its place (a matched
parent, a section's number) more than by its text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult import labels
from consult.domain.alignment import ClauseText
from consult.domain.diff import Ops
from consult.services.draft_preview import Preview, PreviewPair

FIELD_PREFIX = "continues-"
EXCERPT_LENGTH = 90
#: The suggestions list names each old clause by number, heading and this much of its text:
#: a law's thousands of suggestions are sent with every page of the matching.
SUGGESTION_EXCERPT = 40
#: Pairings to decide on one page of the matching: a revision of a law has hundreds.
PAIRINGS_PER_PAGE = 50

#: Each correction input's label: its clause's number and key, so that no two repeat.
#: Translated once per page and filled in for each of a law's thousands of clauses.
FIELD_LABEL = _l("Key of the old clause that clause %(clause)s (key %(key)s) continues")

#: Below this share of words alike (in percent), a pairing rests more on the
#: clauses' places than on their texts: the table asks the drafter to check it.
WEAK_PERCENT = 50


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """Return the start of ``text`` on one line, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@dataclass(frozen=True)
class OldRef:
    """An old clause as the pairings and the list of suggestions name it."""

    key: str
    number: str
    heading: str
    excerpt: str

    @property
    def label(self) -> str:
        """Number, heading and start of the text, for a suggestion."""
        return " – ".join(part for part in (self.number, self.heading, self.excerpt) if part)


def _old_ref(clause: ClauseText, length: int = EXCERPT_LENGTH) -> OldRef:
    return OldRef(clause.key, clause.number, clause.heading, excerpt(clause.text, length))


@dataclass(frozen=True)
class ClauseField:
    """A clause of the draft with its correction input."""

    key: str
    number: str
    heading: str
    position: int
    label: str
    value: str = ""
    error: str | None = None

    @property
    def field_name(self) -> str:
        """The name of this clause's input."""
        return FIELD_PREFIX + self.key

    @property
    def field_id(self) -> str:
        """The id of this clause's input (keys may hold dots, positions never do)."""
        return f"continues-{self.position}"


@dataclass(frozen=True)
class PairView:
    """A pairing that needs the drafter's decision, with the diff of its text."""

    status: str
    status_label: str
    old: tuple[OldRef, ...]
    new: tuple[ClauseField, ...]
    diff: Ops | None
    heading_diff: Ops | None
    text: str  # the whole text, for a pairing without a diff (added, removed, moved as is)
    alike: int | None  # percent of words alike, when the text changed
    kind: str = "pair"

    @property
    def weak(self) -> bool:
        """Whether so few words are alike that the drafter should check the pairing."""
        return self.alike is not None and self.alike < WEAK_PERCENT


@dataclass(frozen=True)
class UnchangedRun:
    """Consecutive clauses that continue their old clause unchanged, folded together."""

    fields: tuple[ClauseField, ...]
    kind: str = "unchanged"

    @property
    def open(self) -> bool:
        """Whether a refused correction inside keeps the run unfolded."""
        return any(f.error for f in self.fields)


@dataclass(frozen=True)
class MatchView:
    """Everything the preview shows about the matching, ready for the template."""

    previous_number: int
    summary: list[tuple[str, str, int]]  # (status, label, count), every status present
    items: list[PairView | UnchangedRun]
    suggestions: list[OldRef]
    decisions: int
    unchanged: int
    form_error: str | None = None


def current_values(old_keys: frozenset[str], keys: Sequence[str]) -> dict[str, str]:
    """Return each new clause key -> the old key it continues, '' for a new clause."""
    return {key: key if key in old_keys else "" for key in keys}


def match_view(
    preview: Preview,
    *,
    submitted: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    form_error: str | None = None,
) -> MatchView:
    """Return the matching of ``preview``; ``submitted`` and ``errors`` refill a refused form."""
    assert preview.previous_number is not None
    submitted, errors = submitted or {}, errors or {}
    names = labels.translated(labels.COMPARISON_STATUSES)  # once, not once per row
    old_keys = preview.old_keys
    label = str(FIELD_LABEL)

    def fields(pair: PreviewPair) -> tuple[ClauseField, ...]:
        return tuple(
            ClauseField(
                c.key,
                c.number,
                c.heading,
                c.position,
                label % {"clause": c.number or "–", "key": c.key},
                submitted.get(c.key, c.key if c.key in old_keys else ""),
                errors.get(c.key),
            )
            for c in pair.new
        )

    items: list[PairView | UnchangedRun] = []
    run: list[ClauseField] = []
    decisions = unchanged = 0
    for pair in preview.pairs:
        if pair.status == "unchanged":
            run.extend(fields(pair))
            unchanged += 1
            continue
        if run:
            items.append(UnchangedRun(tuple(run)))
            run = []
        decisions += 1
        items.append(_pair_view(pair, names[pair.status], fields(pair)))
    if run:
        items.append(UnchangedRun(tuple(run)))
    summary = [(status, names[status], n) for status, n in preview.summary().items() if n]
    suggestions = [_old_ref(c, SUGGESTION_EXCERPT) for c in preview.old_clauses]
    return MatchView(
        preview.previous_number, summary, items, suggestions, decisions, unchanged, form_error
    )


@dataclass(frozen=True)
class MatchPage:
    """One page of the matching: its items, each with its place in the whole list."""

    items: list[tuple[int, PairView | UnchangedRun]]
    page: int
    pages: int
    status: str | None  # the pairings' status chosen, None for every pairing to decide
    statuses: list[tuple[str, str, int]]  # (status, label, count) of the pairings to decide
    total: int  # the pairings chosen, on every page

    @property
    def first(self) -> int:
        """The number of this page's first pairing among those chosen (1-based)."""
        return min((self.page - 1) * PAIRINGS_PER_PAGE + 1, self.total)

    @property
    def last(self) -> int:
        """The number of this page's last pairing among those chosen."""
        return min(self.page * PAIRINGS_PER_PAGE, self.total)


def match_page(
    view: MatchView, page: int = 1, status: str | None = None, *, showing: str | None = None
) -> MatchPage:
    """Return page ``page`` of the matching: ``PAIRINGS_PER_PAGE`` pairings to decide, with
    the unchanged runs between them; or, with ``status``, only the pairings of that status.

    A page past the last is the last. ``showing`` names a clause key whose page is chosen
    instead (a refused correction is shown where its field is).
    """
    numbered = list(enumerate(view.items, start=1))
    statuses = [row for row in view.summary if row[0] != "unchanged"]
    counts = {s: n for s, _label, n in statuses}
    if status not in counts:
        status = None
    if status is not None:
        numbered = [
            (i, it) for i, it in numbered if isinstance(it, PairView) and it.status == status
        ]
    chunks: list[list[tuple[int, PairView | UnchangedRun]]] = [[]]
    pairs = 0
    for index, item in numbered:
        if isinstance(item, PairView):
            if pairs == PAIRINGS_PER_PAGE:
                chunks.append([])
                pairs = 0
            pairs += 1
        chunks[-1].append((index, item))
    if showing is not None:
        for number, chunk in enumerate(chunks, start=1):
            if any(f.key == showing for _i, item in chunk for f in _fields(item)):
                page = number
                break
    page = min(max(page, 1), len(chunks))
    total = counts[status] if status is not None else view.decisions
    return MatchPage(chunks[page - 1], page, len(chunks), status, statuses, total)


def _fields(item: PairView | UnchangedRun) -> tuple[ClauseField, ...]:
    return item.fields if isinstance(item, UnchangedRun) else item.new


def _pair_view(pair: PreviewPair, label: str, fields: tuple[ClauseField, ...]) -> PairView:
    side = pair.new or pair.old
    text = "\n\n".join(c.text for c in side if c.text)
    alike = round(100 * pair.similarity) if pair.old and pair.text_changed else None
    return PairView(
        pair.status,
        label,
        tuple(_old_ref(c) for c in pair.old),
        fields,
        pair.diff,
        pair.heading_diff,
        "" if pair.diff else text,
        alike,
    )


@dataclass
class MatchInputError(Exception):
    """The corrections form cannot be read: per-row messages, or one for the whole form."""

    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    submitted: dict[str, str] = field(default_factory=dict)


def read_corrections(
    form: Mapping[str, str], preview: Preview, new_keys: Sequence[str]
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
    old_keys = preview.old_keys
    current = current_values(old_keys, new_keys)
    strangers = [key for key in submitted if key not in current]
    if strangers:
        raise MatchInputError(
            message=_(
                "The form names a clause that is not in this version; the page may be out "
                "of date. Nothing was changed: check the matching below and try again."
            )
        )
    by_number: dict[str, list[str]] = {}
    for clause in preview.old_clauses:
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
        target, error = _resolve(value, old_keys, by_number, preview.previous_number or 0)
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
