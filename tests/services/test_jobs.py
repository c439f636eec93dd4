"""Export jobs: real child processes and a real RQ worker make, fail, lose and store files.

The kinds of job the tests run live in tests/services/job_kinds.py; the child
processes import them from the checkout's root. Each test waits for a state
by polling the job as a page would, up to a deadline, never by fixed sleeps.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import ExportJob, StoredExport, User
from consult.models.base import utcnow
from consult.services import jobs
from consult.services.errors import NotFound, Refused
from consult.services.jobs import launch, service, staleness
from consult.services.jobs.staleness import child_alive
from tests.services.job_kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
DEADLINE = 30.0
PDF = "application/pdf"


@pytest.fixture
def jobs_app(app: Flask, job_children: list[int]) -> Iterator[Flask]:
    """The app with the test kinds, child processes as runners, and a quick heartbeat.

    Afterwards every runner a test left behind is ended, so that none writes
    into the next test's tables.
    """
    app.config.update(JOB_KINDS=KINDS, REDIS_URL=None, JOB_HEARTBEAT_SECONDS=0.2)
    yield app
    db.session.rollback()
    pids = db.session.scalars(select(ExportJob.pid).where(ExportJob.pid.is_not(None))).all()
    for pid in pids:
        if pid is not None and child_alive(pid):
            os.killpg(pid, signal.SIGKILL)
    _until(lambda: not any(pid is not None and child_alive(pid) for pid in pids), "runners end")


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {DEADLINE:.0f} s for: {what}")
        time.sleep(0.05)


def _wait(user: User | None, job_id: int, *states: str) -> ExportJob:
    """Poll the job as its page would until it reaches one of `states`; return it."""
    deadline = time.monotonic() + DEADLINE
    while True:
        job = jobs.job_for(user, job_id)
        if job.state in states:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job.state} ({job.error}) after {DEADLINE} s")
        time.sleep(0.05)


def _key() -> str:
    return uuid.uuid4().hex * 2


def _ask(kind: str, user: User | None, key: str | None = None, **params: object) -> ExportJob:
    return jobs.request_export(kind, dict(params), key or _key(), "sample-v1.pdf", PDF, user)


def _stored_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredExport)) or 0


def test_a_job_goes_from_queued_through_rendering_to_done(
    jobs_app: Flask, users: dict[str, User], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = users["secretariat"]
    flag = tmp_path / "flag"
    # The job as stored when its child is started (the child may be quick to take it).
    seen: list[tuple[str, str, int]] = []

    def start_child(job_id: int) -> int:
        stored = db.session.get(ExportJob, job_id, populate_existing=True)
        assert stored is not None
        seen.append((stored.state, stored.runner, stored.attempts))
        return launch.start_child(job_id)

    monkeypatch.setattr(service, "start_child", start_child)
    job = _ask("test-wait", user, flag=str(flag), text="the consolidated text")
    assert seen == [("queued", "child", 0)]

    job = _wait(user, job.id, "rendering")
    # The child marks the job rendering, then its kind reports the step it is in.
    _until(lambda: jobs.job_for(user, job.id).step == "layout", "the layout step")
    job = jobs.job_for(user, job.id)
    assert job.state == "rendering"
    assert job.attempts == 1
    assert job.host == socket.gethostname()
    assert job.pid is not None and child_alive(job.pid)
    assert job.started_at is not None and job.heartbeat_at is not None
    with pytest.raises(NotFound):
        jobs.stored_file(job)
    # The heartbeat moves on while the kind is busy.
    first_beat = job.heartbeat_at
    _until(lambda: jobs.job_for(user, job.id).heartbeat_at > first_beat, "a heartbeat")

    flag.touch()
    job = _wait(user, job.id, "done")
    stored = jobs.stored_file(job)
    assert stored.data == b"the consolidated text"
    assert (stored.size, stored.pages) == (len(b"the consolidated text"), 2)
    assert (stored.file_name, stored.media_type, stored.key) == ("sample-v1.pdf", PDF, job.key)
    assert job.error == "" and job.finished_at is not None
    assert _stored_count() == 1


def test_a_failing_kind_fails_with_its_message_and_stores_nothing(
    jobs_app: Flask, users: dict[str, User]
) -> None:
    user = users["drafter"]
    job = _ask("test-fail", user, message="Version 1 has no earlier version to compare with")
    job = _wait(user, job.id, "failed", "done")
    assert job.state == "failed"
    assert job.error == "Version 1 has no earlier version to compare with"
    assert job.export_id is None and _stored_count() == 0
    with pytest.raises(NotFound):
        jobs.stored_file(job)


def test_an_unexpected_error_is_reported_without_its_details(
    jobs_app: Flask, users: dict[str, User]
) -> None:
    user = users["drafter"]
    job = _wait(user, _ask("test-crash", user).id, "failed", "done")
    assert job.state == "failed"
    assert "error on the server" in job.error
    assert "internal detail" not in job.error
    assert _stored_count() == 0


def test_a_killed_child_is_reported_failed_and_can_be_tried_again(
    jobs_app: Flask, users: dict[str, User], tmp_path: Path
) -> None:
    user = users["secretariat"]
    flag = tmp_path / "flag"
    job = _wait(user, _ask("test-wait", user, flag=str(flag), text="second try").id, "rendering")
    killed = job.pid
    assert killed is not None
    os.kill(killed, signal.SIGKILL)

    job = _wait(user, job.id, "failed", "done")
    assert job.state == "failed"
    assert "stopped before it was finished" in job.error and "try again" in job.error
    assert _stored_count() == 0

    flag.touch()
    job = jobs.retry(user, job.id)
    assert job.state in ("queued", "rendering") and job.error == ""
    job = _wait(user, job.id, "done", "failed")
    assert job.state == "done"
    assert job.attempts == 2 and job.pid != killed
    assert jobs.stored_file(job).data == b"second try"


def test_a_job_that_runs_too_long_is_stopped_and_reported(
    jobs_app: Flask, users: dict[str, User], tmp_path: Path
) -> None:
    jobs_app.config["JOB_TIMEOUT_SECONDS"] = 1
    user = users["secretariat"]
    job = _ask("test-wait", user, flag=str(tmp_path / "never"), text="")
    job = _wait(user, job.id, "failed", "done")
    assert job.error == "The export took longer than 1 minute and was stopped."
    assert _stored_count() == 0


def test_a_second_request_while_one_renders_returns_the_same_job(
    jobs_app: Flask, users: dict[str, User], tmp_path: Path
) -> None:
    user, other = users["secretariat"], users["drafter"]
    flag = tmp_path / "flag"
    key = _key()
    first = _ask("test-wait", user, key, flag=str(flag), text="once")
    again = _ask("test-wait", user, key, flag=str(flag), text="once")
    assert again.id == first.id
    # Another person's request is a job of their own; both end on the one stored file.
    theirs = _ask("test-wait", other, key, flag=str(flag), text="once")
    assert theirs.id != first.id
    _wait(user, first.id, "rendering")
    assert _ask("test-wait", user, key, flag=str(flag), text="once").id == first.id
    flag.touch()
    mine, their_job = _wait(user, first.id, "done"), _wait(other, theirs.id, "done")
    assert mine.export_id == their_job.export_id
    assert _stored_count() == 1
    count = select(func.count()).select_from(ExportJob).where(ExportJob.requested_by_id == user.id)
    assert db.session.scalar(count) == 1


def test_a_stored_file_is_served_at_once_without_a_process(
    jobs_app: Flask, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    user, other = users["secretariat"], users["drafter"]
    key = _key()
    made = _wait(user, _ask("test-write", user, key, text="made once").id, "done")

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started for a stored file")

    monkeypatch.setattr(launch.subprocess, "Popen", no_process)
    theirs = _ask("test-write", other, key, text="made once")
    assert (theirs.state, theirs.runner, theirs.pid) == ("done", "stored", None)
    assert theirs.export_id == made.export_id
    assert jobs.stored_file(theirs).data == b"made once"
    # Asked again, the same person gets the same job.
    assert _ask("test-write", other, key, text="made once").id == theirs.id
    assert _stored_count() == 1


def test_job_for_and_retry_refuse_another_persons_job(
    jobs_app: Flask, users: dict[str, User]
) -> None:
    user, other = users["stakeholder"], users["secretariat"]
    job = _wait(user, _ask("test-fail", user, message="no").id, "failed")
    for someone in (other, None):
        with pytest.raises(NotFound):
            jobs.job_for(someone, job.id)
        with pytest.raises(NotFound):
            jobs.retry(someone, job.id)
    with pytest.raises(NotFound):
        jobs.job_for(user, job.id + 1000)
    # The command line's jobs are its own.
    mine = _wait(None, _ask("test-write", None, text="cli").id, "done")
    with pytest.raises(NotFound):
        jobs.job_for(user, mine.id)


def test_only_a_failed_job_can_be_tried_again(jobs_app: Flask, users: dict[str, User]) -> None:
    user = users["secretariat"]
    job = _wait(user, _ask("test-write", user, text="fine").id, "done")
    with pytest.raises(Refused):
        jobs.retry(user, job.id)


def test_the_file_is_made_in_the_locale_of_the_request(
    jobs_app: Flask, users: dict[str, User]
) -> None:
    user = users["secretariat"]
    with force_locale("fr"):
        job = _ask("test-locale", user)
    assert job.locale == "fr"
    assert jobs.stored_file(_wait(user, job.id, "done")).data == b"fr"


def _job_row(user: User, state: str, runner: str, host: str, age: timedelta) -> ExportJob:
    """A job row as a runner on another host would leave it, last alive `age` ago."""
    moment = utcnow() - age
    job = ExportJob(
        kind="test-write",
        params={"text": "x"},
        key=_key(),
        file_name="x.pdf",
        media_type=PDF,
        requested_by_id=user.id,
        state=state,
        runner=runner,
        host=host,
        pid=1 if state == "rendering" else None,
        created_at=moment,
        started_at=moment if state == "rendering" else None,
        heartbeat_at=moment,
    )
    db.session.add(job)
    db.session.commit()
    return job


@pytest.mark.parametrize(
    ("state", "runner", "limit"),
    [
        ("rendering", "rq", "JOB_STALE_SECONDS"),
        ("rendering", "child", "JOB_STALE_SECONDS"),
        ("queued", "rq", "JOB_QUEUE_TIMEOUT_SECONDS"),
    ],
)
def test_a_job_silent_for_too_long_on_another_host_is_failed(
    jobs_app: Flask, users: dict[str, User], state: str, runner: str, limit: str
) -> None:
    jobs_app.config[limit] = 60
    user = users["secretariat"]
    silent = _job_row(user, state, runner, "another-host", timedelta(seconds=90))
    alive = _job_row(user, state, runner, "another-host", timedelta(seconds=10))
    assert jobs.job_for(user, silent.id).state == "failed"
    assert "stopped before it was finished" in silent.error
    assert jobs.job_for(user, alive.id).state == state


def test_a_runner_still_being_loaded_is_not_taken_for_dead(
    jobs_app: Flask, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child whose command line reads empty (the moment the kernel loads Python) lives on.

    CI once failed a job as "stopped" in that moment, under load: its runner then
    found the job failed and left without a word.
    """
    user = users["secretariat"]
    job = _job_row(user, "rendering", "child", socket.gethostname(), timedelta(seconds=1))
    job.pid = os.getpid()
    db.session.commit()
    proc = staleness._proc

    def command_line(found: bytes) -> Callable[[int, str], bytes | None]:
        return lambda pid, name: found if name == "cmdline" else proc(pid, name)

    monkeypatch.setattr(staleness, "_proc", command_line(b""))
    assert child_alive(os.getpid())
    assert jobs.job_for(user, job.id).state == "rendering"
    # Another program at that pid (the pid was reused) is no runner of ours.
    monkeypatch.setattr(staleness, "_proc", command_line(b"/usr/bin/vim\x00notes.txt\x00"))
    assert not child_alive(os.getpid())
    assert jobs.job_for(user, job.id).state == "failed"


