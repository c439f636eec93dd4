"""The child process that runs one export job: `python -m consult.services.jobs.child JOB_ID`.

Started by consult.services.jobs.launch with the settings of the app that
asked for the job in CONSULT_* environment variables. A job that runs past
JOB_TIMEOUT_SECONDS is interrupted by an alarm and reported as failed; the
process exits when the job is over, giving its memory back.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType


def _time_out(_signal: int, _frame: FrameType | None) -> None:
    from consult.services.jobs.runner import JobTimeout

    raise JobTimeout


def main(argv: list[str]) -> int:
    """Run the export job named on the command line; return the exit status."""
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m consult.services.jobs.child JOB_ID", file=sys.stderr)
        return 2
    from consult import create_app
    from consult.extensions import db
    from consult.services.jobs.runner import run_job
    from consult.services.jobs.settings import seconds

    app = create_app()
    with app.app_context():
        signal.signal(signal.SIGALRM, _time_out)
        signal.alarm(max(1, int(seconds("JOB_TIMEOUT_SECONDS"))))
        try:
            run_job(int(argv[1]))
        finally:
            signal.alarm(0)
            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
