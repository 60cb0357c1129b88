"""The suggester against gold: the sample article and the dev set (tests/data/dev)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from app.suggest import Registry, suggest
from tests.conftest import SAMPLE
from tests.scoring import DATA, load_gold, score

DEV = sorted(p.name.removesuffix(".txt") for p in (DATA / "dev").glob("*.txt"))
SAMPLE_SOURCES = DATA / "sample" / "nagorno-karabakh-2022-03.sources.json"


def _predict(text_path: Path, sources_path: Path) -> list[dict[str, object]]:
    text = text_path.read_text("utf-8")
    registry = Registry.from_specs(json.loads(sources_path.read_text("utf-8")))
    return [s.as_json(text) for s in suggest(text, registry)]


def test_sample_article_is_perfect() -> None:
    result = score(load_gold("sample"), _predict(SAMPLE, SAMPLE_SOURCES))
    assert result["segmentation_f1"] == 1.0
    assert result["attribution_accuracy"] == 1.0


@pytest.mark.parametrize("name", DEV)
def test_dev_article(name: str) -> None:
    predicted = _predict(DATA / "dev" / f"{name}.txt", DATA / "dev" / f"{name}.sources.json")
    result = score(load_gold(name), predicted)
    assert result["segmentation_f1"] == 1.0
    assert result["attribution_accuracy"] >= 0.9, result


def test_dev_set_overall_accuracy_is_at_least_095() -> None:
    right = total = 0
    for name in DEV:
        predicted = _predict(DATA / "dev" / f"{name}.txt", DATA / "dev" / f"{name}.sources.json")
        gold = load_gold(name)
        result = score(gold, predicted)
        right += round(result["attribution_accuracy"] * len(gold))
        total += len(gold)
    assert total >= 120 and len(DEV) >= 6
    assert right / total >= 0.95


def test_cli_contract(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["suggest", str(SAMPLE), "--sources", str(SAMPLE_SOURCES)])
    assert result.exit_code == 0, result.output
    text = SAMPLE.read_text("utf-8")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 21
    keys = {
        "start",
        "end",
        "text",
        "kind",
        "source",
        "new_source",
        "mention",
        "cue",
        "mode",
        "confidence",
        "reason",
    }
    for row in rows:
        assert set(row) == keys
        assert row["text"] == text[row["start"] : row["end"]]
        assert row["kind"] in ("body", "headline", "caption", "credit", "other")
        assert isinstance(row["confidence"], float) and 0 <= row["confidence"] <= 1
        assert row["reason"]
        if row["mention"] is not None:
            start, end = row["mention"]
            assert 0 <= start < end <= len(text)
        assert row["mode"] in (None, "direct", "indirect", "mixed")
    first = rows[6]
    assert first["source"] == "Russian Ministry of Defence" and first["cue"] == "said"
    assert text[first["mention"][0] : first["mention"][1]] == "Moscow"


def test_cli_without_registry_proposes_new_sources(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Officials said the bridge was safe.\n\nMaria Diaz, an engineer, disagreed.\n"
    )
    result = CliRunner().invoke(main, ["suggest", str(article)])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["source"] for r in rows] == ["Officials", "Maria Diaz"]
    assert all(r["new_source"] for r in rows)


def test_cli_refuses_non_utf8(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes("Caf\xe9 said.".encode("latin-1"))
    result = CliRunner().invoke(main, ["suggest", str(article)])
    assert result.exit_code != 0 and "not UTF-8" in result.output
