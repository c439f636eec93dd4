"""The `clean-sessions` command: delete the rows of long-ended login sessions.

Run it daily (cron, a systemd timer): signing in deletes such rows too, but
a platform where nobody signs in for a while keeps them until then.
"""

from __future__ import annotations

import click

from consult.services import sessions


@click.command("clean-sessions")
@click.option(
    "--keep-days",
    type=click.FloatRange(min=0),
    default=sessions.KEEP_DAYS,
    show_default=True,
    help="Keep the sessions that ended or expired fewer than this many days ago.",
)
def clean_sessions(keep_days: float) -> None:
    """Delete the sessions that ended or expired more than --keep-days ago."""
    deleted = sessions.clean_sessions(keep_days)
    click.echo(f"Deleted {deleted} ended or expired sessions.")
