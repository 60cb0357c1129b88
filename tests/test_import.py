"""Import: the stored text is exactly what came in; bad input is refused with a reason."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import ROOT, Settings
from app.importing import ImportProblem, check_text, decode_upload, default_title
from app.models import Article, Sentence
from tests.conftest import SAMPLE, Client, fresh


def _articles(session: Session) -> list[Article]:
    return list(fresh(session).scalars(select(Article).order_by(Article.id)))


def test_pasted_text_is_stored_verbatim_and_segmented(client: Client, session: Session) -> None:
    text = "Officials said the bridge was safe.\r\nEngineers disagreed.  \r\n"
    response = client.form_post(
        "/articles",
        {
            "text": text,
            "title": "",
            "outlet": "Daily",
            "url": "https://example.com/a",
            "published_at": "2024-05-01",
        },
    )
    assert response.status_code == 303
    (article,) = _articles(session)
    assert article.text == text
    assert article.title == "Officials said the bridge was safe."
    assert (article.outlet, article.url, str(article.published_at)) == (
        "Daily",
        "https://example.com/a",
        "2024-05-01",
    )
    assert response.headers["location"] == f"/articles/{article.id}"
    spans = [
        (s.start, s.end)
        for s in fresh(session).scalars(
            select(Sentence).where(Sentence.article_id == article.id).order_by(Sentence.position)
        )
    ]
    assert [text[a:b] for a, b in spans] == [
        "Officials said the bridge was safe.",
        "Engineers disagreed.",
    ]


def test_uploaded_file_keeps_its_bytes_and_drops_only_the_bom(
    client: Client, session: Session
) -> None:
    raw = SAMPLE.read_bytes()
    response = client.post(
        "/articles",
        data={"csrf_token": client.fetch_token(), "title": "Sample"},
        files={"file": ("sample.txt", b"\xef\xbb\xbf" + raw, "text/plain")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    (article,) = _articles(session)
    assert response.headers["hx-redirect"] == f"/articles/{article.id}"
    assert article.text.encode("utf-8") == raw
    assert fresh(session).scalar(select(func.count(Sentence.id))) == 21


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("a.txt", "Caf\xe9 au lait".encode("latin-1"), "is not UTF-8 text"),
        ("a.txt", b"\x00\x01\x02binary\x00", "binary"),
        ("a.txt", b"   \n\n  ", "empty"),
        ("a.pdf", b"%PDF-1.4", "is not a kind of file WhoSaid can import"),
        ("a.txt", "héllo".encode("utf-16"), "UTF-16"),
    ],
)
def test_bad_upload_gets_a_message_on_the_form_and_stores_nothing(
    client: Client, session: Session, filename: str, content: bytes, message: str
) -> None:
    response = client.post(
        "/articles",
        data={"csrf_token": client.fetch_token(), "title": "Kept title", "outlet": "Kept outlet"},
        files={"file": (filename, content, "application/octet-stream")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert message in soup.select_one("#import-form .error").get_text()
    assert soup.select_one("input[name=title]")["value"] == "Kept title"
    assert _articles(session) == []


def test_empty_paste_is_refused(client: Client, session: Session) -> None:
    response = client.form_post("/articles", {"text": "  \n "})
    assert response.status_code == 422
    assert "The article is empty" in response.text
    assert _articles(session) == []


def test_text_and_file_together_are_refused(client: Client, session: Session) -> None:
    response = client.post(
        "/articles",
        data={"csrf_token": client.fetch_token(), "text": "Some text."},
        files={"file": ("a.txt", b"Other text.", "text/plain")},
    )
    assert response.status_code == 422
    assert _articles(session) == []


@pytest.mark.parametrize(
    ("field", "value"), [("url", "javascript:alert(1)"), ("published_at", "26/03/2022")]
)
def test_bad_metadata_is_refused_and_the_text_kept(
    client: Client, session: Session, field: str, value: str
) -> None:
    response = client.form_post("/articles", {"text": "A sentence.", field: value})
    assert response.status_code == 422
    assert (
        "A sentence."
        in BeautifulSoup(response.text, "html.parser").select_one("textarea").get_text()
    )
    assert _articles(session) == []


def test_body_over_the_limit_is_413_before_it_is_read(
    app, client: Client, session: Session
) -> None:  # type: ignore[no-untyped-def]
    limit = app.state.settings.max_upload_bytes
    token = client.fetch_token()
    received = 0

    def body():  # type: ignore[no-untyped-def]
        nonlocal received
        for _ in range(limit // 65536 + 10):
            received += 65536
            yield b"x" * 65536

    response = client.post(
        "/articles",
        content=body(),
        headers={
            "X-CSRF-Token": token,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 413
    assert "too large" in response.text
    assert response.headers["hx-retarget"] == "#flash"
    assert _articles(session) == []


def test_declared_length_over_the_limit_is_refused_at_once(client: Client) -> None:
    response = client.post(
        "/articles",
        content=b"x" * 10,
        headers={"X-CSRF-Token": client.fetch_token(), "Content-Length": str(50 * 1024 * 1024)},
    )
    assert response.status_code == 413


def test_text_over_the_limit_is_refused() -> None:
    with pytest.raises(ImportProblem) as problem:
        check_text("x" * 101, limit=100)
    assert problem.value.status == 413


def test_decode_drops_the_bom_only() -> None:
    assert decode_upload(b"\xef\xbb\xbf\xef\xbb\xbfA.", "a.md", limit=100) == "\ufeffA."


def test_html_in_text_is_kept_as_text() -> None:
    text = '<script>alert(1)</script> <img src=x onerror="alert(2)">'
    assert check_text(text, limit=1000) == text


def test_default_title_is_the_first_line_with_words() -> None:
    assert default_title("\n\n  Big   news today \nbody") == "Big news today"
    assert len(default_title("x" * 1000)) == 300


def test_html_upload_keeps_the_article_and_drops_the_page(client: Client, session: Session) -> None:
    page = (
        "<html><head><title>Quake hits coast</title><script>window.x=1</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Quake hits "
        "coast</h1><p>A strong earthquake struck the coast on Monday, officials said, "
        "damaging dozens of homes across three districts.</p><p>“We felt the ground roll "
        "for a full minute,” said Ana Ruiz, a shopkeeper who lives near the harbour.</p>"
        "<p>Rescue teams reached the worst-hit villages by nightfall, the civil defence "
        "agency said in a statement.</p></article><footer>Subscribe now</footer>"
        "</body></html>"
    )
    response = client.post(
        "/articles",
        data={"csrf_token": client.token or client.fetch_token()},
        files={"file": ("quake.html", page.encode(), "text/html")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    (article,) = _articles(session)
    assert article.title == "Quake hits coast"
    assert "earthquake struck the coast" in article.text and "Subscribe" not in article.text
    assert "window.x" not in article.text and "<" not in article.text


def test_the_same_text_twice_is_noticed(client: Client, session: Session) -> None:
    text = "Officials said the bridge was safe. Engineers disagreed."
    assert client.form_post("/articles", {"text": text}).status_code == 303
    again = client.form_post("/articles", {"text": text + "\n"})
    assert again.status_code == 409 and "already in the library" in again.text
    assert len(_articles(session)) == 1
    forced = client.form_post("/articles", {"text": text, "again": "yes"})
    assert forced.status_code == 303 and len(_articles(session)) == 2


def test_upload_endpoint_answers_in_json_per_file(client: Client, session: Session) -> None:
    token = client.token or client.fetch_token()
    good = client.post(
        "/articles/upload",
        data={"csrf_token": token, "outlet": "Wire"},
        files={"file": ("a.txt", b"Officials said it was fine.", "text/plain")},
    )
    assert good.status_code == 200 and good.json()["status"] == "imported"
    assert good.json()["sentences"] == 1
    twice = client.post(
        "/articles/upload",
        data={"csrf_token": token},
        files={"file": ("b.txt", b"Officials said it was fine.", "text/plain")},
    )
    assert twice.status_code == 409 and twice.json()["status"] == "duplicate"
    bad = client.post(
        "/articles/upload",
        data={"csrf_token": token},
        files={"file": ("c.exe", b"MZ", "application/octet-stream")},
    )
    assert bad.status_code == 422 and bad.json()["status"] == "refused"
    assert [a.outlet for a in _articles(session)] == ["Wire"]


@pytest.mark.parametrize(
    "name",
    [
        "../../escape.txt",
        "..\\..\\escape.txt",
        "/etc/passwd.txt",
        "a" * 300 + ".txt",
        "\u202etxt.exe\u202c.txt",  # right-to-left override
        'quote".txt',
        "<img src=x onerror=alert(1)>.txt",
    ],
)
def test_hostile_file_names_write_nothing_and_are_echoed_safely(
    name: str, client: Client, session: Session, settings: Settings, tmp_path: Path
) -> None:
    """TESTPLAN C2: a file's name is only ever a label. Nothing is written to disk under
    any name (the text goes to the database), and the name comes back shortened and escaped."""
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    token = client.token or client.fetch_token()
    answer = client.post(
        "/articles/upload",
        data={"csrf_token": token},
        files={"file": (name, f"Officials said {len(name)} things.".encode(), "text/plain")},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "imported"
    refused = client.post(  # the form shows the name in its message, escaped
        "/articles", data={"csrf_token": token}, files={"file": (name, b"", "text/plain")}
    )
    assert refused.status_code == 422
    assert "<img src=x" not in refused.text
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert {p.name for p in after - before} <= {"whosaid.db-wal", "whosaid.db-shm"}
    assert not (ROOT.parent / "escape.txt").exists() and not (ROOT / "escape.txt").exists()
    assert len(_articles(session)) == 1


def test_exports_are_attachments_never_sniffed(client: Client, seeded: int) -> None:
    """TESTPLAN C3: what WhoSaid sends back as a file is an attachment with a fixed type and
    nosniff; uploaded bytes themselves are never served (only the stored text, escaped)."""
    for fmt in ("csv", "json", "jsonl", "md", "jsonld", "xlsx"):
        answer = client.get(f"/articles/{seeded}/export.{fmt}")
        assert answer.status_code == 200, fmt
        assert answer.headers["content-disposition"].startswith("attachment;"), fmt
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "html" not in answer.headers["content-type"], fmt


def test_importing_a_page_fetches_nothing(client: Client, session: Session) -> None:
    """No SSRF (TESTPLAN C1): WhoSaid has no import-from-URL, and importing a saved page
    that points everywhere opens no connection, not even to loopback."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    here = f"http://127.0.0.1:{listener.getsockname()[1]}"
    page = f"""<!doctype html><html><head><title>Bait</title>
      <base href="{here}/"><link rel="stylesheet" href="{here}/a.css">
      <meta http-equiv="refresh" content="0; url={here}/r">
      <script src="{here}/s.js"></script></head><body><article>
      <p>The minister said the bridge would reopen in May, officials confirmed.</p>
      <img src="{here}/i.png"><iframe src="{here}/f"></iframe>
      <p>Engineers said the repairs cost <a href="{here}/x">more than expected</a>.</p>
      <object data="{here}/o"></object><video src="{here}/v"></video>
      </article></body></html>"""
    token = client.token or client.fetch_token()
    answer = client.post(
        "/articles/upload",
        data={"csrf_token": token},
        files={"file": ("bait.html", page.encode(), "text/html")},
    )
    assert answer.status_code == 200 and answer.json()["status"] == "imported"
    pasted = client.form_post("/articles", {"text": "A said B.", "url": here + "/story"})
    assert pasted.status_code == 303
    assert client.get(pasted.headers["location"]).status_code == 200
    try:
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody ever connected
    finally:
        listener.close()
    assert "bridge would reopen" in _articles(session)[0].text
