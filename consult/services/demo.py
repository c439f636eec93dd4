"""Demo data: the sample drafts in drafts/ and illustrative organisations and accounts.

Loading is idempotent: what exists already (by name, e-mail or content hash)
is left alone, so running it again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from consult.domain.parsing import decode_draft
from consult.extensions import db
from consult.models import Document, Organisation, StandardAnswer, User, Version
from consult.services import (
    accounts,
    demo_rounds,
    drafts,
    language_texts,
    standard_answers,
    translations,
)

DEFAULT_DEMO_PASSWORD = "consult-demo"

_UNHCR = "Office of the United Nations High Commissioner for Refugees"
_IOM = "International Organization for Migration"
_BORDERWATCH = "Borderwatch Legal Aid Network"
_DIGNITY = "Coalition for Migrant Dignity"
_NHRI = "National Human Rights Commission of Eastland"
_WESTBURY = "Institute for Migration Law, University of Westbury"

# (name, kind, ISO 3166 code for States)
DEMO_ORGANISATIONS: tuple[tuple[str, str, str | None], ...] = (
    ("Germany", "member_state", "DE"),
    ("Mexico", "member_state", "MX"),
    ("Kenya", "member_state", "KE"),
    ("Philippines", "member_state", "PH"),
    ("Office of the High Commissioner for Human Rights", "un_entity", None),
    (_UNHCR, "un_entity", None),
    ("United Nations Children's Fund", "un_entity", None),
    (_IOM, "igo", None),
    (_BORDERWATCH, "ngo", None),
    (_DIGNITY, "ngo", None),
    (_NHRI, "nhri", None),
    (_WESTBURY, "academic", None),
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
    ("Hana Okafor", "unhcr@consult.example", "stakeholder", _UNHCR),
    ("Peter Lind", "iom@consult.example", "stakeholder", _IOM),
    ("Nadia Haddad", "ngo@consult.example", "stakeholder", _BORDERWATCH),
    ("Tom Reyes", "dignity@consult.example", "stakeholder", _DIGNITY),
    ("Amina Yusuf", "nhri@consult.example", "stakeholder", _NHRI),
    ("Prof. Jonas Weber", "university@consult.example", "stakeholder", _WESTBURY),
)

# (text, the disposition it usually goes with or None): the secretariat's standard answers.
DEMO_STANDARD_ANSWERS: tuple[tuple[str, str | None], ...] = (
    ("Addressed in the revised paragraph.", "accepted"),
    ("Outside the scope of these Principles.", "not_accepted"),
    ("The drafters will consider this at the next expert meeting.", None),
)


@dataclass
class DemoReport:
    """What a demo load added."""

    organisations: int = 0
    users: int = 0
    standard_answers: int = 0
    versions: list[str] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)
    rounds: int = 0
    comments: int = 0
    responses: int = 0


# A version's text in another language sits beside it: "v3.fr.md" is version 3 in French.
_TRANSLATION_FILE = re.compile(r"^v(\d+)\.([a-z]{2})$")


def _version_files(folder: Path) -> list[Path]:
    def order(path: Path) -> tuple[int, str]:
        match = re.search(r"(\d+)", path.stem)
        return (int(match.group(1)) if match else 0, path.name)

    return sorted(
        (
            p
            for p in folder.iterdir()
            if p.suffix in {".md", ".txt"} and not _TRANSLATION_FILE.match(p.stem)
        ),
        key=order,
    )


def _translation_files(folder: Path) -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(folder.iterdir()):
        match = _TRANSLATION_FILE.match(path.stem)
        if match and path.suffix in {".md", ".txt"}:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def load_translations(drafts_folder: Path, report: DemoReport) -> None:
    """Add and publish each version's texts in other languages that are not there yet."""
    for folder in sorted(p for p in drafts_folder.iterdir() if p.is_dir()):
        for number, language, path in _translation_files(folder):
            version = db.session.scalar(
                select(Version)
                .join(Document)
                .where(Document.slug == folder.name, Version.number == number)
            )
            if version is None or not version.is_published:
                continue
            if language in language_texts.published_languages(version):
                continue
            translation, _warnings = translations.add_translation(
                version, path.read_bytes(), language=language, filename=path.name
            )
            translations.publish_translation(translation, None)
            report.translations.append(f"{folder.name} v{number} {language}")


def load_drafts(drafts_folder: Path, report: DemoReport) -> None:
    """Import and publish each document folder's versions not already present."""
    for folder in sorted(p for p in drafts_folder.iterdir() if p.is_dir()):
        slug = folder.name
        for path in _version_files(folder):
            data = path.read_bytes()
            if _imported_already(slug, data):
                continue
            result = drafts.import_draft(data, document_slug=slug, filename=path.name, publish=True)
            report.versions.append(f"{slug} v{result.version.number}")


def _imported_already(slug: str, data: bytes) -> bool:
    """Return whether document `slug` has a version with exactly this text, in any place."""
    digest = drafts.content_hash(decode_draft(data))
    found = db.session.scalar(
        select(Version.id)
        .join(Document)
        .where(Document.slug == slug, Version.content_hash == digest)
        .limit(1)
    )
    return found is not None


def load_demo(drafts_folder: Path, password: str = DEFAULT_DEMO_PASSWORD) -> DemoReport:
    """Load organisations, accounts, sample drafts and demo rounds that are not there yet."""
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
    for text, disposition in DEMO_STANDARD_ANSWERS:
        if db.session.scalar(select(StandardAnswer).where(StandardAnswer.text == text)) is None:
            standard_answers.add_answer(text, disposition, actor=None)
            report.standard_answers += 1
    load_drafts(drafts_folder, report)
    load_translations(drafts_folder, report)
    added = demo_rounds.load_rounds()
    report.rounds, report.comments, report.responses = added.rounds, added.comments, added.responses
    return report
