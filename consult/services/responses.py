"""The secretariat's responses to comments, and their publication."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from consult.extensions import db
from consult.models import DISPOSITIONS, Comment, Response, Round, User
from consult.services import audit
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.rounds import lock_round
from consult.services.transactions import now, write_transaction

MAX_EXPLANATION = 10_000


def respond(comment_id: int, disposition: str, explanation: str, actor: User) -> Response:
    """Create or update the response to a comment; return it.

    Responses stay internal until the round's responses are published; after
    that they can still be corrected, and each change is audited.
    """
    if disposition not in DISPOSITIONS:
        raise ServiceError(_("choose a disposition"))
    explanation = explanation.replace("\r\n", "\n").strip()
    if len(explanation) > MAX_EXPLANATION:
        raise ServiceError(
            ngettext(
                "the explanation is limited to %(limit)s character",
                "the explanation is limited to %(limit)s characters",
                MAX_EXPLANATION,
                limit=f"{MAX_EXPLANATION:,}",
            )
        )
    if disposition != "noted" and not explanation:
        raise ServiceError(_("explain the disposition in a sentence or two"))
    with write_transaction():
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise NotFound(_("there is no such comment"))
        if comment.is_withdrawn:
            raise Refused(_("this comment was withdrawn: it needs no response"))
        response = comment.response
        created = response is None
        if response is None:
            response = Response(comment=comment, responder=actor)
            db.session.add(response)
        else:
            response.revision = response.revision + 1
        response.disposition = disposition
        response.explanation = explanation
        response.responder = actor
        response.updated_at = now()
        db.session.flush()
        audit.record(
            actor,
            "response.create" if created else "response.edit",
            "comment",
            comment.id,
            tracking_number=comment.tracking_number,
            disposition=disposition,
        )
    return response


def publish_responses(round_id: int, actor: User) -> Round:
    """Make the round's responses visible to commenters (by the round's rule); return it."""
    with write_transaction():
        round_ = lock_round(round_id)
        if round_.responses_published_at is not None:
            raise Refused(_("the responses of this round are published already"))
        moment = now()
        if round_.state(moment) != "closed":
            raise Refused(_("responses can be published once the round has closed"))
        round_.responses_published_at = moment
        audit.record(actor, "round.publish_responses", "round", round_.id)
    return round_
