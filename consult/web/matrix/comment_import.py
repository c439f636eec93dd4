"""Comments that arrived by e-mail: upload the template, check the preview, confirm (secretariat).

The upload form takes the file, the organisation that sent it and the day
the e-mail arrived; the file then waits in the database under a random
token. The preview is one form: a clause select per row, posted back to
update the preview or to confirm (two buttons, no JavaScript). Nothing is
kept in a worker's memory between the steps.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import FileStorage
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, ValidationError

from consult import labels
from consult.models import Round
from consult.permissions import can_manage_rounds
from consult.services import comment_import
from consult.services.comment_import.files import size_text
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.rounds import get_round
from consult.web.bidi import isolate_text
from consult.web.clean_form import CleanForm
from consult.web.dates import within_calendar
from consult.web.lookup import found, user_with
from consult.web.matrix.blueprint import bp
from consult.web.matrix.uploads import allow_upload

allow_upload(
    "matrix.import_comments",
    comment_import.max_bytes,
    lambda limit: _(
        "The file is larger than %(limit)s, the most a commenting template may be. "
        "Nothing was imported.",
        limit=limit,
    ),
)


class ImportForm(CleanForm):
    """The file, the organisation that sent it, and the day its e-mail arrived."""

    organisation = SelectField(
        _l("Organisation that sent the comments"),
        coerce=int,
        validators=[InputRequired(_l("Choose the organisation that sent the comments."))],
    )
    emailed_on = DateField(
        _l("Day the e-mail arrived"),
        validators=[InputRequired(_l("Enter the day the e-mail arrived.")), within_calendar],
    )
    comments_file = FileField(
        _l("Filled-in commenting template"),
        validators=[FileRequired(_l("Choose the file to import: a .docx or .xlsx template."))],
    )

    def offer(self, round_: Round) -> None:
        """Offer the organisations taking part in the round."""
        self.organisation.choices = [
            (organisation.id, f"{isolate_text(organisation.name)} ({organisation.code})")
            for organisation in comment_import.participating_organisations(round_)
        ]
        self.organisation.choices.insert(0, (0, _("Choose an organisation")))

    def validate_organisation(self, field: SelectField) -> None:
        """Refuse the placeholder."""
        if not field.data:
            raise ValidationError(_("Choose the organisation that sent the comments."))


class StepForm(CleanForm):
    """A preview, a confirmation or a discard: the CSRF token, and clause choices read apart."""


def _render_upload(round_: Round, form: ImportForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "matrix/import_upload.html",
        round=round_,
        form=form,
        limit=size_text(comment_import.max_bytes()),
    ), status


@bp.route("/rounds/<int:round_id>/import-comments", methods=["GET", "POST"])
def import_comments(round_id: int) -> ResponseReturnValue:
    """Upload a commenting template that arrived by e-mail; go on to its preview."""
    user = user_with(can_manage_rounds)
    round_ = found(get_round, round_id)
    form = ImportForm()
    form.offer(round_)
    if request.method == "GET":
        form.emailed_on.data = comment_import.today_in(round_)
        return _render_upload(round_, form)
    if not form.validate_on_submit():
        return _render_upload(round_, form, 400)
    upload: FileStorage = form.comments_file.data
    try:
        token = comment_import.start_import(
            round_.id,
            form.organisation.data,
            form.emailed_on.data,
            upload.filename or "",
            upload.read(),
            user,
        )
    except NotFound:
        abort(404)
    except comment_import.FileRefused as err:
        form.comments_file.errors.append(err.message)
        return _render_upload(round_, form, 400)
    except Refused as err:
        form.form_errors.append(err.message)
        return _render_upload(round_, form, 409)
    except ServiceError as err:
        form.emailed_on.errors.append(err.message)
        return _render_upload(round_, form, 400)
    return redirect(url_for("matrix.import_preview", token=token))


def _render_preview(
    preview: comment_import.ImportPreview, message: str | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "matrix/import_preview.html",
        preview=preview,
        form=StepForm(),
        message=message,
        statuses=labels.IMPORT_ROW_STATUSES,
        outcomes=labels.IMPORT_MATCHES,
        document_choice=comment_import.DOCUMENT_CHOICE,
    ), status


def _gone(err: NotFound) -> ResponseReturnValue:
    return render_template("errors/error.html", title=_("Not found"), message=err.message), 404


@bp.route("/comment-imports/<token>", methods=["GET", "POST"])
def import_preview(token: str) -> ResponseReturnValue:
    """The preview of an uploaded template; a POST applies the clauses chosen in it."""
    user_with(can_manage_rounds)
    corrections = comment_import.read_corrections(request.form) if request.method == "POST" else {}
    if request.method == "POST" and not StepForm().validate_on_submit():
        abort(400)
    try:
        preview = comment_import.preview_import(token, corrections)
    except NotFound as err:
        return _gone(err)
    except comment_import.FileRefused as err:
        return render_template(
            "errors/error.html", title=_("The file cannot be imported"), message=err.message
        ), 400
    return _render_preview(preview)


@bp.post("/comment-imports/<token>/confirm")
def import_confirm(token: str) -> ResponseReturnValue:
    """Import every valid row, with the clauses chosen in the preview; show the receipts."""
    user = user_with(can_manage_rounds)
    if not StepForm().validate_on_submit():
        abort(400)
    corrections = comment_import.read_corrections(request.form)
    try:
        result = comment_import.confirm_import(token, corrections, user)
    except NotFound as err:
        return _gone(err)
    except comment_import.FileRefused as err:
        return render_template(
            "errors/error.html", title=_("The file cannot be imported"), message=err.message
        ), 400
    except ServiceError as err:
        try:
            preview = comment_import.preview_import(token, corrections)
        except (NotFound, ServiceError):
            return render_template(
                "errors/error.html", title=_("Nothing was imported"), message=err.message
            ), 409
        return _render_preview(preview, err.message, 409)
    return render_template(
        "matrix/import_result.html", result=result, statuses=labels.IMPORT_ROW_STATUSES
    )


@bp.post("/comment-imports/<token>/discard")
def import_discard(token: str) -> ResponseReturnValue:
    """Forget an uploaded template without importing anything."""
    user = user_with(can_manage_rounds)
    if not StepForm().validate_on_submit():
        abort(400)
    try:
        round_id = comment_import.discard_import(token, user)
    except NotFound as err:
        return _gone(err)
    flash(_("The file was discarded: nothing was imported."), "success")
    return redirect(url_for("rounds.show", round_id=round_id))
