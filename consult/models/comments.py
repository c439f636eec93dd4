"""Comments in a round, their earlier revisions, and the secretariat's responses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.accounts import Organisation, User
from consult.models.base import UTCDateTime, one_of, utcnow
from consult.models.documents import Clause
from consult.models.rounds import Round

COMMENT_TYPES: tuple[str, ...] = ("general", "substantive", "editorial")
COMMENT_STATUSES: tuple[str, ...] = ("active", "withdrawn")
# How a comment reached the platform: typed in by a stakeholder, or taken
# from a filled-in commenting template that arrived by e-mail.
COMMENT_CHANNELS: tuple[str, ...] = ("platform", "email")
DISPOSITIONS: tuple[str, ...] = (
    "accepted",
    "accepted_in_part",
    "not_accepted",
    "noted",
    "addressed_elsewhere",
)


class Comment(Base):
    """One stakeholder organisation's input in a round, on a clause or the whole document."""

    __tablename__ = "comment"
    __table_args__ = (
        UniqueConstraint("round_id", "tracking_number"),
        UniqueConstraint("round_id", "organisation_id", "sequence"),
        UniqueConstraint("author_id", "idempotency_key"),
        CheckConstraint(one_of("type", COMMENT_TYPES), name="type"),
        CheckConstraint(one_of("status", COMMENT_STATUSES), name="status"),
        CheckConstraint("(status = 'withdrawn') = (withdrawn_at IS NOT NULL)", name="withdrawn_at"),
        CheckConstraint(one_of("channel", COMMENT_CHANNELS), name="channel"),
        CheckConstraint("(channel = 'email') = (emailed_on IS NOT NULL)", name="emailed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    type: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    proposed_text: Mapped[str | None] = mapped_column(Text)
    # The template's "Paragraph/Figure/Table" column, as the commenter wrote it.
    paragraph: Mapped[str] = mapped_column(String(200), default="", server_default="")
    sequence: Mapped[int] = mapped_column(Integer)
    tracking_number: Mapped[str] = mapped_column(String(40))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="active")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(20), default="platform", server_default="platform")
    # For a comment that arrived by e-mail: the day the e-mail was received.
    emailed_on: Mapped[date | None] = mapped_column(Date)
    # The language it is written in (a BCP 47 tag; '' when not known): its script's
    # where that leaves no doubt (Arabic, Chinese, Cyrillic), else the language of
    # the pages its author wrote it on.
    language: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The language of the clause's text it was made on: '' for the version's own, else
    # one of the version's translations (its proposed wording rewrites that text).
    text_language: Mapped[str] = mapped_column(String(20), default="", server_default="")

    round: Mapped[Round] = relationship()
    clause: Mapped[Clause | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    author: Mapped[User] = relationship()
    revisions: Mapped[list[CommentRevision]] = relationship(
        back_populates="comment", order_by="CommentRevision.revision"
    )
    response: Mapped[Response | None] = relationship(back_populates="comment")

    @property
    def is_withdrawn(self) -> bool:
        """True once the organisation has withdrawn the comment."""
        return self.status == "withdrawn"

    def __repr__(self) -> str:
        return f"<Comment {self.tracking_number}>"


class CommentRevision(Base):
    """The text a comment had before an edit: nothing typed is ever lost."""

    __tablename__ = "comment_revision"
    __table_args__ = (UniqueConstraint("comment_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    proposed_text: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    comment: Mapped[Comment] = relationship(back_populates="revisions")
    saved_by: Mapped[User] = relationship()


class Response(Base):
    """The secretariat's disposition of one comment; internal until the round's are published."""

    __tablename__ = "response"
    __table_args__ = (CheckConstraint(one_of("disposition", DISPOSITIONS), name="disposition"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), unique=True)
    disposition: Mapped[str] = mapped_column(String(30))
    explanation: Mapped[str] = mapped_column(Text, default="")
    responder_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # 1 when first saved, one more at each change: a form or a downloaded
    # matrix carries the revision it showed, so that a save made on an older
    # answer is caught as a conflict instead of overwriting a colleague's.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    comment: Mapped[Comment] = relationship(back_populates="response")
    responder: Mapped[User] = relationship()


class StandardAnswer(Base):
    """A saved observation the secretariat picks from ("Outside the scope of these Principles")."""

    __tablename__ = "standard_answer"
    __table_args__ = (
        CheckConstraint(
            "disposition IS NULL OR " + one_of("disposition", DISPOSITIONS), name="disposition"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    # SHA-256 of the text case-folded: unique, so that the same answer is never
    # saved twice, whatever its length in bytes (an index on a long text in
    # Arabic or Chinese would exceed PostgreSQL's limit for an index entry).
    text_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The disposition the answer usually goes with, offered with it; may be none.
    disposition: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    created_by: Mapped[User | None] = relationship()
