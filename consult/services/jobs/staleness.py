"""Telling a job whose runner died from one that is still running.

A job's runner can vanish without a word: a child process killed by the
kernel for its memory, an RQ work-horse whose host went down. The job then
stays "queued" or "rendering" in the database, so whoever looks at it next
checks for signs of life first:

- a child process on this host whose pid is gone (or is a zombie, or is now
  another program) has died;
- a job whose last heartbeat is older than JOB_STALE_SECONDS has stopped,
  whichever host runs it (the heartbeat is written every few seconds while a
  job renders, and when it is queued);
- a job waiting in the RQ queue longer than JOB_QUEUE_TIMEOUT_SECONDS was
  never taken by a worker.

Such a job is marked failed with a message saying it can be tried again.
"""

from __future__ import annotations

import logging
import os
import signal
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import gettext as _

from consult.extensions import db
from consult.models import ExportJob
from consult.models.base import utcnow
from consult.models.exports import ACTIVE_STATES
from consult.services.jobs.settings import host_name, seconds
from consult.services.transactions import write_transaction

logger = logging.getLogger(__name__)

#: What the command line of a child runner contains (consult/services/jobs/child.py).
CHILD_MODULE = "consult.services.jobs.child"


def _proc(pid: int, name: str) -> bytes | None:
    """Return the file /proc/PID/NAME, or None where there is no /proc or no such process."""
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return None


def child_alive(pid: int) -> bool:
    """Return True if `pid` on this host is a living child runner of an export job."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # another user's process: the pid was reused
    stat = _proc(pid, "stat")
    if stat is not None and stat.rpartition(b")")[2].split()[:1] == [b"Z"]:
        return False  # exited, not yet reaped
    command = _proc(pid, "cmdline")
    # An empty command line says nothing: a process that has just been started
    # reads so for a moment, while the kernel loads Python (the starter is told
    # the program was found a little before its arguments are in place), and so
    # does one that is exiting. Either way it is not taken for dead: a runner
    # that never answers is caught by its heartbeat.
    return not command or CHILD_MODULE.encode() in command


def is_stale(job: ExportJob, moment: datetime) -> bool:
    """Return True if `job` is queued or rendering but its runner has died or stopped."""
    if job.state not in ACTIVE_STATES:
        return False
    here = job.runner == "child" and job.pid is not None and job.host == host_name()
    if here and job.pid is not None and not child_alive(job.pid):
        return True
    if job.state == "queued" and job.runner == "rq":
        limit = seconds("JOB_QUEUE_TIMEOUT_SECONDS")
    else:
        limit = seconds("JOB_STALE_SECONDS")
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    return moment - last_sign > timedelta(seconds=limit)


def stopped_message() -> str:
    """Return what a person is told of a job whose runner died."""
    message: str = _(
        "The export stopped before it was finished: the process making it ended "
        "or stopped answering. Nothing was stored. You can try again."
    )
    return message


def _stop_child(job: ExportJob) -> None:
    """End the process group of a child runner on this host that stopped answering."""
    if job.runner == "child" and job.pid and job.host == host_name() and child_alive(job.pid):
        try:
            # The child leads a session of its own (start_new_session), so its
            # process group is its pid: this ends anything it started too.
            os.killpg(job.pid, signal.SIGKILL)
        except OSError:
            logger.warning("could not end the runner %s of export job %s", job.pid, job.id)


def mark_if_stale(job_id: int) -> bool:
    """Mark the job failed if its runner has died; return True if it did."""
    with write_transaction():
        job = db.session.get(ExportJob, job_id, with_for_update=True, populate_existing=True)
        if job is None or not is_stale(job, utcnow()):
            return False
        _stop_child(job)
        job.state = "failed"
        job.step = ""
        job.error = stopped_message()
        job.finished_at = utcnow()
    logger.warning("export job %s stopped without finishing; marked failed", job_id)
    return True
