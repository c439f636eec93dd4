"""Starting a queued job: a child process of its own, or a message on an RQ queue.

Without REDIS_URL each job runs in a child process started for it
(`python -m consult.services.jobs.child JOB_ID`), in a session of its own so
that it outlives a restarted web worker and can be ended with all it starts;
a daemon thread waits for it, so that it leaves no zombie, and its memory is
given back to the system when it exits. The child builds its app from
CONSULT_* environment variables carrying this app's database, instance
folder, secret key and job settings (not the web process's environment
alone: an app built with other settings, as the tests build theirs, passes
them on). It runs in the web process's working directory.

With REDIS_URL the job goes to the RQ queue JOB_QUEUE, where any `rq worker`
on any host with the same CONSULT_* settings runs it
(consult.services.jobs.rq_task).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

from flask import current_app
from redis import Redis
from rq import Queue

from consult.services.jobs.settings import redis_url, seconds, setting
from consult.services.jobs.staleness import CHILD_MODULE

#: The function RQ workers run, named rather than imported: it builds an app of
#: its own, and importing it here would tie the web process to that code.
RQ_FUNCTION = "consult.services.jobs.rq_task.run"

#: The settings a child process needs besides the database and the instance folder.
CHILD_SETTINGS: tuple[str, ...] = (
    "SECRET_KEY",
    "JOB_KINDS",
    "JOB_HEARTBEAT_SECONDS",
    "JOB_TIMEOUT_SECONDS",
    "SQLITE_BUSY_TIMEOUT_MS",
    "BABEL_DEFAULT_LOCALE",
    "DRAFTS_FOLDER",
)


def runner_name() -> str:
    """Return the runner new jobs get: "rq" when REDIS_URL is set, else "child"."""
    return "rq" if redis_url() else "child"


def child_environment() -> dict[str, str]:
    """Return the environment of a child runner: this one, with this app's settings on top.

    Values are JSON, which Flask's `from_prefixed_env` reads back as they were.
    """
    config = current_app.config
    env = dict(os.environ)
    env["CONSULT_DATABASE_URL"] = json.dumps(config["DATABASE_URL"])
    env["CONSULT_INSTANCE_PATH"] = current_app.instance_path
    for name in CHILD_SETTINGS:
        if config.get(name) is not None:
            env[f"CONSULT_{name}"] = json.dumps(config[name])
    return env


def start_child(job_id: int) -> int:
    """Start a child process running job `job_id`; return its pid."""
    process = subprocess.Popen(
        [sys.executable, "-m", CHILD_MODULE, str(job_id)],
        env=child_environment(),
        cwd=os.getcwd(),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
    threading.Thread(target=process.wait, name=f"export-job-{job_id}-reaper", daemon=True).start()
    return process.pid


def queue() -> Queue:
    """Return the RQ queue jobs go to (REDIS_URL must be set)."""
    url = redis_url()
    if url is None:
        raise RuntimeError("REDIS_URL is not set")
    return Queue(str(setting("JOB_QUEUE")), connection=Redis.from_url(url))


def enqueue(job_id: int) -> None:
    """Put job `job_id` on the RQ queue.

    RQ stops the work-horse past JOB_TIMEOUT_SECONDS, and drops the message if
    no worker takes it within JOB_QUEUE_TIMEOUT_SECONDS, when the job is
    reported failed anyway (consult.services.jobs.staleness).
    """
    queue().enqueue(
        RQ_FUNCTION,
        job_id,
        job_timeout=int(seconds("JOB_TIMEOUT_SECONDS")),
        ttl=int(seconds("JOB_QUEUE_TIMEOUT_SECONDS")),
        result_ttl=0,
        failure_ttl=24 * 3600,
        description=f"consult export job {job_id}",
    )
