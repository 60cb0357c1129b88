"""Load gold files and run the evaluation kit's scorer (tests/data/score.py, a verbatim copy)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
_spec = importlib.util.spec_from_file_location("whosaid_score", DATA / "score.py")
assert _spec and _spec.loader
score_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_module)


def gold_path(name: str) -> Path:
    if name == "sample":
        return DATA / "sample" / "nagorno-karabakh-2022-03.gold.jsonl"
    return DATA / "dev" / f"{name}.gold.jsonl"


def load_gold(name: str) -> list[dict[str, Any]]:
    with gold_path(name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_texts(name: str, field: str = "text") -> list[Any]:
    return [row[field] for row in load_gold(name)]


def score_texts(texts: list[str], gold: list[str]) -> dict[str, Any]:
    result: dict[str, Any] = score_module.score(
        [{"text": t, "source": None} for t in gold], [{"text": t, "source": None} for t in texts]
    )
    return result


def score(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = score_module.score(gold, predicted)
    return result
