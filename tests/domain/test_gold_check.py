"""The gold-set checker (tests/domain/gold_check.py) on a two-version corpus of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain.gold_check import check, load, unknown_keys

OLD = """# Rules

1. Members pay a fee of ten euros every year.

2. The board meets twice a year in spring.

3. Minutes are kept by the secretary.
"""
NEW = """# Rules

1. Members pay a fee of ten euros every year.

2. The board meets twice a year in spring.

3. Minutes are kept by the secretary and published online.

4. Elections are held every second year.
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "v1.md").write_text(OLD, encoding="utf-8")
    (tmp_path / "rules" / "v2.md").write_text(NEW, encoding="utf-8")
    return tmp_path


def _gold(tmp_path: Path, clauses: str) -> Path:
    path = tmp_path / "rules-v1-to-v2.yaml"
    path.write_text(f"old: rules/v1.md\nnew: rules/v2.md\nclauses:\n{clauses}", encoding="utf-8")
    return path


@pytest.mark.parametrize("imported", [False, True])
def test_a_right_gold_set_scores_every_entry(corpus: Path, tmp_path: Path, imported: bool) -> None:
    gold = load(
        _gold(
            tmp_path,
            "  - {old: '1', new: '1', status: unchanged}\n"
            "  - {old: '3', new: '3', status: changed}\n"
            "  - {new: '4', status: added}\n",
        )
    )
    report = check(gold, corpus, imported=imported)
    assert (report.sampled, report.statuses_right, report.counterparts_right) == (3, 3, 3)
    assert report.misses == ()
    assert report.status_accuracy == report.counterpart_accuracy == 1.0


def test_a_wrong_status_and_a_wrong_counterpart_are_listed(corpus: Path, tmp_path: Path) -> None:
    gold = load(
        _gold(
            tmp_path,
            "  - {old: '3', new: '3', status: unchanged}\n"
            "  - {old: '2', new: '1', status: moved}\n",
        )
    )
    report = check(gold, corpus)
    assert (report.statuses_right, report.counterparts_right) == (0, 1)
    lines = [miss.describe() for miss in report.misses]
    assert lines[0] == "3: code says changed ['3'] -> ['3']; true: unchanged ['3'] -> ['3']"
    assert lines[1].startswith("2: code says unchanged ['2'] -> ['2']")
    assert report.status_accuracy == 0.0


def test_keys_missing_from_the_parsed_versions_are_named(corpus: Path, tmp_path: Path) -> None:
    gold = load(
        _gold(
            tmp_path, "  - {old: '9', new: '3', status: changed}\n  - {new: '8', status: added}\n"
        )
    )
    assert unknown_keys(gold, corpus) == ["old 9", "new 8"]


def test_an_unknown_status_or_an_empty_entry_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown status 'reworded'"):
        load(_gold(tmp_path, "  - {old: '1', new: '1', status: reworded}\n"))
    with pytest.raises(ValueError, match="names no clause"):
        load(_gold(tmp_path, "  - {status: removed}\n"))
