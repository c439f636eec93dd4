"""Consultation rounds: the list, a round's page, opening one, and the secretariat's responses.

The routes live in `views` (rounds), `corrections` (correcting a round) and
`responses` (answering comments);
both attach themselves to the blueprint of `blueprint`, and importing them
here registers them.
"""

from __future__ import annotations

from consult.web.rounds import corrections, responses, views
from consult.web.rounds.blueprint import bp

__all__ = ["bp", "corrections", "responses", "views"]
