"""What a second reading of the matrix's services found, one test each."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import StandardAnswer, User
from consult.services import standard_answers
from consult.services.errors import ServiceError


def test_a_long_standard_answer_in_any_script_is_kept_once(users: dict[str, User]) -> None:
    # 2,000 characters of Chinese are 6,000 bytes: more than PostgreSQL's index on
    # a text would hold (it raised an error page once); the key is a hash of it.
    rng = random.Random(4)
    text = "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(2000))
    kept = standard_answers.add_answer(text, None, users["secretariat"])
    assert kept.text == text
    with pytest.raises(ServiceError, match="saved already"):
        standard_answers.add_answer(text, None, users["secretariat"])
    db.session.rollback()
    # The same text in other capitals is the same answer.
    standard_answers.add_answer("Outside the scope.", None, None)
    with pytest.raises(ServiceError, match="saved already"):
        standard_answers.add_answer("OUTSIDE THE SCOPE.", None, None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(StandardAnswer)) == 2
