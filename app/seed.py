"""Load the sample sources and articles from seeds/ (idempotent: nothing is loaded twice)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import sources
from app.articles import ArticleInput, create_article
from app.models import Article


@dataclass
class SeedReport:
    sources: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


def load_seeds(session: Session, seeds_dir: Path, *, actor: str) -> SeedReport:
    """Create the seed sources that are missing and import the seed articles not yet stored."""
    report = SeedReport()
    registry_file = seeds_dir / "sources.json"
    entries = json.loads(registry_file.read_text("utf-8")) if registry_file.exists() else []
    for entry in entries:
        if sources.find_by_name(session, entry["name"]) is None:
            data = sources.SourceInput(
                name=entry["name"],
                kind=entry.get("kind", "other"),
                aliases=tuple(entry.get("aliases", ())),
                country=entry.get("country", ""),
                hotkey=entry.get("hotkey"),
            )
            sources.create_source(session, data, actor=actor)
            report.sources.append(entry["name"])
    for entry in entries:
        parent = entry.get("affiliation")
        if parent:
            child = sources.find_by_name(session, entry["name"])
            owner = sources.find_by_name(session, parent)
            if child is not None and owner is not None and child.affiliation_id is None:
                child.affiliation_id = owner.id
    articles_file = seeds_dir / "articles.json"
    listed = json.loads(articles_file.read_text("utf-8")) if articles_file.exists() else []
    for entry in listed:
        text = (seeds_dir / entry["file"]).read_text("utf-8")
        exists = session.scalar(select(Article.id).where(Article.title == entry["title"]).limit(1))
        if exists is not None:
            continue
        published = entry.get("published_at")
        create_article(
            session,
            ArticleInput(
                title=entry["title"],
                text=text,
                outlet=entry.get("outlet", ""),
                url=entry.get("url", ""),
                published_at=dt.date.fromisoformat(published) if published else None,
            ),
            actor=actor,
        )
        report.articles.append(entry["title"])
    session.flush()
    return report
