"""Uploading, previewing, publishing and discarding versions (drafters).

A draft arrives as a file or as pasted text, becomes a draft version, is
checked on its preview page, then published (frozen for good) or discarded.
Every write goes through consult.services.drafts; a published version cannot
be altered from here. The forms are in drafting_forms.py, the matching in drafting_match.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectChoice

from consult.domain.alignment import ClauseText
from consult.languages import LANGUAGES, language_in_sentence
from consult.models import Document, Version
from consult.permissions import can_draft
from consult.plurals import ngettext
from consult.services import carry, draft_uploads, drafts, version_language
from consult.services.draft_preview import publish_facts, version_preview
from consult.services.errors import NotFound, Refused, ServiceError
from consult.web.drafting_forms import (
    DraftForm,
    LanguageForm,
    MatchForm,
    NewDocumentForm,
    PublishForm,
)
from consult.web.drafting_match import (
    MatchInputError,
    excerpt,
    match_page,
    match_view,
    read_corrections,
)
from consult.web.lookup import found, user_with

bp = Blueprint("drafting", __name__)

EXCERPT_LENGTH = 120
# A version of more clauses than this sends its unchanged runs' fields and its clause
# table only when asked for (?open=N, ?clauses=show): a law's preview stays light.
ON_DEMAND_OVER = 200


@dataclass(frozen=True)
class ClauseRow:
    """One clause as the preview table shows it."""

    key: str
    number: str
    kind: str
    heading: str
    excerpt: str
    depth: int


def clause_rows(clauses: Sequence[ClauseText]) -> list[ClauseRow]:
    """Return the clauses in document order, with their depth and the start of their text."""
    depth: dict[str, int] = {}
    rows = []
    for clause in clauses:
        level = depth.get(clause.parent_key, -1) + 1 if clause.parent_key else 0
        depth[clause.key] = level
        text = excerpt(clause.text, EXCERPT_LENGTH)
        rows.append(ClauseRow(clause.key, clause.number, clause.kind, clause.heading, text, level))
    return rows


# The document facts a draft's front matter may set, in the order the preview lists them.
_FACT_LABELS = {
    "symbol": _l("Document symbol"),
    "publisher": _l("Publisher"),
    "language": _l("Language of the text"),
}


def fact_rows(facts: Mapping[str, str]) -> list[tuple[str, str]]:
    """Return the symbol, publisher and language a draft sets, as (label, value) rows.

    A language shows its name too where Babel knows the tag: "English (en)".
    """
    return [
        (str(label), _language_name(facts[name]) if name == "language" else facts[name])
        for name, label in _FACT_LABELS.items()
        if facts.get(name)
    ]


def _language_name(tag: str) -> str:
    try:
        name = Locale.parse(tag, sep="-").get_display_name(get_locale() or "en")
    except (UnknownLocaleError, ValueError):
        return tag
    return f"{name} ({tag})" if name else tag


def _describe(err: ServiceError) -> str:
    if err.line:
        return str(_("Line %(line)s: %(message)s", line=err.line, message=err.message))
    return err.message


def _imported(version: Version) -> ResponseReturnValue:
    flash(
        _(
            "Version %(number)s was imported as a draft. Check how it was split into "
            "clauses, then publish or discard it.",
            number=version.number,
        ),
        "success",
    )
    return redirect(url_for("drafting.preview", slug=version.document.slug, number=version.number))


@bp.route("/documents/new", methods=["GET", "POST"])
def new_document() -> ResponseReturnValue:
    """Start a new document from a draft; show the form again with its problems."""
    user = user_with(can_draft)
    form = NewDocumentForm()
    if form.validate_on_submit():
        data, filename = form.draft()
        try:
            result = draft_uploads.start_document(
                data,
                slug=form.slug.data,
                filename=filename,
                title=form.title.data,
                label=form.label.data,
                language=form.chosen_language(),
                actor=user,
            )
        except draft_uploads.DocumentExists as err:
            form.slug.errors.append(
                Markup(
                    _(
                        "There is already a document called “%(slug)s”: "
                        '<a href="%(url)s">upload a new version of it</a> instead.',
                        slug=Markup.escape(err.slug),
                        url=url_for("drafting.upload", slug=err.slug),
                    )
                )
            )
        except drafts.TitleMissing:
            form.title.errors.append(
                _(
                    "The draft has no title: type one here, or start the draft with "
                    "a “# Title” heading."
                )
            )
        except ServiceError as err:
            form.draft_field().errors.append(_describe(err))
        else:
            return _imported(result.version)
    return render_template("drafting/upload.html", form=form, document=None)


@bp.route("/documents/<slug>/upload", methods=["GET", "POST"])
def upload(slug: str) -> ResponseReturnValue:
    """Add the next version of an existing document; show the form again with its problems."""
    user = user_with(can_draft)
    try:
        document: Document = drafts.get_document(slug)
    except NotFound:
        abort(404)
    form = DraftForm()
    if form.validate_on_submit():
        data, filename = form.draft()
        try:
            result = draft_uploads.add_version(
                document,
                data,
                filename=filename,
                title=form.title.data,
                label=form.label.data,
                language=form.chosen_language(),
                actor=user,
            )
        except ServiceError as err:
            form.draft_field().errors.append(_describe(err))
        else:
            return _imported(result.version)
    return render_template("drafting/upload.html", form=form, document=document)


@bp.post("/documents/<slug>/v<int:number>/language")
def set_language(slug: str, number: int) -> ResponseReturnValue:
    """Confirm or correct the language a draft version is written in."""
    user = user_with(can_draft)
    version = found(drafts.get_version, slug, number)
    form = _language_form(version, formdata=True)
    preview = url_for("drafting.preview", slug=slug, number=number)
    back = redirect(preview + "#language")
    # A refusal is said at the top of the page, where its message is seen.
    if not form.validate_on_submit():
        errors = form.other_language.errors or [_("Choose one of the languages of the platform.")]
        flash(str(errors[0]), "error")
        return redirect(preview)
    try:
        version_language.set_language(version, form.chosen_language() or "", user)
    except ServiceError as err:
        flash(err.message, "error")
        return redirect(preview)
    flash(
        _(
            "Version %(number)s is in %(language)s.",
            number=number,
            language=language_in_sentence(version.text_language),
        ),
        "success",
    )
    return back


def _language_form(version: Version, formdata: bool = False) -> LanguageForm:
    """The language form, offering the version's own language too when it is not one of the
    six (a German law's "de", set by its front matter)."""
    form = LanguageForm() if formdata else LanguageForm(formdata=None)
    own = version.text_language
    if own not in LANGUAGES:
        form.language.choices = [
            SelectChoice(own, _language_name(own)),
            *(form.language.choices or []),
        ]
    if not formdata:
        form.language.data = own
    return form


def _render_preview(version: Version, error: MatchInputError | None = None) -> ResponseReturnValue:
    preview = version_preview(version)
    view = shown = None
    if preview.previous_number is not None:
        view = match_view(
            preview,
            submitted=error.submitted if error else None,
            errors=error.errors if error else None,
            form_error=error.message if error else None,
        )
        # The page the drafter was on; a refused correction's page when there is one.
        where = request.form if error is not None else request.args
        shown = match_page(
            view,
            where.get("page", default=1, type=int) or 1,
            where.get("show") or None,
            showing=next(iter(error.errors), None) if error else None,
        )
    on_demand = len(preview.clauses) > ON_DEMAND_OVER
    opened = request.args.get("open", type=int) if error is None else None
    page = render_template(
        "drafting/preview.html",
        version=version,
        warnings=preview.warnings,
        facts=fact_rows(preview.facts),
        clause_count=len(preview.clauses),
        rows=clause_rows(preview.clauses)
        if not on_demand or request.args.get("clauses") == "show"
        else None,
        matching=view,
        shown=shown,
        match_form=MatchForm(),
        language_form=_language_form(version),
        on_demand=on_demand,
        opened=opened,
    )
    return page, 400 if error else 200


@bp.get("/documents/<slug>/v<int:number>/preview")
def preview(slug: str, number: int) -> ResponseReturnValue:
    """Show a summary of a version (clauses, warnings, matching with the previous published
    version), the pairings that need a decision with their diffs, and publish/discard."""
    user_with(can_draft)
    return _render_preview(found(drafts.get_version, slug, number))


@bp.post("/documents/<slug>/v<int:number>/match")
def match(slug: str, number: int) -> ResponseReturnValue:
    """Apply the drafter's corrections to the matching of a draft version, then show it."""
    user = user_with(can_draft)
    version = found(drafts.get_version, slug, number)
    back = redirect(
        url_for(
            "drafting.preview",
            slug=slug,
            number=number,
            page=request.form.get("page", type=int),
            show=request.form.get("show") or None,
        )
        + "#matching"
    )
    previous = None if version.is_published else carry.previous_published(version)
    if version.is_published or previous is None:
        flash(
            _(
                "Version %(number)s is published: its matching can no longer be changed.",
                number=number,
            )
            if version.is_published
            else _(
                "Version %(number)s follows no published version: there is nothing to match.",
                number=number,
            ),
            "error",
        )
        return back
    if not MatchForm().validate_on_submit():
        abort(400)
    preview = version_preview(version)
    try:
        corrections = read_corrections(request.form, preview, [c.key for c in preview.clauses])
        result = carry.rematch_version(version, corrections, user)
    except MatchInputError as err:
        return _render_preview(version, err)
    except ServiceError as err:
        return _render_preview(version, MatchInputError(message=err.message))
    if not result.renamed:
        flash(_("The matching was not changed."), "info")
    else:
        flash(
            ngettext(
                "The matching was corrected: %(num)s clause now carries another key.",
                "The matching was corrected: %(num)s clauses now carry another key.",
                len(result.renamed),
            ),
            "success",
        )
    return back


def _already_published(slug: str, number: int) -> ResponseReturnValue:
    flash(
        _(
            "Version %(number)s is already published: nothing was changed.",
            number=number,
        ),
        "error",
    )
    return redirect(url_for("drafting.preview", slug=slug, number=number))


def _confirm_page(version: Version, form: PublishForm, error: str | None = None) -> str:
    return render_template(
        "drafting/publish.html",
        version=version,
        facts=publish_facts(version_preview(version)),
        form=form,
        error=error,
    )


@bp.get("/documents/<slug>/v<int:number>/publish")
def confirm_publish(slug: str, number: int) -> ResponseReturnValue:
    """Say what publishing a draft version will do, and ask the drafter to confirm it."""
    user_with(can_draft)
    version = found(drafts.get_version, slug, number)
    if version.is_published:
        return _already_published(slug, number)
    return _confirm_page(version, PublishForm())


@bp.post("/documents/<slug>/v<int:number>/publish")
def publish(slug: str, number: int) -> ResponseReturnValue:
    """Publish a draft version once confirmed; a published one stays exactly as it is."""
    user = user_with(can_draft)
    version = found(drafts.get_version, slug, number)
    if version.is_published:
        return _already_published(slug, number)
    form = PublishForm()
    if not form.validate_on_submit() or form.confirm.data != "yes":
        message = _(
            "Version %(number)s was not published: confirm it with the button below.",
            number=number,
        )
        return _confirm_page(version, PublishForm(formdata=None), message), 400
    try:
        drafts.publish_version(version, user)
    except Refused:
        return _already_published(slug, number)
    flash(
        _(
            "Version %(number)s is published. It can no longer be changed.",
            number=number,
        ),
        "success",
    )
    return redirect(url_for("reading.version", slug=slug, number=number))


@bp.post("/documents/<slug>/v<int:number>/discard")
def discard(slug: str, number: int) -> ResponseReturnValue:
    """Delete a draft version; a published version is refused and kept."""
    user = user_with(can_draft)
    version = found(drafts.get_version, slug, number)
    was_last = all(other.id == version.id for other in version.document.versions)
    try:
        drafts.discard_version(version, user)
    except Refused:
        flash(
            _(
                "Version %(number)s is published: it can never be changed or deleted. "
                "Nothing was discarded.",
                number=number,
            ),
            "error",
        )
        return redirect(url_for("drafting.preview", slug=slug, number=number))
    if not was_last:
        flash(_("Draft version %(number)s was discarded.", number=number), "success")
    else:
        flash(
            _(
                "Draft version %(number)s was discarded. The document has no versions now: "
                "it stays in the list so that you can upload a new version.",
                number=number,
            ),
            "success",
        )
    return redirect(url_for("reading.document", slug=slug))
