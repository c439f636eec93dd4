"""The conflict page: an answer saved meanwhile by a colleague, beside the one just typed.

Any form that saves answers with the revision it showed (the matrix, the
answer page, the round's responses page) sends a stale save here, status
409, instead of overwriting the colleague's answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import render_template
from flask.typing import ResponseReturnValue

from consult.services import answer_queries
from consult.services.responses import AnswerConflict


def conflict_page(conflicts: Sequence[AnswerConflict], back: str) -> ResponseReturnValue:
    """Render both answers of each conflict, with a way to keep either; `back` is a local URL."""
    shown = answer_queries.conflicts_to_show(conflicts)
    return render_template("matrix/conflict.html", conflicts=shown, back=back), 409
