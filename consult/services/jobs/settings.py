"""The settings of export jobs, read from the app's configuration with their defaults.

Every setting can come from the environment with the CONSULT_ prefix, like
the rest of the configuration (CONSULT_REDIS_URL, CONSULT_JOB_STALE_SECONDS,
CONSULT_JOB_KINDS='{"name": "module:function"}', ...).
"""

from __future__ import annotations

import importlib
import socket
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from flask import current_app

#: A function that makes an export: it writes the file to `out`, may report its
#: step through `progress` ("layout", "writing"), and returns the number of pages.
#: It runs in an app context, in the requester's locale.
KindFunction = Callable[[Mapping[str, Any], BinaryIO, Callable[[str], None]], int]

#: The kinds every Consult knows; config JOB_KINDS adds to or overrides them.
DEFAULT_KINDS: dict[str, str] = {"pdf": "consult.services.consolidated.job:run_pdf_job"}

DEFAULTS: dict[str, Any] = {
    # A rendering job whose last sign of life is older than this has stopped.
    "JOB_STALE_SECONDS": 60,
    # How often a running job shows it is alive.
    "JOB_HEARTBEAT_SECONDS": 5,
    # A job running longer than this is stopped and reported as failed.
    "JOB_TIMEOUT_SECONDS": 900,
    # A job waiting this long in the RQ queue for a worker is reported as failed.
    "JOB_QUEUE_TIMEOUT_SECONDS": 900,
    # The RQ queue that jobs go to when REDIS_URL is set.
    "JOB_QUEUE": "consult",
}


def setting(name: str) -> Any:
    """Return the job setting `name` from the configuration, or its default."""
    return current_app.config.get(name, DEFAULTS[name])


def seconds(name: str) -> float:
    """Return the job setting `name`, a number of seconds."""
    return float(setting(name))


def redis_url() -> str | None:
    """Return the Redis URL jobs are queued on, or None to run them in child processes."""
    url = current_app.config.get("REDIS_URL")
    return str(url) if url else None


def kinds() -> dict[str, str]:
    """Return every kind of job and the "module:function" that makes it."""
    extra: Mapping[str, str] = current_app.config.get("JOB_KINDS") or {}
    return {**DEFAULT_KINDS, **extra}


def kind_function(kind: str) -> KindFunction:
    """Import and return the function that makes jobs of `kind`; KeyError if it is unknown."""
    module_name, _, attribute = kinds()[kind].partition(":")
    function: KindFunction = getattr(importlib.import_module(module_name), attribute)
    return function


def host_name() -> str:
    """Return the name of this host, as jobs record where they run."""
    return socket.gethostname()
