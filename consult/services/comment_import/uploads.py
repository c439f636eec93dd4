"""The web's steps of an import: upload, preview, confirm or discard a kept file.

An uploaded template is checked and read at once (a bad file is refused and
nothing is stored), then kept in an `Upload` row until its preview is
confirmed or discarded, so that any worker on any host can take the next
step. Uploads neither confirmed nor discarded are cleared after a day.
Checking, reading, planning and storing the rows are shared with the command
line, in `importing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.models import Organisation, Round, Upload, User
from consult.services.comment_import.importing import (
    ImportResult,
    build_preview,
    build_result,
    check_actor,
    check_target,
    get_organisation,
    read_file,
    store_rows,
    write_conflict,
)
from consult.services.comment_import.preview import ImportPreview
from consult.services.errors import NotFound
from consult.services.rounds import get_round, lock_round
from consult.services.transactions import write_transaction
from consult.services.uploads import keep_upload

KIND = "comments"


def start_import(
    round_id: int,
    organisation_id: int,
    emailed_on: date,
    filename: str,
    content: bytes,
    actor: User,
) -> str:
    """Check and read the file, keep it for its preview, and return the upload's token.

    Raises NotFound, Refused (round not open yet, organisation not in it),
    ServiceError (a date in the future) or FileRefused; nothing is stored then.
    """
    check_actor(actor)
    round_ = get_round(round_id)
    organisation = get_organisation(organisation_id)
    check_target(round_, organisation, emailed_on)
    read_file(content)
    return keep_upload(
        KIND,
        content,
        filename,
        "comments",
        actor,
        document_id=round_.version.document_id,
        round_id=round_.id,
        organisation_id=organisation.id,
        emailed_on=emailed_on,
    )


def get_upload(token: str) -> Upload:
    """Return the comment file waiting under ``token``, or raise NotFound."""
    upload = db.session.scalar(select(Upload).where(Upload.token == token, Upload.kind == KIND))
    if upload is None or upload.round is None or upload.organisation is None:
        raise NotFound(
            _("This import was confirmed, discarded or has expired: upload the file again.")
        )
    return upload


def _parts(upload: Upload) -> tuple[Round, Organisation, date]:
    if upload.round is None or upload.organisation is None or upload.emailed_on is None:
        raise NotFound(_("This import is incomplete: upload the file again."))
    return upload.round, upload.organisation, upload.emailed_on


def preview_import(token: str, corrections: Mapping[int, str] | None = None) -> ImportPreview:
    """Return the preview of a waiting upload, with the clauses chosen in ``corrections``."""
    upload = get_upload(token)
    round_, organisation, emailed_on = _parts(upload)
    rows = read_file(upload.content)
    return build_preview(
        upload.token, upload.filename, round_, organisation, emailed_on, rows, corrections or {}
    )


def confirm_import(token: str, corrections: Mapping[int, str] | None, actor: User) -> ImportResult:
    """Import every valid row of a waiting upload in one transaction; delete the upload.

    Raises NotFound when the upload is gone, Refused when the round or the
    organisation no longer allows it; nothing is stored then.
    """
    check_actor(actor)
    upload = get_upload(token)
    round_, organisation, emailed_on = _parts(upload)
    rows = read_file(upload.content)
    upload_id, filename, digest = upload.id, upload.filename, upload.sha256
    try:
        with write_transaction():
            lock_round(round_.id)  # first: a confirmation of the same upload waits here
            if db.session.get(Upload, upload_id) is None:
                raise NotFound(
                    _("This import was confirmed or discarded meanwhile: nothing more was stored.")
                )
            imported, skipped, summary = store_rows(
                round_.id,
                organisation,
                emailed_on,
                filename,
                digest,
                rows,
                corrections or {},
                actor,
            )
            db.session.execute(delete(Upload).where(Upload.id == upload_id))
    except IntegrityError as err:
        raise write_conflict() from err
    return build_result(summary, organisation, emailed_on, filename, imported, skipped)


def discard_import(token: str, actor: User) -> int:
    """Delete a waiting upload without importing anything; return its round's id."""
    check_actor(actor)
    upload = get_upload(token)
    round_id, upload_id = upload.round_id, upload.id
    with write_transaction():
        db.session.execute(delete(Upload).where(Upload.id == upload_id))
    return int(round_id or 0)
