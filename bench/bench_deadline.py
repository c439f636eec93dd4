"""Deadline benchmark: 200 stakeholders commenting in the last minute, a host lost.

Two hosts (two gunicorn masters of 4 workers each, each its own process
group, on two ports) serve a round that closes `window` seconds after the
stakeholders start submitting; the clients are spread over them alternately.
`kill_before` seconds before the close the first host is killed whole (master
and workers, SIGKILL) and not restarted; its clients retry on the other host
with the same idempotency key. With `--hosts 1`, the original scenario: one
master whose workers are all killed and replaced. Then the database is checked
against the receipts the clients were given. In the same run, with the same
gunicorn settings, clients and scenario, a floor (bench/floor_app.py: one
INSERT in one transaction, a redirect, a small page) is measured on the same
database, and Consult's throughput is printed as a share of it. Runs on
SQLite, then on a fresh PostgreSQL database that is dropped afterwards.

Standalone: `python bench/bench_deadline.py [--database sqlite|postgresql|both]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import deadline_server as server_side
from bench.deadline_checks import DatabaseFacts, check_database
from bench.deadline_client import (
    REQUEST_TIMEOUT,
    Plan,
    Stakeholder,
    Submission,
    prepare_all,
    receipts,
    run_threads,
)

Row = tuple[str, str, str, str]
CONSULT_APP = "wsgi:app"
FLOOR_APP = "bench.floor_app:create_app()"


@dataclass(frozen=True)
class Options:
    """How big and how long the run is."""

    clients: int = 200
    organisations: int = 40
    window: float = 60.0  # seconds of submissions before the close
    kill_before: float = 30.0  # seconds before the close the workers die
    after_close: float = 3.0  # clients keep trying this long after the close
    grace: float = 20.0  # retries in flight may finish this long after the close
    think_time: float = 1.0  # mean pause between a client's comments
    double_rate: float = 0.10
    receipt_rate: float = 1.0  # share of receipts read (the 303 followed, as a browser does)
    timeout: float = 360.0  # gunicorn is stopped this long after it started, whatever happens
    hosts: int = 2  # 2: a whole host is killed and not restarted; 1: workers killed, replaced
    floor: bool = True  # measure the floor app too, in the same run


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile of `values` (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run_database(kind: str, options: Options) -> list[Row]:
    """Run the benchmark (and its floor) on one database and return its rows."""
    name = f"deadline, {kind}"
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as folder_name:
        folder = Path(folder_name)
        with server_side.database(kind, folder) as url:
            server_side.init_db(url, folder)
            app = server_side.bench_app(url, folder)
            far_close = datetime.now(UTC) + timedelta(hours=1)
            setup = server_side.create_data(app, options.organisations, options.clients, far_close)
            measured = _serve(url, folder, setup, app, options, CONSULT_APP, kind)
            facts = check_database(
                app, setup.round_id, measured.acknowledged, measured.shown_numbers
            )
            rows = _rows(name, options, setup, measured, facts)
            if options.floor:
                floor = _serve(url, folder, setup, None, options, FLOOR_APP, f"floor-{kind}")
                rows.extend(_floor_rows(name, options, measured, floor))
    return rows


def _serve(
    url: str,
    folder: Path,
    setup: server_side.Setup,
    app: object | None,
    options: Options,
    application: str,
    log_name: str,
) -> Measured:
    """Start the hosts serving `application`, drive the clients, stop the hosts."""
    servers: list[server_side.Server] = []

    def stop_all() -> None:
        for server in servers:
            server_side.stop_gunicorn(server)

    watchdog = threading.Timer(options.timeout, stop_all)
    watchdog.daemon = True
    try:
        for host in range(options.hosts):
            servers.append(
                server_side.start_gunicorn(
                    url, folder, app=application, log_name=f"{log_name}-{host}.log"
                )
            )
        watchdog.start()
        measured = _drive(servers, setup, app, options)
    finally:
        watchdog.cancel()
        for server in servers:
            server_side.stop_gunicorn(server)
    for host, server in enumerate(servers):
        errors, kinds = server_side.log_errors(server)
        measured.log_errors += errors
        measured.error_kinds.extend(kinds)
        server_side.keep_log(server, f"{log_name}-{'AB'[host]}")
    return measured


@dataclass
class Measured:
    """What the clients saw."""

    submissions: list[Submission]
    acknowledged: dict[int, tuple[int, str]]
    shown_numbers: dict[int, str | None]
    window: float
    prepare_errors: list[str]
    prepare_retries: Counter[str]
    hanging_threads: int
    killed: int
    restart_time: float | None
    forked_time: float | None
    client_cpu: float
    server_cpu: float
    machine_busy: float
    elapsed: float
    killed_at: float | None
    load_before: float
    load_after: float = 0.0
    hosts: int = 1
    moved: int = 0  # clients that moved to the other host
    interrupted: int = 0  # clients with a connection error after the kill
    served_again: float | None = None  # kill -> the last of those answered again
    longest_wait: float | None = None  # one client's first error -> its next answer
    never_served_again: int = 0
    log_errors: int = 0
    error_kinds: list[str] = field(default_factory=list)


def _drive(
    servers: list[server_side.Server],
    setup: server_side.Setup,
    app: object | None,
    options: Options,
) -> Measured:
    """Drive the clients against `servers`; `app` None means the floor (no round to close)."""
    ports = [server.port for server in servers]
    people = [
        Stakeholder(
            s.email,
            server_side.PASSWORD,
            s.user_id,
            ports[n % len(ports)],
            seed=n,
            fallback=ports[(n + 1) % len(ports)] if len(ports) > 1 else None,
        )
        for n, s in enumerate(setup.stakeholders)
    ]
    # Logins and forms first: scrypt and page rendering stay out of the window.
    prepare_deadline = time.time() + 120
    prepare_all(people, setup.round_id, setup.clause_keys[0], prepare_deadline)
    prepare_errors = [f"{p.email}: {p.error}" for p in people if p.error or not p.csrf_token]
    prepare_retries = Counter(why for p in people for why in p.prepare_retries)

    load_before = os.getloadavg()[0]
    start_at = time.time() + 1.0
    close_at = start_at + options.window
    if app is not None:
        server_side.set_closing_time(app, setup.round_id, datetime.fromtimestamp(close_at, UTC))
    # The floor has no closing time: its clients stop at the close, so that both
    # throughputs are comments accepted in the same window.
    stop_at = close_at + options.after_close if app is not None else close_at
    plan = Plan(
        port=ports[0],
        round_id=setup.round_id,
        clause_keys=setup.clause_keys,
        start_at=start_at,
        close_at=close_at,
        stop_at=stop_at,
        give_up_at=close_at + options.grace - 5,
        think_time=options.think_time,
        double_rate=options.double_rate,
        receipt_rate=options.receipt_rate,
    )
    cpu_before = _own_cpu()
    servers_before = [server_side.server_cpu(server) for server in servers]
    machine_before = server_side.machine_busy()
    threads = [threading.Thread(target=p.run, args=(plan,)) for p in people]
    kill_report: dict[str, object] = {}
    killer = threading.Thread(
        target=_kill_at,
        args=(servers, close_at - options.kill_before, plan, kill_report),
    )
    hanging = run_threads(
        [killer, *threads] if options.kill_before > 0 else threads,
        close_at + options.grace + REQUEST_TIMEOUT + 5,  # the last retry's answer, or timeout
    )
    lost_cpu = kill_report.get("cpu_at_kill")
    servers_after = [
        lost_cpu if n == 0 and isinstance(lost_cpu, float) else server_side.server_cpu(server)
        for n, server in enumerate(servers)
    ]
    server_used = sum(servers_after) - sum(servers_before)
    machine_after = server_side.machine_busy()
    busy, total = (
        after - before for after, before in zip(machine_after, machine_before, strict=True)
    )
    plan.stop.set()
    cpu = _own_cpu() - cpu_before

    submissions = [s for p in people for s in p.submissions]
    acknowledged, shown_numbers = receipts(submissions)
    restart, killed_at = kill_report.get("restart"), kill_report.get("killed_at")
    forked = kill_report.get("forked")
    killed_at = killed_at if isinstance(killed_at, float) else None
    # Clients hit by the kill: a connection error at or after it. Served again: the
    # first definite answer (303 or 409) after that error, on whichever host.
    hit = [p for p in people if killed_at is not None and (p.interrupted_at or 0.0) >= killed_at]
    back = [p.served_again_at for p in hit if p.served_again_at is not None]
    return Measured(
        submissions=submissions,
        acknowledged=acknowledged,
        shown_numbers=shown_numbers,
        window=options.window,
        prepare_errors=prepare_errors,
        prepare_retries=prepare_retries,
        hanging_threads=hanging,
        killed=sum(len(server.killed_workers) for server in servers),
        restart_time=restart if isinstance(restart, float) else None,
        forked_time=forked if isinstance(forked, float) else None,
        client_cpu=cpu,
        server_cpu=server_used,
        machine_busy=busy / total if total else 0.0,
        elapsed=time.time() - start_at,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        killed_at=killed_at,
        hosts=len(servers),
        moved=sum(1 for p in people if p.moved_at is not None),
        interrupted=len(hit),
        served_again=max(back) - killed_at if back and killed_at is not None else None,
        never_served_again=len(hit) - len(back),
        longest_wait=max(
            (
                p.served_again_at - p.interrupted_at
                for p in hit
                if p.served_again_at is not None and p.interrupted_at is not None
            ),
            default=None,
        ),
    )


def _kill_at(
    servers: list[server_side.Server], moment: float, plan: Plan, report: dict[str, object]
) -> None:
    while time.time() < moment:
        if plan.stop.wait(min(0.05, max(0.0, moment - time.time()))):
            return
    if len(servers) > 1:  # a host lost: master and workers, never restarted
        report["cpu_at_kill"] = server_side.server_cpu(servers[0])
        report["killed_at"] = time.time()
        server_side.kill_host(servers[0])
        return
    report["killed_at"] = time.time()
    killed = server_side.kill_workers(servers[0])
    report["forked"], report["restart"] = server_side.wait_for_new_workers(servers[0], killed)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rows(
    name: str,
    options: Options,
    setup: server_side.Setup,
    measured: Measured,
    facts: DatabaseFacts,
) -> list[Row]:
    subs = measured.submissions
    keys_of_id: dict[int, set[str]] = defaultdict(set)
    ids_of_key: dict[str, set[int]] = defaultdict(set)
    for s in subs:
        if s.comment_id is not None:
            keys_of_id[s.comment_id].add(s.key)
            ids_of_key[s.key].add(s.comment_id)
    accepted = len(measured.acknowledged)
    refused = len({s.key for s in subs if s.outcome == "refused"})
    unresolved = len({s.key for s in subs if s.outcome == "unresolved"} - set(ids_of_key))
    other = sorted({s.outcome for s in subs if s.outcome.startswith("status")})
    doubles = len({s.key for s in subs if s.double})
    latencies = [s.accepted_latency for s in subs if s.accepted_latency is not None]
    retried = [s.total_time for s in subs if s.comment_id is not None and s.attempts > 1]
    calm = latencies
    if measured.killed_at is not None:
        # answers to attempts that did not overlap the kill and the restart (or move)
        recovery = measured.restart_time if measured.hosts == 1 else measured.served_again
        back = measured.killed_at + (recovery or measured.window)
        calm = [
            s.accepted_latency
            for s in subs
            if s.accepted_latency is not None
            and (
                s.accepted_sent_at > back
                or s.accepted_sent_at + s.accepted_latency < measured.killed_at
            )
        ]
    receipt_times = [s.receipt_latency for s in subs if s.receipt_latency is not None]
    r50, r99 = percentile(receipt_times, 0.5), percentile(receipt_times, 0.99)
    shared = sum(1 for keys in keys_of_id.values() if len(keys) > 1)
    split = sum(1 for ids in ids_of_key.values() if len(ids) > 1)
    restart = f"{measured.restart_time:.1f} s" if measured.restart_time is not None else "never"
    forked = f"{measured.forked_time:.2f} s" if measured.forked_time is not None else "never"
    logged_in = options.clients - len(measured.prepare_errors)
    p50, p95, p99 = (percentile(latencies, share) for share in (0.5, 0.95, 0.99))
    server_load = measured.server_cpu / measured.elapsed if measured.elapsed else 0.0
    cores = os.cpu_count() or 1
    options_load = measured.load_before
    figures: list[tuple[str, str, str]] = [
        ("stakeholders logged in", f"{logged_in} of {options.clients}", ""),
        ("  login or form retried", str(sum(measured.prepare_retries.values())), "0"),
        ("organisations", str(setup.organisations), ""),
        ("submissions (distinct keys)", str(len({s.key for s in subs})), ""),
        ("  of which double-submitted", str(doubles), ""),
        ("comments accepted (303, distinct ids)", str(accepted), ""),
        ("refused after the close (409)", str(refused), ""),
        ("other answers", ", ".join(other) or "none", "none"),
        ("submissions without a definite answer", str(unresolved), "0"),
        ("duplicate rows (author, idempotency key)", str(facts.duplicate_keys), "0"),
        ("one key acknowledged with two ids", str(split), "0"),
        ("one id acknowledged for two keys", str(shared), "0"),
        ("acknowledged comments lost (no row)", str(facts.missing_receipts), "0"),
        ("receipts not matching the stored row", str(facts.mismatched_receipts), "0"),
        ("rows received at or after the close", str(facts.late_rows), "0"),
        ("duplicate tracking numbers", str(facts.duplicate_tracking_numbers), "0"),
        ("rows never acknowledged", str(facts.unacknowledged_rows), "0"),
        ("receipt pages read", str(facts.receipts_read), ""),
        ("  not showing the stored tracking number", str(facts.wrong_receipt_pages), "0"),
        ("receipt page latency p50 / p99", f"{r50:.3f} s / {r99:.3f} s", ""),
        ("server errors (5xx answers)", str(sum(s.server_errors for s in subs)), ""),
        ("errors in gunicorn's log", str(measured.log_errors), ""),
        ("connection errors (during the kill)", str(sum(s.connection_errors for s in subs)), ""),
        *_kill_figures(measured, forked, restart),
        ("throughput (accepted / window)", f"{accepted / measured.window:.1f} /s", ">= 100 /s"),
        ("submission window", f"{measured.window:.0f} s", ""),
        ("POST latency p50 / p95", f"{p50:.3f} s / {p95:.3f} s", ""),
        ("POST latency p99", f"{p99:.3f} s", "< 1.5 s"),
        ("  p99 away from the kill and restart", f"{percentile(calm, 0.99):.3f} s", ""),
        ("slowest retried submission", f"{max(retried, default=0.0):.2f} s", ""),
        ("  retried submissions", str(len(retried)), ""),
        ("gunicorn CPU (cores busy, start to end)", f"{server_load:.2f} of {cores}", ""),
        ("load generator CPU (cores busy)", f"{measured.client_cpu / measured.elapsed:.2f}", ""),
        ("whole machine busy", f"{measured.machine_busy:.0%}", ""),
        (
            "machine load average before / after the run",
            f"{options_load:.1f} / {measured.load_after:.1f}",
            "",
        ),
    ]
    if measured.hanging_threads:
        figures.append(("client threads still running", str(measured.hanging_threads), "0"))
    figures.extend(("login/form error", error, "") for error in measured.prepare_errors[:3])
    figures.extend(
        ("login/form retried after", f"{n} x {why}", "")
        for why, n in measured.prepare_retries.most_common(2)
    )
    figures.extend(("error in gunicorn's log", kind, "") for kind in measured.error_kinds)
    rows: list[Row] = [(name, *figure) for figure in figures]
    return rows


def _kill_figures(measured: Measured, forked: str, restart: str) -> list[tuple[str, str, str]]:
    served = f"{measured.served_again:.2f} s" if measured.served_again is not None else "never"
    if not measured.interrupted:
        served = "no client was interrupted"
    if measured.never_served_again:
        served += f" ({measured.never_served_again} clients never)"
    wait = f"{measured.longest_wait:.2f} s" if measured.longest_wait is not None else "none"
    if measured.hosts == 1:
        return [
            ("workers killed", str(measured.killed), ""),
            ("  new workers forked after", forked, ""),
            ("  site answering again after", restart, ""),
            ("  every interrupted client served again after", served, ""),
            ("  longest one client waited (its error -> answer)", wait, ""),
        ]
    return [
        ("hosts (gunicorn masters, 4 workers each)", str(measured.hosts), ""),
        ("host A killed whole (master + workers)", f"{measured.killed + 1} processes", ""),
        ("  clients that moved to host B", str(measured.moved), ""),
        ("  clients interrupted by the kill", str(measured.interrupted), ""),
        ("  every one of them served again after (from the kill)", served, ""),
        ("  longest one client waited (its error -> answer)", wait, ""),
    ]


def _floor_rows(name: str, options: Options, consult: Measured, floor: Measured) -> list[Row]:
    """The floor's figures beside Consult's, and Consult's throughput as a share of it."""
    subs = floor.submissions
    accepted = len(floor.acknowledged)
    latencies = [s.accepted_latency for s in subs if s.accepted_latency is not None]
    p50, p95, p99 = (percentile(latencies, share) for share in (0.5, 0.95, 0.99))
    ours = len(consult.acknowledged) / consult.window
    theirs = accepted / floor.window if floor.window else 0.0
    ratio = f"{ours / theirs:.0%}" if theirs else "n/a"
    receipts = [s.receipt_latency for s in subs if s.receipt_latency is not None]
    unresolved = len({s.key for s in subs if s.comment_id is None})
    figures: list[tuple[str, str, str]] = [
        ("floor: one INSERT + redirect, same hosts/kill", FLOOR_APP, ""),
        ("floor: clients logged in", f"{options.clients - len(floor.prepare_errors)}", ""),
        ("floor: comments accepted", str(accepted), ""),
        ("floor: submissions without a 303", str(unresolved), ""),
        ("floor: throughput (accepted / window)", f"{theirs:.1f} /s", ""),
        ("floor: POST latency p50 / p95", f"{p50:.3f} s / {p95:.3f} s", ""),
        ("floor: POST latency p99", f"{p99:.3f} s", ""),
        ("floor: receipt page p50", f"{percentile(receipts, 0.5):.3f} s", ""),
        ("floor: gunicorn CPU (cores busy)", f"{floor.server_cpu / floor.elapsed:.2f}", ""),
        (
            "floor: machine load average before / after",
            f"{floor.load_before:.1f} / {floor.load_after:.1f}",
            "",
        ),
        ("Consult throughput / floor throughput", ratio, ">= 40%"),
    ]
    figures.extend(("floor: error in gunicorn's log", kind, "") for kind in floor.error_kinds)
    return [(name, *figure) for figure in figures]


