"""Logging in and out; failed logins are counted and audited (consult.web.throttle)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from consult.extensions import login_manager
from consult.models import User
from consult.services import login_attempts, sessions
from consult.web import language, throttle
from consult.web.addresses import safe_next

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):  # type: ignore[misc]
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the login form; sign the person in with a fresh session."""
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("reading.index"))
    form = LoginForm()
    if form.validate_on_submit():
        attempt = throttle.attempt(form.email.data or "")
        pause = throttle.admit(attempt)
        if pause is not None:  # refused before the password is even checked
            if throttle.first_refusal(pause, "login"):
                login_attempts.record_throttled_login(attempt.email, attempt.address, pause.until)
            return throttle.paused_page(pause.until)
        user = sessions.authenticate(attempt.email, form.password.data or "")
        if user is None:
            throttle.count_failure(attempt)
            login_attempts.record_failed_login(attempt.email, attempt.address)
            flash(_("The e-mail address or password is not right."), "error")
            return render_template("auth/login.html", form=form), 200
        chosen = session.get(language.SESSION_KEY)
        session.clear()  # a new session at login, never the visitor's old one
        language.keep_choice_at_sign_in(user.id, user.language, chosen)
        remember = bool(form.remember.data)
        sessions.start_session(user, remember, request.headers.get("User-Agent", ""))
        login_user(user, remember=remember)
        response = redirect(next_url or url_for("reading.index"))
        throttle.remember_device(response, attempt.email)
        return response
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session on the server, so that no copy of the cookie works again."""
    user: User = current_user._get_current_object()
    had = user.language or session.get(language.SESSION_KEY)
    sessions.end_session(user)
    logout_user()
    session.clear()
    language.carry_after_sign_out(had)  # the sign-in page goes on in the person's language
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    """Load users from their server-side session token."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(sessions.load_session)
    throttle.init_app(app)
