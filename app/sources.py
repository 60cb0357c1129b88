"""The source registry: create, edit, delete, hotkeys and colours."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import events
from app.models import SOURCE_KINDS, Attribution, Sentence, Source

REPORTER_NAME = "Reporter's own voice"
# Distinguishable on white and on each other (Tableau 10 + 6 darker tones).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf",
)  # fmt: skip
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class SourceProblem(ValueError):
    """A registry change we refuse, with the reason for the editor."""


@dataclass
class SourceInput:
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    affiliation_id: int | None = None
    country: str = ""
    colour: str = ""
    hotkey: int | None = None


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def all_sources(session: Session) -> list[Source]:
    """Return every source, the reporter's own voice first, then by name."""
    return list(session.scalars(select(Source).order_by(Source.is_reporter.desc(), Source.name)))


def colour_version(registry: list[Source]) -> str:
    """Return a token that changes whenever a source or its colour changes."""
    digest = hashlib.sha256()
    for source in registry:
        digest.update(f"{source.id}{source.colour};".encode())
    return digest.hexdigest()[:10]


def reporter(session: Session) -> Source:
    return session.scalars(select(Source).where(Source.is_reporter)).one()


def by_hotkey(session: Session, key: int) -> Source | None:
    return session.scalars(select(Source).where(Source.hotkey == key)).first()


def find_by_name(session: Session, name: str) -> Source | None:
    return session.scalars(select(Source).where(Source.name_key == name_key(name))).first()


def usage(session: Session) -> dict[int, tuple[int, int]]:
    """Return, per source id, (attributions, articles) using it."""
    rows = session.execute(
        select(
            Attribution.source_id,
            func.count(Attribution.id),
            func.count(func.distinct(Sentence.article_id)),
        )
        .join(Sentence, Sentence.id == Attribution.sentence_id)
        .group_by(Attribution.source_id)
    )
    return {source_id: (uses, articles) for source_id, uses, articles in rows}


