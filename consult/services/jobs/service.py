"""Asking for an export file, following its job, trying again, and taking the file.

These are the functions the web pages and the command line call; the work
itself runs elsewhere (consult.services.jobs.runner). A job belongs to the
person who asked for it (None: the command line); only they can follow it.

Job times are the real clock (`utcnow`), not the app's CLOCK setting: they
are compared across processes and hosts, which share no test clock.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from redis.exceptions import RedisError
from sqlalchemy import Select, select

from consult.extensions import db
from consult.models import ExportJob, StoredExport, User
from consult.models.base import utcnow
from consult.models.exports import ACTIVE_STATES
from consult.services.errors import NotFound, Refused
from consult.services.jobs.launch import enqueue, runner_name, start_child
from consult.services.jobs.settings import host_name, kinds
from consult.services.jobs.staleness import is_stale, mark_if_stale
from consult.services.transactions import write_transaction

logger = logging.getLogger(__name__)


def _locale() -> str:
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def _stored(key: str) -> StoredExport | None:
    return db.session.scalar(select(StoredExport).where(StoredExport.key == key))


def _jobs_of(user_id: int | None, key: str) -> Select[ExportJob]:
    requester = (
        ExportJob.requested_by_id.is_(None)
        if user_id is None
        else ExportJob.requested_by_id == user_id
    )
    return select(ExportJob).where(requester, ExportJob.key == key).order_by(ExportJob.id.desc())


def _refresh(job: ExportJob) -> ExportJob:
    """Mark `job` failed if its runner has died; return it as stored now."""
    if is_stale(job, utcnow()) and mark_if_stale(job.id):
        db.session.refresh(job)
    return job


def _launch(job_id: int) -> None:
    """Start the queued job `job_id`; mark it failed if it cannot be started."""
    try:
        if runner_name() == "rq":
            enqueue(job_id)
            return
        pid = start_child(job_id)
    except (OSError, RedisError):
        logger.exception("export job %s could not be started", job_id)
        with write_transaction():
            job = db.session.get(ExportJob, job_id, with_for_update=True, populate_existing=True)
            if job is not None and job.state == "queued":
                job.state = "failed"
                job.error = _("The export could not be started. Try again in a moment.")
                job.finished_at = utcnow()
        return
    with write_transaction():
        job = db.session.get(ExportJob, job_id, with_for_update=True, populate_existing=True)
        # The child records itself when it starts; until then, this says where it runs.
        if job is not None and job.state in ACTIVE_STATES and job.pid is None:
            job.pid = pid
            job.host = host_name()


def request_export(
    kind: str,
    params: dict[str, Any],
    key: str,
    file_name: str,
    media_type: str,
    user: User | None,
) -> ExportJob:
    """Return the job making the file that `key` names, for `user` (None: the command line).

    When a file with `key` is stored already, the job is done at once (nothing
    is rendered again); when this person has a job with `key` queued or
    rendering, that job (a double click makes one file); otherwise a new job,
    queued and started: in a child process, or on RQ when REDIS_URL is set.
    The file is made in the current locale. ValueError for an unknown kind.
    """
    if kind not in kinds():
        raise ValueError(f"unknown export kind {kind!r}")
    user_id = user.id if user is not None else None
    active_jobs = _jobs_of(user_id, key).where(ExportJob.state.in_(ACTIVE_STATES))
    for job in list(db.session.scalars(active_jobs)):
        _refresh(job)
    with write_transaction():
        if user_id is not None:
            # Two requests of one person (a double click) take turns from here.
            db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
        stored = _stored(key)
        jobs = _jobs_of(user_id, key)
        if stored is not None:
            done = db.session.scalar(jobs.where(ExportJob.export_id == stored.id).limit(1))
            if done is not None:
                return done
            moment = utcnow()
            job = ExportJob(state="done", runner="stored", export=stored)
            job.started_at = job.finished_at = job.heartbeat_at = moment
        else:
            active = db.session.scalar(jobs.where(ExportJob.state.in_(ACTIVE_STATES)).limit(1))
            if active is not None:
                return active
            job = ExportJob(state="queued", runner=runner_name(), heartbeat_at=utcnow())
        job.kind = kind
        job.params = params
        job.key = key
        job.file_name = file_name
        job.media_type = media_type
        job.locale = _locale()
        job.requested_by_id = user_id
        db.session.add(job)
        db.session.flush()
    if job.state == "queued":
        _launch(job.id)
        db.session.refresh(job)
    return job


def job_for(user: User | None, job_id: int) -> ExportJob:
    """Return the job `job_id` of `user` (None: the command line's jobs), as it stands now.

    A queued or rendering job whose runner has died is first marked failed,
    with a message saying it can be tried again. NotFound for anyone else's
    job, so that job numbers reveal nothing.
    """
    job = db.session.get(ExportJob, job_id, populate_existing=True)
    owner = user.id if user is not None else None
    if job is None or job.requested_by_id != owner:
        raise NotFound(_("There is no such export."))
    return _refresh(job)


def retry(user: User | None, job_id: int) -> ExportJob:
    """Start the failed job `job_id` of `user` again and return it.

    If its file has been stored meanwhile (by someone else's job), the job is
    done at once. Refused unless the job has failed.
    """
    job = job_for(user, job_id)
    with write_transaction():
        db.session.refresh(job, with_for_update=True)
        if job.state != "failed":
            raise Refused(_("Only an export that failed can be tried again."))
        moment = utcnow()
        job.error = ""
        job.step = ""
        stored = _stored(job.key)
        if stored is not None:
            job.state = "done"
            job.export = stored
            job.finished_at = moment
        else:
            job.state = "queued"
            job.runner = runner_name()
            job.pid = None
            job.host = ""
            job.started_at = job.finished_at = None
            job.heartbeat_at = moment
            job.locale = _locale()
    if job.state == "queued":
        _launch(job_id)
        db.session.refresh(job)
    return job


def stored_file(job: ExportJob) -> StoredExport:
    """Return the stored file of a done job (its `data` is read on first use).

    NotFound if the job is not done.
    """
    stored = db.session.get(StoredExport, job.export_id) if job.state == "done" else None
    if stored is None:
        raise NotFound(_("This export is not ready to download."))
    return stored
