"""Running one export job: in a child process or an RQ worker, never in a web request.

`run_job` takes a queued job, marks it rendering, calls the function of its
kind with a temporary file, and stores the file in the same transaction that
marks the job done. Meanwhile a thread writes a heartbeat every few seconds,
so that a runner that dies is noticed (consult.services.jobs.staleness).
Failures are reported on the job, in the requester's language: a
ServiceError's message as it is, anything else as an error on the server
(its traceback goes to the log, not to the person).

Progress and heartbeats are written on a connection of their own, outside
the session the export function reads with, so that they neither end its
transaction nor wait for it.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from flask_babel import force_locale
from flask_babel import gettext as _
from rq.timeouts import BaseTimeoutException
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.models import ExportJob, StoredExport
from consult.models.base import utcnow
from consult.plurals import ngettext
from consult.services.errors import ServiceError
from consult.services.jobs.settings import host_name, kind_function, seconds
from consult.services.transactions import write_transaction

logger = logging.getLogger(__name__)

STEP_LENGTH = 20


class JobTimeout(Exception):
    """Raised in a job that has run longer than JOB_TIMEOUT_SECONDS."""


@dataclass(frozen=True)
class _Run:
    """One start of a job: what it makes, and the attempt it is (to ignore stale runs)."""

    job_id: int
    attempt: int
    kind: str
    params: dict[str, Any]
    key: str
    file_name: str
    media_type: str
    locale: str


class _Heartbeat:
    """Writes the job's heartbeat (and its step) while it renders, from a thread of its own."""

    def __init__(self, run: _Run, engine: Engine, interval: float) -> None:
        self.run = run
        self.engine = engine
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(
            target=self._beat, name=f"export-job-{run.job_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stopped.set()
        self.thread.join()

    def write(self, **values: Any) -> None:
        """Update this run of the job with `values` and a fresh heartbeat."""
        statement = (
            update(ExportJob)
            .where(
                ExportJob.id == self.run.job_id,
                ExportJob.attempts == self.run.attempt,
                ExportJob.state == "rendering",
            )
            .values(heartbeat_at=utcnow(), **values)
        )
        with self.engine.begin() as connection:
            connection.execute(statement)

    def progress(self, step: str) -> None:
        """Record the step the export function has reached ("layout", "writing")."""
        self.write(step=step[:STEP_LENGTH])

    def _beat(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.write()
            except Exception:  # a missed beat is not fatal; many missed ones make it stale
                logger.exception("export job %s: heartbeat not written", self.run.job_id)


def _start(job_id: int) -> _Run | None:
    """Mark a queued job rendering by this process; return the run, or None if not queued."""
    with write_transaction():
        job = db.session.get(ExportJob, job_id, with_for_update=True, populate_existing=True)
        if job is None or job.state != "queued":
            return None
        moment = utcnow()
        job.state = "rendering"
        job.step = ""
        job.attempts += 1
        job.started_at = job.heartbeat_at = moment
        job.pid = os.getpid()
        job.host = host_name()
        return _Run(
            job_id=job.id,
            attempt=job.attempts,
            kind=job.kind,
            params=dict(job.params),
            key=job.key,
            file_name=job.file_name,
            media_type=job.media_type,
            locale=job.locale,
        )


def _current(run: _Run) -> ExportJob | None:
    """Return the job locked for update, if this run is still the one rendering it."""
    job = db.session.get(ExportJob, run.job_id, with_for_update=True, populate_existing=True)
    if job is None or job.state != "rendering" or job.attempts != run.attempt:
        logger.warning("export job %s attempt %s was given up meanwhile", run.job_id, run.attempt)
        return None
    return job


def _fail(run: _Run, message: str) -> None:
    with write_transaction():
        job = _current(run)
        if job is not None:
            job.state = "failed"
            job.step = ""
            job.error = message
            job.finished_at = utcnow()


def _store(run: _Run, data: bytes, pages: int) -> None:
    """Store the file and mark the job done, at once; reuse a file stored meanwhile by key."""
    with write_transaction():
        job = _current(run)
        if job is None:
            return
        stored = db.session.scalar(select(StoredExport).where(StoredExport.key == run.key))
        if stored is None:
            stored = StoredExport(
                key=run.key,
                file_name=run.file_name,
                media_type=run.media_type,
                data=data,
                size=len(data),
                pages=pages,
            )
            db.session.add(stored)
            db.session.flush()
        job.export = stored
        job.state = "done"
        job.step = ""
        job.error = ""
        job.finished_at = utcnow()


def _read(out: IO[bytes]) -> bytes:
    out.flush()
    out.seek(0)
    return out.read()


def _render(run: _Run, heartbeat: _Heartbeat) -> tuple[bytes, int] | str:
    """Call the kind's function; return the file and its pages, or the message of its failure."""
    with tempfile.TemporaryFile() as out:
        try:
            pages = kind_function(run.kind)(run.params, out, heartbeat.progress)
            return _read(out), pages
        except (JobTimeout, BaseTimeoutException):
            minutes = max(1, round(seconds("JOB_TIMEOUT_SECONDS") / 60))
            message: str = ngettext(
                "The export took longer than %(num)s minute and was stopped.",
                "The export took longer than %(num)s minutes and was stopped.",
                minutes,
            )
            return message
        except ServiceError as error:
            return error.message
        except Exception:
            logger.exception("export job %s (%s) failed", run.job_id, run.kind)
            return server_error_message()


def server_error_message() -> str:
    """Return what a person is told of a job that failed on an unexpected error."""
    message: str = _(
        "The export failed because of an error on the server. You can try again; "
        "if it fails again, tell the platform's administrators."
    )
    return message


def run_job(job_id: int) -> None:
    """Make the file of a queued job and store it, or record why it failed.

    Runs in an app context, in a child process or an RQ worker. A job that is
    not queued (taken by another runner, or given up) is left alone.
    """
    run = _start(job_id)
    if run is None:
        logger.info("export job %s is not queued; nothing to run", job_id)
        return
    with force_locale(run.locale):
        with _Heartbeat(run, db.engine, seconds("JOB_HEARTBEAT_SECONDS")) as heartbeat:
            outcome = _render(run, heartbeat)
        if isinstance(outcome, str):
            _fail(run, outcome)
            return
        data, pages = outcome
        try:
            try:
                _store(run, data, pages)
            except IntegrityError:
                # Another job stored the same key between our check and our insert: use its file.
                _store(run, data, pages)
        except Exception:
            logger.exception("export job %s: the file could not be stored", run.job_id)
            _fail(run, server_error_message())
