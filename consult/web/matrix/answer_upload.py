"""Answers filled in offline: upload the matrix as XLSX, check the preview, confirm.

The file waits in the database under a random token between the preview and
the confirmation (nothing is kept in a worker's memory). The preview lists the
answers that would change, the rows that conflict with answers changed on the
platform since the download, and the rows in error; confirming saves the
changes in one transaction.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import FileStorage

from consult.permissions import can_manage_rounds
from consult.services.comment_import.files import FileRefused, size_text
from consult.services.errors import NotFound
from consult.services.matrix import answer_file, answer_upload
from consult.services.matrix.scope import find_document
from consult.web.clean_form import CleanForm
from consult.web.lookup import found, user_with
from consult.web.matrix.blueprint import bp
from consult.web.matrix.uploads import allow_upload

allow_upload(
    "matrix.upload_answers",
    answer_file.max_bytes,
    lambda limit: _(
        "The file is larger than %(limit)s, the most a matrix of answers may be. Nothing was read.",
        limit=limit,
    ),
)


class AnswersFileForm(CleanForm):
    """The matrix file, filled in."""

    answers_file = FileField(
        _l("Matrix file with your answers (.xlsx)"),
        validators=[FileRequired(_l("Choose the matrix file to upload (.xlsx)."))],
    )


class StepForm(CleanForm):
    """A confirmation or a discard: the CSRF token only."""


def _render_upload(slug: str, form: AnswersFileForm, status: int = 200) -> ResponseReturnValue:
    document = found(find_document, slug)
    return render_template(
        "matrix/answers_upload.html",
        document=document,
        form=form,
        limit=size_text(answer_file.max_bytes()),
    ), status


def _gone(err: NotFound) -> ResponseReturnValue:
    return render_template("errors/error.html", title=_("Not found"), message=err.message), 404


def _unreadable(err: FileRefused) -> ResponseReturnValue:
    return render_template(
        "errors/error.html", title=_("The file cannot be read"), message=err.message
    ), 400


@bp.route("/documents/<slug>/matrix/answers-upload", methods=["GET", "POST"])
def upload_answers(slug: str) -> ResponseReturnValue:
    """Upload the matrix filled in offline; go on to its preview."""
    user = user_with(can_manage_rounds)
    form = AnswersFileForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _render_upload(slug, form, 200 if request.method == "GET" else 400)
    upload: FileStorage = form.answers_file.data
    try:
        token = answer_upload.start_upload(slug, upload.filename or "", upload.read(), user)
    except NotFound:
        abort(404)
    except FileRefused as err:
        form.answers_file.errors.append(err.message)
        return _render_upload(slug, form, 400)
    return redirect(url_for("matrix.answers_preview", slug=slug, token=token))


@bp.get("/documents/<slug>/matrix/answers-upload/<token>")
def answers_preview(slug: str, token: str) -> ResponseReturnValue:
    """What confirming the uploaded file would change."""
    user = user_with(can_manage_rounds)
    try:
        preview = answer_upload.preview_upload(slug, token, user)
    except NotFound as err:
        return _gone(err)
    except FileRefused as err:
        return _unreadable(err)
    return render_template("matrix/answers_preview.html", preview=preview, form=StepForm())


@bp.post("/documents/<slug>/matrix/answers-upload/<token>/confirm")
def confirm_answers(slug: str, token: str) -> ResponseReturnValue:
    """Save every change of the uploaded file at once; show what was saved."""
    user = user_with(can_manage_rounds)
    if not StepForm().validate_on_submit():
        abort(400)
    try:
        result = answer_upload.confirm_upload(slug, token, user)
    except NotFound as err:
        return _gone(err)
    except FileRefused as err:
        return _unreadable(err)
    return render_template("matrix/answers_result.html", result=result)


@bp.post("/documents/<slug>/matrix/answers-upload/<token>/discard")
def discard_answers(slug: str, token: str) -> ResponseReturnValue:
    """Forget the uploaded file without saving anything."""
    user = user_with(can_manage_rounds)
    if not StepForm().validate_on_submit():
        abort(400)
    try:
        answer_upload.discard_upload(slug, token, user)
    except NotFound as err:
        return _gone(err)
    flash(_("The file was discarded: no answer was changed."), "success")
    return redirect(url_for("matrix.page", slug=slug))
