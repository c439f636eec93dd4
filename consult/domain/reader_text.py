"""A clause's text as a reader sees it, for comparing two texts (never for storing one).

A draft's source is often hard-wrapped: the line breaks inside a paragraph are
where an editor happened to wrap it, and the rendered page shows them as
spaces (CommonMark's soft breaks). Two versions of one paragraph wrapped
differently read the same, so comparisons look at `reader_text`:

- a run of spaces and tabs is one space, and a line's leading and trailing
  spaces go;
- a line break inside a paragraph is a space, except where the reader sees a
  new line: before a list item ("- ", "* ", "+ ", "1. ", and any number once a
  list has begun), a table row ("|"), a quotation (">"), a heading ("#") or a
  code fence, and after a line that ends in a Markdown hard break ("\\");
- a blank line (a paragraph break) stays, as exactly one blank line;
- a Markdown escape ("\\[" for a literal "[") is the character it escapes,
  as the page shows it, outside code;
- the lines of a fenced code block are kept as they are.

`reader_text` is idempotent, so texts already read this way are unchanged by it.
It is pure, and its latest results are kept per process: a comparison page
shows the same clauses at every request.
"""

from __future__ import annotations

import re
from functools import lru_cache

# What is not already one space between words: a longer run, or a tab or other space alone.
_SPACES_RE = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_BULLET_RE = re.compile(r"[-*+](?:\s|$)")
_ORDERED_RE = re.compile(r"(\d{1,9})[.)](?:\s|$)")
_BLOCK_RE = re.compile(r"[|>#]|```|~~~")
_FENCE_RE = re.compile(r"```|~~~")
# A backslash before ASCII punctuation, not itself escaped: CommonMark's escapes but
# "\\\\" and "\\`", so that reading them never changes where a code span is.
_ESCAPE_RE = re.compile(r"(?<!\\)\\([!-/:-@\[\]^_{|}~])")
_CODE_SPAN_RE = re.compile(r"(`+).+?\1", re.DOTALL)


def _unescaped(text: str) -> str:
    """Return ``text`` with its Markdown escapes read, code spans left as written."""
    if "\\" not in text:
        return text
    parts: list[str] = []
    start = 0
    for span in _CODE_SPAN_RE.finditer(text):
        parts.append(_ESCAPE_RE.sub(r"\1", text[start : span.start()]))
        parts.append(span.group(0))
        start = span.end()
    parts.append(_ESCAPE_RE.sub(r"\1", text[start:]))
    return "".join(parts)


@lru_cache(maxsize=8192)  # a large law's two versions, headings and texts
def reader_text(text: str) -> str:
    """Return ``text`` as a reader sees it (see the module's description)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:  # one line (most headings, many clauses): its spacing and escapes
        line = _SPACES_RE.sub(" ", text).strip()
        return line if _FENCE_RE.match(line) else _unescaped(line)
    lines = text.split("\n")
    out: list[str] = []
    fence = ""  # the marker of the open code fence, if any
    pending_break = False  # a blank line since the last line kept
    in_list = False  # the current paragraph holds a list
    hard_break = False  # the last line ended in a Markdown hard break
    code_from: list[int] = []  # where in ``out`` each fenced block opens
    code_to: list[int] = []  # and where it ends
    for raw in lines:
        if fence:
            out.append("\n" + raw)
            if raw.strip().startswith(fence):
                fence = ""
                code_to.append(len(out))
                hard_break = True  # what follows the block starts a line of its own
            continue
        line = _SPACES_RE.sub(" ", raw).strip()
        if not line:
            pending_break = bool(out)
            continue
        bullet = _BULLET_RE.match(line)
        ordered = _ORDERED_RE.match(line)
        if not out:
            separator = ""
            in_list = bool(bullet or ordered)
        elif pending_break:
            separator = "\n\n"
            in_list = bool(bullet or ordered)
        elif (
            hard_break
            or bullet
            or (ordered and (in_list or ordered.group(1) == "1"))
            or _BLOCK_RE.match(line)
        ):
            separator = "\n"
            in_list = in_list or bool(bullet or ordered)
        else:
            separator = " "
        out.append(separator + line)
        pending_break = False
        hard_break = line.endswith("\\")
        opening = _FENCE_RE.match(line)
        if opening:
            fence = opening.group(0)
            code_from.append(len(out) - 1)
    return _read_outside_code(out, code_from, code_to)


def _read_outside_code(out: list[str], code_from: list[int], code_to: list[int]) -> str:
    """Join ``out``, its escapes read everywhere but in its fenced code blocks."""
    code_to = code_to + [len(out)] * (len(code_from) - len(code_to))  # an unclosed fence
    pieces: list[str] = []
    start = 0
    for begin, end in zip(code_from, code_to, strict=True):
        pieces.append(_unescaped("".join(out[start:begin])))
        pieces.append("".join(out[begin:end]))
        start = end
    pieces.append(_unescaped("".join(out[start:])))
    return "".join(pieces)
