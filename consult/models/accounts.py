"""Organisations and the people who act for them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.base import UTCDateTime, one_of, utcnow

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


class Organisation(Base):
    """A State's mission, a UN entity, an NGO, an NHRI, a university..."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(one_of("kind", ORGANISATION_KINDS), name="kind"),
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
    # Short code used in comment tracking numbers ("DE-002"): the ISO code for
    # a State, initials otherwise; unique.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class User(Base):
    """A person with a role; stakeholders act on behalf of their organisation."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role"),
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
    # The language the person chose for the interface ('' until they choose one).
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")

    # Set by the login loader: the server-side session this request runs under.
    # A plain attribute, not a column.
    __allow_unmapped__ = True
    session_token: str | None = None

    # Flask-Login's protocol. The id it stores in cookies is the session's
    # token, not the user's id, so that ending the session server-side makes
    # every copy of the old cookie worthless.
    @property
    def is_authenticated(self) -> bool:
        """True: a loaded user always comes from a live session."""
        return True

    @property
    def is_active(self) -> bool:
        """False once an admin deactivates the account."""
        return self.active

    @property
    def is_anonymous(self) -> bool:
        """False: anonymous visitors are Flask-Login's own object."""
        return False

    def get_id(self) -> str | None:
        """Return the token of the session this user was loaded under."""
        return self.session_token

    def __repr__(self) -> str:
        return f"<User {self.email!r} {self.role}>"


class UserSession(Base):
    """A login: a random token held in the user's cookie.

    It ends at logout, at deactivation, when the person ends it from another
    device, or when it expires: unused for too long (`last_seen_at`, kept to
    the minute) or older than its lifetime (longer when `remember` was ticked).
    """

    __tablename__ = "user_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    # The browser's User-Agent header at login (cut to 300 characters), to tell sessions apart.
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PasswordReset(Base):
    """A link an admin sent so that a person can choose a new password: one use, until it expires.

    Only the SHA-256 of the link's random token is kept, so that a copy of
    the database opens no account.
    """

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When it was used, or voided by a newer link or a password change.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
