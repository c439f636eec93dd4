"""Importing a new version carries clause keys forward; the drafter can correct the matching."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Clause, ImmutableVersionError, Version
from consult.services import carry, comparisons, drafts
from consult.services.errors import Refused, ServiceError
from tests import factories
from tests.corpus import CORPUS, require_corpus

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
BORDERS = DRAFTS / "human-rights-borders"


def _import(path: Path, slug: str = "human-rights-borders", publish: bool = True) -> Version:
    data = path.read_bytes().replace(
        b"document: human-rights-borders", f"document: {slug}".encode()
    )
    return drafts.import_draft(
        data, document_slug=slug, filename=path.name, publish=publish
    ).version


def _text_start(version: Version, start: str) -> Clause:
    return next(c for c in version.clauses if c.text.startswith(start))


def _key_of(version: Version, start: str) -> str:
    return _text_start(version, start).key


def _assert_valid_tree(version: Version) -> None:
    keys = [c.key for c in version.clauses]
    assert len(keys) == len(set(keys))
    assert [c.position for c in version.clauses] == list(range(len(keys)))
    index = {key: i for i, key in enumerate(keys)}
    for position, clause in enumerate(version.clauses):
        if clause.parent_key is not None:
            assert index[clause.parent_key] < position


def _g(name: str, *numbers: str) -> str:
    return ".".join([f"guideline-{name}", *numbers])


@pytest.fixture
def borders(app: object) -> tuple[Version, Version, Version]:
    return _import(BORDERS / "v1.md"), _import(BORDERS / "v2.md"), _import(BORDERS / "v3.md")


# Texts picked from drafts/CHANGES.md, by the start of the paragraph in the version named.
REWORDED_V2 = "Irregular entry or stay should not be treated"  # Guideline 2 para 2, rewritten


def test_reworded_paragraph_keeps_its_v1_key(borders: tuple[Version, Version, Version]) -> None:
    v1, v2, _ = borders
    reworded = _text_start(v2, REWORDED_V2)
    assert reworded.key == _g("legal-framework", "2")
    assert reworded.text not in {c.text for c in v1.clauses}


def test_moved_and_renumbered_paragraphs_keep_their_keys(
    borders: tuple[Version, Version, Version],
) -> None:
    v1, v2, v3 = borders
    moved_v1 = next(c for c in v1.clauses if c.key == _g("legal-framework", "5"))
    moved_v2 = next(c for c in v2.clauses if c.text == moved_v1.text)
    assert moved_v2.parent_key == "guideline-cooperation"  # now Guideline 9 para 4
    assert moved_v2.key == moved_v1.key
    renumbered_v1 = next(c for c in v1.clauses if c.key == _g("rescue", "5"))
    renumbered_v2 = next(c for c in v2.clauses if c.text == renumbered_v1.text)
    assert renumbered_v2.number != renumbered_v1.number  # Guideline 4 para 5 -> para 4
    assert renumbered_v2.key == _g("rescue", "5")
    # Through v3 too: moved twice (now Guideline 9 para 3), renumbered again.
    assert next(c for c in v3.clauses if c.text == moved_v1.text).key == moved_v1.key
    v2_monitoring = next(c for c in v2.clauses if c.key == _g("monitoring", "2"))
    assert next(c for c in v3.clauses if c.text == v2_monitoring.text).key == _g("monitoring", "2")
    for version in borders:
        _assert_valid_tree(version)


def test_added_clauses_get_fresh_keys(borders: tuple[Version, Version, Version]) -> None:
    v1, v2, v3 = borders
    v1_keys = {c.key for c in v1.clauses}
    v1_texts = {c.text for c in v1.clauses}
    # Guideline 4 para 4 was removed in v2: its derived key must not pass to former para 5 ...
    assert _g("rescue", "4") not in {c.key for c in v2.clauses}
    # ... and clauses added in v2 carry keys no v1 clause had.
    added = [
        next(c for c in v2.clauses if c.key == "introduction-p4"),
        next(c for c in v2.clauses if c.key == "principle-due-process"),
        next(c for c in v2.clauses if c.parent_key == "principle-due-process"),
    ]
    for clause in added:
        assert clause.text not in v1_texts or not clause.text
        assert clause.key not in v1_keys
    # v3's new Guideline 2 para 2 does not inherit the key of v2's para 2 (now para 3).
    inserted = next(
        c for c in v3.clauses if c.parent_key == "guideline-legal-framework" and c.number == "2."
    )
    assert inserted.key not in {c.key for c in v1.clauses} | {c.key for c in v2.clauses}


def test_explicit_keys_stay_as_written(borders: tuple[Version, Version, Version]) -> None:
    _, v2, _ = borders
    headings = {c.heading: c.key for c in v2.clauses if c.kind == "principle"}
    assert headings["Right to leave"] == "principle-right-to-leave"
    assert headings["Individual assessment and due process"] == "principle-due-process"


SCOPE = "# T\n\n## Scope\n\nStates protect everyone at borders.\n\nStates respect every person.\n"


def test_a_key_written_in_the_text_is_kept_and_derived_keys_are_carried(app: object) -> None:
    first = factories.version(SCOPE, slug="scope")
    assert [c.key for c in first.clauses] == ["scope", "scope-p1", "scope-p2"]
    # The first paragraph now carries its own key; the second's derived key is scope-p1.
    text = SCOPE.replace("at borders.", "at all borders. {#protect}")
    second = factories.version(text, slug="scope", publish=False)
    assert [(c.key, c.text) for c in second.clauses] == [
        ("scope", ""),
        ("protect", "States protect everyone at all borders."),
        ("scope-p2", "States respect every person."),
    ]


def test_a_key_written_in_the_text_ties_a_rewritten_clause_whatever_its_words(
    app: object,
) -> None:
    """The drafter's {#duty} says the rewritten paragraph continues the old one; a copy of
    the old words elsewhere does not take its place, in the keys or in the comparison."""
    first = factories.version(SCOPE.replace("at borders.", "at borders. {#duty}"), slug="scope")
    rewritten = SCOPE.replace(
        "States protect everyone at borders.",
        "Officials receive training in rescue at sea. {#duty}\n\n"
        "States protect everyone at borders.",
    )
    second = factories.version(rewritten, slug="scope")
    assert [(c.key, c.text) for c in second.clauses] == [
        ("scope", ""),
        ("duty", "Officials receive training in rescue at sea."),
        ("scope-p1-2", "States protect everyone at borders."),
        ("scope-p1", "States respect every person."),  # v1's second paragraph, scope-p1
    ]
    comparison = comparisons.compare_versions(first, second)
    row = comparison.row_for_old_key("duty")
    assert row is not None
    assert (row.status, [c.key for c in row.new]) == ("changed", ["duty"])
    copy = next(r for r in comparison.rows if any(c.key == "scope-p1-2" for c in r.new))
    assert (copy.status, copy.old) == ("added", ())


def test_a_marker_inside_a_paragraph_does_not_block_rematching(app: object) -> None:
    factories.version(SCOPE, slug="scope")
    quoting = SCOPE.replace("every person.", "every person, a line ending\nin {#scope-p1}")
    draft = factories.version(quoting, slug="scope", publish=False)
    assert "{#scope-p1}" in draft.clauses[2].text
    result = carry.rematch_version(draft, {"scope-p1": None}, None)
    assert result.renamed == {"scope-p1": "scope-p1-2"}
    assert [c.key for c in draft.clauses] == ["scope", "scope-p1-2", "scope-p2"]


def test_import_records_where_keys_came_from(borders: tuple[Version, Version, Version]) -> None:
    _, v2, _ = borders
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "version.import", AuditEvent.object_id == str(v2.id)
        )
    )
    assert event is not None
    assert event.details["keys_from"] == 1
    assert event.details["keys_carried"] > 0


def test_keys_are_deterministic(app: object) -> None:
    for slug in ("first", "second"):
        _import(BORDERS / "v1.md", slug)
    draft = _import(BORDERS / "v2.md", "first", publish=False)
    keys = [c.key for c in draft.clauses]
    drafts.discard_version(draft, None)
    again = _import(BORDERS / "v2.md", "first", publish=False)
    other = _import(BORDERS / "v2.md", "second", publish=False)
    assert [c.key for c in again.clauses] == keys == [c.key for c in other.clauses]


def test_keys_carry_from_the_latest_published_version_only(app: object) -> None:
    _import(BORDERS / "v1.md")
    unpublished = _import(BORDERS / "v2.md", publish=False)
    assert carry.previous_published(unpublished) is not None
    third = _import(BORDERS / "v3.md", publish=False)
    previous = carry.previous_published(third)
    assert previous is not None and previous.number == 1
    _assert_valid_tree(third)


def test_first_version_keeps_derived_keys(app: object) -> None:
    version = factories.version()
    assert carry.previous_published(version) is None
    assert carry.proposed_matching(version) is None


def test_eupl_versions_import_as_one_document(app: object) -> None:
    require_corpus()
    old = drafts.import_draft(
        (CORPUS / "eupl" / "EUPL-1.1.txt").read_bytes(),
        document_slug="eupl",
        filename="EUPL-1.1.txt",
        title="European Union Public Licence",
        publish=True,
    ).version
    new = drafts.import_draft(
        (CORPUS / "eupl" / "EUPL-1.2.txt").read_bytes(),
        document_slug="eupl",
        filename="EUPL-1.2.txt",
    ).version
    _assert_valid_tree(new)
    matching = carry.proposed_matching(new)
    assert matching is not None
    summary = matching.alignment.summary()
    assert summary["unchanged"] + summary["changed"] + summary["renumbered"] > 0
    shared = {c.key for c in old.clauses} & {c.key for c in new.clauses}
    assert shared


# The drafter's corrections.


@pytest.fixture
def draft(app: object) -> Version:
    _import(BORDERS / "v1.md")
    return _import(BORDERS / "v2.md", publish=False)


def _pair_of(matching: carry.Matching, new_key: str) -> tuple[str, tuple[str, ...]]:
    pair = next(p for p in matching.alignment.pairs if any(c.key == new_key for c in p.new))
    return pair.status, tuple(c.key for c in pair.old)


def test_proposed_matching_follows_changes_md(draft: Version) -> None:
    matching = carry.proposed_matching(draft)
    assert matching is not None and matching.previous.number == 1
    assert matching.alignment.summary() == {
        "unchanged": 70,
        "changed": 6,
        "moved": 1,
        "renumbered": 5,
        "split": 1,
        "merged": 1,
        "added": 4,
        "removed": 1,
    }
    assert _pair_of(matching, _g("legal-framework", "5")) == (
        "moved",
        (_g("legal-framework", "5"),),
    )


def test_marking_new_gives_a_fresh_key_and_shows_it_added(draft: Version) -> None:
    reworded = _g("legal-framework", "2")
    result = carry.rematch_version(draft, {reworded: None}, None)
    fresh = result.renamed[reworded]
    assert fresh not in {c.key for c in carry.previous_published(draft).clauses}  # type: ignore[union-attr]
    clause = _text_start(draft, REWORDED_V2)
    assert clause.key == fresh
    matching = carry.proposed_matching(draft)
    assert matching is not None
    assert _pair_of(matching, fresh) == ("added", ())
    removed = [p.old[0].key for p in matching.alignment.pairs if p.status == "removed"]
    assert reworded in removed
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "version.rematch"))
    assert event is not None
    assert event.details["marked_new"] == [reworded]
    assert event.details["renamed"] == {reworded: fresh}


def test_the_comparison_shows_a_clause_marked_new_as_added(draft: Version) -> None:
    """Guideline 3 para 1 of v2 is v1's text lightly reworded, but the drafter says it is new.

    The comparison must say what the comments follow: the old paragraph
    removed, the new one added, not "changed" on the strength of the words.
    """
    capacity = _g("capacity", "1")
    previous = carry.previous_published(draft)
    assert previous is not None
    before = comparisons.compare_versions(previous, draft)
    row = before.row_for_old_key(capacity)
    assert row is not None and row.status == "changed" and row.similarity > 0.8
    fresh = carry.rematch_version(draft, {capacity: None}, None).renamed[capacity]
    published = drafts.publish_version(draft, None)
    after = comparisons.compare_versions(previous, published)
    removed = after.row_for_old_key(capacity)
    assert removed is not None and (removed.status, removed.new) == ("removed", ())
    added = next(r for r in after.rows if any(c.key == fresh for c in r.new))
    assert (added.status, added.old) == ("added", ())
    assert added.new[0].text.startswith("States should ensure that all border officials")


def test_tying_takes_the_old_key_and_displaces_its_holder(draft: Version) -> None:
    # Tie the new Introduction para 4 to v1's Guideline 4 para 4 (removed in v2).
    result = carry.rematch_version(draft, {"introduction-p4": _g("rescue", "4")}, None)
    assert result.renamed == {"introduction-p4": _g("rescue", "4")}
    matching = carry.proposed_matching(draft)
    assert matching is not None
    status, old = _pair_of(matching, _g("rescue", "4"))
    assert old == (_g("rescue", "4"),) and status in ("moved", "changed")
    # Now tie former Guideline 4 para 5 (key rescue.5) to Principle 2 para 1's key:
    # the clause holding that key loses it for a fresh one.
    holder = "principle-non-discrimination-p1"
    result = carry.rematch_version(draft, {_g("rescue", "5"): holder}, None)
    assert result.renamed[_g("rescue", "5")] == holder
    assert result.renamed[holder] not in {c.key for c in matching.previous.clauses}
    _assert_valid_tree(draft)


def test_renaming_a_parent_keeps_the_tree(draft: Version) -> None:
    # Guideline 6 para 1 has sub-items: re-keying it must re-point them.
    parent = _g("identification", "1")
    result = carry.rematch_version(draft, {parent: None}, None)
    fresh = result.renamed[parent]
    children = [c for c in draft.clauses if c.parent_key == fresh]
    assert len(children) == 5  # (a) to (e)
    db.session.expire_all()
    _assert_valid_tree(db.session.get(Version, draft.id))  # type: ignore[arg-type]


def test_swapping_two_keys(draft: Version) -> None:
    a, b = _g("capacity", "1"), _g("capacity", "2")
    result = carry.rematch_version(draft, {a: b, b: a}, None)
    assert result.renamed == {a: b, b: a}
    _assert_valid_tree(draft)


def test_no_change_records_nothing(draft: Version) -> None:
    key = _g("capacity", "1")
    assert carry.rematch_version(draft, {key: key, "introduction-p4": None}, None).renamed == {}
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "version.rematch")) is None
    )


@pytest.mark.parametrize(
    ("corrections", "message"),
    [
        ({"no-such-clause": None}, "has no clause 'no-such-clause'"),
        ({"introduction-p4": "no-such-clause"}, "version 1 has no clause"),
        (
            {"introduction-p4": _g("rescue", "4"), "principle-due-process-p1": _g("rescue", "4")},
            "cannot be continued by both",
        ),
        ({"principle-child": None}, "written in the draft's text"),
        ({"introduction-p4": "principle-child"}, "written in the draft's text"),
    ],
)
def test_bad_corrections_change_nothing(
    draft: Version, corrections: dict[str, str | None], message: str
) -> None:
    before = [(c.key, c.parent_key) for c in draft.clauses]
    with pytest.raises(ServiceError, match=message):
        carry.rematch_version(draft, corrections, None)
    db.session.expire_all()
    assert [(c.key, c.parent_key) for c in draft.clauses] == before
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "version.rematch")) is None
    )


def test_published_or_first_versions_are_refused(draft: Version) -> None:
    previous = carry.previous_published(draft)
    assert previous is not None
    with pytest.raises(Refused, match="published"):
        carry.rematch_version(previous, {}, None)
    drafts.publish_version(draft, None)
    with pytest.raises(Refused, match="published"):
        carry.rematch_version(draft, {"introduction-p4": None}, None)
    with pytest.raises(ImmutableVersionError):
        carry._apply(draft, {"introduction-p4": "x"})
    db.session.rollback()
    first = factories.version(publish=False)
    with pytest.raises(Refused, match="follows no published version"):
        carry.rematch_version(first, {}, None)
