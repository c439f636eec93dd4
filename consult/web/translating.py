"""A published version's text in other languages: adding, pairing, publishing (drafters).

The drafter uploads the translated file; it is parsed and each of its
clauses tied to the original clause it renders. The preview lists every
tie, asks for a decision where one is doubtful (no tie, or a number that
differs from the original's), and lets the drafter change any of them. Once
published, readers can read the version in that language. Every write goes
through consult.services.translations.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField
from wtforms.validators import DataRequired

from consult.domain.parsing.numerals import ascii_digits
from consult.languages import LANGUAGES, language_in_sentence
from consult.models import Clause, Translation, User, Version
from consult.permissions import can_draft
from consult.plurals import ngettext
from consult.services import drafts, translations
from consult.services.errors import NotFound, Refused, ServiceError
from consult.web.clean_form import CleanForm
from consult.web.drafting_forms import DraftForm
from consult.web.drafting_match import excerpt
from consult.web.lookup import found, user_with

bp = Blueprint("translating", __name__)

EXCERPT = 90


class TranslationForm(DraftForm):
    """The translated text (a file or pasted text) and the language it is written in."""

    language = SelectField(
        _l("Language of the text"),
        validators=[DataRequired(_l("Choose the language the text is written in."))],
    )


class ActionForm(CleanForm):
    """A button that changes a translation (pairing, publish, discard): its CSRF token only."""


@dataclass(frozen=True)
class Row:
    """One translated clause on the preview: what it says and what it is tied to."""

    position: int
    depth: int
    number: str
    words: str
    tied_to: str | None
    tied_label: str
    doubtful: bool


def _published_version(slug: str, number: int) -> Version:
    version = found(drafts.get_version, slug, number)
    if not version.is_published:
        abort(404)  # only a published version takes translations
    return version


def _translation(version: Version, language: str) -> Translation:
    try:
        return translations.get_translation(version, language)
    except NotFound:
        abort(404)


def _describe(err: ServiceError) -> str:
    if err.line:
        return str(_("Line %(line)s: %(message)s", line=err.line, message=err.message))
    return err.message


@bp.route("/documents/<slug>/v<int:number>/translations/new", methods=["GET", "POST"])
def new(slug: str, number: int) -> ResponseReturnValue:
    """Upload the version's text in another language; show the form again with its problems."""
    user = user_with(can_draft)
    version = _published_version(slug, number)
    form = TranslationForm()
    own = version.text_language
    form.language.choices = [SelectChoice("", _("Choose a language"))] + [
        SelectChoice(code, language.name) for code, language in LANGUAGES.items() if code != own
    ]
    if form.validate_on_submit():
        data, filename = form.draft()
        try:
            translation, warnings = translations.add_translation(
                version, data, language=form.language.data or "", filename=filename, actor=user
            )
        except ServiceError as err:
            form.draft_field().errors.append(_describe(err))
        else:
            flash(
                _(
                    "The %(language)s text was imported as a draft. Check how its clauses "
                    "are tied to the original's, then publish it.",
                    language=language_in_sentence(translation.language),
                ),
                "success",
            )
            for warning in translations.stored_warnings(warnings):
                flash(warning, "info")
            return redirect(_preview_address(version, translation.language))
    return render_template(
        "translating/new.html",
        version=version,
        form=form,
        own_language=language_in_sentence(own),
        existing=translations.translations_of(version),
    )


def _preview_address(version: Version, language: str) -> str:
    return url_for(
        "translating.preview", slug=version.document.slug, number=version.number, language=language
    )


def _original_label(clause: Clause) -> str:
    words = clause.heading or clause.text
    return " ".join(part for part in (clause.number, excerpt(words, 60)) if part)


def _digits(number: str) -> str:
    return "".join(ch for ch in ascii_digits(number) if ch.isdigit())


def _rows(translation: Translation, originals: dict[str, Clause]) -> tuple[list[Row], list[Clause]]:
    rows = []
    for clause in translation.clauses:
        original = originals.get(clause.original_key or "")
        doubtful = original is None or _digits(original.number) != _digits(clause.number)
        rows.append(
            Row(
                position=clause.position,
                depth=clause.depth,
                number=clause.number,
                words=excerpt(clause.heading or clause.text, EXCERPT),
                tied_to=clause.original_key,
                tied_label=_original_label(original) if original is not None else "",
                doubtful=doubtful,
            )
        )
    rendered = {c.original_key for c in translation.clauses}
    untranslated = [c for c in originals.values() if c.key not in rendered]
    return rows, untranslated


