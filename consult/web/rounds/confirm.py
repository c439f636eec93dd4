"""Confirmation pages of the secretariat's permanent steps: what will happen, then a button.

Each page posts back to its action with `confirm=yes` (and the CSRF token);
a POST without it does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from consult.models import Round


@dataclass(frozen=True)
class Confirmation:
    """A confirmation page: a question, its consequences, the form that confirms, a way back."""

    title: str
    consequences: list[str]
    action: str
    button: str
    back_url: str
    back_text: str
    fields: dict[str, str] = field(default_factory=dict)


def closing_consequences(round_: Round, at: str | None) -> list[str]:
    """Return what closing the round (now, or at the time `at` as text) does, in sentences."""
    when = _("From that moment,") if at is not None else _("From now on,")
    sentences = [
        _(
            "%(when)s no organisation can submit, edit or withdraw a comment in this round, "
            "not even one being written at that moment. The comments already made are kept.",
            when=when,
        )
    ]
    if round_.visibility == "own_until_close":
        sentences.append(
            _(
                "Under this round's rule, the organisations taking part then read one "
                "another's comments."
            )
        )
    sentences.append(
        _(
            "Until the answers are published you can reopen the round by setting a later "
            "closing time, but anyone turned away in the meantime will have to come back."
        )
    )
    return [str(s) for s in sentences]
