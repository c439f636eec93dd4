"""The PDF job: what a background worker runs to make a consolidated PDF.

consult.services.jobs calls `run_pdf_job` in a child process or an RQ
worker, inside an app context, with the parameters the web request stored:
the viewer's id, the moment of the request and the request itself. The PDF
is made as the viewer could see it at that moment, so that the key it is
stored under (computed then) says what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.extensions import db
from consult.models import User
from consult.services.consolidated.render import render_consolidated
from consult.services.consolidated.request import BadRequest, PdfRequest
from consult.services.errors import NotFound


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise BadRequest(_("The job names no moment."))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise BadRequest(_("The job's moment is not an ISO 8601 time.")) from err
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _viewer(value: Any) -> User | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(_("The job's viewer is not a user id."))
    user = db.session.get(User, value)
    if user is None or not user.active:
        raise NotFound(_("The person who asked for this PDF has no active account any more."))
    return user


def run_pdf_job(params: Mapping[str, Any], out: BinaryIO, progress: Callable[[str], None]) -> int:
    """Render the PDF `params` describe to `out`; return its number of pages.

    `params` = {"viewer_id": int | None, "requested_at": ISO 8601 UTC time,
    **PdfRequest.as_params()}, and optionally "locale" (the language the PDF's
    own words are in; by default the app's). The request is checked again:
    a person who lost the right to read the version gets no PDF of it.
    """
    viewer = _viewer(params.get("viewer_id"))
    now = _moment(params.get("requested_at"))
    request = PdfRequest.from_params(params)
    locale = params.get("locale")
    if isinstance(locale, str) and locale:
        with force_locale(locale):
            return render_consolidated(viewer, request, now, out, progress)
    return render_consolidated(viewer, request, now, out, progress)
