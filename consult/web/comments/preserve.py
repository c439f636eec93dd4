"""Giving a person back the comment they typed when their form or session expired.

A long comment must never be lost. Two things can go wrong on the way:

- the form's CSRF token expired or is missing: the form comes back (400)
  with the text in it, a fresh token and a message to submit again;
- the session ended while the person was typing: the POST arrives anonymous,
  and instead of the usual redirect to the login page (which would drop the
  text), a page (401) shows the text to copy and a link to sign in again that
  leads back to the form.

The text is shown back only to a request sent by one of our own pages
(Origin or Referer of our host, Sec-Fetch-Site same-origin when the browser
says it) from a browser whose cookie still carries the token of a session
opened here. Otherwise another site could post a text of its choosing and
have our platform display it under our name ("Your session ended: call ...");
such a request gets the page without any text.

The guard (consult.web.guard) and the CSRF error handler (consult.web.errors)
call these for the endpoints in PRESERVE_TEXT_ENDPOINTS.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_login.utils import decode_cookie
from werkzeug.exceptions import HTTPException

from consult.services.sessions import opened_here
from consult.web.addresses import safe_next
from consult.web.comments import routes
from consult.web.sessions import flash_expiry

# Forms whose POST carries a long text: when the session has ended, the text
# is shown back to be copied instead of being dropped by the login redirect.
PRESERVE_TEXT_ENDPOINTS = frozenset({"comments.new", "comments.edit"})


def _form_url(trusted: bool) -> str:
    """Return the address of the form the person was filling in (a GET, to come back to).

    The clause posted with the form is used only when the request is `trusted`
    (see session_ended): nothing another site posts is reflected.
    """
    args = request.view_args or {}
    if request.endpoint == "comments.edit":
        return url_for("comments.edit", comment_id=args.get("comment_id"))
    posted = request.form.get("clause") if trusted else None
    clause = (posted or request.args.get("clause") or "").strip()
    return url_for("comments.new", round_id=args.get("round_id"), clause=clause or None)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def from_our_pages() -> bool:
    """Return whether the request was sent by one of our own pages (not by another site)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    ours = _origin(request.host_url)
    origin = request.headers.get("Origin")
    if origin is not None:
        return _origin(origin) == ours
    referer = request.headers.get("Referer")
    return referer is not None and _origin(referer) == ours


def _cookie_tokens() -> list[str]:
    """Return the session tokens the browser's cookies carry (session and remember-me)."""
    tokens = []
    user_id = session.get("_user_id")
    if isinstance(user_id, str):
        tokens.append(user_id)
    remembered = request.cookies.get(
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    )
    if remembered:
        decoded = decode_cookie(remembered)
        if isinstance(decoded, str):
            tokens.append(decoded)
    return tokens


def same_browser() -> bool:
    """Return whether the browser's cookie carries the token of a session opened here."""
    return any(opened_here(token) for token in _cookie_tokens())


def session_ended() -> ResponseReturnValue | None:
    """Show the text of a form posted after the session ended, with a way to sign in again.

    Returns None when the form carried no text: then there is nothing to lose,
    and the usual redirect to the login page follows.
    """
    body = request.form.get("body", "")
    proposed = request.form.get("proposed_text", "")
    if not body.strip() and not proposed.strip():
        return None
    flash_expiry()  # when the session expired rather than ended, say why (once)
    shown = from_our_pages() and same_browser()
    login_url = url_for("auth.login", next=safe_next(_form_url(shown)))
    page = render_template(
        "comments/session_ended.html",
        body=body if shown else "",
        proposed=proposed if shown else "",
        shown=shown,
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