def clean_aliases(raw: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for alias in raw:
        alias = " ".join(alias.split())
        if alias and name_key(alias) not in seen:
            seen[name_key(alias)] = alias[:200]
    return tuple(seen.values())


def create_source(session: Session, data: SourceInput, *, actor: str) -> Source:
    """Add a source to the registry, giving it a colour and the next free hotkey."""
    name = _check_name(session, data.name, None)
    source = Source(
        name=name,
        name_key=name_key(name),
        kind=_check_kind(data.kind),
        aliases=list(clean_aliases(data.aliases)),
        affiliation_id=_check_affiliation(session, data.affiliation_id, None),
        country=data.country.strip()[:100],
        colour=_check_colour(data.colour) or _next_colour(session),
        hotkey=_check_hotkey(session, data.hotkey, None)
        if data.hotkey is not None
        else next_free_hotkey(session),
    )
    session.add(source)
    session.flush()
    events.record(session, actor=actor, action="source.create", detail={"source": snapshot(source)})
    return source


def update_source(session: Session, source: Source, data: SourceInput, *, actor: str) -> Source:
    """Rename or re-describe a source; the reporter's own voice keeps its name and key."""
    before = snapshot(source)
    if source.is_reporter:
        source.colour = _check_colour(data.colour) or source.colour
    else:
        source.name = _check_name(session, data.name, source.id)
        source.name_key = name_key(source.name)
        source.kind = _check_kind(data.kind)
        source.aliases = list(clean_aliases(data.aliases))
        source.affiliation_id = _check_affiliation(session, data.affiliation_id, source.id)
        source.country = data.country.strip()[:100]
        source.colour = _check_colour(data.colour) or source.colour
        source.hotkey = _check_hotkey(session, data.hotkey, source.id)
    session.flush()
    events.record(
        session,
        actor=actor,
        action="source.update",
        detail={"before": before, "after": snapshot(source)},
    )
    return source


def delete_source(session: Session, source: Source, *, actor: str) -> None:
    """Delete an unused source; one in use is refused with the reason."""
    if source.is_reporter:
        raise SourceProblem("The reporter's own voice is built in and cannot be deleted.")
    uses, articles = usage(session).get(source.id, (0, 0))
    if uses:
        raise SourceProblem(
            f"“{source.name}” is used by {uses} attribution{'s' * (uses != 1)} in "
            f"{articles} article{'s' * (articles != 1)}; re-tag those sentences first."
        )
    detail = {"source": snapshot(source)}
    session.delete(source)
    session.flush()
    events.record(session, actor=actor, action="source.delete", detail=detail)


def snapshot(source: Source) -> dict[str, object]:
    return {
        "id": source.id,
        "name": source.name,
        "kind": source.kind,
        "aliases": list(source.aliases or []),
        "affiliation_id": source.affiliation_id,
        "country": source.country,
        "colour": source.colour,
        "hotkey": source.hotkey,
    }


def next_free_hotkey(session: Session) -> int | None:
    taken = set(session.scalars(select(Source.hotkey).where(Source.hotkey.is_not(None))))
    return next((key for key in range(1, 10) if key not in taken), None)


def _next_colour(session: Session) -> str:
    counts = dict.fromkeys(PALETTE, 0)
    for colour in session.scalars(select(Source.colour)):
        if colour in counts:
            counts[colour] += 1
    return min(PALETTE, key=lambda c: counts[c])


def _check_name(session: Session, raw: str, own_id: int | None) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise SourceProblem("A source needs a name.")
    if len(name) > 200:
        raise SourceProblem("A source name can have at most 200 characters.")
    clash = find_by_name(session, name)
    if clash is not None and clash.id != own_id:
        raise SourceProblem(f"A source named “{clash.name}” already exists.")
    return name


def _check_kind(kind: str) -> str:
    kind = (kind or "other").strip().lower()
    if kind not in SOURCE_KINDS or kind == "reporter":
        raise SourceProblem(f"Unknown source kind “{kind}”.")
    return kind


def _check_colour(colour: str) -> str:
    colour = (colour or "").strip()
    if colour and not _COLOUR.match(colour):
        raise SourceProblem("A colour is written #rrggbb, for example #4e79a7.")
    return colour.lower()


def _check_hotkey(session: Session, key: int | None, own_id: int | None) -> int | None:
    if key is None:
        return None
    if not 1 <= key <= 9:
        raise SourceProblem("Hotkeys are 1 to 9 (0 is the reporter's own voice).")
    holder = by_hotkey(session, key)
    if holder is not None and holder.id != own_id:
        raise SourceProblem(f"Key {key} already belongs to “{holder.name}”.")
    return key


def _check_affiliation(
    session: Session, affiliation_id: int | None, own_id: int | None
) -> int | None:
    if affiliation_id is None:
        return None
    if affiliation_id == own_id:
        raise SourceProblem("A source cannot be affiliated with itself.")
    parent = session.get(Source, affiliation_id)
    if parent is None or parent.is_reporter:
        raise SourceProblem("That affiliation is not a source in the registry.")
    seen = {own_id}
    while parent is not None:  # refuse cycles: A -> B -> A
        if parent.id in seen:
            raise SourceProblem("That affiliation would make a loop.")
        seen.add(parent.id)
        parent = parent.affiliation
    return affiliation_id


@dataclass
class MergePlan:
    """What merging ``source`` into ``into`` would move."""

    source: Source
    into: Source
    attributions: int
    both: int  # sentences tagged with both: the merged one's tag is dropped there
    affiliates: int
    aliases: list[str]


def merge_plan(session: Session, source: Source, into: Source) -> MergePlan:
    if source.id == into.id:
        raise SourceProblem("Choose another source to merge into.")
    if source.is_reporter or into.is_reporter:
        raise SourceProblem("The reporter's own voice cannot be merged.")
    mine = select(Attribution.sentence_id, Attribution.layer).where(
        Attribution.source_id == source.id
    )
    attributions = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
    theirs = select(Attribution.sentence_id, Attribution.layer).where(
        Attribution.source_id == into.id
    )
    both = session.scalar(select(func.count()).select_from(mine.intersect(theirs).subquery())) or 0
    affiliates = (
        session.scalar(select(func.count(Source.id)).where(Source.affiliation_id == source.id)) or 0
    )
    aliases = list(clean_aliases([*(into.aliases or []), source.name, *(source.aliases or [])]))
    aliases = [a for a in aliases if name_key(a) != into.name_key]
    return MergePlan(source, into, attributions, both, affiliates, aliases)


def merge_sources(session: Session, source: Source, into: Source, *, actor: str) -> MergePlan:
    """Move everything ``source`` said to ``into``; its name and aliases become aliases."""
    plan = merge_plan(session, source, into)
    for attribution in session.scalars(
        select(Attribution).where(Attribution.source_id == source.id)
    ):
        clash = session.scalars(
            select(Attribution).where(
                Attribution.sentence_id == attribution.sentence_id,
                Attribution.layer == attribution.layer,
                Attribution.source_id == into.id,
            )
        ).first()
        if clash is not None:
            session.delete(attribution)
        else:
            attribution.source_id = into.id
        sentence = session.get(Sentence, attribution.sentence_id)
        if sentence is not None:
            sentence.version += 1
    for child in session.scalars(select(Source).where(Source.affiliation_id == source.id)):
        child.affiliation_id = into.id if child.id != into.id else None
    if into.affiliation_id == source.id:
        into.affiliation_id = None
    into.aliases = plan.aliases
    snapshot_before = snapshot(source)
    hotkey = source.hotkey
    session.delete(source)
    session.flush()
    if into.hotkey is None and hotkey is not None:
        into.hotkey = hotkey
    session.flush()
    events.record(
        session,
        actor=actor,
        action="source.merge",
        detail={
            "merged": snapshot_before,
            "into": snapshot(into),
            "attributions": plan.attributions,
            "dropped_doubles": plan.both,
        },
    )
    return plan
