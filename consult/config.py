"""Configuration: defaults, then environment overrides with the CONSULT_ prefix.

`CONSULT_DATABASE_URL` selects the database (SQLite file or PostgreSQL URL);
without it, Consult uses SQLite in the instance folder. `CONSULT_SECRET_KEY`
sets the secret key; without it, one is generated once into the instance
folder, so that sessions survive restarts and no secret lives in the code.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from consult.resources import data_folder

SECRET_KEY_FILE = "secret_key"


def default_settings(instance_path: str) -> dict[str, Any]:
    """Return the settings that apply when the environment says nothing."""
    return {
        "DATABASE_URL": "sqlite:///" + str(Path(instance_path) / "consult.sqlite3"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        # A commenting template that arrived by e-mail (.docx or .xlsx); its upload
        # alone is allowed a request of that size (consult.web.matrix.comment_import).
        "COMMENT_IMPORT_MAX_BYTES": 10 * 1024 * 1024,
        # Pasted drafts arrive as a form field: allow as much as an uploaded file.
        "MAX_FORM_MEMORY_SIZE": 6 * 1024 * 1024,
        "DRAFTS_FOLDER": str(data_folder("drafts")),
        # The most clauses one draft may have (a larger one is refused with a message).
        "MAX_CLAUSES": 20_000,
        "SQLITE_BUSY_TIMEOUT_MS": 10_000,
        # Cookies: never readable from scripts, not sent on cross-site posts.
        # Set CONSULT_HTTPS=true behind HTTPS: cookies are then sent over HTTPS
        # only, and browsers told to use HTTPS (HSTS). CONSULT_SECURE_COOKIES=true,
        # its older name, means the same.
        "HTTPS": False,
        "SECURE_COOKIES": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Sessions end after SESSION_IDLE_HOURS without a request, and in any case
        # SESSION_MAX_HOURS after signing in, or SESSION_MAX_DAYS with "keep me
        # signed in" (whose cookie lasts as long); consult.services.sessions checks.
        "SESSION_IDLE_HOURS": 8,
        "SESSION_MAX_HOURS": 12,
        "SESSION_MAX_DAYS": 30,
        # "Keep me signed in" survives nights and weekends, not a month of disuse.
        "SESSION_REMEMBER_IDLE_DAYS": 7,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "BABEL_DEFAULT_LOCALE": "en",
        # Passwords (consult.services.password_hashing, consult.services.passwords).
        "PASSWORD_HASH_METHOD": "argon2",
        "PASSWORD_RESET_HOURS": 24,
        # The first link of an account created without a password lasts longer:
        # the person may not read their mail the day the account is made.
        "PASSWORD_WELCOME_HOURS": 72,
        # E-mail (consult.services.mail): without SMTP_HOST, messages are files in MAIL_FOLDER.
        "SMTP_HOST": None,
        "SMTP_PORT": 587,
        "SMTP_USERNAME": None,
        "SMTP_PASSWORD": None,
        "SMTP_STARTTLS": True,
        "MAIL_FROM": "consult@localhost",
        "MAIL_FOLDER": str(Path(instance_path) / "mail"),
        # The address links in e-mails start with (e.g. https://consult.example.org);
        # without it, the address the request came to.
        "BASE_URL": None,
        # Behind N reverse proxies, the client address is the Nth from the end of
        # X-Forwarded-For (werkzeug ProxyFix); 0 trusts no forwarded header.
        "PROXY_COUNT": 0,
    }


def normalise_database_url(url: str) -> str:
    """Return `url` with the psycopg 3 driver named for PostgreSQL URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_secret_key(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it once."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def configure(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill `app.config`: defaults, CONSULT_* environment variables, then `overrides`."""
    app.config.from_mapping(default_settings(app.instance_path))
    app.config.from_prefixed_env("CONSULT")
    if overrides:
        app.config.from_mapping(overrides)
    app.config["DATABASE_URL"] = normalise_database_url(str(app.config["DATABASE_URL"]))
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    https = bool(app.config["HTTPS"]) or bool(app.config["SECURE_COOKIES"])
    app.config["HTTPS"] = app.config["SECURE_COOKIES"] = https
    app.config["SESSION_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=float(app.config["SESSION_MAX_DAYS"]))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
