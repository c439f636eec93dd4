"""Room for the matrix's file uploads, and a clear message when a file is past its limit.

The platform refuses large requests by default. An upload route registers
its own limit here (`allow_upload`); the limit is set before the CSRF check
reads the form (URL value preprocessors run before every before_request
hook), and a request over it gets a page that says how large the file may be.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from consult.services.comment_import.files import size_text
from consult.web.errors import handle_http_error
from consult.web.matrix.blueprint import bp

# Room for the form's other fields and the multipart boundaries around the file.
_FORM_OVERHEAD = 64 * 1024

# endpoint -> (the largest file it takes, in bytes; the message past it, given that size)
_LIMITS: dict[str, tuple[Callable[[], int], Callable[[str], str]]] = {}


def allow_upload(endpoint: str, limit: Callable[[], int], message: Callable[[str], str]) -> None:
    """Let `endpoint` take a file of `limit()` bytes; `message(size)` says so past it."""
    _LIMITS[endpoint] = (limit, message)


@bp.url_value_preprocessor
def _allow_file_size(endpoint: str | None, _values: object) -> None:
    if endpoint in _LIMITS:
        request.max_content_length = _LIMITS[endpoint][0]() + _FORM_OVERHEAD


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: HTTPException) -> ResponseReturnValue:
    """Say how large the file may be; other matrix pages get the usual page."""
    if request.endpoint not in _LIMITS:
        return handle_http_error(error)
    limit, message = _LIMITS[request.endpoint]
    text = message(size_text(limit()))
    return render_template("errors/error.html", title=_("Too large"), message=text), 413
