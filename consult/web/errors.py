"""Error pages: a clear message, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from consult.web.comments.preserve import PRESERVE_TEXT_ENDPOINTS, form_expired


def _page(title: str, message: str, status: int) -> tuple[str, int]:
    return render_template("errors/error.html", title=title, message=message), status


def handle_http_error(error: HTTPException) -> tuple[str, int]:
    """Render an HTTP error as a page with a plain explanation."""
    status = error.code or 500
    messages = {
        400: (_("Bad request"), _("The request could not be understood.")),
        403: (_("Not allowed"), _("Your account does not give access to this page.")),
        404: (_("Not found"), _("There is no page at this address.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        413: (
            _("Too large"),
            _("The file is larger than the platform accepts (5 MB for a draft)."),
        ),
    }
    title, message = messages.get(status, (_("Error"), _("Something went wrong.")))
    return _page(title, message, status)


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    """An expired or missing form token: say what happened and what to do.

    On the comment forms, the form comes back with the text typed in it.
    """
    if request.endpoint in PRESERVE_TEXT_ENDPOINTS:
        page = form_expired()
        if page is not None:
            return page
    return _page(
        _("The form has expired"),
        _(
            "For your security, forms expire after a while or when you sign in again. "
            "Nothing was saved: go back, reload the page and submit the form again."
        ),
        400,
    )


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
