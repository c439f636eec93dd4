"""Language versions of a published version: adding, pairing, publishing, reading.

A drafter attaches the text of a published version in another of the six
languages. The file is parsed like any draft and each of its clauses is tied
to the original clause it renders (`consult.domain.pairing` proposes; the
drafter corrects on the preview), then published, after which it never
changes. Readers then read the version in any of its languages: the text
keeps the original's clause tree and keys, with each clause's number,
heading and text taken from the translation, so comments, answers, counts
and links stay on the same clause whatever the language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from flask import g
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.domain.pairing import Shape, pair_clauses
from consult.domain.parsing import ParsedClause, ParseMessage, decode_draft, parse_text
from consult.extensions import db
from consult.languages import LANGUAGES, language_in_sentence
from consult.models import Clause, Document, TranslatedClause, Translation, User, Version
from consult.models.base import utcnow
from consult.plurals import ngettext
from consult.services import audit, drafts, parse_messages
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.transactions import write_transaction


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


def _check_language(version: Version, language: str) -> None:
    if language not in LANGUAGES:
        raise ServiceError(
            _("Choose the language of the translation: one of the six languages of the platform.")
        )
    if language == version.text_language:
        raise ServiceError(
            _(
                "Version %(number)s is itself written in %(language)s: a translation "
                "must be in another language.",
                number=version.number,
                language=language_in_sentence(language),
            )
        )


def add_translation(
    version: Version,
    data: bytes,
    *,
    language: str,
    filename: str = "",
    actor: User | None = None,
) -> tuple[Translation, tuple[ParseMessage, ...]]:
    """Parse `data` as `version`'s text in `language` and store it as a draft, paired.

    A draft translation already there in that language is replaced; a
    published one is kept and the new file refused. Nothing is stored when
    the file is refused.
    """
    if not version.is_published:
        raise Refused(
            _(
                "Version %(number)s is not published yet: publish it before adding "
                "its text in another language.",
                number=version.number,
            )
        )
    _check_language(version, language)
    with drafts.draft_problems():
        text = decode_draft(data)
        parsed = parse_text(text, filename)
    drafts.check_clause_count(len(parsed.clauses))
    if parsed.language and parsed.language.split("-")[0].lower() != language:
        raise ServiceError(
            _(
                "The file says its language is “%(found)s”, but you chose %(chosen)s. "
                "Choose the language the file is written in.",
                found=parsed.language,
                chosen=language_in_sentence(language),
            )
        )
    originals = _original_clauses(version)
    pairing = pair_clauses(
        [_shape(c) for c in originals],
        [_shape(c) for c in parsed.clauses],
    )
    depth: dict[str, int] = {}
    with write_transaction():
        existing = _find(version.id, language)
        if existing is not None and existing.is_published:
            raise Refused(
                _(
                    "Version %(number)s already has a published text in %(language)s; "
                    "a published text never changes.",
                    number=version.number,
                    language=language_in_sentence(language),
                )
            )
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
        translation = Translation(
            version_id=version.id,
            language=language,
            title=(parsed.title or "")[:500],
            label=(parsed.label or "")[:300],
            source_text=text,
            source_filename=filename[:255],
            content_hash=drafts.content_hash(text),
            created_by=actor,
        )
        db.session.add(translation)
        db.session.flush()
        for clause in parsed.clauses:
            depth[clause.key] = 0 if clause.parent_key is None else depth[clause.parent_key] + 1
            db.session.add(
                TranslatedClause(
                    translation_id=translation.id,
                    position=clause.position,
                    own_key=clause.key,
                    original_key=pairing.pairs.get(clause.key),
                    number=clause.number,
                    heading=clause.heading,
                    text=clause.text,
                    kind=clause.kind,
                    depth=depth[clause.key],
                )
            )
        audit.record_version(
            actor,
            "translation.add",
            version,
            language=language,
            clauses=len(parsed.clauses),
            unpaired=len(pairing.unpaired_translated),
        )
    return translation, parsed.warnings


def _shape(clause: Clause | ParsedClause) -> Shape:
    size = len(clause.heading) + len(clause.text)
    return Shape(clause.key, clause.kind, clause.parent_key, clause.number, size)


def _original_clauses(version: Version) -> list[Clause]:
    return list(
        db.session.scalars(
            select(Clause).where(Clause.version_id == version.id).order_by(Clause.position)
        )
    )


def _find(version_id: int, language: str) -> Translation | None:
    return db.session.scalar(
        select(Translation).where(
            Translation.version_id == version_id, Translation.language == language
        )
    )


def get_translation(version: Version, language: str) -> Translation:
    """Return `version`'s text in `language` (draft or published), or raise NotFound."""
    found = _find(version.id, language) if language in LANGUAGES else None
    if found is None:
        raise NotFound(
            _(
                "Version %(number)s has no text in %(language)s.",
                number=version.number,
                language=language_in_sentence(language),
            )
        )
    return found


