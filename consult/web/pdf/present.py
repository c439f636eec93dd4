"""PDF jobs as the pages show them: what was asked for, in words, and how far it has got."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from consult.models import ExportJob, User
from consult.moments import Moment
from consult.services import export_choices
from consult.services.comment_import.files import size_text
from consult.services.consolidated import PdfRequest
from consult.web.bidi import isolate, sentence


@dataclass(frozen=True)
class Step:
    """One step of the making of a PDF, and whether it is done, under way or to come."""

    label: str
    state: str  # "done", "current", "todo" or "failed"


@dataclass(frozen=True)
class JobView:
    """A PDF job ready to show."""

    id: int
    slug: str
    number: int
    title: str
    description: Markup  # what the PDF holds, typed titles isolated (describe)
    state: str
    state_text: str
    steps: list[Step]
    error: str
    created: Moment
    file_name: str
    size_text: str
    pages: int

    @property
    def finished(self) -> bool:
        """True once the job is done or has failed: nothing more will happen without a retry."""
        return self.state in ("done", "failed")


def describe(request: PdfRequest, round_title: str = "") -> Markup:
    """Return what a PDF holds, in words: "Version 2 with its changes against version 1".

    Markup: the round's title, typed by the secretariat, is isolated (<bdi>).
    """
    version = _("Version %(number)s", number=request.number)
    if request.variant == "changes" and request.against is not None:
        text = _(
            "%(version)s with its changes against version %(against)s",
            version=version,
            against=request.against,
        )
    elif request.variant == "comments" and round_title:
        text = sentence(
            _("%(version)s with the comments of “%(round)s”"),
            version=version,
            round=isolate(round_title),
        )
    elif request.variant == "comments":
        text = _("%(version)s with the comments of a round", version=version)
    else:
        text = _("%(version)s, the text alone", version=version)
    if request.matrix_annex:
        text = sentence(_("%(what)s, and the comment matrix as an annex"), what=escape(text))
    return escape(text)


_STEPS = ("queued", "layout", "writing", "done")


def _step_labels() -> dict[str, str]:
    return {
        "queued": str(_("Waiting to start")),
        "layout": str(_("Laying out the pages")),
        "writing": str(_("Writing the PDF")),
        "done": str(_("Ready")),
    }


def _reached(job: ExportJob) -> int:
    """Return the index in _STEPS of the step the job is in (or failed in)."""
    if job.state == "done":
        return len(_STEPS) - 1
    if job.state == "queued":
        return 0
    return 2 if job.step == "writing" else 1


def _state_text(job: ExportJob) -> str:
    if job.state == "failed":
        return str(_("Failed"))
    return _step_labels()[_STEPS[_reached(job)]]


def _steps(job: ExportJob) -> list[Step]:
    labels = _step_labels()
    reached = _reached(job)
    steps = []
    for index, name in enumerate(_STEPS):
        if index < reached or (job.state == "done" and index == reached):
            state = "done"
        elif index == reached:
            state = "failed" if job.state == "failed" else "current"
        else:
            state = "todo"
        steps.append(Step(labels[name], state))
    return steps


def job_view(job: ExportJob) -> JobView:
    """Return `job` ready to show."""
    request = PdfRequest.from_params(job.params)
    stored = job.export
    return JobView(
        id=job.id,
        slug=request.slug,
        number=request.number,
        title=str(job.params.get("title", "")) or request.slug,
        description=describe(request, str(job.params.get("round_title") or "")),
        state=job.state,
        state_text=_state_text(job),
        steps=_steps(job),
        error=job.error,
        created=Moment(job.created_at),
        file_name=job.file_name,
        size_text=size_text(stored.size) if stored is not None else "",
        pages=stored.pages if stored is not None else 0,
    )


def recent_jobs(user: User, slug: str, number: int) -> list[JobView]:
    """Return `user`'s latest PDF jobs for the version, ready to show."""
    return [job_view(j) for j in export_choices.recent_pdf_jobs(user, slug, number)]
