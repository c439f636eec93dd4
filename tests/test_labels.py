"""The words for stored codes: every code the models allow has one, in sentence case."""

from __future__ import annotations

import pytest

from consult import labels, models
from consult.domain.alignment import STATUSES

CODES = [
    (labels.COMMENT_TYPES, models.COMMENT_TYPES),
    (labels.COMMENT_TYPE_HINTS, models.COMMENT_TYPES),
    (labels.COMMENT_STATES, models.comments.COMMENT_STATUSES),
    (labels.DISPOSITIONS, models.DISPOSITIONS),
    (labels.ROUND_STATES, ("upcoming", "open", "closed")),
    (labels.COMPARISON_STATUSES, STATUSES),
    (labels.VERSION_STATUSES, ("draft", "published")),
    (labels.PARTICIPATION, models.PARTICIPATION),
    (labels.PARTICIPATION_CHOICES, models.PARTICIPATION),
    (labels.VISIBILITY, models.VISIBILITY),
    (labels.VISIBILITY_CHOICES, models.VISIBILITY),
    (labels.ATTRIBUTION, models.ATTRIBUTION),
    (labels.ATTRIBUTION_CHOICES, models.ATTRIBUTION),
    (labels.ORGANISATION_KINDS, models.ORGANISATION_KINDS),
    (labels.ROLES, models.ROLES),
]


@pytest.mark.parametrize(("names", "codes"), CODES)
def test_every_code_has_words_and_they_start_with_a_capital(
    names: labels.Labels, codes: tuple[str, ...]
) -> None:
    assert list(names) == list(codes)
    assert all(str(text)[0].isupper() for text in names.values())


def test_a_table_translated_at_once_keeps_every_code() -> None:
    assert labels.translated(labels.ROUND_STATES) == {
        "upcoming": "Upcoming",
        "open": "Open",
        "closed": "Closed",
    }


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert labels.label(labels.DISPOSITIONS, "accepted_in_part") == "Accepted in part"
    assert labels.label(labels.DISPOSITIONS, "shelved") == "shelved"
