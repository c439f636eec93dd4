"""Gathering what a consolidated PDF shows: cover, metadata, contents and the clauses.

`gather` reads what the checked request names and returns a `PdfDocument`
(consult.services.consolidated.model) for the template: the clause tree of the
version (consult.services.reading, the same anchors and citations as the web
pages), or the comparison with the other version (changes), with the round's
comments under each clause (comments) and the round's matrix (annex) taken
from the matrix's own rows.

The "Draft: for consultation" band: Consult has no final status yet (a
published version is frozen, not adopted), so every version carries the band;
`is_final` is the one place to change when a final status exists.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from consult import permissions
from consult.extensions import db
from consult.languages import direction_of
from consult.models import Organisation, Round, User, Version
from consult.moments import day_text, meeting_text, zone
from consult.services.consolidated.blocks import (
    Scripts,
    clean_blocks,
    contents,
)
from consult.services.consolidated.changes import changes_blocks
from consult.services.consolidated.comment_views import annex_of, attach_comments, matrix_rows
from consult.services.consolidated.model import Cover, Head, PdfDocument, RoundFacts
from consult.services.consolidated.request import Target
from consult.services.reading import kind_label


def is_final(version: Version) -> bool:
    """Whether the version is final (adopted): never yet, as Consult has no such status."""
    return False


def round_facts(round_: Round) -> RoundFacts:
    """Return what the cover says of a round: title, meeting, when comments were taken."""
    meeting = meeting_text(round_.meeting_starts_on, round_.meeting_ends_on, round_.place)
    local = zone(round_.time_zone)
    opens = round_.opens_at.astimezone(local).date()
    closes = round_.closes_at.astimezone(local).date()
    period = str(
        _("Comments from %(opens)s to %(closes)s", opens=day_text(opens), closes=day_text(closes))
    )
    return RoundFacts(title=round_.title, meeting=meeting, period=period)


def viewer_organisation(viewer: User | None) -> str:
    """Return the name of the organisation whose view of the comments a PDF shows ("" for staff)."""
    if viewer is None or permissions.sees_every_comment(viewer) or viewer.organisation_id is None:
        return ""
    name = db.session.scalar(
        select(Organisation.name).where(Organisation.id == viewer.organisation_id)
    )
    return name or ""


def _variant_text(target: Target) -> str:
    variant = target.request.variant
    if variant == "changes" and target.against is not None:
        if target.against.number < target.version.number:
            return str(
                _("Text with the changes since version %(number)s", number=target.against.number)
            )
        return str(_("Text with the changes from version %(number)s", number=target.against.number))
    if variant == "comments" and target.round is not None:
        return str(_("Text with the comments of “%(round)s”", round=target.round.title))
    return str(_("Clean text"))


def _notes(viewer: User | None, target: Target) -> tuple[str, ...]:
    round_ = target.round
    if round_ is None or not target.shows_comments:
        return ()
    notes: list[str] = []
    organisation = viewer_organisation(viewer)
    if viewer is not None and not permissions.sees_every_comment(viewer):
        if organisation:
            notes.append(
                str(
                    _(
                        "The comments are those %(organisation)s may see under the round's rules.",
                        organisation=organisation,
                    )
                )
            )
        else:
            notes.append(str(_("The comments are those the person who made it may see.")))
        if round_.attribution == "anonymous":
            notes.append(
                str(_("The round does not name organisations: each is a participant number."))
            )
        if round_.responses_published_at is None:
            notes.append(str(_("The secretariat's answers are not published yet.")))
    else:
        notes.append(
            str(
                _(
                    "Every comment of the round, with the secretariat's answers as they stand: "
                    "for the secretariat, not for circulation."
                )
            )
        )
    if target.request.matrix_annex:
        notes.append(str(_("The round's comment matrix is annexed.")))
    return tuple(notes)


def cover(viewer: User | None, target: Target, scripts: Scripts, now: datetime) -> Cover:
    """Return the cover page."""
    document, version = target.document, target.version
    title = target.translation.title if target.translation else ""
    title = title or document.title
    if version.published_at is not None:
        dated = str(_("Published %(day)s", day=day_text(version.published_at.date())))
    else:
        dated = str(_("Not published: a draft"))
    return Cover(
        title=title,
        dir=scripts.dir(title),
        lang=scripts.lang(title),
        symbol=(document.symbol or "").strip(),
        publisher=(document.publisher or "").strip(),
        version=str(_("Version %(number)s", number=version.number)),
        label=(target.translation.label if target.translation else "") or version.label,
        dated=dated,
        band=None if is_final(version) else str(_("Draft: for consultation")),
        variant=_variant_text(target),
        round=round_facts(target.round) if target.round is not None else None,
        notes=_notes(viewer, target),
        made=str(_("Made on %(day)s", day=day_text(now.date()))),
    )


def head(target: Target, cover: Cover, now: datetime) -> Head:
    """Return the HTML head's metadata."""
    document = target.document
    title = str(_("%(title)s, version %(number)s", title=cover.title, number=target.version.number))
    keywords = [document.slug, kind_label(document.kind), cover.version, cover.variant]
    if target.round is not None:
        keywords.append(target.round.title)
    language = target.language
    return Head(
        language=language,
        dir="rtl" if direction_of(language) == "rtl" else None,
        title=title,
        author=cover.publisher or str(_("Consult")),
        description=f"{cover.version} ({cover.label}): {cover.variant}"
        if cover.label
        else f"{cover.version}: {cover.variant}",
        keywords=", ".join(k for k in keywords if k),
        created=now.isoformat(timespec="seconds"),
    )


def gather(viewer: User | None, target: Target, now: datetime) -> PdfDocument:
    """Return everything the PDF of `target` shows to `viewer`."""
    scripts = Scripts(target.language)
    variant = target.request.variant
    summary = None
    if variant == "changes" and target.against is not None:
        blocks, summary = changes_blocks(
            (target.against, target.against_translation),
            (target.version, target.translation),
            scripts,
        )
    else:
        blocks = clean_blocks(target.version, scripts, target.translation)
    rows = matrix_rows(viewer, target, now) if target.shows_comments else []
    whole = attach_comments(blocks, rows, scripts) if variant == "comments" else []
    annex = None
    if target.request.matrix_annex and target.round is not None:
        printed = {anchor for block in blocks for anchor in block.anchors}
        annex = annex_of(target.round, rows, printed, scripts)
    front = cover(viewer, target, scripts, now)
    return PdfDocument(
        variant=variant,
        head=head(target, front, now),
        cover=front,
        contents=contents(blocks),
        blocks=blocks,
        whole_document=whole,
        summary=summary,
        annex=annex,
        words_lang=_words_language(target),
        words_dir=_words_direction(target),
    )


def _words_direction(target: Target) -> str | None:
    """Return the direction of the PDF's own words where it is not the text's."""
    words = _words_language(target)
    if words is None:
        return None
    own = direction_of(words)
    return own if own != direction_of(target.language) else None


def _words_language(target: Target) -> str | None:
    """Return the locale's language when the PDF's own words are not in the text's."""
    locale = str(get_locale() or "en").replace("_", "-")
    same = locale.split("-")[0].casefold() == target.language.split("-")[0].casefold()
    return None if same else locale
