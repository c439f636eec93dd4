"""Demo data: the sample drafts in drafts/ and illustrative organisations and accounts.

Loading is idempotent: what exists already (by name, e-mail or content hash)
is left alone, so running it again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from consult.extensions import db
from consult.models import Document, Organisation, User, Version
from consult.services import accounts, drafts

DEFAULT_DEMO_PASSWORD = "consult-demo"

# (name, kind, ISO 3166 code for States)
DEMO_ORGANISATIONS: tuple[tuple[str, str, str | None], ...] = (
    ("Germany", "member_state", "DE"),
    ("Mexico", "member_state", "MX"),
    ("Kenya", "member_state", "KE"),
    ("Philippines", "member_state", "PH"),
    ("Office of the High Commissioner for Human Rights", "un_entity", None),
    ("Office of the United Nations High Commissioner for Refugees", "un_entity", None),
    ("United Nations Children's Fund", "un_entity", None),
    ("International Organization for Migration", "igo", None),
    ("Borderwatch Legal Aid Network", "ngo", None),
    ("Coalition for Migrant Dignity", "ngo", None),
    ("National Human Rights Commission of Eastland", "nhri", None),
    ("Institute for Migration Law, University of Westbury", "academic", None),
    ("Centre for Border Studies, Northfield University", "academic", None),
)

# (name, e-mail, role, organisation name or None)
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("Ada Admin", "admin@consult.example", "admin", None),
    ("Sam Secretariat", "secretariat@consult.example", "secretariat", None),
    ("Dana Drafter", "drafter@consult.example", "drafter", None),
    ("Greta Berger", "germany@consult.example", "stakeholder", "Germany"),
    ("Luis Ortega", "mexico@consult.example", "stakeholder", "Mexico"),
    ("Wanjiru Kamau", "kenya@consult.example", "stakeholder", "Kenya"),
    ("Maria Santos", "philippines@consult.example", "stakeholder", "Philippines"),
    (
        "Hana Okafor",
        "unhcr@consult.example",
        "stakeholder",
        "Office of the United Nations High Commissioner for Refugees",
    ),
    (
        "Peter Lind",
        "iom@consult.example",
        "stakeholder",
        "International Organization for Migration",
    ),
    ("Nadia Haddad", "ngo@consult.example", "stakeholder", "Borderwatch Legal Aid Network"),
    ("Tom Reyes", "dignity@consult.example", "stakeholder", "Coalition for Migrant Dignity"),
    (
        "Amina Yusuf",
        "nhri@consult.example",
        "stakeholder",
        "National Human Rights Commission of Eastland",
    ),
    (
        "Prof. Jonas Weber",
        "university@consult.example",
        "stakeholder",
        "Institute for Migration Law, University of Westbury",
    ),
)


@dataclass
class DemoReport:
    """What a demo load added."""

    organisations: int = 0
    users: int = 0
    versions: list[str] = field(default_factory=list)


def _version_files(folder: Path) -> list[Path]:
    def order(path: Path) -> tuple[int, str]:
        match = re.search(r"(\d+)", path.stem)
        return (int(match.group(1)) if match else 0, path.name)

    return sorted((p for p in folder.iterdir() if p.suffix in {".md", ".txt"}), key=order)


def load_drafts(drafts_folder: Path, report: DemoReport) -> None:
    """Import and publish each document folder's versions not already present."""
    for folder in sorted(p for p in drafts_folder.iterdir() if p.is_dir()):
        slug = folder.name
        for path in _version_files(folder):
            text = path.read_bytes().decode("utf-8-sig")
            digest = drafts.content_hash(text)
            exists = db.session.scalar(
                select(Version.id)
                .join(Document)
                .where(Document.slug == slug, Version.content_hash == digest)
            )
            if exists is not None:
                continue
            result = drafts.import_draft(
                path.read_bytes(), document_slug=slug, filename=path.name, publish=True
            )
            report.versions.append(f"{slug} v{result.version.number}")


def load_demo(drafts_folder: Path, password: str = DEFAULT_DEMO_PASSWORD) -> DemoReport:
    """Load organisations, accounts and sample drafts that are not there yet."""
    report = DemoReport()
    for name, kind, code in DEMO_ORGANISATIONS:
        if db.session.scalar(select(Organisation).where(Organisation.name == name)) is None:
            accounts.create_organisation(name, kind, code, actor=None)
            report.organisations += 1
    for name, email, role, organisation_name in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == email)) is not None:
            continue
        organisation = None
        if organisation_name:
            organisation = db.session.scalar(
                select(Organisation).where(Organisation.name == organisation_name)
            )
        accounts.create_user(name, email, role, password, organisation, actor=None)
        report.users += 1
    load_drafts(drafts_folder, report)
    return report
