"""The function an RQ worker runs for an export job.

`rq worker` imports this module and calls `run(job_id)` in a work-horse
process (a fork of the worker, ended after each job, which gives its memory
back). The app is built from the worker's environment: give every worker
the same CONSULT_* settings as the web processes (CONSULT_DATABASE_URL,
CONSULT_SECRET_KEY, CONSULT_JOB_KINDS if any).
"""

from __future__ import annotations


def run(job_id: int) -> None:
    """Build the app from the environment and run export job `job_id` in it."""
    from consult import create_app  # the app is built in the worker, not on import
    from consult.extensions import db
    from consult.services.jobs.runner import run_job

    app = create_app()
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()
            db.engine.dispose()
