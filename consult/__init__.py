"""Consult: clause-by-clause consultation on versioned policy drafts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from consult import config, resources
from consult.extensions import babel, configure_postgresql, configure_sqlite, csrf, db, migrate


def create_app(overrides: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands.

    The instance folder (SQLite database, generated secret key) is `instance/`
    in the checkout, or `<prefix>/var/consult-instance` for an installed package
    (see consult.resources), unless `instance_path` or CONSULT_INSTANCE_PATH says
    otherwise.
    """
    app = Flask(
        __name__,
        instance_path=instance_path
        or os.environ.get("CONSULT_INSTANCE_PATH")
        or resources.default_instance_path(),
        template_folder=resources.data_folder("templates"),
        static_folder=resources.data_folder("static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config.configure(app, overrides)
    if proxies := int(app.config["PROXY_COUNT"]):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from consult import models  # noqa: F401  (registers the tables)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resources.data_folder("migrations")))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        with app.app_context():
            configure_postgresql(db.engine)

    from consult.web import language

    babel.init_app(app, locale_selector=language.select_language)
    from consult import plurals

    plurals.install(app)  # counts in plural messages written as the reader writes numbers
    csrf.init_app(app)
    app.jinja_env.globals.update(
        current_locale=_locale_tag, text_direction=_text_direction, text_lang=_text_lang
    )

    from consult import cli, labels, permissions
    from consult.web import (
        admin,
        auth,
        bidi,
        comments,
        compare,
        converters,
        drafting,
        errors,
        guard,
        headers,
        health,
        matrix,
        passwords,
        pdf,
        reading,
        request_guard,
        rounds,
        sessions,
        translating,
    )

    converters.init_app(app)
    language.init_app(app)
    request_guard.init_app(app)
    auth.init_app(app)
    guard.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    for blueprint in (
        auth.bp,
        reading.bp,
        drafting.bp,
        translating.bp,
        admin.bp,
        rounds.bp,
        comments.bp,
        compare.bp,
        matrix.bp,
        pdf.bp,
        passwords.bp,
        sessions.bp,
        health.bp,
    ):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(permissions.TEMPLATE_RULES)
    app.jinja_env.globals["labels"] = labels  # the words for stored codes (consult/labels.py)
    app.jinja_env.filters.update(bidi.FILTERS)  # typed values isolated in sentences
    cli.register(app)
    return app


def _locale_tag() -> str:
    """The language of this page, for <html lang> ("fr", "zh")."""
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale).replace("_", "-") if locale else "en"


def _text_lang(tag: str) -> Markup:
    """The lang and dir attributes of an element holding text in the language `tag`."""
    from consult.languages import direction_of

    return Markup(' lang="{}" dir="{}"').format(tag, direction_of(tag))


def _text_direction() -> str:
    """The direction of this page's language, for <html dir>."""
    from consult.languages import LANGUAGES

    language = LANGUAGES.get(_locale_tag().split("-")[0])
    return language.direction if language is not None else "ltr"
