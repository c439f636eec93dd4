"""The PDF pages: ask for a PDF of a version, watch its job, download it, try again.

A PDF is never made inside a web request: asking for one starts a job
(consult.services.jobs) and sends the person to its progress page, which
refreshes itself (an HTTP Refresh header, no JavaScript) until the PDF is
ready or has failed. A PDF already made from the same content is served again
at once. Every job belongs to the person who asked for it: nobody else can
see or download it, so a PDF made with one person's view of the comments
never reaches another.
"""

from __future__ import annotations

import io
from datetime import datetime

from flask import redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from consult.languages import LANGUAGES, reader_language
from consult.models import ExportJob as Job
from consult.models import User
from consult.services import consolidated, export_choices, jobs
from consult.services.consolidated import PdfRequest
from consult.services.errors import ServiceError
from consult.services.export_choices import PdfChoices
from consult.services.transactions import now
from consult.web.lookup import acting_user, found
from consult.web.pdf import present
from consult.web.pdf.blueprint import bp
from consult.web.pdf.forms import PdfForm, StepForm

PDF = "application/pdf"

#: Seconds between two refreshes of the progress page.
REFRESH_SECONDS = 3


@bp.route("/documents/<slug>/v<int:number>/pdf", methods=["GET", "POST"])
def version(slug: str, number: int) -> ResponseReturnValue:
    """Show the PDF export form of a version; start the PDF asked for."""
    user = acting_user()
    choices = found(export_choices.pdf_choices, user, slug, number)
    form = PdfForm()
    form.offer(choices)
    if request.method == "GET":
        form.prefill(request.args, reader_language())
    problem = None
    if request.method == "POST" and form.validate_on_submit():
        wanted = PdfRequest(
            slug=slug,
            number=number,
            variant=form.variant.data,
            against=form.against.data if form.variant.data == "changes" else None,
            round_id=form.round.data
            if form.variant.data == "comments" or form.matrix_annex.data
            else None,
            matrix_annex=bool(form.matrix_annex.data),
            language=form.language.data or "",
        )
        moment = now()
        try:
            checked = found(consolidated.check_request, user, wanted, moment)
            job = _request_job(user, choices, checked, moment)
        except ServiceError as err:
            problem = err.message
        else:
            if job.state == "done":
                return redirect(url_for("pdf.download", job_id=job.id), 303)
            return redirect(url_for("pdf.job", job_id=job.id), 303)
    status = 400 if request.method == "POST" else 200
    return _form_page(user, slug, number, choices, form, problem, status)


def _request_job(user: User, choices: PdfChoices, checked: PdfRequest, moment: datetime) -> Job:
    """Start (or find) the job making the PDF `checked` names.

    A PDF is circulated in one language: its own words (cover, contents,
    labels) are in the language of its text where the platform speaks it,
    else in the reader's. The job is made, and its key computed, in that language.
    """
    text = checked.language or (choices.languages[0] if choices.languages else "")
    words = text if text in LANGUAGES else str(get_locale() or "en")
    with force_locale(words):
        return jobs.request_export(
            "pdf",
            {
                "viewer_id": user.id,
                "requested_at": moment.isoformat(),
                "title": choices.title,
                "round_title": next(
                    (r.title for r in choices.rounds if r.id == checked.round_id), ""
                ),
                **checked.as_params(),
            },
            consolidated.pdf_key(user, checked, moment),
            consolidated.file_name(checked),
            PDF,
            user,
        )


def _form_page(
    user: User,
    slug: str,
    number: int,
    choices: PdfChoices,
    form: PdfForm,
    problem: str | None,
    status: int,
) -> ResponseReturnValue:
    return render_template(
        "pdf_exports/version.html",
        choices=choices,
        form=form,
        problem=problem,
        recent=present.recent_jobs(user, slug, number),
    ), status


@bp.get("/exports/<int:job_id>")
def job(job_id: int) -> ResponseReturnValue:
    """Show how a PDF job is getting on; refresh until it is done or has failed."""
    user = acting_user()
    shown = present.job_view(found(jobs.job_for, user, job_id))
    auto = request.args.get("refresh") != "off"
    response = render_template(
        "pdf_exports/job.html",
        job=shown,
        auto=auto and not shown.finished,
        seconds=REFRESH_SECONDS,
        form=StepForm(),
    )
    headers = {"Cache-Control": "no-store"}
    if auto and not shown.finished:
        headers["Refresh"] = str(REFRESH_SECONDS)
    return response, 200, headers


@bp.post("/exports/<int:job_id>/retry")
def retry(job_id: int) -> ResponseReturnValue:
    """Start a failed job again."""
    user = acting_user()
    form = StepForm()
    if not form.validate_on_submit():
        return redirect(url_for("pdf.job", job_id=job_id), 303)
    try:
        again = found(jobs.retry, user, job_id)
    except ServiceError as err:
        return render_template(
            "errors/error.html", title=_("The PDF cannot be made again"), message=err.message
        ), 409
    return redirect(url_for("pdf.job", job_id=again.id), 303)


@bp.get("/exports/<int:job_id>/file")
def download(job_id: int) -> ResponseReturnValue:
    """Send the finished PDF of a job."""
    user = acting_user()
    done = found(jobs.job_for, user, job_id)
    if done.state != "done":
        return redirect(url_for("pdf.job", job_id=job_id), 303)
    stored = found(jobs.stored_file, done)
    response = send_file(
        io.BytesIO(stored.data),
        mimetype=stored.media_type,
        as_attachment=True,
        download_name=stored.file_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
