"""Export jobs: long exports made outside the web process, stored, and served again.

A web page asks for a file with `request_export` and shows the job's state
(`job_for`) until it is done, then sends `stored_file`. The job runs in a
child process started for it, or, where REDIS_URL (CONSULT_REDIS_URL) is
set, on an RQ queue that `rq worker` processes on any host take jobs from.
Either runner calls `run_job`. A runner that dies leaves a job that the next
look marks failed; `retry` starts a failed job again.

Kinds of job name the function that makes the file (config JOB_KINDS, see
consult.services.jobs.settings); "pdf" is the consolidated PDF.
"""

from consult.services.jobs.runner import run_job
from consult.services.jobs.service import job_for, request_export, retry, stored_file
from consult.services.jobs.settings import DEFAULT_KINDS, KindFunction

__all__ = [
    "DEFAULT_KINDS",
    "KindFunction",
    "job_for",
    "request_export",
    "retry",
    "run_job",
    "stored_file",
]
