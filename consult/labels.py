"""The words people read for the codes the platform stores, each translated once.

A comment's type is stored as "substantive" and shown as "Substantive"; a
disposition as "accepted_in_part" and shown as "Accepted in part". Every
page, form, service and export takes those words from here, so that a code
reads the same everywhere and a translator meets it once. Labels are in
sentence case. Where a form needs a longer phrasing of the same choice (a
radio button that explains itself), that phrasing is a mapping of its own
here, named `..._CHOICES`.

Templates reach this module as the Jinja global `labels`
(`labels.DISPOSITIONS[code]`). The values are lazy strings: they are
translated into the reader's language when shown; call `str()` on one to
keep the text.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel.speaklater import LazyString

Labels = Mapping[str, LazyString]

#: Comment types (consult.models.COMMENT_TYPES), the ge/te/ed of standards bodies.
COMMENT_TYPES: Labels = {
    "general": _l("General"),
    "substantive": _l("Substantive"),
    "editorial": _l("Editorial"),
}

#: What each comment type is for, shown under its choice on the comment form.
COMMENT_TYPE_HINTS: Labels = {
    "general": _l("About the text as a whole, its approach or structure."),
    "substantive": _l("About what the text says: its meaning, scope or effect."),
    "editorial": _l("About wording, grammar, numbering or references, not the meaning."),
}

#: The secretariat's dispositions of a comment (consult.models.DISPOSITIONS).
DISPOSITIONS: Labels = {
    "accepted": _l("Accepted"),
    "accepted_in_part": _l("Accepted in part"),
    "not_accepted": _l("Not accepted"),
    "noted": _l("Noted"),
    "addressed_elsewhere": _l("Addressed elsewhere"),
}

#: What happened to a clause between two versions (consult.domain.alignment.STATUSES).
COMPARISON_STATUSES: Labels = {
    "unchanged": _l("Unchanged"),
    "changed": _l("Changed"),
    "moved": _l("Moved"),
    "renumbered": _l("Renumbered"),
    "split": _l("Split"),
    "merged": _l("Merged"),
    "added": _l("Added"),
    "removed": _l("Removed"),
}

#: What became of a commented clause in the next version (the matrix's last column).
NEXT_VERSION_STATUSES: Labels = {
    "unchanged": _l("Unchanged"),
    "changed": _l("Changed"),
    "moved": _l("Moved or renumbered"),
    "removed": _l("Removed"),
}

#: The matrix's columns: those of the ISO/IEC commenting template, widened (sort key -> label).
MATRIX_COLUMNS: Labels = {
    "number": _l("No."),
    "tracking": _l("Tracking no."),
    "member": _l("MB/NC"),
    "clause": _l("Clause/Subclause"),
    "paragraph": _l("Paragraph/Figure/Table"),
    "type": _l("Type of comment"),
    "comment": _l("Comments"),
    "proposed": _l("Proposed change"),
    "disposition": _l("Disposition"),
    "observations": _l("Observations of the secretariat"),
    "next": _l("In the next version"),
}

#: A comment's state (consult.models.COMMENT_STATUSES).
COMMENT_STATES: Labels = {
    "active": lazy_pgettext("state of a comment", "Active"),
    "withdrawn": _l("Withdrawn"),
}

#: What becomes of a row of an e-mailed commenting template (services.comment_import.preview).
IMPORT_ROW_STATUSES: Labels = {
    "new": _l("To be imported"),
    "duplicate": _l("Already imported"),
    "repeated": _l("Repeated in the file"),
    "error": _l("Not imported: needs a correction"),
}

#: How a row of an e-mailed template found its clause (consult.domain.clause_references).
IMPORT_MATCHES: Labels = {
    "clause": _l("Found"),
    "nearest": _l("Nearest clause"),
    "document": _l("The document as a whole"),
    "not_found": _l("Not found"),
    "ambiguous": _l("Several clauses possible"),
    "corrected": _l("Chosen in the preview"),
}

#: Whether a comment has an answer its reader may see (the matrix summary).
ANSWER_STATES: Labels = {
    "answered": _l("Answered"),
    "unanswered": _l("Unanswered"),
    "unpublished": _l("Answer not yet published"),
}

#: A round's state at a given moment (consult.models.Round.state).
ROUND_STATES: Labels = {"upcoming": _l("Upcoming"), "open": _l("Open"), "closed": _l("Closed")}

#: A version's status (consult.models.Version.status).
VERSION_STATUSES: Labels = {"draft": _l("Draft"), "published": _l("Published")}

#: Whether an account may sign in (consult.models.User.active).
ACCOUNT_STATES: Labels = {
    "active": lazy_pgettext("state of an account", "Active"),
    "deactivated": _l("Deactivated"),
}

#: Who may comment in a round (consult.models.PARTICIPATION), as the round's page says it.
PARTICIPATION: Labels = {
    "all": _l("Every stakeholder organisation may comment."),
    "invited": _l("Only the invited organisations may comment:"),
}

#: Who may comment, as the choice on the form to open a round.
PARTICIPATION_CHOICES: Labels = {
    "all": _l("Every stakeholder organisation"),
    "invited": _l("Only the organisations invited below"),
}

#: Who sees a round's comments (consult.models.VISIBILITY), as the round's page says it.
VISIBILITY: Labels = {
    "open": _l("Participants see each other's comments as soon as they are posted."),
    "own_until_close": _l(
        "Each organisation sees only its own comments until the round closes; "
        "then every participant sees all of them."
    ),
    "secretariat": _l(
        "Only the secretariat and the drafters see the comments; "
        "each organisation sees only its own."
    ),
}

#: Who sees the comments, as the choice on the form to open a round.
VISIBILITY_CHOICES: Labels = {
    "open": _l("Open: participants see each other's comments as soon as they are posted"),
    "own_until_close": _l(
        "Private until the close: each organisation sees only its own comments "
        "until the round closes, then all of them"
    ),
    "secretariat": _l(
        "Secretariat only: each organisation sees only its own comments, "
        "the secretariat and the drafters see all"
    ),
}

#: Whether others learn who made a comment (consult.models.ATTRIBUTION), as the round's page
#: says it.
ATTRIBUTION: Labels = {
    "named": _l("Comments are shown with the name of the organisation that made them."),
    "anonymous": _l(
        "Other participants and public exports are not told which organisation made a "
        "comment; the secretariat knows."
    ),
}

#: Attribution, as the choice on the form to open a round.
ATTRIBUTION_CHOICES: Labels = {
    "named": _l("Named: others see which organisation made each comment"),
    "anonymous": _l(
        "Not attributed: others and public exports do not see which organisation made a comment"
    ),
}

#: Kinds of organisation (consult.models.ORGANISATION_KINDS).
ORGANISATION_KINDS: Labels = {
    "member_state": _l("Member State"),
    "un_entity": _l("UN entity"),
    "igo": _l("Intergovernmental organisation"),
    "ngo": _l("NGO"),
    "nhri": _l("National human-rights institution"),
    "academic": _l("Academic"),
    "other": _l("Other"),
}

#: People's roles (consult.models.ROLES).
ROLES: Labels = {
    "admin": _l("Admin"),
    "secretariat": _l("Secretariat"),
    "drafter": _l("Drafter"),
    "stakeholder": _l("Stakeholder"),
}


#: What an audit event records (consult.services.audit), as the audit log says it.
AUDIT_ACTIONS: Labels = {
    "comment.submit": _l("Comment submitted"),
    "comment.edit": _l("Comment edited"),
    "comment.withdraw": _l("Comment withdrawn"),
    "comment.import": _l("Comment imported from an e-mail"),
    "document.create": _l("Document created"),
    "document.retitle": _l("Document renamed"),
    "document.update": _l("Document details changed"),
    "organisation.create": _l("Organisation added"),
    "pdf.download": _l("PDF downloaded"),
    "pdf.job": _l("PDF requested"),
    "pdf.retry": _l("PDF requested again"),
    "pdf.version": _l("Version PDF made"),
    "response.create": _l("Answer saved"),
    "response.edit": _l("Answer changed"),
    "response.upload": _l("Answers uploaded from a file"),
    "round.create": _l("Round created"),
    "round.correct": _l("Round corrected"),
    "round.change_closing": _l("Closing time changed"),
    "round.close_now": _l("Round closed early"),
    "round.publish_responses": _l("Answers published"),
    "standard_answer.create": _l("Standard answer added"),
    "standard_answer.remove": _l("Standard answer removed"),
    "user.create": _l("Account created"),
    "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account reactivated"),
    "user.login": _l("Signed in"),
    "user.login_failed": _l("Sign-in refused: wrong e-mail or password"),
    "user.login_throttled": _l("Sign-in refused: too many failures"),
    "user.logout": _l("Signed out"),
    "user.password_change": _l("Password changed"),
    "user.password_change_failed": _l("Password change refused: wrong current password"),
    "user.password_change_throttled": _l("Password change refused: too many failures"),
    "user.password_reset_sent": _l("Password link e-mailed"),
    "user.invitation_sent": _l("Welcome link e-mailed to a new account"),
    "user.password_reset": _l("Password set through an e-mailed link"),
    "user.end_sessions": _l("Other sessions ended"),
    "version.import": _l("Version imported"),
    "version.rematch": _l("Matching corrected"),
    "version.publish": _l("Version published"),
    "version.discard": _l("Draft discarded"),
    "translation.add": _l("Text in another language imported"),
    "translation.repair": _l("Ties of a translated text changed"),
    "translation.publish": _l("Text in another language published"),
    "translation.discard": _l("Draft text in another language discarded"),
}


def label(labels: Labels, code: str) -> str:
    """Return the label of `code` in the reader's language, or the code itself if it has none."""
    found = labels.get(code)
    return code if found is None else str(found)


def translated(labels: Labels) -> dict[str, str]:
    """Return every label of `labels` in the reader's language, for a page that shows many.

    A lazy label is translated each time it is shown; a page listing hundreds
    of clauses translates the table once instead.
    """
    return {code: str(text) for code, text in labels.items()}


def version_name(number: int, label: str = "") -> str:
    """Name a version as the platform does everywhere: "Version 2 (Final text)", or
    "Version 2" when it has no label. Where markup is possible, the template's
    `version_name` macro isolates the label instead."""
    if label:
        return str(_("Version %(number)s (%(label)s)", number=number, label=label))
    return str(_("Version %(number)s", number=number))
