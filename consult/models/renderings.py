"""Stored renderings: the sanitised HTML of every clause of a published version, made once.

A published version never changes, so the HTML of its clauses stays true
for good; `renderer` names the Markdown and sanitising code that made it,
so that a change to that code starts a fresh row instead of reusing a stale
one. Like a stored comparison, it is derived data shared by every worker,
never held in a worker's memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import Base
from consult.models.base import UTCDateTime, utcnow


class VersionRendering(Base):
    """The clauses of a published version as HTML: a JSON object from clause key to HTML."""

    __tablename__ = "version_rendering"
    __table_args__ = (UniqueConstraint("version_id", "renderer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    renderer: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<VersionRendering {self.version_id} {self.renderer}>"
