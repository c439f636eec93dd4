"""The changes variant: the newer version's text marked with what changed since the other one.

Built on the stored comparison (consult.services.comparisons.compare_versions),
row by row in the newer version's order, so that every clause of both
versions is printed once: unchanged clauses as they stand, a changed clause's
words as a word diff (deleted words struck through, inserted ones underlined),
an added clause wholly inserted, a removed clause wholly struck through where
it stood. Printed diffs are of the words as read, without inline Markdown
(consult.services.consolidated.shown_text). Moved, renumbered, split and
merged clauses say so in the margin ("Moved from Guideline 1, paragraph 3",
"Was 2."). A clause split in two or
two clauses merged are one block, their texts joined as the comparison
diffed them. The summary before the text counts the clauses by what
happened to them and lists every one that moved, was renumbered, added,
removed, split or merged, with its old and new citation.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult import labels
from consult.domain.alignment import STATUSES
from consult.domain.diff import Op, Ops
from consult.models import Translation, Version
from consult.services.clause_tree import ClauseNode, build_tree
from consult.services.comparisons import Row, compare_versions
from consult.services.consolidated.blocks import Scripts, clause_block, clauses_in, walk
from consult.services.consolidated.model import Block, ChangeLine, ChangeSummary
from consult.services.consolidated.shown_text import printed, shown_diff, shown_text

#: The statuses the summary lists clause by clause (the others are only counted).
LISTED = ("moved", "renumbered", "split", "merged", "added", "removed")


def _whole(op: Op, text: str) -> Ops | None:
    """Return a text wholly inserted, deleted or kept, as a diff (None for no text)."""
    shown = shown_text(text)
    return printed(((op, shown),)) if shown else None


def _note(row: Row, old_nodes: dict[str, ClauseNode]) -> str:
    """Return what the margin says of the row's clause ("" for none)."""
    status = row.status
    if status == "moved":
        return str(_("Moved from %(clause)s", clause=row.old_number))
    if status == "renumbered":
        old = old_nodes[row.old[0].key]
        return str(_("Was %(number)s", number=old.number.strip() or row.old_number))
    if status == "split":
        return str(_("Split from %(clause)s", clause=row.old_number))
    if status == "merged":
        return str(_("Merged from %(clauses)s", clauses=row.old_number))
    if status in {"added", "removed", "changed"}:
        return labels.label(labels.COMPARISON_STATUSES, status)
    return ""


class _Printer:
    """Turns the comparison's rows into blocks, keeping every element id unique."""

    def __init__(
        self,
        older: tuple[Version, Translation | None],
        newer: tuple[Version, Translation | None],
        scripts: Scripts,
    ) -> None:
        old_roots, self.old_nodes = build_tree(clauses_in(*older))
        new_roots, self.new_nodes = build_tree(clauses_in(*newer))
        self.old_indent = {node.key: indent for node, indent in walk(old_roots)}
        self.new_indent = {node.key: indent for node, indent in walk(new_roots)}
        self.scripts = scripts
        # The newer version's anchors first: links to its clauses must land on them.
        self.used = {node.anchor for node in self.new_nodes.values()}

    def block(self, row: Row) -> Block:
        if row.new:
            node = self.new_nodes[row.new[0].key]
            block = clause_block(node, self.new_indent[node.key], self.scripts)
            block.anchors = tuple(self.new_nodes[side.key].anchor for side in row.new)
        else:
            node = self.old_nodes[row.old[0].key]
            block = clause_block(node, self.old_indent[node.key], self.scripts)
            anchor = node.anchor
            if anchor in self.used:
                anchor = f"removed-{anchor}"
            self.used.add(anchor)
            block.anchors = (anchor,)
        block.status = row.status
        block.note = _note(row, self.old_nodes)
        if len(row.new) > 1:
            block.number = "; ".join(n for n in (s.number for s in self._new(row)) if n)
        if row.status == "added":
            block.diff = _whole("insert", row.new_text)
            block.heading_diff = _whole("insert", row.new_heading)
        elif row.status == "removed":
            block.diff = _whole("delete", row.old_text)
            block.heading_diff = _whole("delete", row.old_heading)
        else:
            # The stored diff says what changed; the printed one is of the words as read.
            if row.diff is not None:
                block.diff = shown_diff(row.old_text, row.new_text)
            if row.heading_diff is not None:
                block.heading_diff = shown_diff(row.old_heading, row.new_heading)
            if block.diff is None and len(row.new) > 1:
                block.diff = _whole("equal", row.new_text)
        return block

    def _new(self, row: Row) -> list[ClauseNode]:
        return [self.new_nodes[side.key] for side in row.new]


def changes_blocks(
    older: tuple[Version, Translation | None],
    newer: tuple[Version, Translation | None],
    scripts: Scripts,
) -> tuple[list[Block], ChangeSummary]:
    """Return `newer` as blocks marked with its changes from `older`, and the summary of them,
    each version with its text in another language where one is given."""
    translation = newer[1]
    comparison = compare_versions(
        older[0], newer[0], translation.language if translation is not None else ""
    )
    printer = _Printer(older, newer, scripts)
    statuses = labels.translated(labels.COMPARISON_STATUSES)
    blocks: list[Block] = []
    lines: list[ChangeLine] = []
    for row in comparison.rows:
        block = printer.block(row)
        blocks.append(block)
        if row.status in LISTED:
            lines.append(
                ChangeLine(
                    row.status, statuses[row.status], row.old_number, row.new_number, block.anchor
                )
            )
    summary = ChangeSummary(
        older=labels.version_name(comparison.old.number, comparison.old.label),
        newer=labels.version_name(comparison.new.number, comparison.new.label),
        counts=tuple((statuses[s], comparison.summary.get(s, 0)) for s in STATUSES),
        lines=tuple(lines),
    )
    return blocks, summary
