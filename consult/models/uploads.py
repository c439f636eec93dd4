"""Files the secretariat uploads, kept between the preview and the confirmation.

An upload is read and previewed first; only the confirmation writes. The file
waits here in between, in the database, so that any worker on any host can
take the confirmation (nothing is kept in a worker's memory or on its disk).
Confirming or abandoning an upload deletes it; services clear uploads left
over for more than a day.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import Base
from consult.models.accounts import Organisation, User
from consult.models.base import UTCDateTime, one_of, utcnow
from consult.models.rounds import Round

#: comments: a filled-in commenting template that arrived by e-mail;
#: answers: the matrix, downloaded as XLSX and filled in offline.
UPLOAD_KINDS: tuple[str, ...] = ("comments", "answers")


class Upload(Base):
    """A file waiting for its preview to be confirmed."""

    __tablename__ = "upload"
    __table_args__ = (CheckConstraint(one_of("kind", UPLOAD_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A random token naming the upload in URLs, so that ids cannot be guessed.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    emailed_on: Mapped[date | None] = mapped_column(Date)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User] = relationship()
    round: Mapped[Round | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    def __repr__(self) -> str:
        return f"<Upload {self.kind} {self.filename!r}>"
