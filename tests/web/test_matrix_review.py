"""What a second reading of the matrix found: leaks and edge cases, one test each."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from consult.models import User
from tests import factories
from tests.web.support import sign_in

URL = "/documents/sample/matrix"


@pytest.mark.parametrize("path", ["", ".xlsx", ".csv", ".docx", ".csv?public=yes", "/summary"])
def test_a_document_with_only_a_draft_is_unknown_to_stakeholders(
    client: FlaskClient, users: dict[str, User], path: str
) -> None:
    factories.version(publish=False)
    sign_in(client, users["stakeholder"])
    response = client.get(URL + path)
    assert response.status_code == 404
    assert b"Principles" not in response.data
