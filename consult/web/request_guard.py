"""NUL characters in a request never reach the database.

PostgreSQL text cannot hold a NUL byte: a lookup with one (a clause key in a
URL, a slug, a search, a form field read by a view) raises instead of
finding nothing. No name, key or text of the platform holds a NUL, so:

- a NUL in the path answers 404 (no page has that address);
- a NUL in the query string answers 400 (no filter can mean it);
- NUL characters in posted form fields are removed before any view or form
  reads them, as the forms remove other control characters (consult.web.clean_form).
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.datastructures import ImmutableMultiDict

NUL = "\x00"


def _refuse_or_clean() -> None:
    if NUL in request.path:
        abort(404)
    if any(NUL in key or NUL in value for key, value in request.args.items(multi=True)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = request.form
        if any(NUL in key or NUL in value for key, value in form.items(multi=True)):
            cleaned = ImmutableMultiDict(
                (key.replace(NUL, ""), value.replace(NUL, ""))
                for key, value in form.items(multi=True)
            )
            # Werkzeug caches the parsed form on the request: views and forms read this one.
            request._get_current_object().form = cleaned  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Check every request for NUL characters before the views (and the guard) run."""
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_or_clean)
