"""Consultation rounds on a published version, and the organisations invited."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.accounts import Organisation, User
from consult.models.base import UTCDateTime, one_of, utcnow
from consult.models.documents import Version

PARTICIPATION: tuple[str, ...] = ("all", "invited")
# open: every participant sees comments as soon as they are posted;
# own_until_close: each organisation sees only its own until the round closes;
# secretariat: only the secretariat (and drafters) ever see others' comments.
VISIBILITY: tuple[str, ...] = ("open", "own_until_close", "secretariat")
# named: others see the organisation; anonymous: not to others, not in public exports.
ATTRIBUTION: tuple[str, ...] = ("named", "anonymous")


class Round(Base):
    """A consultation round: who may comment on which version, when, and who sees what."""

    __tablename__ = "round"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint(one_of("participation", PARTICIPATION), name="participation"),
        CheckConstraint(one_of("visibility", VISIBILITY), name="visibility"),
        CheckConstraint(one_of("attribution", ATTRIBUTION), name="attribution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    place: Mapped[str] = mapped_column(String(200), default="")
    meeting_starts_on: Mapped[date | None] = mapped_column(Date)
    meeting_ends_on: Mapped[date | None] = mapped_column(Date)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_zone: Mapped[str] = mapped_column(String(60), default="UTC")
    participation: Mapped[str] = mapped_column(String(20), default="all")
    visibility: Mapped[str] = mapped_column(String(20), default="open")
    attribution: Mapped[str] = mapped_column(String(20), default="named")
    responses_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    version: Mapped[Version] = relationship()
    created_by: Mapped[User | None] = relationship()
    invitations: Mapped[list[RoundInvitation]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )

    def state(self, now: datetime) -> str:
        """Return 'upcoming', 'open' or 'closed' at the time `now`."""
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    def takes_part(self, organisation_id: int | None) -> bool:
        """Whether the organisation may comment in this round."""
        if organisation_id is None:
            return False
        if self.participation == "all":
            return True
        return any(i.organisation_id == organisation_id for i in self.invitations)

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.title!r}>"


class RoundInvitation(Base):
    """An organisation invited to a round whose participation is 'invited'."""

    __tablename__ = "round_invitation"
    __table_args__ = (UniqueConstraint("round_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))

    round: Mapped[Round] = relationship(back_populates="invitations")
    organisation: Mapped[Organisation] = relationship()
