"""Who may do what: every rule of Consult, named, in one place.

Each rule is a pure function of the person, the object and the time; the
rules that lists and counts need have an SQL twin (`visible_comments`,
`known_rounds`) that selects exactly what the Python rule allows. Nothing
here knows about requests: the web layer's guard (consult.web.guard) applies
these rules to every route, templates ask them by name (`can_answer(round)`),
and services ask them before they write. No other module tests a role.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from consult.models import Comment, Round, RoundInvitation, User, Version

ADMIN = "admin"
DRAFTER = "drafter"
SECRETARIAT = "secretariat"
STAKEHOLDER = "stakeholder"

# Roles that read every comment of every round, whatever the round's rule.
COMMENT_STAFF = frozenset({SECRETARIAT, DRAFTER})

# Roles that see versions before they are published.
DRAFT_READERS = frozenset({DRAFTER, SECRETARIAT, ADMIN})


def signed_in(user: User) -> bool:
    """Every signed-in person, whatever their role."""
    return True


def can_draft(user: User) -> bool:
    """Drafters upload, preview, publish and discard versions."""
    return user.role == DRAFTER


def can_administer(user: User) -> bool:
    """Admins manage organisations and accounts and read the audit log."""
    return user.role == ADMIN


def can_manage_rounds(user: User) -> bool:
    """The secretariat opens rounds, moves their closing time and answers comments."""
    return user.role == SECRETARIAT


def can_answer(user: User, round_: Round) -> bool:
    """The secretariat answers the comments of a round and publishes the answers."""
    return can_manage_rounds(user)


def can_move_closing(user: User, round_: Round) -> bool:
    """The secretariat moves a round's closing time until its answers are published."""
    return can_manage_rounds(user) and round_.responses_published_at is None


def can_close_now(user: User, round_: Round, now: datetime) -> bool:
    """The secretariat closes an open round early (its answers cannot be published yet)."""
    return can_move_closing(user, round_) and round_.state(now) == "open"


def can_correct_round(user: User, round_: Round, now: datetime) -> bool:
    """The secretariat corrects a round's details until it opens, invitations until it closes.

    An open round that every organisation may join has nothing left to correct.
    """
    state = round_.state(now)
    return can_move_closing(user, round_) and (
        state == "upcoming" or (state == "open" and round_.participation == "invited")
    )


def speaks_for_organisation(user: User) -> bool:
    """Stakeholders comment on behalf of their organisation and follow its comments."""
    return user.role == STAKEHOLDER


def can_read_version(user: User, version: Version) -> bool:
    """A published version is for every signed-in user; a draft only for those who prepare it."""
    return version.is_published or user.role in DRAFT_READERS


def sees_every_comment(user: User) -> bool:
    """The secretariat and the drafters read every comment, whatever the round's rule."""
    return user.role in COMMENT_STAFF


def sees_comment_counts(user: User) -> bool:
    """Everyone who reads comments sees how many there are; admins read none."""
    return sees_every_comment(user) or speaks_for_organisation(user)


def known_rounds(user: User) -> ColumnElement[bool]:
    """The SQL condition selecting the rounds `user` may know about.

    A stakeholder knows the rounds open to every organisation and those their
    organisation is invited to; everybody else knows every round.
    """
    if not speaks_for_organisation(user):
        return true()
    invited = select(RoundInvitation.round_id).where(
        RoundInvitation.organisation_id == user.organisation_id
    )
    return or_(Round.participation == "all", Round.id.in_(invited))


def knows_round(user: User, round_: Round) -> bool:
    """The Python twin of `known_rounds`: a stakeholder knows only the rounds open to them."""
    if not speaks_for_organisation(user):
        return True
    return round_.takes_part(user.organisation_id)


def takes_part(user: User, round_: Round) -> bool:
    """A stakeholder whose organisation may comment in the round."""
    return speaks_for_organisation(user) and round_.takes_part(user.organisation_id)


def can_comment(user: User, round_: Round, now: datetime) -> bool:
    """A participating stakeholder, while the round is open."""
    return takes_part(user, round_) and round_.state(now) == "open"


def sees_others_comments(user: User, round_: Round, now: datetime) -> bool:
    """Whether `user` may read other organisations' (active) comments in the round.

    This is the round's visibility rule: 'open' shows them to participants as
    soon as they are posted, 'own_until_close' once the round has closed,
    'secretariat' never. Stakeholders outside the round see none.
    """
    if sees_every_comment(user):
        return True
    if not takes_part(user, round_):
        return False
    if round_.visibility == "open":
        return True
    if round_.visibility == "own_until_close":
        return round_.state(now) == "closed"
    return False


def owns_comment(user: User, comment: Comment) -> bool:
    """A stakeholder of the organisation the comment was made on behalf of."""
    return speaks_for_organisation(user) and comment.organisation_id == user.organisation_id


def can_see_comment(user: User, comment: Comment, now: datetime) -> bool:
    """Staff see every comment; an organisation its own (withdrawn too); others by the rule."""
    if sees_every_comment(user):
        return True
    if not speaks_for_organisation(user):
        return False
    if owns_comment(user, comment):
        return True
    return not comment.is_withdrawn and sees_others_comments(user, comment.round, now)


def visible_comments(user: User, round_: Round, now: datetime) -> ColumnElement[bool]:
    """The SQL condition selecting the comments of `round_` that `user` may see.

    The same rule as can_see_comment, for queries: lists, counts and exports
    must all filter with it.
    """
    in_round = Comment.round_id == round_.id
    if sees_every_comment(user):
        return in_round
    if not speaks_for_organisation(user) or user.organisation_id is None:
        return false()
    own = Comment.organisation_id == user.organisation_id
    if sees_others_comments(user, round_, now):
        return and_(in_round, or_(own, Comment.status == "active"))
    return and_(in_round, own)


def shows_organisation(user: User, comment: Comment) -> bool:
    """Whether the comment's organisation is shown to `user` (the round's attribution rule)."""
    return (
        comment.round.attribution == "named"
        or sees_every_comment(user)
        or comment.organisation_id == user.organisation_id
    )


def can_change_comment(user: User, comment: Comment, now: datetime) -> bool:
    """A stakeholder of the comment's organisation, while the round is open and it stands.

    Never once the round's answers are published, whatever its closing time.
    """
    return (
        owns_comment(user, comment)
        and not comment.is_withdrawn
        and comment.round.responses_published_at is None
        and comment.round.state(now) == "open"
    )


def can_see_revisions(user: User, comment: Comment) -> bool:
    """Earlier texts are for the author's organisation and the secretariat (and drafters)."""
    return sees_every_comment(user) or owns_comment(user, comment)


def can_see_response(user: User, comment: Comment, now: datetime) -> bool:
    """Staff see responses as they are drafted; others once published, on comments they see."""
    if sees_every_comment(user):
        return True
    return comment.round.responses_published_at is not None and can_see_comment(user, comment, now)


# The rules templates may ask by name.
TEMPLATE_RULES = {
    rule.__name__: rule
    for rule in (
        can_draft,
        can_administer,
        can_manage_rounds,
        sees_comment_counts,
        speaks_for_organisation,
    )
}
