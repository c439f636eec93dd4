"""Kinds of export job for the job tests, run by child processes and RQ workers.

Each has the signature of a real kind (consult.services.jobs.KindFunction).
They are named in the test app's JOB_KINDS, which the runners import; the
child runs in the checkout's root folder, where `tests` is importable.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import get_locale

from consult.services.errors import ServiceError

#: Kind name -> "module:function", as the test app's JOB_KINDS.
KINDS = {
    "test-write": "tests.services.job_kinds:write",
    "test-wait": "tests.services.job_kinds:wait_for_flag",
    "test-fail": "tests.services.job_kinds:fail",
    "test-crash": "tests.services.job_kinds:crash",
    "test-locale": "tests.services.job_kinds:write_locale",
}


def write(params: Mapping[str, Any], out: BinaryIO, progress: Callable[[str], None]) -> int:
    """Write params["text"] as the file, reporting both steps; one page."""
    progress("layout")
    out.write(str(params["text"]).encode())
    progress("writing")
    return 1


def wait_for_flag(params: Mapping[str, Any], out: BinaryIO, progress: Callable[[str], None]) -> int:
    """Wait until the file params["flag"] exists (at most a minute), then write params["text"]."""
    progress("layout")
    flag = Path(params["flag"])
    deadline = time.monotonic() + 60
    while not flag.exists():
        if time.monotonic() > deadline:
            raise ServiceError("the flag never came")
        time.sleep(0.05)
    out.write(str(params["text"]).encode())
    return 2


def fail(params: Mapping[str, Any], out: BinaryIO, progress: Callable[[str], None]) -> int:
    """Write half a file, then refuse with params["message"]."""
    out.write(b"half a file")
    raise ServiceError(str(params["message"]))


def crash(params: Mapping[str, Any], out: BinaryIO, progress: Callable[[str], None]) -> int:
    """Write half a file, then fail on a programming error."""
    out.write(b"half a file")
    raise RuntimeError("internal detail that no person should read")


def write_locale(params: Mapping[str, Any], out: BinaryIO, progress: Callable[[str], None]) -> int:
    """Write the locale the job runs in."""
    out.write(str(get_locale()).encode())
    return 1
