"""Stored previews: a draft version's matching with its published predecessor, computed once.

A draft's clauses may still change (the drafter corrects the matching), so a
preview is stored under a digest of everything it was computed from: the
algorithm, the previous published version and the draft's clauses as stored.
A request whose digest differs computes the preview again and replaces the
row; a correction deletes it. Every worker reads the same row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import Base
from consult.models.base import UTCDateTime, utcnow


class DraftPreview(Base):
    """The serialised preview (JSON) of one version, under the digest of what it depends on."""

    __tablename__ = "draft_preview"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("version.id", ondelete="CASCADE"), unique=True
    )
    digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DraftPreview {self.version_id} {self.digest[:8]}>"