def test_a_job_that_cannot_be_started_fails_with_a_message(
    jobs_app: Flask, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork(*args: object, **kwargs: object) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(launch.subprocess, "Popen", no_fork)
    user = users["secretariat"]
    job = _ask("test-write", user, text="x")
    assert job.state == "failed"
    assert job.error == "The export could not be started. Try again in a moment."


def test_an_unknown_kind_is_refused(jobs_app: Flask, users: dict[str, User]) -> None:
    with pytest.raises(ValueError, match="unknown export kind"):
        _ask("no-such-kind", users["secretariat"])
    assert db.session.scalar(select(func.count()).select_from(ExportJob)) == 0


def test_with_redis_a_job_goes_to_rq_and_a_worker_runs_it(
    jobs_app: Flask, users: dict[str, User]
) -> None:
    queue_name = f"consult-test-{uuid.uuid4().hex}"
    jobs_app.config.update(REDIS_URL=REDIS_URL, JOB_QUEUE=queue_name)
    queue = launch.queue()
    user = users["secretariat"]
    try:
        job = _ask("test-write", user, text="made by a worker")
        assert (job.state, job.runner, job.pid) == ("queued", "rq", None)
        assert queue.count == 1

        env = {
            **os.environ,
            "CONSULT_DATABASE_URL": jobs_app.config["DATABASE_URL"],
            "CONSULT_INSTANCE_PATH": jobs_app.instance_path,
            "CONSULT_SECRET_KEY": jobs_app.config["SECRET_KEY"],
            "CONSULT_JOB_KINDS": json.dumps(KINDS),
        }
        rq = Path(sys.executable).parent / "rq"
        command = [str(rq), "worker", "--burst", "--url", REDIS_URL, "--path", str(ROOT)]
        worker = subprocess.run(
            [*command, queue_name], env=env, cwd=ROOT, capture_output=True, timeout=120
        )
        assert worker.returncode == 0, worker.stderr.decode()

        job = jobs.job_for(user, job.id)
        assert job.state == "done", job.error
        assert job.host == socket.gethostname() and job.pid is not None
        assert jobs.stored_file(job).data == b"made by a worker"
        assert queue.count == 0
    finally:
        queue.delete(delete_jobs=True)
