"""Organisations and the people who act for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.base import UTCDateTime, utcnow

ORGANISATION_KINDS: tuple[str, ...] = (
    "member_state",
    "un_entity",
    "igo",
    "ngo",
    "nhri",
    "academic",
    "other",
)
ROLES: tuple[str, ...] = ("admin", "secretariat", "drafter", "stakeholder")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(Base):
    """A State's mission, a UN entity, an NGO, an NHRI, a university..."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(_in("kind", ORGANISATION_KINDS), name="kind"),
        CheckConstraint(
            "(kind = 'member_state' AND country_code IS NOT NULL) "
            "OR (kind != 'member_state' AND country_code IS NULL)",
            name="country_code_for_states",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class User(Base):
    """A person with a role; stakeholders act on behalf of their organisation."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(
            "role != 'stakeholder' OR organisation_id IS NOT NULL",
            name="stakeholder_has_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")

    def __repr__(self) -> str:
        return f"<User {self.email!r} {self.role}>"
