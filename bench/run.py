"""Run the benchmarks and print a table of figures.

Each benchmark measures Consult beside a floor measured in the same run, so
that the ratio means something on any machine. Usage: `make bench` for all,
or `python bench/run.py import compare` for some (names: see BENCHMARKS).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# name -> module in bench/ exposing run() -> rows of (benchmark, figure, value, aim)
BENCHMARKS = {
    "import": "bench.bench_import",
    "compare": "bench.bench_compare",
    "matrix": "bench.bench_matrix",
    "deadline": "bench.bench_deadline",
    "gold": "bench.bench_gold",
    "pdf": "bench.bench_pdf",
    "reading": "bench.bench_reading",
    "preview": "bench.bench_preview",
    "discard": "bench.bench_discard",
}


def main(names: list[str]) -> int:
    """Run the named benchmarks (all without names) and print one row per figure."""
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    rows: list[tuple[str, str, str, str]] = []
    for name in names or list(BENCHMARKS):
        rows.extend(importlib.import_module(BENCHMARKS[name]).run())
    header = ("benchmark", "figure", "value", "aim")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
