"""The matrix's filters, sorting and paging, as they travel in a URL's query string.

A filtered matrix can be bookmarked and shared: every choice is a query
argument (`?round=3&type=substantive&answered=no&sort=member`). Reading them
never fails: an unknown or malformed value is dropped, and the page says
which filters are in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from consult.domain.text_clean import clean_line
from consult.models import COMMENT_TYPES, DISPOSITIONS, ORGANISATION_KINDS

#: The columns the matrix can be sorted by (query value -> what it sorts on).
SORT_KEYS: tuple[str, ...] = (
    "document",  # document order: whole-document comments first, then clause order
    "number",
    "tracking",
    "member",
    "clause",
    "paragraph",
    "type",
    "comment",
    "proposed",
    "disposition",
    "observations",
    "next",
    "received",
)
#: What "In the next version" can be filtered on.
NEXT_STATUSES: tuple[str, ...] = ("unchanged", "changed", "moved", "removed")
PAGE_SIZES: tuple[int, ...] = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
MAX_SEARCH = 200


@dataclass(frozen=True)
class MatrixFilters:
    """What the matrix shows: which rows, in which order, which page."""

    rounds: tuple[int, ...] = ()  # empty: every round of the document
    organisation: int | None = None
    kind: str | None = None  # ORGANISATION_KINDS
    type: str | None = None  # COMMENT_TYPES
    disposition: str | None = None  # DISPOSITIONS, or "none" for unanswered
    answered: bool | None = None
    proposed: bool | None = None  # with (True) / without (False) a proposed change
    clause: str | None = None  # a clause key: the clause and its sub-clauses
    search: str = ""
    next: str | None = None  # NEXT_STATUSES
    sort: str = "document"
    descending: bool = False
    grouped: bool = True  # grouped by clause (document order within) or a flat table
    page: int = 1
    per_page: int = DEFAULT_PAGE_SIZE

    @property
    def narrows(self) -> bool:
        """Whether any filter (not sorting or paging) is in force."""
        return any(
            getattr(self, f.name) != f.default
            for f in fields(self)
            if f.name not in {"sort", "descending", "grouped", "page", "per_page"}
        )

    def with_page(self, page: int) -> MatrixFilters:
        """Return the same filters on another page."""
        return replace(self, page=page)

    def sorted_by(self, key: str) -> MatrixFilters:
        """Return these filters sorted by `key`: ascending, or reversed if already so."""
        descending = self.sort == key and not self.descending
        return replace(self, sort=key, descending=descending, page=1)

    def to_args(self) -> dict[str, Any]:
        """Return the query arguments that `parse` reads back into these filters."""
        args: dict[str, Any] = {}
        if self.rounds:
            args["round"] = list(self.rounds)
        for name in ("organisation", "kind", "type", "disposition", "clause", "next"):
            value = getattr(self, name)
            if value is not None:
                args[name] = value
        for name in ("answered", "proposed"):
            value = getattr(self, name)
            if value is not None:
                args[name] = "yes" if value else "no"
        if self.search:
            args["q"] = self.search
        if self.sort != "document":
            args["sort"] = self.sort
        if self.descending:
            args["order"] = "desc"
        if not self.grouped:
            args["view"] = "flat"
        if self.page != 1:
            args["page"] = self.page
        if self.per_page != DEFAULT_PAGE_SIZE:
            args["per_page"] = self.per_page
        return args


def _int(value: str | None) -> int | None:
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if value is None or not value.strip().isascii() or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if 0 < number < 2**31 else None


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def parse(args: Mapping[str, Any]) -> MatrixFilters:
    """Read filters from query arguments (a Flask `request.args` or a dict).

    `args` may be a MultiDict (several `round` values) or a plain mapping
    whose `round` is a list. Unknown or malformed values are ignored.
    """
    getlist = getattr(args, "getlist", None)
    raw_rounds = getlist("round") if getlist else args.get("round") or []
    if isinstance(raw_rounds, str | int):
        raw_rounds = [raw_rounds]
    rounds = tuple(sorted({r for r in (_int(str(v)) for v in raw_rounds) if r is not None}))
    per_page = _int(args.get("per_page"))
    sort = _choice(args.get("sort"), SORT_KEYS) or "document"
    return MatrixFilters(
        rounds=rounds,
        organisation=_int(args.get("organisation")),
        kind=_choice(args.get("kind"), ORGANISATION_KINDS),
        type=_choice(args.get("type"), COMMENT_TYPES),
        disposition=_choice(args.get("disposition"), (*DISPOSITIONS, "none")),
        answered=_yes_no(args.get("answered")),
        proposed=_yes_no(args.get("proposed")),
        clause=(args.get("clause") or "").strip()[:200] or None,
        search=" ".join(clean_line(str(args.get("q") or "")).split())[:MAX_SEARCH],
        next=_choice(args.get("next"), NEXT_STATUSES),
        sort=sort,
        descending=args.get("order") == "desc",
        grouped=args.get("view") != "flat",
        page=_int(args.get("page")) or 1,
        per_page=per_page if per_page in PAGE_SIZES else DEFAULT_PAGE_SIZE,
    )
