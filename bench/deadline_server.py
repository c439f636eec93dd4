"""The server side of the deadline benchmark: databases, setup data, gunicorn.

Everything here runs in the benchmark's own process or in processes it
starts and always stops: a throw-away database (a temporary SQLite file, or
a PostgreSQL database named consult_bench_* that is dropped afterwards) and
a gunicorn master in its own process group, whose workers can be killed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DRAFT = PROJECT_ROOT / "drafts" / "human-rights-borders" / "v1.md"
PASSWORD = "bench-password-1"
POSTGRES_SERVER = os.environ.get("CONSULT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
WORKERS = 4
# gunicorn [ERROR] lines that say nothing new: the kill itself, or a traceback follows.
BENIGN_ERRORS = ("was sent SIGKILL", "Error handling request")
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Exit)\b.*")


@dataclass
class Stakeholder:
    """One account the clients log in with."""

    email: str
    user_id: int


@dataclass
class Setup:
    """What the setup created: the round and who comments in it."""

    round_id: int
    clause_keys: list[str]
    stakeholders: list[Stakeholder]
    organisations: int


@dataclass
class Server:
    """A running gunicorn master."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    killed_workers: list[int] = field(default_factory=list)

    @property
    def pid(self) -> int:
        """The master's process id (also its process group id)."""
        return self.process.pid


# Databases ------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """Yield the URL of a fresh, empty database of `kind`; drop it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    import psycopg

    name = f"consult_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(
            f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_available() -> str | None:
    """Return None if the PostgreSQL server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            return None
    except Exception as err:  # any failure means: skip PostgreSQL
        return f"{type(err).__name__}: {err}".strip()[:200]


def environment(database_url: str, instance: Path) -> dict[str, str]:
    """Return the environment gunicorn and the flask command run with."""
    env = dict(os.environ)
    env.update(
        CONSULT_DATABASE_URL=database_url,
        CONSULT_SECRET_KEY="deadline-benchmark-secret",
        CONSULT_INSTANCE_PATH=str(instance),
    )
    return env


def bench_app(database_url: str, instance: Path) -> Any:
    """Return an app on the benchmark's database, for setup and checks in this process."""
    from consult import create_app

    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "deadline-benchmark-secret",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        },
        instance_path=str(instance),
    )


def init_db(database_url: str, instance: Path) -> None:
    """Create the schema with the project's own command."""
    flask = Path(sys.executable).parent / "flask"
    subprocess.run(
        [str(flask), "--app", "consult", "init-db"],
        cwd=PROJECT_ROOT,
        env=environment(database_url, instance),
        check=True,
        capture_output=True,
        timeout=120,
    )


# Setup data -----------------------------------------------------------------


def create_data(app: Any, organisations: int, users: int, closes_at: datetime) -> Setup:
    """Create a published version, organisations, stakeholders and an open round."""
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Clause
    from consult.services import accounts, drafts
    from consult.services.rounds import RoundSettings, create_round

    with app.app_context():
        result = drafts.import_draft(
            DRAFT.read_bytes(), filename=DRAFT.name, publish=True, document_slug=None
        )
        version = result.version
        secretariat = accounts.create_user(
            "Bench Secretariat", "secretariat@bench.test", "secretariat", PASSWORD, None, None
        )
        orgs = [
            accounts.create_organisation(f"Bench Organisation {n:02d}", "ngo", None, None)
            for n in range(1, organisations + 1)
        ]
        people = []
        for n in range(users):
            user = accounts.create_user(
                f"Stakeholder {n:03d}",
                f"stakeholder{n:03d}@bench.test",
                "stakeholder",
                PASSWORD,
                orgs[n % len(orgs)],
                None,
            )
            people.append(Stakeholder(user.email, user.id))
        round_ = create_round(
            version,
            RoundSettings(
                title="Deadline benchmark round",
                opens_at=closes_at - timedelta(hours=2),
                closes_at=closes_at,
            ),
            secretariat,
        )
        keys = list(
            db.session.scalars(
                select(Clause.key).where(Clause.version_id == version.id).order_by(Clause.id)
            )
        )
        setup = Setup(round_.id, keys, people, len(orgs))
        db.session.remove()
    return setup


def set_closing_time(app: Any, round_id: int, closes_at: datetime) -> None:
    """Move the round's closing time with the secretariat's own service."""
    from consult.extensions import db
    from consult.models import User
    from consult.services.rounds import change_closing_time, get_round

    with app.app_context():
        actor = db.session.query(User).filter_by(role="secretariat").first()
        change_closing_time(get_round(round_id), closes_at, actor)
        db.session.remove()


