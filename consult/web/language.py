"""The language of the interface: chosen by the person, else their browser's, else the platform's.

Every page carries a switch (six buttons, each language named in itself) that
posts here. A signed-in person's choice is kept in their account, so that it
follows them to every device; before signing in it is kept in the browser's
session cookie, and adopted by the account at sign-in if the account has none.
Without a choice, the browser's Accept-Language header decides; then the
platform's default (BABEL_DEFAULT_LOCALE).
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, has_request_context, redirect, request
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from consult.languages import DEFAULT, LANGUAGES
from consult.services import accounts
from consult.web.addresses import safe_next

bp = Blueprint("language", __name__)

SESSION_KEY = "language"


def _platform_default() -> str:
    configured = str(current_app.config.get("BABEL_DEFAULT_LOCALE") or DEFAULT)
    return configured if configured in LANGUAGES else DEFAULT


def select_language() -> str:
    """Return the code of the language this request is answered in."""
    if not has_request_context():
        return _platform_default()
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return str(current_user.language)
    chosen = browser_session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    from_browser = request.accept_languages.best_match(list(LANGUAGES))
    return from_browser or _platform_default()


def keep_choice(code: str | None) -> None:
    """Keep `code` as this browser's choice (after its session was cleared at sign-in or out)."""
    if code in LANGUAGES:
        browser_session[SESSION_KEY] = code


def adopt_choice_at_sign_in(user_id: int, account_language: str, chosen: str | None) -> None:
    """Keep in the account a language chosen before signing in, if it has none of its own."""
    if chosen in LANGUAGES and account_language not in LANGUAGES:
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
