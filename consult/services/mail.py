"""Sending e-mail: through SMTP when `SMTP_HOST` is set, otherwise into files.

Settings (environment variables with the CONSULT_ prefix): SMTP_HOST,
SMTP_PORT (587), SMTP_USERNAME and SMTP_PASSWORD (both or neither),
SMTP_STARTTLS (true: upgrade the connection with STARTTLS before anything
else is sent), MAIL_FROM. Without SMTP_HOST, as on the embedded default,
each message is written as an .eml file into MAIL_FOLDER (`instance/mail`),
readable by the platform's user only since it may hold a password link.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from consult.models.base import utcnow

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 20


class MailError(Exception):
    """The message could not be handed over (SMTP refused it, or the server is unreachable)."""


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """Return a plain-text message from MAIL_FROM to `to`."""
    message = EmailMessage()
    sender = str(current_app.config["MAIL_FROM"])
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def _write_file(message: EmailMessage) -> Path:
    folder = Path(str(current_app.config["MAIL_FOLDER"]))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{utcnow():%Y%m%dT%H%M%S.%f}-{secrets.token_hex(4)}.eml"  # in order of sending
    path = folder / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes())
    return path


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    host, port = str(config["SMTP_HOST"]), int(config["SMTP_PORT"])
    with smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USERNAME"):
            smtp.login(str(config["SMTP_USERNAME"]), str(config.get("SMTP_PASSWORD") or ""))
        smtp.send_message(message)


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text message to `to`; raise MailError if it cannot be handed over."""
    message = build_message(to, subject, body)
    if not current_app.config.get("SMTP_HOST"):
        path = _write_file(message)
        log.info("no SMTP_HOST set: the message to %s is in %s", to, path)
        return
    try:
        _send_smtp(message)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("the message to %s could not be sent: %s", to, error)
        raise MailError(str(error)) from error
