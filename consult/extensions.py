"""Flask extensions, created unbound and attached in `create_app`."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every Consult model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


# Set while a service runs a write transaction: on SQLite it then begins with
# BEGIN IMMEDIATE, taking the write lock before its first read, so that a check
# (is the round still open?) and the insert that depends on it cannot interleave
# with another writer. Other work keeps pysqlite's own behaviour: reads outside
# a transaction (always fresh, never holding a snapshot that a later write would
# have to upgrade), and a transaction begun just before the first write.
immediate_transactions: ContextVar[bool] = ContextVar("immediate_transactions", default=False)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if immediate_transactions.get():
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def configure_postgresql(engine: Engine) -> None:
    """Plan every statement of a PostgreSQL connection for the tables as they are now.

    The foreign-key checks run by PostgreSQL itself (a clause's parent, a comment's
    clause) are prepared once per connection and may be kept as a generic plan
    made while the clause table was small: a sequential scan, then repeated for
    every one of the 20,000 clauses of a large draft (importing or discarding it
    took half a minute). A custom plan per execution costs microseconds and sees
    the table's present size, so the checks use their indexes.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SET plan_cache_mode = force_custom_plan")
        cursor.close()
        dbapi_connection.commit()


babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
