"""A person's sessions: the page that lists them and ends the others; why one expired.

The limits themselves are checked by consult.services.sessions when each
request loads its user; this module puts the reason into words.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult.domain.user_agents import describe
from consult.moments import Moment, duration_text
from consult.plurals import ngettext
from consult.services import sessions as login_sessions
from consult.web.lookup import acting_user

bp = Blueprint("sessions", __name__, url_prefix="/account")


@dataclass(frozen=True)
class SessionRow:
    """A live session as its row on the page shows it."""

    started: Moment
    last_active: Moment
    device: str
    current: bool


def device_text(user_agent: str) -> str:
    """Return the browser and system of a User-Agent header in words ("Firefox on Windows")."""
    device = describe(user_agent)
    if device.browser and device.system:
        return str(_("%(browser)s on %(system)s", browser=device.browser, system=device.system))
    return device.browser or device.system or str(_("An unknown browser"))


def flash_expiry() -> bool:
    """Say once why the session of this request expired; return whether it did."""
    expiry = login_sessions.expired_here()
    if expiry is None:
        return False
    if g.get("expiry_flashed"):  # the guard and the CSRF error page may both ask
        return True
    g.expiry_flashed = True
    if expiry.reason == "idle":
        message = _(
            "Your session ended after %(length)s without activity; please sign in again.",
            length=duration_text(expiry.after),
        )
    else:
        message = _(
            "Your session ended %(length)s after you signed in, the longest a session lasts; "
            "please sign in again.",
            length=duration_text(expiry.after),
        )
    flash(message, "info")
    return True


@bp.get("/sessions")
def index() -> ResponseReturnValue:
    """List the person's live sessions, this one marked, with a button to end the others."""
    rows = [
        SessionRow(
            started=Moment(each.started),
            last_active=Moment(each.last_active),
            device=device_text(each.user_agent),
            current=each.current,
        )
        for each in login_sessions.live_sessions(acting_user())
    ]
    limits = login_sessions.limits()
    return render_template(
        "sessions/index.html",
        rows=rows,
        others=sum(1 for row in rows if not row.current),
        idle=duration_text(limits.idle),
        plain=duration_text(limits.plain),
        remembered=duration_text(limits.remembered),
        remembered_idle=duration_text(limits.remembered_idle),
    )


@bp.post("/sessions/end-others")
def end_others() -> ResponseReturnValue:
    """End every session of the person but this one; any copy of their cookies stops working."""
    ended = login_sessions.end_others(acting_user())
    if ended:
        flash(
            ngettext(
                "%(num)s other session ended: it is signed out.",
                "%(num)s other sessions ended: they are signed out.",
                ended,
            ),
            "success",
        )
    else:
        flash(_("You had no other session: nothing changed."), "info")
    return redirect(url_for("sessions.index"))
