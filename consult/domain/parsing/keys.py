"""Clause keys: explicit ``{#key}`` markers, checked, and derived keys for the rest.

Derived keys come from the numbering path so that importing the same text again
gives the same keys:

* labelled numbers are absolute: "Article 5" -> ``art-5``, "§ 12a" -> ``s-12a``,
  "Principle 3" -> ``principle-3``, "Guideline 4" -> ``guideline-4``,
  "Part II" -> ``part-ii``, "Annex A" -> ``annex-a`` ("Annex" -> ``annex``);
  "Chapter 3" -> ``ch-3`` and "Section 2"/"Abschnitt 2" -> ``sec-2``, prefixed
  with the enclosing part or chapter (``ch-2.sec-1``); the labels of the six UN
  languages give the same keys ("Article premier", "Статья 1", "المادة ١" and
  "第一条" -> ``art-1``; "第二章" and "الفصل الثاني" -> ``ch-ii``; "第一编" and
  "第一部分" -> ``part-i``, see ``numerals``);
* dotted numbers and numbered headings are absolute: "4.1.2" -> ``4.1.2``;
* other numbers are relative to the parent: "(a)" under ``guideline-4.2`` ->
  ``guideline-4.2.a``; "9a)" under "9." -> ``9a``;
* an unnumbered heading -> a slug of its text (``definitions``; other scripts
  transliterated: "Введение" -> ``vvedenie``, "序言" -> ``xu-yan``);
* a footnote -> ``fn-`` + its label;
* a term of a glossary (definition list) -> parent key + ``.`` + a slug of the
  term (``vocabulary-used.anonymity``);
* an unnumbered block -> parent key + ``-p`` + its ordinal among the parent's
  unnumbered blocks (``art-5-p1``; ``p1`` at top level).

A derived key already taken gets ``-2``, ``-3``, ... in document order. Explicit
keys win over derived ones; a repeated explicit key is a DraftError.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from anyascii import anyascii

from .errors import N_, DraftError
from .tree import Node

_SLUG_MAX = 40
_NOT_KEY_RE = re.compile(r"[^a-z0-9]+")
_NOT_TOKEN_RE = re.compile(r"[^a-z0-9.]+")
_BARE_NUMBERS = frozenset({"dotted-1", "num-paren"})
_NESTED_LABELS = {"sec": ("part", "ch"), "ch": ("part",), "subsec": ("part", "ch", "sec")}


def _in_latin_letters(text: str) -> str:
    """Return ``text`` with its accents dropped and the letters of other scripts written in
    Latin ones: "Введение" -> "Vvedenie", "مقدمة" -> "mqdmh", "序言" -> " Xu  Yan "."""
    written: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            written.append(char)
        elif unicodedata.category(char).startswith("L"):
            latin = anyascii(char)
            # Each Chinese character is a syllable of its own: "xu-yan", not "xuyan".
            written.append(f" {latin} " if unicodedata.name(char, "").startswith("CJK") else latin)
    return "".join(written)


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug of ``text`` (at most 40 characters, maybe empty).

    Letters of other scripts are transliterated, so that an unnumbered heading of
    a Russian, Arabic or Chinese text gets a key that says something ("vvedenie")
    rather than its place ("h1").
    """
    text = text.replace("ß", "ss").replace("§", " s ")
    ascii_text = _in_latin_letters(text)
    slug = _NOT_KEY_RE.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > _SLUG_MAX:
        cut = slug[:_SLUG_MAX]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def check_explicit_keys(nodes: list[Node]) -> None:
    """Raise DraftError naming both lines when an explicit key is used twice."""
    seen: dict[str, int] = {}
    for node in nodes:
        key = node.explicit_key
        if key is None:
            continue
        if key in seen:
            raise DraftError(
                N_("duplicate key '%(key)s' (first used on line %(first)d)"),
                node.line,
                key=key,
                first=seen[key],
            )
        seen[key] = node.line


def _base(node: Node, parent_key: str | None, parent: Node | None, ordinal: int) -> str:
    token = _NOT_TOKEN_RE.sub("-", node.token.lower()).strip("-.") if node.token else ""
    if node.style == "footnote":
        return f"fn-{slugify(node.token) or ordinal}"
    if node.style == "term":  # a glossary's term: "vocabulary-used.anonymity"
        term = slugify(node.token) or f"d{ordinal}"
        return f"{parent_key}.{term}" if parent_key else term
    if node.number and node.prefix:
        base = f"{node.prefix}-{token}" if token else node.prefix
        wanted = _NESTED_LABELS.get(node.prefix, ())
        if parent is not None and parent_key and parent.prefix in wanted:
            return f"{parent_key}.{base}"
        return base
    if node.number and token and ("." in token or (node.is_heading and not _numbered(parent))):
        return token
    if node.number and token:
        if parent_key is None or parent is None:
            return token
        p_token = parent.token
        if (
            parent.style in _BARE_NUMBERS  # "9a)" under "9.", not "2a." under "(2)"
            and p_token.isdigit()
            and token[len(p_token) :].isalpha()
            and token.startswith(p_token)
            and parent_key.endswith(p_token)
        ):
            return parent_key[: len(parent_key) - len(parent.token)] + token  # 9 -> 9a
        return f"{parent_key}.{token}"
    if node.is_heading:
        return slugify(node.heading) or f"h{ordinal}"
    return f"{parent_key}-p{ordinal}" if parent_key else f"p{ordinal}"


def _numbered(node: Node | None) -> bool:
    return node is not None and bool(node.number)


def assign_keys(nodes: list[Node]) -> list[str]:
    """Return one unique key per node, in order (explicit keys kept as written)."""
    check_explicit_keys(nodes)
    taken = {node.explicit_key for node in nodes if node.explicit_key}
    keys: list[str] = []
    unnumbered: Counter[int | None] = Counter()
    headings: Counter[int | None] = Counter()
    for node in nodes:
        if node.explicit_key:
            keys.append(node.explicit_key)
            continue
        parent = nodes[node.parent] if node.parent is not None else None
        parent_key = keys[node.parent] if node.parent is not None else None
        if node.is_heading and not node.number:
            headings[node.parent] += 1
            ordinal = headings[node.parent]
        elif not node.number:
            unnumbered[node.parent] += 1
            ordinal = unnumbered[node.parent]
        else:
            ordinal = 0
        base = _base(node, parent_key, parent, ordinal)
        key, suffix = base, 2
        while key in taken:
            key = f"{base}-{suffix}"
            suffix += 1
        taken.add(key)
        keys.append(key)
    return keys
