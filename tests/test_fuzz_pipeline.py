"""Fuzzing the whole pipeline: any text the import accepts is stored word for word,
segmented into offsets that slice it, suggested for and exported without an exception."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import ArticleInput, create_article, sentences
from app.db import Database
from app.exporting import csv_chunks, json_chunks, jsonld_chunks, xlsx_stream
from app.importing import ImportProblem, check_text
from app.suggesting import article_suggestions
from app.table import COLUMNS, table_rows

NEWSY = st.sampled_from(
    [
        "The ministry said",
        " “We will not,” he said.",
        " Moscow",
        " accusedAzerbaijan",
        " region.Credit...Ivor",
        " U.S. officials",
        " 3.5 percent",
        "\n",
        "\n\n",
        " ",
        "<script>alert(1)</script>",
        '=HYPERLINK("x")',
        "'",
        "—",
        "\t",
        "\r\n",
    ]
)
TEXTS = st.one_of(
    st.text(min_size=1, max_size=300),
    st.lists(st.one_of(NEWSY, st.text(max_size=8)), min_size=1, max_size=40).map("".join),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXTS)
def test_any_accepted_text_is_stored_segmented_suggested_and_exported(
    database: Database, text: str
) -> None:
    try:
        checked = check_text(text, limit=100_000)
    except ImportProblem:
        return  # refused with a message (empty, binary): nothing to store
    with database.write_session() as session:
        article = create_article(session, ArticleInput(title="fuzz", text=checked), actor="fuzz")
        session.commit()
        stored = sentences(session, article.id)
        assert article.text == text
        previous_end = 0
        for s in stored:
            assert previous_end <= s.start < s.end <= len(text)
            piece = text[s.start : s.end]
            assert piece == piece.strip() and piece
            previous_end = s.end
        suggestions = article_suggestions(session, article)
        assert set(suggestions) == {s.id for s in stored}
        rows = table_rows(session, article)
        for row in rows:
            assert row["text"] == text[row["start"] : row["end"]]
        assert "".join(csv_chunks(rows, COLUMNS, bom=False))
        assert "".join(json_chunks(rows, COLUMNS, {}))
        assert "".join(jsonld_chunks(rows, base_url="http://x"))
        workbook = io.BytesIO(b"".join(xlsx_stream(rows, COLUMNS)))
        assert workbook.getbuffer().nbytes > 0
        session.rollback()