def translations_of(version: Version) -> list[Translation]:
    """Every translation of `version`, drafts too, in the order of the languages' codes."""
    return list(
        db.session.scalars(
            select(Translation)
            .where(Translation.version_id == version.id)
            .order_by(Translation.language)
        )
    )


def published_languages(version: Version) -> list[str]:
    """The languages a reader may read `version` in: its own first, then its published texts."""
    others = db.session.scalars(
        select(Translation.language)
        .where(Translation.version_id == version.id, Translation.status == "published")
        .order_by(Translation.language)
    )
    return [version.text_language, *others]


def _draft(translation: Translation) -> None:
    if translation.is_published:
        raise Refused(
            _(
                "The %(language)s text is published: it can no longer be changed.",
                language=language_in_sentence(translation.language),
            )
        )


def repair(translation: Translation, ties: Mapping[int, str | None], actor: User | None) -> int:
    """Tie translated clauses (by position) to other original clauses; return how many changed.

    `ties` maps a translated clause's position to an original clause key, or
    to None to leave it untied. Refused for a published translation; a key
    the version does not have is a ServiceError, and nothing is changed.
    """
    _draft(translation)
    known = {c.key for c in _original_clauses(translation.version)}
    wrong = sorted({key for key in ties.values() if key is not None and key not in known})
    if wrong:
        raise ServiceError(
            _(
                "Version %(number)s has no clause “%(key)s”: choose one from the list.",
                number=translation.version.number,
                key=wrong[0],
            )
        )
    changed = 0
    with write_transaction():
        _draft(translation)
        for clause in translation.clauses:
            if clause.position in ties and ties[clause.position] != clause.original_key:
                clause.original_key = ties[clause.position]
                changed += 1
        if changed:
            audit.record_version(
                actor,
                "translation.repair",
                translation.version,
                language=translation.language,
                changed=changed,
            )
    return changed


def unpaired(translation: Translation) -> list[TranslatedClause]:
    """The translated clauses tied to no original clause, in the translation's order."""
    return [c for c in translation.clauses if c.original_key is None]


def publish_translation(translation: Translation, actor: User | None) -> Translation:
    """Publish a draft translation whose every clause is tied; it never changes after."""
    _draft(translation)
    left = len(unpaired(translation))
    if left:
        raise ServiceError(
            ngettext(
                "%(num)s clause of the %(language)s text is tied to no clause of the "
                "original: tie it to one, or correct the file and upload it again.",
                "%(num)s clauses of the %(language)s text are tied to no clause of the "
                "original: tie each of them, or correct the file and upload it again.",
                left,
                language=language_in_sentence(translation.language),
            )
        )
    with write_transaction():
        _draft(translation)  # read again in this transaction (and its history kept)
        translation.status = "published"
        translation.published_at = utcnow()
        translation.published_by = actor
        audit.record_version(
            actor, "translation.publish", translation.version, language=translation.language
        )
    return translation


def discard_translation(translation: Translation, actor: User | None) -> None:
    """Delete a draft translation; a published one is refused and kept."""
    _draft(translation)
    version, language = translation.version, translation.language
    with write_transaction():
        _draft(translation)
        db.session.execute(
            delete(TranslatedClause).where(TranslatedClause.translation_id == translation.id)
        )
        db.session.delete(translation)
        audit.record_version(actor, "translation.discard", version, language=language)


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


def stored_warnings(parsed: Sequence[ParseMessage]) -> list[str]:
    """The parser's warnings in the reader's language."""
    return [parse_messages.translated(w) for w in parsed]


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
    language = str(get_locale() or "").split("_")[0]
    if not language or language == (document.language or "en"):
        return document.title
    kept: dict[tuple[int, str], str] = g.setdefault("consult_reader_titles", {})
    key = (document.id, language)
    if key not in kept:
        kept[key] = titles_in(language, [document.id]).get(document.id, document.title)
    return kept[key]
