"""Count the SQL statements of one comment submission (POST + the receipt page after it).

Not a benchmark: a look inside one request. A temporary SQLite database gets
the deadline benchmark's setup (a few stakeholders, an open round); one
stakeholder logs in and opens the form through Flask's test client, then one
POST and the GET its 303 points to are watched with a before_cursor_execute
listener. For each statement: the table(s) it reads and the innermost Consult
function that issued it. Statements on the same table from several places are
the repeated loads. Usage: `python bench/profile_comment.py [--sql] [--postgresql]`
(--postgresql: a throw-away database on the deadline benchmark's server).
"""

from __future__ import annotations

import re
import sys
import tempfile
import traceback
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bench import deadline_server as server_side
from bench.deadline_client import Stakeholder

CONSULT = str(server_side.PROJECT_ROOT / "consult")
TABLES = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN)\s+\"?(\w+)\"?", re.IGNORECASE)


def origin() -> str:
    """The Consult frames (innermost last) that led to the statement being run."""
    frames = [
        f"{Path(f.filename).relative_to(server_side.PROJECT_ROOT)}:{f.name}"
        for f in traceback.extract_stack()
        if f.filename.startswith(CONSULT)
    ]
    return " < ".join(reversed(frames[-3:])) or "(outside consult)"


def main() -> int:
    """Set up, submit one comment, print the statements of the POST and of the receipt."""
    show_sql = "--sql" in sys.argv
    kind = "postgresql" if "--postgresql" in sys.argv else "sqlite"
    with tempfile.TemporaryDirectory(prefix="consult-profile-") as folder_name:
        folder = Path(folder_name)
        with server_side.database(kind, folder) as url:
            server_side.init_db(url, folder)
            app = server_side.bench_app(url, folder)
            closes = datetime.now(UTC) + timedelta(hours=1)
            setup = server_side.create_data(app, 2, 4, closes)
            person = setup.stakeholders[0]
            client = app.test_client()
            page = client.get("/login").get_data(as_text=True)
            client.post(
                "/login",
                data={
                    "email": person.email,
                    "password": server_side.PASSWORD,
                    "csrf_token": Stakeholder.csrf_in(page),
                },
            )
            path = f"/rounds/{setup.round_id}/comment"
            form_page = client.get(f"{path}?clause={setup.clause_keys[0]}")
            token = Stakeholder.csrf_in(form_page.get_data(as_text=True))
            seen: list[tuple[str, str]] = []

            from consult.extensions import db

            with app.app_context():
                engine = db.engine

            def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
                seen.append((statement, origin()))

            event.listen(engine, "before_cursor_execute", listen)
            answer = client.post(
                path,
                data={
                    "csrf_token": token,
                    "idempotency_key": uuid.uuid4().hex,
                    "clause": setup.clause_keys[0],
                    "type": "general",
                    "body": "A comment to count the statements of.",
                    "proposed_text": "",
                },
            )
            posted = len(seen)
            if answer.status_code != 303:
                print(answer.status_code, answer.get_data(as_text=True)[:3000])
                return 1
            receipt = client.get(answer.headers["Location"])
            event.remove(engine, "before_cursor_execute", listen)
            print(f"POST {path}: {answer.status_code}, {posted} statements")
            report(seen[:posted], show_sql)
            print(
                f"\nGET {answer.headers['Location']}: {receipt.status_code}, "
                f"{len(seen) - posted} statements"
            )
            report(seen[posted:], show_sql)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    return 0


def report(statements: list[tuple[str, str]], show_sql: bool) -> None:
    """Print each statement's verb, tables and origin, then the tables read more than once."""
    per_table: Counter[str] = Counter()
    for n, (statement, where) in enumerate(statements, 1):
        verb = statement.split(None, 1)[0].upper() if statement.strip() else "?"
        tables = sorted(set(TABLES.findall(statement)))
        if verb == "SELECT":
            per_table.update(tables)
        print(f"  {n:2d}. {verb:6s} {','.join(tables) or '-':40s} {where}")
        if show_sql:
            print("      " + " ".join(statement.split())[:300])
    repeated = [f"{table} x{count}" for table, count in per_table.most_common() if count > 1]
    print("  tables read more than once: " + (", ".join(repeated) or "none"))


if __name__ == "__main__":
    raise SystemExit(main())
