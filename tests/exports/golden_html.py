"""Golden files of the consolidated document's HTML, compared parsed and normalised.

The HTML is parsed (html.parser) and written back one element or text per
line, indented by depth, attributes sorted, white space collapsed, and the
contents of <style> elements left out (base.css's footer rule belongs to the
PDF engine). A golden file is what that gives for the sample document; set
CONSULT_REGENERATE_GOLDEN=1 to write them afresh, then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("CONSULT_REGENERATE_GOLDEN") == "1"


def normalise(html: str) -> str:
    """Return `html` as one element or text per line, indented, attributes sorted."""
    lines: list[str] = []

    def walk(node: Tag, depth: int) -> None:
        pad = "  " * depth
        attributes = "".join(
            f' {name}="{" ".join(value) if isinstance(value, list) else value}"'
            for name, value in sorted(node.attrs.items())
        )
        lines.append(f"{pad}<{node.name}{attributes}>")
        if node.name == "style":
            return
        for child in node.children:
            if isinstance(child, Comment | Doctype):
                continue
            if isinstance(child, Tag):
                walk(child, depth + 1)
            elif isinstance(child, NavigableString):
                text = " ".join(str(child).split())
                if text:
                    lines.append(f"{pad}  {text}")

    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("html")
    assert isinstance(root, Tag)
    walk(root, 0)
    return "\n".join(lines) + "\n"


def check(name: str, html: str) -> None:
    """Assert that `html` matches the golden file `name` (or write it when regenerating)."""
    path = GOLDEN / f"{name}.html"
    got = normalise(html)
    if REGENERATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}: run with CONSULT_REGENERATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert got == expected, f"{name}: the HTML differs from {path} (regenerate and read the diff)"
