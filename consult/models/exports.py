"""Export jobs, and the finished files they store.

A long export (the consolidated PDF) runs as a job outside the web process:
`ExportJob` holds its state in the database, so that any web worker on any
host can show its progress. The finished file is a `StoredExport`, named by a
key that says what it was made from; the same request made again, by anyone
whose file would be the same, is served from it without rendering. A job is
"done" exactly when it points to its stored file, which is written in the
same transaction: a failed or killed job never leaves a half-written file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.accounts import User
from consult.models.base import UTCDateTime, one_of, utcnow

#: queued: waiting for its runner; rendering: running; done: stored; failed: see `error`.
JOB_STATES: tuple[str, ...] = ("queued", "rendering", "done", "failed")
#: The states of a job that a runner still owes an outcome.
ACTIVE_STATES: tuple[str, ...] = ("queued", "rendering")
#: child: a process started for the job on the web host; rq: a worker of an RQ queue;
#: stored: nothing ran, the file was stored already when the job was asked for.
JOB_RUNNERS: tuple[str, ...] = ("child", "rq", "stored")


class StoredExport(Base):
    """A finished export file, kept until something it shows changes (its key changes)."""

    __tablename__ = "stored_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 hex of everything the file shows; equal keys mean equal files.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    # Deferred: listing jobs or checking a key never reads the file itself.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredExport {self.file_name!r} {self.size} bytes>"


class ExportJob(Base):
    """One request for an export file, and how far its making has gone."""

    __tablename__ = "export_job"
    __table_args__ = (
        CheckConstraint(one_of("state", JOB_STATES), name="state"),
        CheckConstraint(one_of("runner", JOB_RUNNERS), name="runner"),
        CheckConstraint("(state = 'done') = (export_id IS NOT NULL)", name="export_id"),
        Index("ix_export_job_requester_key", "requested_by_id", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name of the function that makes the file (config JOB_KINDS), e.g. "pdf".
    kind: Mapped[str] = mapped_column(String(40))
    # What that function is given: plain JSON values only.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    key: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    # The locale the file is made in: the requester's at the time of asking.
    locale: Mapped[str] = mapped_column(String(20), default="en", server_default="en")
    # None: the command line.
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(String(20), default="queued")
    # What the renderer is doing: "", "layout", "writing".
    step: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # Why the job failed, written for the person who asked for it.
    error: Mapped[str] = mapped_column(Text, default="", server_default="")
    runner: Mapped[str] = mapped_column(String(10), default="child")
    # The child process and its host, or the RQ work-horse running the job.
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255), default="", server_default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How many times a runner has started the job (a retry starts it again).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    export_id: Mapped[int | None] = mapped_column(ForeignKey("stored_export.id"), index=True)

    requested_by: Mapped[User | None] = relationship()
    export: Mapped[StoredExport | None] = relationship()

    @property
    def is_active(self) -> bool:
        """True while a runner still owes the job an outcome (queued or rendering)."""
        return self.state in ACTIVE_STATES

    def __repr__(self) -> str:
        return f"<ExportJob {self.id} {self.kind} {self.state}>"
