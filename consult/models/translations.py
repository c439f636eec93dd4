"""Language versions: a published version's text in another language, clause by clause.

A translation belongs to one published version and one language. Its
clauses are the translated file as parsed, each tied to the clause of the
original it renders (`original_key`), so that everything that hangs on a
clause key (comments, answers, history, comparisons) holds in every language.
Several translated clauses may render one original clause (a translator
split a paragraph); an original clause with none is shown in the original's
language. Like a version, a translation is a draft until published, and a
published translation and its clauses never change.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.accounts import User
from consult.models.base import UTCDateTime, utcnow
from consult.models.documents import Version
from consult.models.published import frozen_once_published


class Translation(Base):
    """A published version's text in one more language."""

    __tablename__ = "version_translation"
    __table_args__ = (
        UniqueConstraint("version_id", "language"),
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint("(status = 'published') = (published_at IS NOT NULL)", name="published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    language: Mapped[str] = mapped_column(String(20))
    # The document's title in this language (from the file's "# Title" or front matter).
    title: Mapped[str] = mapped_column(String(500), default="")
    label: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    source_filename: Mapped[str] = mapped_column(String(255), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    version: Mapped[Version] = relationship()
    clauses: Mapped[list[TranslatedClause]] = relationship(
        back_populates="translation",
        order_by="TranslatedClause.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def is_published(self) -> bool:
        """True once the translation is frozen."""
        return self.status == "published"

    def __repr__(self) -> str:
        return f"<Translation {self.version_id} {self.language} {self.status}>"


class TranslatedClause(Base):
    """One clause of a translation as parsed, tied to the original clause it renders."""

    __tablename__ = "translated_clause"
    __table_args__ = (
        UniqueConstraint("translation_id", "position"),
        CheckConstraint("text != '' OR heading != '' OR number != ''", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("version_translation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    # The key the parser gave it in the translated file (shown when pairing).
    own_key: Mapped[str] = mapped_column(String(200))
    # The original clause it renders; None until paired (a translation with an
    # unpaired clause cannot be published).
    original_key: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(100), default="")
    heading: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30))
    depth: Mapped[int] = mapped_column(Integer, default=0)

    translation: Mapped[Translation] = relationship(back_populates="clauses")

    def __repr__(self) -> str:
        return f"<TranslatedClause {self.position} {self.own_key!r} -> {self.original_key!r}>"


frozen_once_published(
    Translation,
    TranslatedClause,
    owner="translation",
    owner_id="translation_id",
    whole_changed=lambda translation: (
        f"the {translation.language} text of a version is published and cannot change"
    ),
    part_changed=lambda _clause: "a clause of a published translation cannot change",
    part_added="a published translation cannot gain clauses",
)
