"""Run every benchmark and print a table of figures.

Each benchmark measures Consult beside a floor measured in the same run, so
that the ratio means something on any machine. Usage: `make bench`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_import

BENCHMARKS = [bench_import.run]


def main() -> int:
    """Run the benchmarks and print one row per figure; return the exit status."""
    rows: list[tuple[str, str, str, str]] = []
    for benchmark in BENCHMARKS:
        rows.extend(benchmark())
    header = ("benchmark", "figure", "value", "aim")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
