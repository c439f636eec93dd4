"""Documents, their versions, and the clauses of each version.

A published version and its clauses never change (consult.models.published).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.accounts import User
from consult.models.base import UTCDateTime, utcnow
from consult.models.published import frozen_once_published

VERSION_STATUSES: tuple[str, ...] = ("draft", "published")


class Document(Base):
    """One text under negotiation."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(60), default="")
    # Shown on the cover and in the metadata of the consolidated PDF: the
    # document symbol ("A/HRC/.../L.1"), the organisation that publishes it,
    # and the language of the text (a BCP 47 tag such as "en" or "ar").
    symbol: Mapped[str] = mapped_column(String(100), default="", server_default="")
    publisher: Mapped[str] = mapped_column(String(300), default="", server_default="")
    language: Mapped[str] = mapped_column(String(20), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    versions: Mapped[list[Version]] = relationship(
        back_populates="document", order_by="Version.number"
    )
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Document {self.slug!r}>"


class Version(Base):
    """A snapshot of a document: a draft until published, then frozen."""

    __tablename__ = "version"
    __table_args__ = (
        UniqueConstraint("document_id", "number"),
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint("(status = 'published') = (published_at IS NOT NULL)", name="published_at"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # The whole uploaded draft (a law's is over a megabyte): loaded only when read,
    # not with every version a page names.
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    source_filename: Mapped[str] = mapped_column(String(255), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    # The language this version's text is written in (a BCP 47 tag); '' for a
    # version stored before versions had their own: the document's is meant.
    language: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    document: Mapped[Document] = relationship(back_populates="versions")
    clauses: Mapped[list[Clause]] = relationship(
        back_populates="version", order_by="Clause.position"
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def is_published(self) -> bool:
        """True once the version is frozen."""
        return self.status == "published"

    @property
    def text_language(self) -> str:
        """The language of this version's own text: its own tag, else the document's."""
        return self.language or self.document.language or "en"

    def __repr__(self) -> str:
        return f"<Version {self.document_id}/{self.number} {self.status}>"


class Clause(Base):
    """One addressable unit of a version, in a tree given by `parent_key`."""

    __tablename__ = "clause"
    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        UniqueConstraint("version_id", "position"),
        ForeignKeyConstraint(
            ["version_id", "parent_key"],
            ["clause.version_id", "clause.key"],
            name="fk_clause_parent",
        ),
        # Deleting a clause looks up the clauses whose parent it is: without this
        # index each lookup scans the table (minutes for a draft of 25,000 clauses).
        Index("ix_clause_version_id_parent_key", "version_id", "parent_key"),
        CheckConstraint("text != '' OR heading != '' OR number != ''", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100), default="")
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    parent_key: Mapped[str | None] = mapped_column(String(200))

    version: Mapped[Version] = relationship(back_populates="clauses")

    def __repr__(self) -> str:
        return f"<Clause {self.key!r} {self.number!r}>"


frozen_once_published(
    Version,
    Clause,
    owner="version",
    owner_id="version_id",
    whole_changed=lambda version: f"version {version.number} is published and cannot change",
    part_changed=lambda clause: (
        f"clause {clause.key!r} belongs to a published version and cannot change"
    ),
    part_added="a published version cannot gain clauses",
)