def _render_preview(
    version: Version, translation: Translation, error: str | None = None
) -> ResponseReturnValue:
    originals = {c.key: c for c in version.clauses}
    rows, untranslated = _rows(translation, originals)
    changing = request.args.get("change", type=int)
    return render_template(
        "translating/preview.html",
        version=version,
        translation=translation,
        language=language_in_sentence(translation.language),
        rows=rows,
        untranslated=untranslated,
        doubtful=sum(1 for row in rows if row.doubtful),
        unpaired=sum(1 for row in rows if row.tied_to is None),
        options=[(key, _original_label(c)) for key, c in originals.items()],
        changing=changing,
        form=ActionForm(),
        error=error,
    ), (400 if error else 200)


@bp.get("/documents/<slug>/v<int:number>/translations/<language>")
def preview(slug: str, number: int, language: str) -> ResponseReturnValue:
    """Show a translation's clauses with the original clause each is tied to."""
    user_with(can_draft)
    version = _published_version(slug, number)
    return _render_preview(version, _translation(version, language))


def _posted_to(slug: str, number: int, language: str) -> tuple[User, Version, Translation]:
    """The drafter, the version and its text a POST acts on; 404 or 400 (a forged form)."""
    user = user_with(can_draft)
    version = _published_version(slug, number)
    translation = _translation(version, language)
    if not ActionForm().validate_on_submit():
        abort(400)
    return user, version, translation


@bp.post("/documents/<slug>/v<int:number>/translations/<language>/pairing")
def pairing(slug: str, number: int, language: str) -> ResponseReturnValue:
    """Tie translated clauses to the original clauses the drafter chose."""
    user, version, translation = _posted_to(slug, number, language)
    positions = {c.position for c in translation.clauses}
    ties: dict[int, str | None] = {}
    for name, value in request.form.items():
        if not name.startswith("tie-"):
            continue
        try:
            position = int(name[4:])
        except ValueError:
            abort(400)
        if position not in positions:
            abort(400)
        ties[position] = value or None
    try:
        changed = translations.repair(translation, ties, user)
    except Refused as err:
        flash(err.message, "error")
        return redirect(_preview_address(version, language))
    except ServiceError as err:
        return _render_preview(version, translation, err.message)
    if changed:
        flash(
            ngettext(
                "%(num)s tie was changed.",
                "%(num)s ties were changed.",
                changed,
            ),
            "success",
        )
    else:
        flash(_("No tie was changed."), "info")
    return redirect(_preview_address(version, language) + "#pairing")


@bp.post("/documents/<slug>/v<int:number>/translations/<language>/publish")
def publish(slug: str, number: int, language: str) -> ResponseReturnValue:
    """Publish a draft translation whose every clause is tied."""
    user, version, translation = _posted_to(slug, number, language)
    try:
        translations.publish_translation(translation, user)
    except Refused as err:
        flash(err.message, "error")
        return redirect(_preview_address(version, language))
    except ServiceError as err:
        return _render_preview(version, translation, err.message)
    flash(
        _(
            "The %(language)s text of version %(number)s is published. Readers can now "
            "choose it; it can no longer be changed.",
            language=language_in_sentence(language),
            number=number,
        ),
        "success",
    )
    return redirect(url_for("reading.version", slug=slug, number=number, text=language))


@bp.post("/documents/<slug>/v<int:number>/translations/<language>/discard")
def discard(slug: str, number: int, language: str) -> ResponseReturnValue:
    """Delete a draft translation; a published one is refused and kept."""
    user, version, translation = _posted_to(slug, number, language)
    try:
        translations.discard_translation(translation, user)
    except Refused as err:
        flash(err.message, "error")
        return redirect(_preview_address(version, language))
    flash(
        _("The draft %(language)s text was discarded.", language=language_in_sentence(language)),
        "success",
    )
    return redirect(url_for("translating.new", slug=slug, number=number))
