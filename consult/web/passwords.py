"""Passwords: changing one's own, an admin e-mailing a reset link, and choosing one through it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField
from wtforms.validators import DataRequired, Length, ValidationError

from consult.domain.password_policy import MAX_LENGTH, MIN_LENGTH
from consult.moments import duration_text
from consult.services import accounts, login_attempts, passwords
from consult.services.errors import ServiceError
from consult.web import throttle
from consult.web.bidi import isolate, sentence
from consult.web.lookup import acting_user, found

bp = Blueprint("passwords", __name__)

_NEW_PASSWORD_ATTRIBUTES = {"minlength": MIN_LENGTH, "maxlength": MAX_LENGTH}


class NewPasswordForm(FlaskForm):  # type: ignore[misc]
    """A new password, typed twice; checked against the policy for the account."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password."))],
        render_kw=_NEW_PASSWORD_ATTRIBUTES,
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(_l("Enter the new password again."))],
        render_kw=_NEW_PASSWORD_ATTRIBUTES,
    )

    def for_account(self, email: str, name: str) -> NewPasswordForm:
        """Say whose password this is, for the policy's check; return the form."""
        self.account = (email, name)
        return self

    def validate_new_password(self, field: Field) -> None:
        """The password policy: long enough, not common, not the account's e-mail or name."""
        email, name = self.account
        problem = passwords.new_password_problem(field.data, email=email, name=name)
        if problem is not None:
            raise ValidationError(problem)

    def validate_confirm(self, field: Field) -> None:
        """The same password twice, so that a typing slip does not lock the person out."""
        if field.data != self.new_password.data:
            raise ValidationError(_("The two new passwords differ. Type the same one twice."))


class ChangePasswordForm(NewPasswordForm):
    """The current password, then the new one twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=1024)],
    )


@bp.route("/account/password", methods=["GET", "POST"])
def change() -> ResponseReturnValue:
    """Change one's own password; the person's other sessions end.

    A wrong current password is a failed login of the account (consult.web.throttle,
    the same counters), so that a signed-in browser or a stolen session cookie
    gives no unlimited guesses; once they are paused, so is this form.
    """
    user = acting_user()
    form = ChangePasswordForm().for_account(user.email, user.name)
    if form.validate_on_submit():
        attempt = throttle.attempt(user.email)
        pause = throttle.admit(attempt)
        if pause is not None:  # refused before the current password is even checked
            if throttle.first_refusal(pause, "password"):
                login_attempts.record_throttled_password_change(
                    user.id, attempt.address, pause.until
                )
            return throttle.paused_page(pause.until, password_change=True)
        try:
            ended = passwords.change_password(
                user, form.current_password.data, form.new_password.data
            )
        except passwords.WrongPassword as error:
            throttle.count_failure(attempt)
            login_attempts.record_failed_password_change(user.id, attempt.address)
            form.current_password.errors.append(error.message)
        except ServiceError as error:
            form.current_password.errors.append(error.message)
        else:
            flash(
                _("Your password is changed.")
                + (" " + _("You are signed out everywhere else.") if ended else ""),
                "success",
            )
            return redirect(url_for("passwords.change"))
    return render_template(
        "passwords/change.html", form=form, password_hint=passwords.policy_hint()
    )


@bp.post("/admin/users/<int:user_id>/password-link")
def send_reset(user_id: int) -> ResponseReturnValue:
    """E-mail the person a link to choose a new password (admins; the guard checks)."""
    user = found(accounts.get_user, user_id)
    try:
        sent = passwords.send_reset(user, acting_user())
    except ServiceError as error:
        flash(_("Nothing was sent: %(reason)s.", reason=error.message), "error")
    else:
        if sent.welcome:  # the account has no password yet
            message = sentence(
                _(
                    "A link to choose a password is on its way to %(email)s, "
                    "valid for %(valid_for)s."
                ),
                email=isolate(user.email),
                valid_for=duration_text(sent.valid_for),
            )
        else:
            message = sentence(
                _("A link to choose a new password is on its way to %(email)s."),
                email=isolate(user.email),
            )
        flash(message, "success")
    return redirect(url_for("admin.users"))


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    """Choose a password through a link an admin sent; open without signing in.

    The same page serves a new account's welcome link ("Choose your password")
    and a reset link ("Choose a new password"): an account that has no
    password yet can only have been sent the first.
    """
    link = passwords.find_reset(token)
    if link is None:
        abort(404)
    if not link.usable:
        return render_template("passwords/link_spent.html"), 410
    account = link.reset.user
    # A new account's first password (its welcome link), or a new one for an account that has one.
    first = not passwords.has_password(account)
    form = NewPasswordForm().for_account(account.email, account.name)
    if form.validate_on_submit():
        try:
            passwords.reset_password(token, form.new_password.data)
        except ServiceError as error:
            form.form_errors.append(error.message)
        else:
            throttle.forgive_account(account.email)
            # Every session of the account has ended: sign in again with the new password.
            if first:
                flash(_("Your password is set. Sign in with it."), "success")
            else:
                flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "passwords/reset.html",
        form=form,
        email=account.email,
        first=first,
        password_hint=passwords.policy_hint(),
    )
