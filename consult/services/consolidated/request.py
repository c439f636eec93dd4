"""What a consolidated PDF is asked to show, checked against who asks.

A `PdfRequest` names the document, the version, the variant ("clean",
"changes", "comments"), the version the changes are marked against, the round
whose comments are shown or annexed, and whether the round's matrix is
annexed. `check_request` fills in the defaults the reader would expect and
refuses what they may not have; `resolve` does the same and also returns the
rows it loaded, for the code that builds the PDF.

Who may ask for what (consult.permissions, nothing added there):
- clean and changes of any version the viewer may read (`can_read_version`),
  changes only against another version they may read;
- a round only if the viewer knows it (`known_rounds`) and it is a round of
  this version; its comments are then those the viewer may see, taken from
  the matrix's rows (consult.services.matrix.query.export_sheets);
- `viewer` None is the command line, which sees what the secretariat sees.

Unknown things and things the viewer may not read are NotFound, alike, so that
a refusal never tells a stakeholder that a draft or a round exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult import permissions
from consult.extensions import db
from consult.languages import language_in_sentence
from consult.models import Document, Round, Translation, User, Version
from consult.services.errors import NotFound, ServiceError
from consult.services.matrix.scope import document_rounds

#: The variants of the consolidated document.
VARIANTS: tuple[str, ...] = ("clean", "changes", "comments")


class BadRequest(ServiceError):
    """A request for a PDF that cannot be made as asked (the message says why)."""


@dataclass(frozen=True)
class PdfRequest:
    """One consolidated PDF, as asked for.

    `against` is only used by the changes variant (default: the previous
    version the viewer may read). `round_id` is the round whose comments the
    comments variant shows and whose matrix the annex holds; by default the
    latest round on this version that the viewer knows. The cover names that
    round (and its meeting) in every variant.
    """

    slug: str
    number: int
    variant: str = "clean"
    against: int | None = None
    round_id: int | None = None
    matrix_annex: bool = False
    language: str = ""  # the language of the text: '' for the version's own

    def as_params(self) -> dict[str, Any]:
        """Return the request as JSON-ready parameters (read back by `from_params`)."""
        return asdict(self)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> PdfRequest:
        """Return the request in `params` (other keys are ignored); BadRequest if malformed."""
        try:
            slug = params["slug"]
            number = _integer(params["number"])
        except KeyError as err:
            raise BadRequest(_("The request names no document or version.")) from err
        if not isinstance(slug, str) or number is None:
            raise BadRequest(_("The request names no document or version."))
        variant = params.get("variant", "clean")
        annex = params.get("matrix_annex", False)
        language = params.get("language") or ""
        if (
            not isinstance(variant, str)
            or not isinstance(annex, bool)
            or not isinstance(language, str)
        ):
            raise BadRequest(_("The request is malformed."))
        return cls(
            slug=slug,
            number=number,
            variant=variant,
            against=_optional_integer(params.get("against")),
            round_id=_optional_integer(params.get("round_id")),
            matrix_annex=annex,
            language=language,
        )


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    return None


def _optional_integer(value: Any) -> int | None:
    if value is None:
        return None
    number = _integer(value)
    if number is None:
        raise BadRequest(_("The request is malformed."))
    return number


@dataclass(frozen=True)
class Target:
    """A checked request and the rows it names."""

    request: PdfRequest
    document: Document
    version: Version
    against: Version | None  # the changes variant's older (or other) version
    round: Round | None  # the round named on the cover, whose comments and matrix are shown
    translation: Translation | None = None  # the text in another language, when asked for
    against_translation: Translation | None = None  # the other version's, for the changes

    @property
    def language(self) -> str:
        """The language of the text printed."""
        return self.translation.language if self.translation else self.version.text_language

    @property
    def shows_comments(self) -> bool:
        """Whether the PDF shows comments (under the clauses, or in the annex)."""
        return self.request.variant == "comments" or self.request.matrix_annex


def _readable(viewer: User | None, version: Version) -> bool:
    return viewer is None or permissions.can_read_version(viewer, version)


def readable_versions(viewer: User | None, document: Document) -> list[Version]:
    """Return the versions of `document` that `viewer` may read, oldest first (None: all)."""
    return [
        v
        for v in db.session.scalars(
            select(Version).where(Version.document_id == document.id).order_by(Version.number)
        )
        if _readable(viewer, v)
    ]


def version_rounds(viewer: User | None, document: Document, version: Version) -> list[Round]:
    """Return the rounds on `version` that `viewer` knows about, oldest first (None: all)."""
    return [r for r in document_rounds(viewer, document) if r.version_id == version.id]


def _against(viewer: User | None, req: PdfRequest, versions: list[Version]) -> Version:
    if req.against is None:
        earlier = [v for v in versions if v.number < req.number]
        if not earlier:
            raise BadRequest(
                _(
                    "Version %(number)s has no earlier version to compare with.",
                    number=req.number,
                )
            )
        return earlier[-1]
    if req.against == req.number:
        raise BadRequest(_("Version %(number)s cannot be compared with itself.", number=req.number))
    found = next((v for v in versions if v.number == req.against), None)
    if found is None:
        raise NotFound(
            _("Document '%(slug)s' has no version %(number)s.", slug=req.slug, number=req.against)
        )
    return found


def _round(
    viewer: User | None, req: PdfRequest, document: Document, version: Version
) -> Round | None:
    known = version_rounds(viewer, document, version)
    if req.round_id is not None:
        found = next((r for r in known if r.id == req.round_id), None)
        if found is None:
            raise NotFound(
                _(
                    "Version %(number)s has no round %(round)s.",
                    number=version.number,
                    round=req.round_id,
                )
            )
        return found
    # document_rounds lists them oldest first: the latest is the last.
    return known[-1] if known else None


def resolve(viewer: User | None, req: PdfRequest, now: datetime) -> Target:
    """Return the request with its defaults filled in, and the rows it names.

    Raises NotFound for an unknown document, version or round, or one the
    viewer may not read or know; BadRequest for an unknown variant, a changes
    variant without another version, or comments and an annex without a round.
    """
    if req.variant not in VARIANTS:
        raise BadRequest(
            _(
                "There is no variant '%(variant)s': choose %(choices)s.",
                variant=req.variant,
                choices=", ".join(VARIANTS),
            )
        )
    document = db.session.scalar(select(Document).where(Document.slug == req.slug))
    if document is None:
        raise NotFound(_("There is no document '%(slug)s'.", slug=req.slug))
    versions = readable_versions(viewer, document)
    version = next((v for v in versions if v.number == req.number), None)
    if version is None:
        raise NotFound(
            _("Document '%(slug)s' has no version %(number)s.", slug=req.slug, number=req.number)
        )
    against = _against(viewer, req, versions) if req.variant == "changes" else None
    round_ = _round(viewer, req, document, version)
    if round_ is None and req.variant == "comments":
        raise BadRequest(_("This version has no round to take comments from."))
    if round_ is None and req.matrix_annex:
        raise BadRequest(_("This version has no round whose comment matrix could be annexed."))
    translation = _translation(version, req.language)
    against_translation = None
    if against is not None and translation is not None:
        against_translation = _translation(against, req.language, for_changes=True)
    checked = replace(
        req,
        against=against.number if against is not None else None,
        round_id=round_.id if round_ is not None else None,
        language=translation.language if translation is not None else "",
    )
    return Target(checked, document, version, against, round_, translation, against_translation)


def _translation(version: Version, language: str, for_changes: bool = False) -> Translation | None:
    """The published text of `version` in `language` (None for its own); else refused."""
    if not language or language == version.text_language:
        return None
    found = db.session.scalar(
        select(Translation).where(
            Translation.version_id == version.id,
            Translation.language == language,
            Translation.status == "published",
        )
    )
    if found is None:
        message = _(
            "Version %(number)s has no text in %(language)s.",
            number=version.number,
            language=language_in_sentence(language),
        )
        raise BadRequest(message) if for_changes else NotFound(message)
    return found


def check_request(viewer: User | None, req: PdfRequest, now: datetime) -> PdfRequest:
    """Return `req` with its defaults filled in, or raise (see `resolve`)."""
    return resolve(viewer, req, now).request
