"""The clause choices of a preview: what a row may be assigned to, and how a choice is read back.

The clauses of the round's version are loaded once (`version_clauses`) as
the options a row's clause field offers. The secretariat's choice travels
with the form in ``clause-<row>`` fields: `read_corrections` collects them
and `resolve_choice` reads one back, whether it came from a select
("k:<key>", "document") or was typed as a citation, a key or a reference.
`match_clause` settles a row's clause: the one its reference names, or the
one chosen instead, with what is wrong or worth checking about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from consult import labels
from consult.domain import clause_references as refs
from consult.domain.comment_template import TemplateRow
from consult.extensions import db
from consult.models import Clause
from consult.services.clause_tree import ClauseNode, build_tree

#: The value of the clause choice meaning the document as a whole.
DOCUMENT_CHOICE = "document"
#: The value meaning "no clause chosen".
NO_CHOICE = ""
FIELD_PREFIX = "clause-"
#: What a typed clause field holds for the document as a whole.
WHOLE_DOCUMENT = labels.IMPORT_MATCHES["document"]
#: The outcome of a row whose clause the secretariat chose in the preview.
CORRECTED = "corrected"
_EXCERPT = 300
OPTION_EXCERPT = 60
_CANDIDATES_SHOWN = 5


def clause_choice(key: str) -> str:
    """Return the value that chooses clause ``key`` in the preview's form."""
    return f"k:{key}"


def excerpt(text: str, length: int) -> str:
    """Return the start of ``text`` on one line, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@dataclass(frozen=True)
class ClauseView:
    """A clause as the preview shows it: citation, heading and the start of its text."""

    key: str
    citation: str
    heading: str
    excerpt: str
    typed: str  # what a text field for the clause holds: its citation, or its key if shared


@dataclass(frozen=True)
class ClauseChoice:
    """One option of a row's clause select."""

    value: str
    label: str
    typed: str  # the same clause as typed in a text field: its citation, or its key if shared


@dataclass(frozen=True)
class VersionClauses:
    """The clauses of the round's version: stored rows, citations and the reference index."""

    by_key: dict[str, Clause]
    nodes: dict[str, ClauseNode]
    index: refs.ClauseIndex
    choices: tuple[ClauseChoice, ...]
    by_citation: dict[str, list[str]]

    def view(self, key: str) -> ClauseView:
        """Return the clause ``key`` as the preview shows it.

        A heading without text of its own ("Principle 2") shows the start of
        the text under it.
        """
        node = self.nodes[key]
        texts: list[str] = []
        pending = [node]
        while pending and sum(len(text) for text in texts) < _EXCERPT:
            current = pending.pop(0)
            if current.text:
                texts.append(current.text)
            pending = current.children + pending
        shared = len(self.by_citation.get(node.citation.casefold(), [])) > 1
        typed = key if shared else node.citation
        return ClauseView(
            key, node.citation, node.heading, excerpt(" ".join(texts), _EXCERPT), typed
        )


def version_clauses(version_id: int) -> VersionClauses:
    """Return the clauses of a version for matching rows (one SELECT)."""
    clauses = list(
        db.session.scalars(
            select(Clause).where(Clause.version_id == version_id).order_by(Clause.position)
        )
    )
    _roots, nodes = build_tree(clauses)
    index = refs.build_index(
        [refs.ClauseEntry(c.key, c.number, c.kind, c.heading, c.parent_key) for c in clauses]
    )
    by_citation: dict[str, list[str]] = {}
    for c in clauses:
        by_citation.setdefault(nodes[c.key].citation.casefold(), []).append(c.key)

    def typed(key: str) -> str:
        citation = nodes[key].citation
        return key if len(by_citation[citation.casefold()]) > 1 else citation

    choices = tuple(
        ClauseChoice(
            clause_choice(c.key),
            nodes[c.key].label
            if nodes[c.key].is_heading
            else f"{nodes[c.key].citation} – {excerpt(c.text, OPTION_EXCERPT)}",
            typed(c.key),
        )
        for c in clauses
    )
    return VersionClauses({c.key: c for c in clauses}, nodes, index, choices, by_citation)


