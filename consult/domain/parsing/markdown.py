"""Reading a Markdown draft into the clause tree, from markdown-it-py's token stream.

Headings give the hierarchy; each block under a heading is a clause, except
ordered lists (one clause per item, nested items as children), tables whose
rows are numbered (one clause per row) and paragraphs made of "(a)"-style
numbered lines (one clause per numbered line), and definition lists (one
clause per term). Clause text is the Markdown source of the block, located
through ``token.map``. In a kramdown-rfc draft (an IETF Internet-Draft) the
"--- middle" / "--- back" markers are not text, sections take the numbers the
published draft shows (1, 1.1, ...; A, A.1, ... after "--- back") while their
keys stay those of their titles, and a lone "{{RFC3935}}" joins the block above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .errors import N_, DraftError, ParseMessage
from .marker import Marker
from .numbering import parse_marker
from .segments import add_segment, join_text, split_segments
from .tree import LIST_STYLES, BodyStack, Node, Tree, take_key

_BLOCK_KINDS = {
    "bullet_list_open": "paragraph",
    "blockquote_open": "paragraph",
    "fence": "paragraph",
    "code_block": "paragraph",
    "html_block": "paragraph",
    "table_open": "paragraph",
    "dl_open": "definition",
    "footnote_reference_open": "footnote",
}
# kramdown-rfc's section markers ("--- abstract", "--- middle", "--- back").
_KRAMDOWN_MARKER_RE = re.compile(r"---[ \t]+[a-z]+")
# A paragraph made only of kramdown-rfc references: "{{RFC3935}}", "{{FOC}}, {{UDHR}}".
_REFERENCES_RE = re.compile(r"\{\{[^{}\n]+\}\}(?:[\s,;]*\{\{[^{}\n]+\}\})*\.?")
_PREAMBLE_WORDS = frozenset({"preamble", "präambel", "preambule", "préambule", "preámbulo"})


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").use(deflist_plugin).use(footnote_plugin)
    # Keep footnote definitions where they are written instead of moving them to the end.
    md.core.ruler.disable("footnote_tail")
    return md


_MD = _parser()


def _close(tokens: Sequence[Token], i: int) -> int:
    """Return the index just past the block opened at ``tokens[i]``."""
    token = tokens[i]
    if token.nesting != 1:
        return i + 1
    level = token.level
    j = i + 1
    while not (tokens[j].level == level and tokens[j].nesting == -1):
        j += 1
    return j + 1


def _source(lines: list[str], token: Token, dedent: int = 0) -> str:
    start, end = token.map or (0, 0)
    chunk = lines[start:end]
    while chunk and not chunk[-1].strip():
        chunk.pop()
    if dedent:
        chunk = [_dedent(text, dedent) for text in chunk]
    return "\n".join(chunk)


def _dedent(text: str, width: int) -> str:
    spaces = len(text) - len(text.lstrip(" "))
    return text[min(spaces, width) :]


class _Reader:
    """One pass over the token stream, appending nodes to ``tree``."""

    def __init__(self, lines: list[str], tree: Tree, warnings: list[ParseMessage]) -> None:
        self.lines = lines
        self.tree = tree
        self.warnings = warnings
        # kramdown-rfc: where "--- middle" and "--- back" are, and the section counters.
        self.parts: tuple[int, int | None] | None = None
        self.counts: dict[int | str, int] = {}
        self.implied: dict[int, str] = {}

    def read(self) -> str | None:
        """Add every clause to the tree; return the title taken from the only H1."""
        tokens = _MD.parse("\n".join(self.lines))
        h1 = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
        title: str | None = None
        title_index = -1
        self.parts = _kramdown_parts(self.lines)
        if h1 and self.parts is None:  # a kramdown-rfc draft's title is in its front matter
            title = " ".join(tokens[h1[0] + 1].content.split())
            title = take_key(title, 1)[0].strip() or None
            if len(h1) == 1:
                title_index = h1[0]
        stack = BodyStack(None, pop_styles=LIST_STYLES)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "heading_open":
                if i != title_index:
                    stack = BodyStack(self._heading(token, tokens[i + 1]), pop_styles=LIST_STYLES)
                i = _close(tokens, i)
                continue
            i = self._block(tokens, i, stack)
        return title

    def _heading(self, token: Token, inline: Token) -> int:
        line = (token.map or (0, 0))[0] + 1
        content = " ".join(inline.content.split())
        content, key = take_key(content, line)
        content = content.strip().rstrip("#").strip()
        if not content:
            raise DraftError(N_("heading without text"), line)
        level = int(token.tag[1])
        marker = parse_marker(content, heading=True)
        parent = self.tree.heading_parent(level)
        if marker is not None:
            kind = "section" if marker.kind in ("paragraph", "item") else marker.kind
            node = Node(marker.number, kind, marker.rest, "", line, parent, is_heading=True)
            node.style, node.token, node.prefix = marker.style, marker.token, marker.prefix
            node.own_content = bool(marker.rest)
        else:
            kind = "preamble" if content.lower() in _PREAMBLE_WORDS else "heading"
            node = Node("", kind, content, "", line, parent, is_heading=True)
            implied = self._implied_number(line, parent)
            if implied:
                node.number, node.kind = implied, "section"  # the key stays the title's
        node.level, node.explicit_key = level, key
        index = self.tree.add(node)
        if node.number and marker is None:
            self.implied[index] = node.number
        self.tree.headings.append(index)
        return index

    def _implied_number(self, line: int, parent: int | None) -> str:
        """Return the number kramdown-rfc gives an unnumbered heading ("3.2.1", "A.1"), or "".

        A section is numbered within its parent section (so a skipped heading
        level skips no number); after "--- back" the top sections are A, B, ...
        """
        if self.parts is None or line < self.parts[0]:
            return ""
        back = self.parts[1] is not None and line > self.parts[1]
        prefix = self.implied.get(parent) if parent is not None else None
        slot: int | str = "back" if back else "middle"
        if prefix and parent is not None:
            slot = parent
        self.counts[slot] = self.counts.get(slot, 0) + 1
        count = self.counts[slot]
        if prefix:
            return f"{prefix}.{count}"
        return chr(64 + count) if back and count <= 26 else str(count)

    def _block(self, tokens: Sequence[Token], i: int, stack: BodyStack, dedent: int = 0) -> int:
        """Add the block at ``tokens[i]``; return the index past it."""
        token = tokens[i]
        end = _close(tokens, i)
        if token.type == "paragraph_open":
            self._paragraph(tokens[i + 1], stack, dedent)
        elif token.type == "ordered_list_open":
            self._list(tokens, i, end, stack, dedent)
        elif (token.type == "table_open" and self._table(tokens, i, end, stack)) or (
            token.type == "dl_open" and self._definitions(tokens, i, end, stack, dedent)
        ):
            pass  # numbered table rows, or a glossary's terms, are added one by one
        elif token.type in _BLOCK_KINDS and token.map:
            text = _source(self.lines, token, dedent)
            if token.type == "html_block" and _is_comment(text):
                return end
            self._whole(token, text, _BLOCK_KINDS[token.type], stack)
        return end

    def _whole(self, token: Token, text: str, kind: str, stack: BodyStack) -> None:
        line = (token.map or (0, 0))[0] + 1
        first, _, rest = text.partition("\n")
        first, key = take_key(first, line)
        text = f"{first}\n{rest}".rstrip() if rest else first
        parent = stack.parent_for_unnumbered()
        if parent is None and kind == "paragraph" and not self.tree.headings:
            kind = "preamble"
        node = Node("", kind, "", text, line, parent, explicit_key=key)
        if kind == "footnote":
            node.token = str(token.meta.get("label", ""))
            node.style = "footnote"
        self.tree.add(node)

    def _paragraph(self, inline: Token, stack: BodyStack, dedent: int) -> None:
        start, end = inline.map or (0, 0)
        lines = [_dedent(text, dedent) for text in self.lines[start:end]]
        whole = "\n".join(lines).strip()
        if _KRAMDOWN_MARKER_RE.fullmatch(whole):
            return  # kramdown-rfc's "--- middle": where the body starts, not text
        last = self.tree.nodes[-1] if self.tree.nodes else None
        if _REFERENCES_RE.fullmatch(whole) and last is not None and last.text:
            last.text = f"{last.text}\n\n{whole}"  # "{{RFC3935}}" under a quote: its source
            return
        for offset, segment in split_segments(lines):
            add_segment(self.tree, stack, segment, start + offset + 1)

    def _list(
        self, tokens: Sequence[Token], i: int, end: int, stack: BodyStack, dedent: int
    ) -> None:
        level = tokens[i].level
        j = i + 1
        while j < end - 1:
            item = tokens[j]
            item_end = _close(tokens, j)
            if item.type == "list_item_open" and item.level == level + 1:
                self._item(tokens, j, item_end, stack, dedent)
            j = item_end

    def _item(
        self, tokens: Sequence[Token], i: int, end: int, outer: BodyStack, dedent: int
    ) -> None:
        item = tokens[i]
        start = (item.map or (0, 0))[0]
        raw = _dedent(self.lines[start], dedent)
        number = f"{item.info}{item.markup}"
        after = raw.lstrip()[len(number) :]
        width = len(raw) - len(after.lstrip()) + dedent if after.strip() else len(raw) + 1
        style = "dotted-1" if item.markup == "." else "num-paren"
        value = int(item.info) if item.info.isdigit() else 0
        marker = Marker(number, style, item.info.lower(), "paragraph", "", value=value)
        node = Node(number, "paragraph", "", "", start + 1, None)
        index, _ = self.tree.add_numbered(outer, marker, node)
        stack = BodyStack(index, pop_styles=LIST_STYLES)
        j = i + 1
        if j < end - 1 and tokens[j].type == "paragraph_open" and tokens[j].map:
            inline = tokens[j + 1]
            p_start, p_end = inline.map or (0, 0)
            lines = [_dedent(text, width) for text in self.lines[p_start:p_end]]
            if p_start == start:
                lines[0] = after.strip()
            segments = split_segments(lines)
            first, key = take_key(segments[0][1][0], start + 1)
            node.text = join_text(first, segments[0][1][1:])
            node.explicit_key = key
            for offset, segment in segments[1:]:
                add_segment(self.tree, stack, segment, p_start + offset + 1)
            j = _close(tokens, j)
        while j < end - 1:
            j = self._block(tokens, j, stack, width)

    def _definitions(
        self, tokens: Sequence[Token], i: int, end: int, stack: BodyStack, dedent: int
    ) -> bool:
        """Add one clause per term of a definition list (a glossary); return whether it did.

        A term's clause holds the term and all its definitions, as written.
        """
        level = tokens[i].level + 1
        terms = [
            ((tokens[j].map or (0, 0))[0], tokens[j + 1].content.strip())
            for j in range(i, end)
            if tokens[j].type == "dt_open" and tokens[j].level == level and tokens[j].map
        ]
        if not terms or not tokens[i].map:
            return False
        stop = (tokens[i].map or (0, 0))[1]
        parent = stack.parent_for_unnumbered()
        for n, (start, term) in enumerate(terms):
            until = terms[n + 1][0] if n + 1 < len(terms) else stop
            chunk = [_dedent(text, dedent) for text in self.lines[start:until]]
            while chunk and not chunk[-1].strip():
                chunk.pop()
            first, key = take_key(chunk[0], start + 1)
            text = "\n".join([first.rstrip(), *chunk[1:]])
            node = Node("", "definition", "", text, start + 1, parent, explicit_key=key)
            node.style, node.token = "term", take_key(term, start + 1)[0].strip()
            self.tree.add(node)
        return True

    def _table(self, tokens: Sequence[Token], i: int, end: int, stack: BodyStack) -> bool:
        """Add one clause per row when the rows are numbered; return whether it did."""
        rows: list[tuple[int, list[str]]] = []
        j = i
        while j < end:
            token = tokens[j]
            if token.type == "tr_open" and tokens[j - 1].type != "thead_open" and token.map:
                cells: list[str] = []
                k = j + 1
                while tokens[k].type != "tr_close":
                    if tokens[k].type == "inline":
                        cells.append(tokens[k].content.strip())
                    k += 1
                rows.append((token.map[0] + 1, cells))
                j = k
            j += 1
        numbered = sum(1 for _, cells in rows if cells and parse_marker(cells[0]))
        if len(rows) < 2 or numbered * 2 < len(rows):
            return False
        rows_stack = BodyStack(stack.top(), pop_styles=LIST_STYLES)
        for line, cells in rows:
            if not any(cells):
                continue
            first = cells[0] if parse_marker(cells[0]) else " | ".join(cells)
            rest = [" | ".join(c for c in cells[1:] if c)] if first == cells[0] else []
            index = add_segment(self.tree, rows_stack, [first, *rest], line, kind="row")
            node = self.tree.nodes[index]
            marker = parse_marker(cells[0])
            if marker is not None and rest and node.number:
                node.heading, node.text = marker.rest, rest[0]
            node.kind = "row"
        return True


def _kramdown_parts(lines: list[str]) -> tuple[int, int | None] | None:
    """Return the (1-based) lines of kramdown-rfc's "--- middle" and "--- back", if any.

    Sections after "--- middle" are numbered 1, 1.1, ... and after "--- back"
    A, A.1, ... in the published draft, though the source writes no numbers.
    """
    middle = back = None
    for index, text in enumerate(lines, start=1):
        stripped = text.rstrip()
        if stripped == "--- middle" and middle is None:
            middle = index
        elif stripped == "--- back" and middle is not None:
            back = index
    return None if middle is None else (middle, back)


def _is_comment(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("<!--") and stripped.endswith("-->")


def read_markdown(lines: list[str], tree: Tree, warnings: list[ParseMessage]) -> str | None:
    """Add the clauses of a Markdown draft to ``tree``; return the title from its only H1."""
    return _Reader(lines, tree, warnings).read()
