"""What a second reading of the matrix's services found, one test each."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import StandardAnswer, User
from consult.services import standard_answers
from consult.services.errors import ServiceError


def test_a_standard_answer_too_long_for_the_database_index_is_refused_with_a_message(
    users: dict[str, User],
) -> None:
    # 1,000 characters, under the limit in characters, but 3,000 bytes: more than
    # PostgreSQL's unique index on the text holds (it raised an error page before).
    rng = random.Random(4)
    text = "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(1000))
    with pytest.raises(ServiceError, match="too long"):
        standard_answers.add_answer(text, None, users["secretariat"])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(StandardAnswer)) == 0
    # A text in Latin script with accents, of the full length, is kept.
    kept = standard_answers.add_answer(("Réponse à l'observation. " * 80)[:1999] + ".", None, None)
    assert len(kept.text) == 2000