# Gunicorn ----------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    database_url: str,
    instance: Path,
    timeout: float = 60,
    target: str = "wsgi:app",
    extra_env: dict[str, str] | None = None,
) -> Server:
    """Start gunicorn (4 sync workers) in its own process group; wait until it answers.

    `target` is the WSGI app to serve (Consult by default), `extra_env` more settings for it.
    """
    port = free_port()
    log_path = instance / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                # As the README recommends: the app is imported once in the
                # master, so a killed worker is replaced in well under a second.
                "--preload",
                target,
            ],
            cwd=PROJECT_ROOT,
            env={**environment(database_url, instance), **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, port, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited at start:\n{log_tail(server)}")
        if len(workers(server)) == WORKERS and answers(port):
            return server
        time.sleep(0.2)
    stop_gunicorn(server)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{log_tail(server)}")


def answers(port: int, timeout: float = 2) -> bool:
    """Whether GET /login returns 200."""
    import http.client

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", "/login")
        status = conn.getresponse().status
        conn.close()
        return status == 200
    except OSError:
        return False


def workers(server: Server) -> list[int]:
    """Return the process ids of the master's children (its workers)."""
    children: list[int] = []
    for task in Path(f"/proc/{server.pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            children.extend(int(pid) for pid in task.read_text().split())
    return children


def _ticks(pid: int, children_too: bool) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the name: utime, stime, cutime, cstime are fields 12..15 (0-based from state)
    own = int(fields[11]) + int(fields[12])
    return own + (int(fields[13]) + int(fields[14]) if children_too else 0)


def server_cpu(server: Server) -> float:
    """Return the CPU seconds used by the master, its live workers and its reaped workers."""
    hertz = os.sysconf("SC_CLK_TCK")
    total = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        total += _ticks(server.pid, children_too=True)
    for pid in workers(server):
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += _ticks(pid, children_too=False)
    return total / hertz


def machine_busy() -> tuple[float, float]:
    """Return (busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    hertz = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values) - idle) / hertz, sum(values) / hertz


def kill_workers(server: Server) -> list[int]:
    """SIGKILL every worker of the master; return their process ids."""
    killed = []
    for pid in workers(server):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
    server.killed_workers.extend(killed)
    return killed


def wait_for_new_workers(
    server: Server, killed: list[int], timeout: float = 60
) -> tuple[float | None, float | None]:
    """Return how long until the master forked WORKERS new workers, and until the site
    answered again (a GET /login queued behind the waiting requests), or None."""
    start = time.monotonic()
    forked = None
    while time.monotonic() - start < timeout:
        if len([pid for pid in workers(server) if pid not in killed]) >= WORKERS:
            forked = time.monotonic() - start
            break
        time.sleep(0.02)
    while time.monotonic() - start < timeout:
        if answers(server.port, timeout=timeout):
            return forked, time.monotonic() - start
        time.sleep(0.05)
    return forked, None


def stop_gunicorn(server: Server) -> None:
    """Stop the master and its workers: SIGTERM to the group, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(server.pid, sig)
        try:
            server.process.wait(timeout=wait)
            # the master is gone; make sure no worker outlives it
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(server.pid, signal.SIGKILL)
            return
        except subprocess.TimeoutExpired:
            continue


def log_tail(server: Server, lines: int = 30) -> str:
    """Return the end of gunicorn's log."""
    try:
        return "\n".join(server.log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def log_errors(server: Server) -> tuple[int, list[str]]:
    """Return how many errors gunicorn logged (worker kills aside) and the commonest kinds."""
    try:
        lines = server.log_path.read_text(errors="replace").splitlines()
    except OSError:
        return 0, []
    kinds: Counter[str] = Counter()
    count = 0
    for line in lines:
        if "[ERROR]" in line and not any(n in line for n in BENIGN_ERRORS):
            count += 1
        elif EXCEPTION_LINE.match(line):
            kinds[line.strip()[:160]] += 1
    count += sum(1 for line in lines if line.startswith("Traceback"))
    return count, [f"{n} x {kind}" for kind, n in kinds.most_common(3)]


def keep_log(server: Server, name: str) -> None:
    """Copy gunicorn's log into $CONSULT_BENCH_LOG_DIR, if that is set."""
    folder = os.environ.get("CONSULT_BENCH_LOG_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(server.log_path, Path(folder) / f"gunicorn-{name}.log")
