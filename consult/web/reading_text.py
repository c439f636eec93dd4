"""The text of the version page: made once per published version and language, margins per reader.

A published version never changes, so the HTML of its contents and clauses
(every clause's anchor, number, heading, text and permanent link) is the same
for every reader in a language. It is rendered once per process and kept, cut
at each clause's margin into pieces. What belongs to the reader alone (the
link to comment on a clause when their organisation may, the count of the
comments on it that they may see) is put between the pieces at every request
by a loop over the clauses with plain string formatting: no template, no
query and no translation lookup per clause. The counts come from the one
GROUP BY query of `comment_queries.version_comments`, filtered by the round's
rule for this reader; nothing of them is ever kept from one request to another.

A draft's text is made at each request, in the same way, and not kept.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import quote

from flask import render_template, request, url_for
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

from consult.models import Translation, Version
from consult.plurals import ngettext
from consult.services import reading
from consult.services.comment_queries.views import VersionComments

# Where a clause's margin takes the reader's links. Random for each process, so
# that no clause text or heading (escaped, sanitised, stored) can ever contain it.
_SLOT = Markup(f"<!--margin-{secrets.token_hex(12)}-->")

#: How many made texts a process keeps (each a version in a language; a long law takes 4 MB).
KEPT = 16


@dataclass(frozen=True)
class Margin:
    """What a clause's margin needs for the reader's links: its key, its address, its name."""

    key: str
    address: str  # the key quoted for a URL, as the template's `urlencode` does it
    hidden: str  # '<span class="visually-hidden"> on 3.2</span>': the clause named aloud


@dataclass(frozen=True)
class VersionText:
    """A version's text cut at each clause's margin: the clause of each cut, in page order."""

    clause_count: int
    pieces: tuple[str, ...]
    margins: tuple[Margin, ...]
    clause_prefix: str  # the address of a clause's page, without the clause's key (escaped)
    whole: Markup  # the text with every margin left to its permanent link
    language: str = ""  # the language of a translation shown, '' for the version's own

    def fill(self, notes: VersionComments | None) -> Markup:
        """Return the text with the reader's links in each clause's margin.

        The same HTML as the clause macro gave when it made them itself: with
        a round shown, the link to comment (when the reader may) and the count
        of the comments on the clause that the reader may see (when there are any).
        """
        if notes is None or notes.selected is None:
            return self.whole
        counts = notes.counts
        comment = None
        text = f"?text={self.language}" if self.language else ""
        if notes.can_comment:
            prefix = escape(url_for("comments.new", round_id=notes.selected.id) + "?clause=")
            also = f"&amp;text={self.language}" if self.language else ""
            comment = (
                f'<a class="comment-link" href="{prefix}',
                f'{also}">{Markup(pgettext("a link, to comment on a clause", "Comment"))}',
            )
        words: dict[int, str] = {}  # "3 comments": once per number, not per clause
        out = [self.pieces[0]]
        for margin, piece in zip(self.margins, self.pieces[1:], strict=True):
            if comment is not None:
                out += (comment[0], margin.address, comment[1], margin.hidden, "</a> ")
            count = counts.get(margin.key, 0)
            if count:
                if count not in words:
                    words[count] = Markup(ngettext("%(num)s comment", "%(num)s comments", count))
                out += (
                    '<a class="comment-count" href="',
                    self.clause_prefix,
                    margin.address,
                    text,
                    '#comments">',
                    words[count],
                    margin.hidden,
                    "</a> ",
                )
            out.append(piece)
        return Markup("".join(out))


def make_text(
    version: Version, translation: Translation | None = None, carried: str = ""
) -> VersionText:
    """Render the version's contents and clauses, cut at each clause's margin, in the
    words of `translation` when one is given; `carried` is the language the links to the
    clauses ask for ('' for none: the reader's default)."""
    page = reading.version_page(version, translation)
    slot = str(_SLOT)
    language = carried
    pieces = render_template(
        "reading/_version_text.html", page=page, slot=_SLOT, text_language=language
    ).split(slot)
    nodes = reading.page_order(page.tree)
    if len(pieces) != len(nodes) + 1:  # the template and this order must agree
        raise RuntimeError(f"{len(pieces) - 1} clause margins for {len(nodes)} clauses")
    on = Markup(_("on %(clause)s", clause="%(clause)s"))
    margins = tuple(
        Margin(
            key=node.key,
            address=str(escape(quote(node.key, safe="/"))),
            hidden=f'<span class="visually-hidden"> {on % {"clause": node.citation}}</span>',
        )
        for node in nodes
    )
    prefix = url_for("reading.clause", slug=page.document.slug, number=version.number, key="_")
    return VersionText(
        clause_count=page.version.clause_count,
        pieces=tuple(pieces),
        margins=margins,
        clause_prefix=str(escape(prefix[:-1])),
        whole=Markup("".join(pieces)),
        language=language,
    )


# Made texts by version and language, newest use last. A per-process memo of derived
# data, never the source of truth: keyed by everything the text depends on (the version,
# its content and the moment it was published, so that an id handed out again never
# finds another version's text; the address of the document; the reader's language).
_KEPT: OrderedDict[tuple[object, ...], VersionText] = OrderedDict()
_LOCK = threading.Lock()


def forget() -> None:
    """Empty the memo (when a database is wiped and its ids handed out again)."""
    with _LOCK:
        _KEPT.clear()


def version_text(
    version: Version, translation: Translation | None = None, carried: str = ""
) -> VersionText:
    """Return the text of the version page: made once for a published version, each time else."""
    if version.status != "published" or version.published_at is None:
        return make_text(version, None, carried)
    if translation is not None and translation.published_at is None:
        return make_text(version, translation, carried)
    key = (
        carried,
        translation.id if translation is not None else None,
        translation.published_at.isoformat() if translation and translation.published_at else "",
        version.id,
        version.number,
        version.content_hash,
        version.published_at.isoformat(),
        version.document.slug,
        str(get_locale() or "en"),
        request.script_root,
    )
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is not None:
            _KEPT.move_to_end(key)
            return kept
    made = make_text(version, translation, carried)
    with _LOCK:
        _KEPT[key] = made
        while len(_KEPT) > KEPT:
            _KEPT.popitem(last=False)
    return made
