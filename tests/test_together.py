"""Editing together: stale writes get 409, a write storm loses nothing, the log is append-only."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Attribution, Event, Sentence, Source
from tests.conftest import Client, fresh
from tests.servers import Editor, uvicorn_server


def _version(client: Client, article_id: int, position: int) -> tuple[int, str]:
    soup = BeautifulSoup(client.get(f"/articles/{article_id}").text, "html.parser")
    row = soup.select_one(f"li#s-{position}")
    return int(row["data-sid"]), row["data-version"]


def test_second_of_two_stale_writes_gets_409_and_the_current_value(
    client_as,
    seeded: int,
    session: Session,  # type: ignore[no-untyped-def]
) -> None:
    first, second = client_as("editor"), client_as("reviewer")
    sid, version = _version(first, seeded, 8)
    assert _version(second, seeded, 8) == (sid, version)
    url = f"/articles/{seeded}/sentences/{sid}/tag"
    assert first.hx_post(url, {"key": "1", "version": version}).status_code == 200
    conflict = second.hx_post(url, {"key": "2", "version": version})
    assert conflict.status_code == 409
    soup = BeautifulSoup(conflict.text, "html.parser")
    assert "Russian Ministry of Defence" in soup.select_one("li#s-8.conflict").get_text()
    assert "editor@example.org changed this" in conflict.text
    assert soup.select_one("[data-action=keep-mine]")["data-values"] == '{"key": "2"}'
    names = (
        fresh(session)
        .scalars(select(Source.name).join(Attribution).where(Attribution.sentence_id == sid))
        .all()
    )
    assert names == ["Russian Ministry of Defence"]
    assert (
        fresh(session).scalar(
            select(func.count(Event.id)).where(Event.sentence_id == sid, Event.action == "tag.set")
        )
        == 1
    )
    # "keep mine": the same change again with the version the conflict showed
    current = soup.select_one("li#s-8")["data-version"]
    assert second.hx_post(url, {"key": "2", "version": current}).status_code == 200


def test_event_log_refuses_update_and_delete(
    client: Client, seeded: int, database: Database
) -> None:
    client.hx_post(f"/articles/{seeded}/sentences/7/tag", {"key": "1"})
    for statement in ("UPDATE event SET actor = 'someone else'", "DELETE FROM event"):
        with (
            database.write_engine.connect() as conn,
            pytest.raises(DBAPIError, match="append-only"),
        ):
            conn.execute(text(statement))
            conn.commit()
    with database.read_engine.connect() as conn:
        assert (
            conn.execute(text("SELECT COUNT(*) FROM event WHERE actor = 'someone else'")).scalar()
            == 0
        )


@pytest.mark.parametrize("workers", [1, 2])
def test_write_storm_loses_nothing(
    workers: int, seeded: int, accounts: None, database: Database, tmp_path: Path
) -> None:
    """8 editors x 100 toggles of the same sentences: every 200 is one stored change."""
    with database.read_session() as s:
        sentence_ids = list(
            s.scalars(
                select(Sentence.id).where(
                    Sentence.article_id == seeded, Sentence.position.between(7, 11)
                )
            )
        )
    results: list[tuple[int, int, int]] = []
    failures: Counter[int] = Counter()
    lock = threading.Lock()
    with uvicorn_server(database.url, tmp_path / "instance", workers=workers) as url:

        def editor(seed: int) -> None:
            rng = random.Random(seed)
            person = Editor(url, "editor@example.org")
            for _ in range(100):
                sid, key = rng.choice(sentence_ids), rng.randint(1, 3)
                status, _, _ = person.post(
                    f"/articles/{seeded}/sentences/{sid}/tag", {"key": str(key), "add": "1"}
                )
                with lock:
                    if status == 200:
                        results.append((sid, key, status))
                    else:
                        failures[status] += 1

        threads = [threading.Thread(target=editor, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == Counter() and len(results) == 800
    with database.read_session() as s:
        events = s.scalar(
            select(func.count(Event.id)).where(
                Event.action.in_(("tag.set", "tag.clear")), Event.actor == "editor@example.org"
            )
        )
        stored = set(s.execute(select(Attribution.sentence_id, Attribution.source_id)).all())
        hotkeys = dict(s.execute(select(Source.hotkey, Source.id)).all())
    assert events == len(results)
    toggles = Counter((sid, key) for sid, key, _ in results)
    expected = {(sid, hotkeys[key]) for (sid, key), n in toggles.items() if n % 2}
    assert stored == expected


@pytest.mark.parametrize("workers", [2])
def test_racing_creations_leave_one_source_per_name_and_key(
    workers: int, seeded: int, accounts: None, database: Database, tmp_path: Path
) -> None:
    """Check-then-insert under a race (TESTPLAN E4): 20 editors create the same source at
    the same moment, then 20 different ones that each take "the next free hotkey". One of
    each name, no hotkey twice, every refusal a clear 4xx, never a 5xx."""
    with uvicorn_server(database.url, tmp_path / "instance", workers=workers) as url:
        people = [Editor(url, "editor@example.org") for _ in range(20)]

        def race(form_for: Callable[[int], dict[str, str]]) -> Counter[int]:
            statuses: Counter[int] = Counter()
            lock = threading.Lock()
            start = threading.Barrier(len(people))

            def create(n: int) -> None:
                start.wait()
                status, _, _ = people[n].post("/sources", form_for(n))
                with lock:
                    statuses[status] += 1

            threads = [threading.Thread(target=create, args=(n,)) for n in range(len(people))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return statuses

        same = race(lambda n: {"name": "Kremlin press office", "kind": "official"})
        different = race(lambda n: {"name": f"Analyst number {n}", "kind": "expert"})
    # an htmx form post that worked is answered 204 with HX-Redirect to the registry
    assert same[204] == 1 and set(same) <= {204, 409, 422}, same
    assert set(different) <= {204, 409}, different
    with database.read_session() as s:
        names = s.scalars(select(Source.name).where(Source.name.like("Kremlin%"))).all()
        keys = s.scalars(select(Source.hotkey).where(Source.hotkey.is_not(None))).all()
        created = s.scalar(select(func.count(Source.id)).where(Source.name.like("Analyst%")))
    assert names == ["Kremlin press office"]
    assert len(keys) == len(set(keys))
    assert created == different[204]