def run(
    databases: tuple[str, ...] = ("sqlite", "postgresql"), options: Options | None = None
) -> list[Row]:
    """Run the benchmark on each database and return the rows."""
    options = options or Options()
    rows: list[Row] = []
    for kind in databases:
        if kind == "postgresql" and (why := server_side.postgres_available()):
            rows.append((f"deadline, {kind}", "skipped", why, ""))
            continue
        try:
            rows.extend(run_database(kind, options))
        except Exception as err:  # report it in the table, keep the other database
            rows.append((f"deadline, {kind}", "failed", f"{type(err).__name__}: {err}"[:300], ""))
    return rows


def main() -> int:
    """Parse the command line, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    defaults = Options()
    for option in ("clients", "organisations"):
        parser.add_argument(f"--{option}", type=int, default=getattr(defaults, option))
    for option in (
        "window",
        "kill_before",
        "think_time",
        "double_rate",
        "receipt_rate",
        "timeout",
    ):
        flag = "--" + option.replace("_", "-")
        parser.add_argument(flag, type=float, default=getattr(defaults, option))
    parser.add_argument("--hosts", type=int, choices=(1, 2), default=defaults.hosts)
    parser.add_argument("--no-floor", action="store_true", help="skip the floor app")
    args = parser.parse_args()
    options = Options(
        clients=args.clients,
        organisations=min(args.organisations, args.clients),
        window=args.window,
        kill_before=args.kill_before,
        think_time=args.think_time,
        double_rate=args.double_rate,
        receipt_rate=args.receipt_rate,
        timeout=args.timeout,
        hosts=args.hosts,
        floor=not args.no_floor,
    )
    databases = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    print_rows(run(databases, options))
    return 0


def print_rows(rows: list[Row]) -> None:
    """Print rows as the aligned table bench/run.py prints."""
    header = ("benchmark", "figure", "value", "aim")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
