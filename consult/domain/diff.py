"""Word-level diff of two clause texts, as (operation, text) pairs.

The diff runs diff-match-patch on word tokens rather than characters: every
distinct token (a word, a run of whitespace, or one other character) is mapped
to one private character, the strings of those characters are diffed and
cleaned up semantically, and the characters are mapped back. An edit therefore
never highlights half a word.

What is diffed is each text as a reader sees it (`reader_text`): a paragraph
wrapped at other places reads the same and shows no change, while a new
paragraph break does. Joining the "equal" and "delete" parts gives the old
reader text back exactly, "equal" and "insert" the new one.

The semantic cleanup may fold a short unchanged stretch between two edits into
one replacement. A stretch of `LONG_RUN` words or more is never left inside
one: such a replacement is split again so that the stretch shows as unchanged.

Only clause-sized texts are meant to be diffed: whole documents belong to the
alignment, which pairs clauses first. The pairs are stored as they are (in a
stored comparison) and drawn by the `diff` macro of templates/_macros.html.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

from diff_match_patch import diff_match_patch

from .reader_text import reader_text

Op = Literal["equal", "insert", "delete"]
#: A whole diff, as stored and shown: the old text is the "equal" and "delete" parts joined.
Ops = tuple[tuple[Op, str], ...]

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# What is diffed: words and other characters, each carrying the whitespace after it
# without that whitespace being part of its identity. Half as many symbols as
# tokens makes diff-match-patch's bisection about four times cheaper, and a
# change of spacing alone still shows (see `_rebuild`).
_PIECE_RE = re.compile(r"(\w+|[^\w\s])(\s*)", re.UNICODE)
_LEAD_RE = re.compile(r"\s*", re.UNICODE)
_OPS: dict[int, Op] = {0: "equal", 1: "insert", -1: "delete"}
# A word with the spaces and punctuation after it (or what comes before the first word).
_UNIT_RE = re.compile(r"\w+\W*|\W+", re.UNICODE)

#: The fewest unchanged words in a row that a diff always shows as unchanged.
LONG_RUN = 5


def _char(n: int) -> str:
    """Return the n-th code point of the private-use areas (over a million of them)."""
    if n < 6400:
        return chr(0xE000 + n)
    return chr(0xF0000 + n - 6400)


def tokens(text: str) -> list[str]:
    """Return the tokens of ``text``: words, whitespace runs and single other characters."""
    return _TOKEN_RE.findall(text)


def units(text: str) -> list[str]:
    """Return ``text`` cut after each word's trailing spaces and punctuation (joined: the text).

    A run of `LONG_RUN` such units that two texts share is a run of that many
    unchanged words.
    """
    return _UNIT_RE.findall(text)


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """Return the word diff of the reader texts of ``old`` and ``new`` as (operation, text) pairs.

    Adjacent operations of the same kind are joined; within a replacement the
    deletion comes before the insertion, and the two share no run of
    `LONG_RUN` words.
    """
    old, new = reader_text(old), reader_text(new)
    if old == new:
        return [("equal", old)] if old else []
    table: dict[str, str] = {}  # token -> its private character

    def split(text: str) -> tuple[str, list[tuple[str, str]]]:
        lead = _LEAD_RE.match(text)
        start = lead.end() if lead else 0
        return text[:start], _PIECE_RE.findall(text, start)

    def encode(pieces: list[tuple[str, str]]) -> str:
        out = []
        for token, _space in pieces:
            code = table.get(token)
            if code is None:
                code = table[token] = _char(len(table))
            out.append(code)
        return "".join(out)

    (old_lead, old_pieces), (new_lead, new_pieces) = split(old), split(new)
    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # clause pairs are small: never trade accuracy for time
    diffs = engine.diff_main(encode(old_pieces), encode(new_pieces), False)
    rough = _rebuild(diffs, (old_lead, old_pieces), (new_lead, new_pieces))
    # The semantic cleanup runs on single tokens, spaces included, as people read them.
    fine: dict[str, str] = {}
    codes = {"equal": 0, "delete": -1, "insert": 1}
    encoded = []
    for op, text in rough:
        chars = []
        for token in tokens(text):
            code = fine.get(token)
            if code is None:
                code = fine[token] = _char(len(fine))
            chars.append(code)
        encoded.append((codes[op], "".join(chars)))
    engine.diff_cleanupMerge(encoded)
    engine.diff_cleanupSemantic(encoded)
    decode = {code: token for token, code in fine.items()}
    result: list[tuple[Op, str]] = [
        (_OPS[code], "".join(decode[c] for c in chars)) for code, chars in encoded if chars
    ]
    return _refine(_keep_long_runs(_tidy(result)))


Pieces = tuple[str, list[tuple[str, str]]]


def _rebuild(diffs: list[tuple[int, str]], old: Pieces, new: Pieces) -> list[tuple[Op, str]]:
    """Return the diff of the texts from the diff of their tokens, whitespace put back.

    Whitespace that differs between two equal tokens becomes a deletion and an
    insertion of its own, so that both texts are rebuilt exactly.
    """
    # Runs of one operation are gathered as they come (a list of texts each),
    # so that the cleanup after reads a few long texts, not one per token.
    result: list[tuple[Op, list[str]]] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if result and result[-1][0] == op:
            result[-1][1].append(text)
        else:
            result.append((op, [text]))

    def spaces(a: str, b: str) -> None:
        if a == b:
            add("equal", a)
        else:
            add("delete", a)
            add("insert", b)

    spaces(old[0], new[0])
    i = j = 0
    for code, chars in diffs:
        for _ in chars:
            if code == 0:
                add("equal", old[1][i][0])
                spaces(old[1][i][1], new[1][j][1])
                i, j = i + 1, j + 1
            elif code < 0:
                add("delete", "".join(old[1][i]))
                i += 1
            else:
                add("insert", "".join(new[1][j]))
                j += 1
    return [(op, "".join(texts)) for op, texts in result]


def _tidy(ops: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    """Join runs of the same operation and put deletions before insertions between equals."""
    out: list[tuple[Op, str]] = []
    pending: dict[Op, list[str]] = {"delete": [], "insert": []}

    def flush() -> None:
        for op in ("delete", "insert"):
            if pending[op]:
                out.append((op, "".join(pending[op])))
                pending[op] = []

    for op, text in ops:
        if op == "equal":
            flush()
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1] + text)
            else:
                out.append((op, text))
        else:
            pending[op].append(text)
    flush()
    return out


def _keep_long_runs(ops: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    """Split each replacement whose two sides share `LONG_RUN` words in a row around them.

    The longest shared run is taken first, then the longest on either side of
    it, and so on, as long as a run is long enough: what is left of a
    replacement then shares no such run.
    """
    out: list[tuple[Op, str]] = []
    at = 0
    while at < len(ops):
        op, text = ops[at]
        if op != "delete" or at + 1 >= len(ops) or ops[at + 1][0] != "insert":
            out.append((op, text))
            at += 1
            continue
        old, new = units(text), units(ops[at + 1][1])
        if min(len(old), len(new)) < LONG_RUN:
            out.extend(ops[at : at + 2])
        else:
            matcher = SequenceMatcher(None, old, new, autojunk=False)
            _split(matcher, old, new, (0, len(old)), (0, len(new)), out)
        at += 2
    return _tidy(out)


def _split(
    matcher: SequenceMatcher[str],
    old: list[str],
    new: list[str],
    olds: tuple[int, int],
    news: tuple[int, int],
    out: list[tuple[Op, str]],
) -> None:
    """Append the replacement of old[olds] by new[news], its long shared runs kept as equal."""
    match = matcher.find_longest_match(olds[0], olds[1], news[0], news[1])
    if match.size < LONG_RUN:
        deleted, inserted = "".join(old[olds[0] : olds[1]]), "".join(new[news[0] : news[1]])
        if deleted:
            out.append(("delete", deleted))
        if inserted:
            out.append(("insert", inserted))
        return
    _split(matcher, old, new, (olds[0], match.a), (news[0], match.b), out)
    out.append(("equal", "".join(old[match.a : match.a + match.size])))
    _split(matcher, old, new, (match.a + match.size, olds[1]), (match.b + match.size, news[1]), out)


def _refine(ops: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    """Move the whole tokens a deletion and the insertion after it share, at either end,
    out of them and into the text around them (so "sensitive " and "responsive "
    differ by the words alone, and a change of spacing shows as just that)."""
    out: list[tuple[Op, str]] = []
    at = 0
    while at < len(ops):
        op, text = ops[at]
        if op != "delete" or at + 1 >= len(ops) or ops[at + 1][0] != "insert":
            out.append((op, text))
            at += 1
            continue
        old, new = tokens(text), tokens(ops[at + 1][1])
        start = 0
        while start < min(len(old), len(new)) and old[start] == new[start]:
            start += 1
        end = 0
        while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
            end += 1
        pieces: list[tuple[Op, str]] = [
            ("equal", "".join(old[:start])),
            ("delete", "".join(old[start : len(old) - end])),
            ("insert", "".join(new[start : len(new) - end])),
            ("equal", "".join(old[len(old) - end :])),
        ]
        out.extend((o, t) for o, t in pieces if t)
        at += 2
    return _tidy(out)


ELLIPSIS = "…"


def _words(text: str) -> list[str]:
    # Each word with the whitespace after it, so that joined they give the text back.
    return re.findall(r"\S+\s*|\s+", text)


def around_changes(ops: Ops, context: int = 8) -> Ops:
    """Return `ops` with long unchanged stretches shortened to `context` words around each change.

    A proposal that rewords three words of a long clause then reads as those
    words in their sentence, "… not zones of exception …", not the clause over
    again. Shortened stretches are marked with an ellipsis; changes are kept whole.
    """
    out: list[tuple[Op, str]] = []
    last = len(ops) - 1
    for at, (op, text) in enumerate(ops):
        if op != "equal":
            out.append((op, text))
            continue
        words = _words(text)
        keep_head = context if at > 0 else 0  # after a change: the words that follow it
        keep_tail = context if at < last else 0  # before a change: the words that lead to it
        if len(words) <= keep_head + keep_tail + 1:
            out.append((op, text))
            continue
        head = "".join(words[:keep_head])
        tail = "".join(words[len(words) - keep_tail :]) if keep_tail else ""
        gap = (" " if head and not head[-1].isspace() else "") + ELLIPSIS + (" " if tail else "")
        out.append((op, head + gap + tail))
    return tuple(out)
