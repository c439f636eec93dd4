"""A version's language: said by the drafter, read from the front matter or guessed.

The language of a version's text is the one chosen on the upload form, else
the front matter's `language:`, else the one its words show
(consult.domain.language_guess), for the drafter to confirm on the preview;
'' leaves the document's. It can be corrected until the version is published.
"""

from __future__ import annotations

from flask_babel import gettext as _

from consult.domain.language_guess import guess_language
from consult.domain.parsing import ParsedDraft
from consult.languages import language_in_sentence, language_tag
from consult.models import User, Version
from consult.services import audit
from consult.services.errors import Refused, ServiceError
from consult.services.transactions import write_transaction


def text_language(said: str | None, parsed: ParsedDraft, text: str) -> str:
    """Return the language of the draft's text: as the drafter said, else as its front
    matter says, else as its words show (for the drafter to confirm), else '' (the
    document's). A drafter and a front matter that disagree are refused."""
    written = parsed.language or ""
    if said and written and said.split("-")[0].lower() != written.split("-")[0].lower():
        raise ServiceError(
            _(
                "The draft's front matter says its language is “%(found)s”, but you chose "
                "%(chosen)s. Choose the language the draft is written in, or correct its "
                "front matter.",
                found=written,
                chosen=language_in_sentence(said),
            )
        )
    return said or written or guess_language(text) or ""


def set_language(version: Version, language: str, actor: User | None) -> None:
    """Say which language a draft version is written in (one of the six, or any language
    tag Babel knows: a German law is "de"); Refused once it is published."""
    tag = language_tag(language)
    if tag is None:
        raise ServiceError(_("Choose one of the languages of the platform."))
    language = tag
    with write_transaction():
        if version.is_published:
            raise Refused(
                _(
                    "Version %(number)s is published: its language can no longer be changed.",
                    number=version.number,
                )
            )
        if version.language != language:
            old = version.language
            version.language = language
            audit.record_version(actor, "version.language", version, old=old, new=language)
