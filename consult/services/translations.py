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

from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.domain.pairing import Shape, pair_clauses
from consult.domain.parsing import ParsedClause, ParseMessage, decode_draft, parse_text
from consult.extensions import db
from consult.languages import LANGUAGES, language_in_sentence
from consult.models import Clause, TranslatedClause, Translation, User, Version
from consult.models.base import utcnow
from consult.plurals import ngettext
from consult.services import audit, drafts, parse_messages
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.transactions import write_transaction


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


def stored_warnings(parsed: Sequence[ParseMessage]) -> list[str]:
    """The parser's warnings in the reader's language."""
    return [parse_messages.translated(w) for w in parsed]
