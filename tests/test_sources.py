"""The source registry: create, rename, aliases, hotkeys, and refusing unsafe deletes."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Event, Source
from tests.conftest import Client, fresh


def _source(session: Session, name: str) -> Source | None:
    return fresh(session).scalars(select(Source).where(Source.name == name)).first()


def test_registry_page_lists_seed_sources_with_usage(client: Client, seeded: int) -> None:
    soup = BeautifulSoup(client.get("/sources").text, "html.parser")
    names = [
        row.select("td")[1].get_text(strip=True) for row in soup.select("table.registry tbody tr")
    ]
    assert names[0] == "Reporter's own voice"
    assert "Azerbaijani Ministry of Defence" in names
    assert len(names) == 8


def test_create_source_with_aliases_and_affiliation(
    client: Client, seeded: int, session: Session
) -> None:
    parent = _source(session, "US State Department")
    assert parent is not None
    response = client.form_post(
        "/sources",
        {
            "name": "  Jalina   Porter ",
            "kind": "official",
            "aliases": "deputy spokeswoman\nPorter",
            "affiliation_id": str(parent.id),
            "country": "United States",
            "colour": "#112233",
            "hotkey": "",
        },
    )
    assert response.status_code == 303
    source = _source(session, "Jalina Porter")
    assert source is not None
    assert source.aliases == ["deputy spokeswoman", "Porter"]
    assert source.affiliation_id == parent.id and source.colour == "#112233"
    assert source.hotkey == 8
    assert (
        fresh(session).scalars(select(Event.action).order_by(Event.id.desc())).first()
        == "source.create"
    )


def test_duplicate_name_in_any_case_is_refused_with_the_form_kept(
    client: Client, seeded: int, session: Session
) -> None:
    response = client.hx_post(
        "/sources",
        {"name": "RUSSIAN ministry of defence", "kind": "government", "aliases": "Kremlin"},
    )
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "already exists" in soup.select_one(".error").get_text()
    assert soup.select_one("textarea[name=aliases]").get_text() == "Kremlin"
    assert _source(session, "RUSSIAN ministry of defence") is None


def test_rename_and_change_hotkey(client: Client, seeded: int, session: Session) -> None:
    source = _source(session, "Foreign policy experts")
    assert source is not None
    response = client.form_post(
        f"/sources/{source.id}",
        {
            "name": "Unnamed foreign policy experts",
            "kind": "expert",
            "aliases": "",
            "hotkey": "9",
            "colour": "#abcdef",
        },
    )
    assert response.status_code == 303
    renamed = _source(session, "Unnamed foreign policy experts")
    assert renamed is not None and renamed.id == source.id and renamed.hotkey == 9


def test_taken_hotkey_is_refused(client: Client, seeded: int, session: Session) -> None:
    source = _source(session, "Foreign policy experts")
    assert source is not None
    response = client.hx_post(
        f"/sources/{source.id}", {"name": source.name, "kind": "expert", "hotkey": "1"}
    )
    assert response.status_code == 422
    assert "already belongs to “Russian Ministry of Defence”" in response.text
    assert _source(session, "Foreign policy experts").hotkey == 7  # type: ignore[union-attr]


def test_affiliation_loop_is_refused(client: Client, seeded: int, session: Session) -> None:
    a, b = _source(session, "Armenian military"), _source(session, "Nagorno-Karabakh leadership")
    assert a is not None and b is not None
    ok = client.form_post(
        f"/sources/{a.id}", {"name": a.name, "kind": a.kind, "affiliation_id": str(b.id)}
    )
    assert ok.status_code == 303
    loop = client.hx_post(
        f"/sources/{b.id}", {"name": b.name, "kind": b.kind, "affiliation_id": str(a.id)}
    )
    assert loop.status_code == 422 and "loop" in loop.text


def test_source_in_use_cannot_be_deleted_and_says_why(
    client: Client,
    client_as,
    seeded: int,
    session: Session,  # type: ignore[no-untyped-def]
) -> None:
    source = _source(session, "Russian Ministry of Defence")
    assert source is not None
    sentence_id = 7
    client.hx_post(f"/articles/{seeded}/sentences/{sentence_id}/tag", {"source_id": str(source.id)})
    assert client.hx_post(f"/sources/{source.id}/delete").status_code == 403  # editors cannot
    response = client_as("admin").hx_post(f"/sources/{source.id}/delete")
    assert response.status_code == 409
    assert "used by 1 attribution in 1 article" in response.text
    assert _source(session, "Russian Ministry of Defence") is not None


def test_unused_source_can_be_deleted_by_an_admin(
    client_as,
    seeded: int,
    session: Session,  # type: ignore[no-untyped-def]
) -> None:
    source = _source(session, "Foreign policy experts")
    assert source is not None
    assert client_as("admin").form_post(f"/sources/{source.id}/delete").status_code == 303
    assert _source(session, "Foreign policy experts") is None


def test_reporter_voice_cannot_be_deleted_or_renamed(
    client: Client,
    client_as,
    seeded: int,
    session: Session,  # type: ignore[no-untyped-def]
) -> None:
    reporter = _source(session, "Reporter's own voice")
    assert reporter is not None
    assert client_as("admin").hx_post(f"/sources/{reporter.id}/delete").status_code == 409
    client.form_post(
        f"/sources/{reporter.id}", {"name": "Me", "kind": "expert", "colour": "#000000"}
    )
    kept = _source(session, "Reporter's own voice")
    assert kept is not None and kept.hotkey == 0 and kept.colour == "#000000"


def test_colour_stylesheet_has_one_class_per_source(client: Client, seeded: int) -> None:
    css = client.get("/sources.css")
    assert css.headers["content-type"].startswith("text/css")
    assert css.text.count(".src-") == 8
    assert "--src:#6b7280" in css.text


def test_bad_colour_and_kind_are_refused(client: Client, seeded: int) -> None:
    assert "#rrggbb" in client.hx_post("/sources", {"name": "X", "colour": "red"}).text
    assert "Unknown source kind" in client.hx_post("/sources", {"name": "X", "kind": "alien"}).text


def test_form_fields_a_page_does_not_offer_are_ignored(
    client: Client, seeded: int, session: Session
) -> None:
    """Mass assignment (TESTPLAN D3) through a form: only the form's own fields are read."""
    answer = client.form_post(
        "/sources",
        {"name": "Port authority", "kind": "official", "is_reporter": "1", "id": "1"},
    )
    assert answer.status_code == 303
    made = fresh(session).scalars(select(Source).where(Source.name == "Port authority")).one()
    assert made.id != 1 and not made.is_reporter
    reporter = fresh(session).scalars(select(Source).where(Source.is_reporter)).one()
    assert reporter.name == "Reporter's own voice"
