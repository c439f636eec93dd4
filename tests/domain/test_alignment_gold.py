"""The alignment against hand-checked gold sets of real corpus pairs (tests/domain/gold/).

Each gold file samples clauses of one real pair across every status, with the
counterpart and status decided by reading both texts. The floors below are
what the alignment reached when the gold set was written, so that no change
makes it worse; the aim (issue 11) is 0.95 of statuses right on every pair.
Raise a floor when the alignment improves. `python bench/run.py gold` prints
the figures, `python bench/bench_gold.py -v` the clauses it gets wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import CORPUS, require_corpus
from tests.domain.gold_check import check, clauses, gold_files, load, unknown_keys

# gold file -> (statuses right, counterparts right), as shares of the sample; aim: 0.95 statuses.
FLOORS = {
    "aufenthg-2012-07-to-2012-08": (1.0, 1.0),  # 56/56, 56/56
    "aufenthg-2012-08-to-2022-01": (0.86, 0.89),  # 72/83, 74/83
    "cc-by-2.0-to-2.5": (1.0, 1.0),  # 40/40, 40/40
    "cc-by-3.0-to-4.0": (0.79, 0.79),  # 38/48, 38/48
    "contributor-covenant-2.0-to-2.1": (1.0, 1.0),  # 34/34, 34/34
    "csaf-cs01-to-cs02": (1.0, 1.0),  # 44/44, 44/44
    "csaf-csd01-to-cs01": (1.0, 1.0),  # 53/53, 53/53
    "hrpc-guidelines-00-to-02": (1.0, 1.0),  # 48/48, 48/48
    "hrpc-research-06-to-08": (1.0, 1.0),  # 56/56, 56/56
}


@pytest.fixture(autouse=True)
def _need_corpus() -> None:
    require_corpus()


def test_every_gold_file_has_a_floor() -> None:
    assert sorted(FLOORS) == [path.stem for path in gold_files()]


@pytest.mark.parametrize("path", gold_files(), ids=lambda path: path.stem)
def test_gold_keys_exist_in_the_parsed_versions(path: Path) -> None:
    gold = load(path)
    old_clauses = len(clauses(CORPUS, gold.old))
    sampled = {key for entry in gold.entries for key in entry.old}
    assert len(sampled) >= min(40, old_clauses)  # a short document is sampled whole
    assert unknown_keys(gold, CORPUS) == []


@pytest.mark.parametrize("imported", [False, True], ids=["parsed", "imported"])
@pytest.mark.parametrize("path", gold_files(), ids=lambda path: path.stem)
def test_alignment_is_at_least_as_right_as_the_floor(path: Path, imported: bool) -> None:
    """Both the import's preview (parsed versions) and the stored versions' comparison."""
    report = check(load(path), CORPUS, imported=imported)
    statuses, counterparts = FLOORS[path.stem]
    wrong = "\n".join(miss.describe() for miss in report.misses)
    assert report.status_accuracy >= statuses, wrong
    assert report.counterpart_accuracy >= counterparts, wrong


@pytest.mark.parametrize("path", gold_files(), ids=lambda path: path.stem)
def test_gold_entries_name_each_clause_once(path: Path) -> None:
    gold = load(path)
    olds = [key for entry in gold.entries for key in entry.old]
    news = [key for entry in gold.entries for key in entry.new]
    assert len(olds) == len(set(olds))
    assert len(news) == len(set(news))
