"""Giving a person back the comment they typed when their form or session expired.

A long comment must never be lost. Two things can go wrong on the way:

- the form's CSRF token expired or is missing: the form comes back (400)
  with the text in it, a fresh token and a message to submit again;
- the session ended while the person was typing: the POST arrives anonymous,
  and instead of the usual redirect to the login page (which would drop the
  text), a page (401) shows the text to copy and a link to sign in again that
  leads back to the form.

The guard (consult.web.guard) and the CSRF error handler (consult.web.errors)
call these for the endpoints in PRESERVE_TEXT_ENDPOINTS.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from consult.web.auth import safe_next
from consult.web.comments import routes

# Forms whose POST carries a long text: when the session has ended, the text
# is shown back to be copied instead of being dropped by the login redirect.
PRESERVE_TEXT_ENDPOINTS = frozenset({"comments.new", "comments.edit"})


def _form_url() -> str:
    """Return the address of the form the person was filling in (a GET, to come back to)."""
    args = request.view_args or {}
    if request.endpoint == "comments.edit":
        return url_for("comments.edit", comment_id=args.get("comment_id"))
    clause = (request.form.get("clause") or request.args.get("clause") or "").strip()
    return url_for("comments.new", round_id=args.get("round_id"), clause=clause or None)


def session_ended() -> ResponseReturnValue | None:
    """Show the text of a form posted after the session ended, with a way to sign in again.

    Returns None when the form carried no text: then there is nothing to lose,
    and the usual redirect to the login page follows.
    """
    body = request.form.get("body", "")
    proposed = request.form.get("proposed_text", "")
    if not body.strip() and not proposed.strip():
        return None
    login_url = url_for("auth.login", next=safe_next(_form_url()))
    page = render_template(
        "comments/session_ended.html",
        body=body,
        proposed=proposed,
        login_url=login_url,
    )
    return page, 401


def form_expired() -> ResponseReturnValue | None:
    """Show the comment form again with the text typed, after a CSRF failure.

    Returns None when the form cannot be shown again (the round or comment is
    gone, or the reader may not use it): the caller then shows its usual page.
    """
    if not current_user.is_authenticated:
        return session_ended()
    notice = _(
        "For your security, the form expired before it was sent. Nothing was saved: "
        "your text is below, check it and submit again."
    )
    args = request.view_args or {}
    try:
        if request.endpoint == "comments.new":
            return routes.form_again(int(args["round_id"]), notice)
        if request.endpoint == "comments.edit":
            return routes.edit_form_again(int(args["comment_id"]), notice)
    except (HTTPException, KeyError, ValueError):
        return None
    return None
