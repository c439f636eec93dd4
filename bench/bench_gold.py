"""Accuracy of the alignment on the hand-checked gold sets (tests/domain/gold/).

Not a timing: for each gold file, the share of sampled clauses whose status
and whose counterparts the alignment gets right, beside the aim of 95%.
`python -m bench.bench_gold -v` also lists every clause it gets wrong (add
`--imported` for the comparison of the versions as imported, with carried keys).
"""

from __future__ import annotations

import sys

from bench.bench_import import CORPUS
from tests.domain.gold_check import Report, check, gold_files, load

AIM = "≥ 95%"


def reports(*, imported: bool = False) -> list[Report]:
    """Check every gold file whose two versions are in the corpus (as imported: see check)."""
    found = []
    for path in gold_files():
        gold = load(path)
        if (CORPUS / gold.old).is_file() and (CORPUS / gold.new).is_file():
            found.append(check(gold, CORPUS, imported=imported))
    return found


def run() -> list[tuple[str, str, str, str]]:
    """Return rows per gold file: statuses and counterparts right, parsed and as imported."""
    rows = []
    for imported in (False, True):
        way = "as imported (carried keys)" if imported else "parsed versions"
        for report in reports(imported=imported):
            name = f"gold {report.name} ({report.sampled} clauses)"
            statuses = f"{report.statuses_right}/{report.sampled} = {report.status_accuracy:.0%}"
            counterparts = (
                f"{report.counterparts_right}/{report.sampled} = {report.counterpart_accuracy:.0%}"
            )
            rows.append((name, f"{way}: statuses right", statuses, AIM))
            rows.append((name, f"{way}: counterparts right", counterparts, ""))
    return rows


if __name__ == "__main__":
    for row in run():
        print("  ".join(row))
    if "-v" in sys.argv:
        for report in reports(imported="--imported" in sys.argv):
            print(f"\n{report.name}:")
            for miss in report.misses:
                print(f"  {miss.describe()}")
