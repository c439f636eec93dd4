"""Importing drafts as versions: the transaction, the audit trail, immutability."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.domain.parsing import parse_draft
from consult.extensions import db
from consult.models import AuditEvent, Clause, Document, ImmutableVersionError, Version
from consult.services import drafts
from consult.services.errors import Refused, ServiceError
from tests import factories


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_import_creates_document_version_clauses_and_audit(app: object) -> None:
    result = drafts.import_draft(
        factories.SAMPLE_DRAFT.encode(), document_slug="sample", filename="v1.md"
    )
    version = result.version
    assert version.number == 1
    assert version.status == "draft"
    assert version.label == "First draft"
    assert version.document.title == "Sample Principles"
    assert len(version.content_hash) == 64
    assert result.clause_count == len(version.clauses) == count(Clause)
    numbers = [c.number for c in version.clauses]
    assert "Principle 1" in numbers and "(a)" in numbers
    dignity = next(c for c in version.clauses if c.key == "principle-dignity")
    assert dignity.heading == "Dignity"
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["document.create", "version.import"]


def test_next_import_is_the_next_version_and_can_be_published(app: object) -> None:
    factories.version(publish=True)
    second = drafts.import_draft(
        factories.SAMPLE_DRAFT.replace("every year", "every two years").encode(),
        document_slug="sample",
        label="Revision",
        publish=True,
    ).version
    assert second.number == 2
    assert second.label == "Revision"
    assert second.is_published and second.published_at is not None
    assert count(Document) == 1


def test_same_text_gives_same_keys(app: object) -> None:
    text = factories.SAMPLE_DRAFT.replace("document: sample\n", "")
    first = factories.version(text, slug="one")
    second = factories.version(text, slug="two")
    assert [c.key for c in first.clauses] == [c.key for c in second.clauses]


def test_identical_text_is_refused(app: object) -> None:
    factories.version()
    with pytest.raises(Refused, match="identical to version 1"):
        factories.version()
    assert count(Version) == 1


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", None, "empty"),
        (b"   \n\n  ", None, "empty"),
        ("# Title\n\nCaf\u00e9".encode("latin-1"), 3, "UTF-8"),
        (b"\xef\xbb\xbf# Title\r\n\r\nCaf\xe9\r\n", 3, "not UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", None, "binary"),
        (b"# T\n\n" + b"x" * (5 * 1024 * 1024 + 1), None, "5 MB"),
        (b"# T\n\nOne. {#k}\n\nTwo. {#k}\n", 5, "duplicate"),
        (b"# T\n\nText.\n\n## Notes\n", 5, "no content"),
        (b"Just a paragraph with no heading.\n", 1, "no title"),
    ],
    ids=[
        "empty",
        "blank",
        "latin-1",
        "bom-latin-1",
        "binary",
        "too-big",
        "dup-key",
        "empty-heading",
        "no-title",
    ],
)
def test_bad_input_names_the_line_and_stores_nothing(
    app: object, data: bytes, line: int | None, message: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        drafts.import_draft(data, document_slug="bad", filename="bad.md")
    assert message.lower() in caught.value.message.lower()
    if line is not None:
        assert caught.value.line == line
        assert str(caught.value).startswith(f"line {line}: ")
    assert (count(Document), count(Version), count(Clause), count(AuditEvent)) == (0, 0, 0, 0)


def test_the_upload_is_decoded_once_into_the_text_stored(app: object) -> None:
    text = factories.SAMPLE_DRAFT.replace("\n", "\r\n")
    version = drafts.import_draft(("\ufeff" + text).encode(), document_slug="sample").version
    assert version.source_text == text  # the byte-order mark dropped, newlines as uploaded
    assert version.content_hash == drafts.content_hash(text)
    parsed = parse_draft(factories.SAMPLE_DRAFT.encode())
    assert [(c.key, c.text) for c in version.clauses] == [(c.key, c.text) for c in parsed.clauses]
    assert drafts.draft_warnings(version) == ()
    with pytest.raises(Refused, match="identical to version 1"):
        drafts.import_draft(text.encode(), document_slug="sample")


def test_front_matter_naming_another_document_is_refused(app: object) -> None:
    with pytest.raises(ServiceError, match="belongs to document 'sample'"):
        drafts.import_draft(factories.SAMPLE_DRAFT.encode(), document_slug="other")
    assert count(Document) == 0


@pytest.mark.parametrize("slug", ["Has Spaces", "UPPER", "-dash", "a" * 81, "émigré"])
def test_invalid_slug_is_refused(app: object, slug: str) -> None:
    with pytest.raises(ServiceError, match="not a valid document name"):
        drafts.import_draft(b"# T\n\nText.\n", document_slug=slug)
    assert count(Document) == 0


def test_published_clause_cannot_be_modified(app: object) -> None:
    version = factories.version(publish=True)
    clause = version.clauses[1]
    clause.text = "Rewritten behind the service's back."
    with pytest.raises(ImmutableVersionError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Clause, clause.id).text != "Rewritten behind the service's back."


def test_published_version_cannot_be_modified_or_deleted(app: object) -> None:
    version = factories.version(publish=True)
    version.label = "Changed"
    with pytest.raises(ImmutableVersionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(version)
    with pytest.raises(ImmutableVersionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(version.clauses[0])
    with pytest.raises(ImmutableVersionError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(Version, version.id).label == "First draft"


def test_published_version_gains_no_clauses(app: object) -> None:
    version = factories.version(publish=True)
    db.session.add(Clause(version=version, key="extra", text="x", kind="paragraph", position=999))
    with pytest.raises(ImmutableVersionError):
        db.session.commit()
    db.session.rollback()
    assert count(Clause) == len(version.clauses)


def test_service_refuses_to_discard_or_republish_a_published_version(app: object) -> None:
    version = factories.version(publish=True)
    with pytest.raises(Refused, match="can never be changed"):
        drafts.discard_version(version, actor=None)
    with pytest.raises(Refused, match="already published"):
        drafts.publish_version(version, actor=None)
    assert count(Version) == 1


def test_draft_version_can_be_published_or_discarded(app: object) -> None:
    version = factories.version(publish=False)
    assert version.clauses
    drafts.discard_version(version, actor=None)
    assert (count(Version), count(Clause)) == (0, 0)
    again = factories.version(publish=False)
    assert again.number == 1
    drafts.publish_version(again, actor=None)
    assert db.session.get(Version, again.id).is_published
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"version.discard", "version.publish"} <= actions


FACTS = (
    "symbol: CONSULT/SAMPLE/1\n"
    "publisher: Consult demonstration secretariat\n"
    "language: EN\n"
    "label: First draft\n"
)


def events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def test_a_new_document_takes_its_facts_from_the_front_matter(app: object) -> None:
    text = factories.SAMPLE_DRAFT.replace("label: First draft\n", FACTS)
    document = factories.version(text).document
    assert (document.symbol, document.publisher, document.language) == (
        "CONSULT/SAMPLE/1",
        "Consult demonstration secretariat",
        "en",
    )
    (created,) = events("document.create")
    assert created.details == {
        "slug": "sample",
        "symbol": "CONSULT/SAMPLE/1",
        "publisher": "Consult demonstration secretariat",
        "language": "en",
    }
    assert events("document.update") == []


def test_a_document_without_facts_keeps_the_defaults(app: object) -> None:
    document = factories.version().document
    assert (document.symbol, document.publisher, document.language) == ("", "", "en")
    assert events("document.create")[0].details == {"slug": "sample"}


def test_a_later_version_updates_only_the_facts_it_gives(app: object) -> None:
    first = factories.SAMPLE_DRAFT.replace("label: First draft\n", FACTS)
    document = factories.version(first).document
    # The second version changes the symbol and language and says nothing of the publisher.
    second = (
        factories.SAMPLE_DRAFT.replace("label: First draft\n", "symbol: CONSULT/SAMPLE/1/Rev.1\n")
        .replace("title: Sample Principles\n", "title: Sample Principles\nlanguage: fr\n")
        .replace("every year", "every two years")
    )
    factories.version(second)
    db.session.refresh(document)
    assert (document.symbol, document.publisher, document.language) == (
        "CONSULT/SAMPLE/1/Rev.1",
        "Consult demonstration secretariat",
        "fr",
    )
    (update,) = events("document.update")
    assert (update.object_type, update.object_id) == ("document", str(document.id))
    assert update.details == {
        "version": 2,
        "symbol": {"old": "CONSULT/SAMPLE/1", "new": "CONSULT/SAMPLE/1/Rev.1"},
        "language": {"old": "en", "new": "fr"},
    }
    # A third version that repeats the same facts changes nothing and records nothing more.
    factories.version(second.replace("every two years", "every three years"))
    assert len(events("document.update")) == 1


def test_a_bad_fact_stores_nothing(app: object) -> None:
    factories.version()
    bad = factories.SAMPLE_DRAFT.replace("label: First draft\n", "language: English\n")
    with pytest.raises(ServiceError) as caught:
        factories.version(bad.replace("every year", "every two years"))
    assert caught.value.line == 4
    assert "'English' is not a language tag" in caught.value.message
    document = db.session.scalar(select(Document))
    assert document is not None and document.language == "en"
    assert count(Version) == 1


def test_read_draft_gives_the_facts_the_version_sets(app: object) -> None:
    text = factories.SAMPLE_DRAFT.replace("label: First draft\n", "publisher: Secretariat\n")
    reading = drafts.read_draft(factories.version(text))
    assert reading.warnings == ()
    assert dict(reading.facts) == {"publisher": "Secretariat"}
