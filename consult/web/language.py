"""The language of the interface: chosen by the person, else their browser's, else the platform's.

Every page carries a switch (six buttons, each language named in itself) that
posts here. A signed-in person's choice is kept in their account, so that it
follows them to every device; before signing in it is kept in the browser's
session cookie, and kept by the account at sign-in: the latest choice wins.
After signing out, the sign-in page goes on in the language the person had;
that language is only carried over for the page, never given to the next
account that signs in on the browser (a shared computer). Without a choice,
the browser's Accept-Language header decides; then the platform's default
(BABEL_DEFAULT_LOCALE).
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, has_request_context, redirect, request
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from consult.languages import DEFAULT, LANGUAGES, language_name
from consult.services import accounts
from consult.web.addresses import safe_next

bp = Blueprint("language", __name__)

SESSION_KEY = "language"  # chosen on this browser, before signing in
CARRIED_KEY = "language_after_sign_out"  # the last person's, for the sign-in page only


def _platform_default() -> str:
    configured = str(current_app.config.get("BABEL_DEFAULT_LOCALE") or DEFAULT)
    return configured if configured in LANGUAGES else DEFAULT


def select_language() -> str:
    """Return the code of the language this request is answered in."""
    if not has_request_context():
        return _platform_default()
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return str(current_user.language)
    for key in (SESSION_KEY, CARRIED_KEY):
        chosen = browser_session.get(key)
        if chosen in LANGUAGES:
            return str(chosen)
    from_browser = request.accept_languages.best_match(list(LANGUAGES))
    return from_browser or _platform_default()


def carry_after_sign_out(code: str | None) -> None:
    """Go on in `code` on the sign-in page, once the person's session is cleared."""
    if code in LANGUAGES:
        browser_session[CARRIED_KEY] = code


def keep_choice_at_sign_in(user_id: int, account_language: str, chosen: object) -> None:
    """Keep in the account the language chosen on this browser just before signing in."""
    if chosen in LANGUAGES and chosen != account_language:
        accounts.set_language(user_id, str(chosen))


@bp.post("/language")
def choose() -> ResponseReturnValue:
    """Answer in the language asked for from now on; back to the page the switch was on."""
    back = safe_next(request.form.get("next")) or "/"
    code = request.form.get("language", "")
    if code not in LANGUAGES:
        flash(_("There is no interface in that language."), "error")
        return redirect(back, 303)
    browser_session[SESSION_KEY] = code
    if current_user.is_authenticated:
        accounts.set_language(current_user.id, code)
    return redirect(back, 303)


def init_app(app: Flask) -> None:
    """Serve the switch; the locale selector is given to Flask-Babel by the app factory."""
    app.register_blueprint(bp)
    app.jinja_env.globals["interface_languages"] = list(LANGUAGES.values())
    app.jinja_env.filters["language_name"] = language_name
