"""Say in words what an event in the change log did."""

from __future__ import annotations

from typing import Any

from app.models import Event


def describe(event: Event, names: dict[int, str]) -> str:
    detail: dict[str, Any] = event.detail or {}
    if "before" in detail and "after" in detail and isinstance(detail["after"], list):
        return f"{_tags(detail['before'], names)} → {_tags(detail['after'], names)}"
    if event.action == "article.status":
        note = f" (“{detail['note']}”)" if detail.get("note") else ""
        return f"{detail.get('before', '?')} → {detail.get('after', '?')}{note}"
    if event.action == "sentence.split":
        return "split in two"
    if event.action == "sentence.merge":
        return "merged with the next sentence"
    if event.action == "undo":
        return "undid " + ", ".join(detail.get("actions", []))
    if event.action == "article.import":
        return f"imported “{detail.get('title', '')}” ({detail.get('sentences', 0)} sentences)"
    if event.action == "article.blind":
        return "blind tagging by " + " and ".join(detail.get("taggers", []))
    if "source" in detail:
        return str(detail["source"].get("name", ""))
    if "email" in detail:
        return str(detail["email"])
    return ""


def _tags(tags: list[dict[str, Any]], names: dict[int, str]) -> str:
    if not tags:
        return "untagged"
    return " + ".join(names.get(t.get("source_id", 0), "(deleted source)") for t in tags)
