"""Stored comparisons: the alignment and diffs of two published versions, computed once.

Published versions never change, so a comparison stored for a pair of them
stays true for good; `algorithm` names the alignment and diff code that made
it, so that a change to that code starts a fresh row instead of reusing a
stale one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import Base
from consult.models.base import UTCDateTime, utcnow


class Comparison(Base):
    """The serialised comparison of two versions (JSON), shared by every worker."""

    __tablename__ = "comparison"
    __table_args__ = (UniqueConstraint("old_version_id", "new_version_id", "algorithm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    new_version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    algorithm: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Comparison {self.old_version_id}->{self.new_version_id} {self.algorithm}>"


class ComparisonFragment(Base):
    """The rendered clauses of a stored comparison's page, for one way of showing them.

    Derived from two published versions (which never change) and from the code
    that renders them: `variant` is a digest of everything the HTML depends on
    (the alignment code, the templates, the language, the view chosen), so a
    change to any of them asks for a fresh row instead of reusing a stale one.
    """

    __tablename__ = "comparison_fragment"
    __table_args__ = (UniqueConstraint("old_version_id", "new_version_id", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    old_version_id: Mapped[int] = mapped_column(ForeignKey("version.id"))
    new_version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    variant: Mapped[str] = mapped_column(String(64))
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ComparisonFragment {self.old_version_id}->{self.new_version_id} {self.variant}>"