def resolve_choice(chosen: str, clauses: VersionClauses) -> str | None:
    """Return the choice a row's clause field names, or None when it names no clause.

    The field holds a choice value ("k:<key>", "document") from a select, or
    text typed where the preview offers a text field: a citation, a key, the
    words for the whole document, or a reference as people write it.
    """
    chosen = " ".join(chosen.split())
    if chosen == DOCUMENT_CHOICE:
        return DOCUMENT_CHOICE
    if chosen.startswith("k:"):
        return chosen if chosen[2:] in clauses.by_key else None
    folded = chosen.casefold()
    if folded == str(WHOLE_DOCUMENT).casefold():
        return DOCUMENT_CHOICE
    named = clauses.by_citation.get(folded, [])
    if len(named) == 1:
        return clause_choice(named[0])
    if chosen in clauses.by_key:
        return clause_choice(chosen)
    if refs.is_whole_document(chosen):
        return DOCUMENT_CHOICE
    found = refs.match_reference(clauses.index, chosen)
    if found.outcome == refs.CLAUSE and found.key is not None:
        return clause_choice(found.key)
    return None


def read_corrections(form: Mapping[str, str]) -> dict[int, str]:
    """Return the clause chosen for each row in a posted preview (row number -> choice)."""
    chosen: dict[int, str] = {}
    for name, value in form.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        number = name[len(FIELD_PREFIX) :]
        if number.isdigit():
            chosen[int(number)] = str(value).strip()
    return chosen


def match_clause(
    row: TemplateRow, clauses: VersionClauses, chosen: str | None, version_number: int
) -> tuple[str, str | None, str, list[str], list[str]]:
    """Return outcome, clause key, choice value, errors and notes of a row's clause.

    ``chosen`` is the secretariat's choice in the preview (None or "": the clause found).
    """
    written = row.get("clause")
    found = refs.match_reference(clauses.index, written, row.get("paragraph"))
    automatic = (
        DOCUMENT_CHOICE
        if found.outcome == refs.DOCUMENT
        else clause_choice(found.key)
        if found.key is not None
        else NO_CHOICE
    )
    if chosen:
        canonical = resolve_choice(chosen, clauses)
        if canonical is None:
            problem = (
                _("The clause chosen is not part of this version: choose again.")
                if chosen.startswith("k:")
                else _(
                    "“%(choice)s” is not a clause of this version: choose again.",
                    choice=excerpt(chosen, OPTION_EXCERPT),
                )
            )
            return CORRECTED, None, NO_CHOICE, [str(problem)], []
        if canonical == DOCUMENT_CHOICE and canonical != automatic:
            return CORRECTED, None, canonical, [], []
        if canonical != automatic:
            return CORRECTED, canonical[2:], canonical, [], []
    errors: list[str] = []
    notes: list[str] = []
    if found.outcome == refs.NOT_FOUND:
        errors.append(
            str(
                _(
                    "No clause “%(clause)s” in version %(number)s: choose the right one.",
                    clause=written.strip(),
                    number=version_number,
                )
            )
        )
    elif found.outcome == refs.AMBIGUOUS:
        names = [clauses.nodes[key].citation for key in found.candidates[:_CANDIDATES_SHOWN]]
        if len(found.candidates) > _CANDIDATES_SHOWN:
            names.append("…")
        errors.append(
            str(
                _(
                    "“%(clause)s” could be several clauses (%(names)s): choose one.",
                    clause=written.strip(),
                    names="; ".join(names),
                )
            )
        )
    elif found.outcome == refs.NEAREST and found.key is not None:
        notes.append(
            str(
                _(
                    "No clause “%(clause)s” in this version: the comment goes to the nearest "
                    "clause that contains it, %(nearest)s. Check it.",
                    clause=written.strip(),
                    nearest=clauses.nodes[found.key].citation,
                )
            )
        )
    if found.refined and found.key is not None:
        notes.append(
            str(
                _(
                    "The paragraph column “%(paragraph)s” narrows the clause to %(clause)s.",
                    paragraph=row.get("paragraph").strip(),
                    clause=clauses.nodes[found.key].citation,
                )
            )
        )
    return found.outcome, found.key, automatic, errors, notes
