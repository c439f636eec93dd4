"""A version's text as read in a language: its own, or a published translation's.

The text keeps the original's clause tree and keys, each clause with the
number, heading and words of the language asked for, so that what hangs on
a clause (comments, answers, counts, links) hangs on it in every language.
Read-only: the translations are added, tied and published by
consult.services.translations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from flask import g
from sqlalchemy import select

from consult.extensions import db
from consult.languages import LANGUAGES, reader_language
from consult.models import Clause, Document, TranslatedClause, Translation, Version


@dataclass(frozen=True)
class TextClause:
    """A clause as a reader sees it in one language: the original's place, the language's words."""

    key: str
    number: str
    heading: str
    text: str
    kind: str
    position: int
    parent_key: str | None
    translated: bool = True  # False: no text in the language asked for, the original's shown


def published_languages(version: Version) -> list[str]:
    """The languages a reader may read `version` in: its own first, then its published texts
    (no query for a draft version, which has none)."""
    return languages_of([version])


def languages_of(versions: Sequence[Version]) -> list[str]:
    """The languages any of `versions` can be read in: their own languages first (in the
    versions' order), then those of their published texts."""
    own = list(dict.fromkeys(v.text_language for v in versions))
    ids = [v.id for v in versions if v.is_published]  # a draft version has no translation
    if not ids:
        return own
    published = db.session.scalars(
        select(Translation.language)
        .where(Translation.version_id.in_(ids), Translation.status == "published")
        .distinct()
        .order_by(Translation.language)
    )
    return [*own, *(language for language in published if language not in own)]


def readable_in(language: str, versions: Sequence[Version]) -> set[int]:
    """The ids of those `versions` that can be read in `language`: written in it, or with a
    published text in it (one query)."""
    own = {v.id for v in versions if v.text_language == language}
    others = [v.id for v in versions if v.is_published and v.id not in own]
    if not language or not others:
        return own
    published = db.session.scalars(
        select(Translation.version_id).where(
            Translation.version_id.in_(others),
            Translation.language == language,
            Translation.status == "published",
        )
    )
    return own | set(published)


def _joined(parts: Sequence[str]) -> str:
    return "\n\n".join(part for part in parts if part)


def text_in(clauses: Sequence[Clause], translation: Translation | None) -> list[TextClause]:
    """The version's clauses as read in a language: each with its translated number and words.

    Where several translated clauses render one original clause, their texts
    are joined as paragraphs; a clause no translated clause renders keeps the
    original's words and says so (`translated=False`).
    """
    plain = [
        TextClause(c.key, c.number, c.heading, c.text, c.kind, c.position, c.parent_key)
        for c in clauses
    ]
    if translation is None:
        return plain
    renderings: dict[str, list[TranslatedClause]] = {}
    for rendering in translation.clauses:
        if rendering.original_key is not None:
            renderings.setdefault(rendering.original_key, []).append(rendering)
    out = []
    for clause in plain:
        found = renderings.get(clause.key)
        if not found:
            out.append(replace(clause, translated=False))
            continue
        out.append(
            replace(
                clause,
                number=found[0].number or "",
                heading=_joined([r.heading for r in found]),
                text=_joined([r.text for r in found]),
            )
        )
    return out


def texts_in(version_id: int, language: str) -> dict[str, str] | None:
    """The text of each clause of a version in a published translation, by original key;
    None when the version has no published text in `language`."""
    translation_id = db.session.scalar(
        select(Translation.id).where(
            Translation.version_id == version_id,
            Translation.language == language,
            Translation.status == "published",
        )
    )
    if translation_id is None:
        return None
    parts: dict[str, list[str]] = {}
    for key, text in db.session.execute(
        select(TranslatedClause.original_key, TranslatedClause.text)
        .where(TranslatedClause.translation_id == translation_id)
        .order_by(TranslatedClause.position)
    ):
        if key is not None:
            parts.setdefault(key, []).append(text)
    return {key: _joined(texts) for key, texts in parts.items()}


class ClauseTexts:
    """The clause texts comments' proposals are compared with, looked up once per version
    and language: the version's own, or a translation's where the comment was made on it."""

    def __init__(self) -> None:
        self._kept: dict[tuple[int, str], dict[str, str] | None] = {}

    def text(self, version_id: int, language: str, key: str, own: str | None) -> str | None:
        """The text of clause `key` as the commenter read it (`own`: the original's)."""
        if not language:
            return own
        found = self._kept.get((version_id, language))
        if (version_id, language) not in self._kept:
            found = self._kept[(version_id, language)] = texts_in(version_id, language)
        if found is None:
            return own
        return found.get(key, own)


def clause_in(version_id: int, key: str, language: str) -> tuple[str, str] | None:
    """The heading and text of clause `key` in a published translation (joined where several
    translated clauses render it); None when the version has no published text in `language`
    or the clause has no translation."""
    rows = db.session.execute(
        select(TranslatedClause.heading, TranslatedClause.text)
        .join(Translation, Translation.id == TranslatedClause.translation_id)
        .where(
            Translation.version_id == version_id,
            Translation.language == language,
            Translation.status == "published",
            TranslatedClause.original_key == key,
        )
        .order_by(TranslatedClause.position)
    ).all()
    if not rows:
        return None
    return _joined([r.heading for r in rows]), _joined([r.text for r in rows])


def titles_in(language: str, document_ids: Iterable[int]) -> dict[int, str]:
    """Each document's title in `language`, from its newest version with a published text
    in it (documents without one are left out)."""
    ids = list(document_ids)
    if not ids or language not in LANGUAGES:
        return {}
    rows = db.session.execute(
        select(Version.document_id, Translation.title)
        .join(Translation, Translation.version_id == Version.id)
        .where(
            Version.document_id.in_(ids),
            Translation.language == language,
            Translation.status == "published",
            Translation.title != "",
        )
        .order_by(Version.number)
    )
    return {document_id: title for document_id, title in rows}  # the newest wins


def published_in(version_id: int, language: str) -> Translation | None:
    """The published text of a version in `language`, or None."""
    if language not in LANGUAGES:
        return None
    return db.session.scalar(
        select(Translation).where(
            Translation.version_id == version_id,
            Translation.language == language,
            Translation.status == "published",
        )
    )


def reader_title(document: Document) -> str:
    """The document's title in the reader's language where a version has it (see
    `titles_in`), else its own. Looked up once per document and request, and not at all
    for a reader of the document's own language."""
    language = reader_language()
    if not language or language == (document.language or "en"):
        return document.title
    kept: dict[tuple[int, str], str] = g.setdefault("consult_reader_titles", {})
    key = (document.id, language)
    if key not in kept:
        kept[key] = titles_in(language, [document.id]).get(document.id, document.title)
    return kept[key]


def reader_label(version: Version) -> str:
    """The version's label in the reader's language where it has a published text in it
    that gives one, else its own; no query for a reader of the version's own language."""
    language = reader_language()
    if not language or language == version.text_language:
        return version.label
    kept: dict[tuple[int, str], str] = g.setdefault("consult_reader_labels", {})
    key = (version.id, language)
    if key not in kept:
        shown = published_in(version.id, language)
        kept[key] = (shown.label if shown else "") or version.label
    return kept[key]
