"""schemathesis over the whole JSON API: whatever it sends, valid or not, no answer is a 5xx.

The cases are drawn per operation with hypothesis directly: schemathesis's own pytest
plugin does not run under this pytest version.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from sqlalchemy import select

from app import tokens
from app.config import API_PREFIX
from app.db import Database
from app.models import User

FUZZ = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def editor_token(accounts: None, database: Database) -> str:
    with database.write_session() as s:
        editor = s.scalars(select(User).where(User.email == "editor@example.org")).one()
        secret, _ = tokens.create_token(s, editor, name="fuzz", actor="test")
        s.commit()
    return secret


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_5xx(app, seeded: int, editor_token: str, mode) -> None:  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi(f"{API_PREFIX}/openapi.json", app)
    headers = {"Authorization": f"Bearer {editor_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    seen: dict[str, set[int]] = {}

    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            seen.setdefault(case.operation.label, set()).add(response.status_code)
            assert response.status_code < 500, (case.method, case.formatted_path, response.text)

        try:
            check()
        except Unsatisfiable:
            # nothing about this operation can be made invalid (no parameters, no body)
            assert mode is GenerationMode.NEGATIVE and not operation.body
            seen.setdefault(operation.label, set())
    assert set(seen) == {op.label for op in operations}
    assert any(500 > code >= 400 for codes in seen.values() for code in codes)
