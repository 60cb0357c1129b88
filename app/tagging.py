"""Change a sentence's attributions, split and merge sentences, and undo, with events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import events, sources
from app.models import FINAL_LAYER, SOURCE_KINDS, Attribution, Event, Sentence, Source, utcnow
from app.suggest import Suggestion

TAG_ACTIONS = ("tag.set", "tag.clear", "suggestion.accept", "sentence.split", "sentence.merge")


class EditProblem(ValueError):
    """An edit that cannot be made, with the reason for the editor."""


@dataclass(frozen=True)
class Tag:
    source_id: int
    cue: str = ""
    mode: str = ""
    origin: str = "manual"


def snapshot(sentence: Sentence, layer: int = FINAL_LAYER) -> list[dict[str, Any]]:
    return [
        {"source_id": a.source_id, "cue": a.cue, "mode": a.mode, "origin": a.origin}
        for a in sentence.attributions
        if a.layer == layer
    ]


def layers_of(sentence: Sentence) -> list[list[Any]]:
    """Every layer's attributions, as [layer, tags] pairs (JSON keeps no int keys)."""
    found = sorted({a.layer for a in sentence.attributions})
    return [[layer, snapshot(sentence, layer)] for layer in found]


def set_tags(
    session: Session,
    sentence: Sentence,
    tags: list[Tag],
    *,
    editor: str,
    layer: int = FINAL_LAYER,
    action: str = "tag.set",
    batch: str | None = None,
) -> bool:
    """Make ``tags`` the sentence's attributions in ``layer``; False when nothing changed."""
    before = snapshot(sentence, layer)
    wanted = {tag.source_id: tag for tag in tags}
    current = {a.source_id: a for a in sentence.attributions if a.layer == layer}
    for source_id, existing in current.items():
        if source_id not in wanted:
            sentence.attributions.remove(existing)
    now = utcnow()
    for source_id, tag in wanted.items():
        attribution = current.get(source_id)
        if attribution is None:
            sentence.attributions.append(
                Attribution(
                    source_id=source_id,
                    layer=layer,
                    cue=tag.cue[:100],
                    mode=tag.mode,
                    origin=tag.origin,
                    editor=editor,
                    created_at=now,
                    updated_at=now,
                )
            )
        elif (attribution.cue, attribution.mode, attribution.origin) != (
            tag.cue,
            tag.mode,
            tag.origin,
        ):
            attribution.cue, attribution.mode = tag.cue[:100], tag.mode
            attribution.origin, attribution.editor, attribution.updated_at = tag.origin, editor, now
    session.flush()
    after = snapshot(sentence, layer)
    if after == before:
        return False
    sentence.version += 1
    events.record(
        session,
        actor=editor,
        action=action if after or action == "tag.copy" else "tag.clear",
        article_id=sentence.article_id,
        sentence_id=sentence.id,
        detail={"before": before, "after": after, "layer": layer, "version": sentence.version},
        batch=batch,
    )
    return True


def tag(
    session: Session,
    sentence: Sentence,
    source: Source,
    *,
    editor: str,
    layer: int = FINAL_LAYER,
    add: bool = False,
    cue: str = "",
    mode: str = "",
) -> bool:
    """Set ``source`` as the sentence's only source, or toggle it among several (``add``)."""
    new = Tag(source.id, cue, mode)
    if not add:
        return set_tags(session, sentence, [new], editor=editor, layer=layer)
    tags = [
        Tag(a.source_id, a.cue, a.mode, a.origin) for a in sentence.attributions if a.layer == layer
    ]
    if any(t.source_id == source.id for t in tags):
        tags = [t for t in tags if t.source_id != source.id]
    else:
        tags.append(new)
    return set_tags(session, sentence, tags, editor=editor, layer=layer)


def clear(session: Session, sentence: Sentence, *, editor: str, layer: int = FINAL_LAYER) -> bool:
    return set_tags(session, sentence, [], editor=editor, layer=layer, action="tag.clear")


def _restore(
    session: Session,
    sentence: Sentence,
    layers: list[list[Any]],
    *,
    editor: str,
    batch: str,
    action: str,
) -> None:
    for layer, tags in layers:
        set_tags(
            session,
            sentence,
            [Tag(**t) for t in tags],
            editor=editor,
            layer=layer,
            action=action,
            batch=batch,
        )


def split(session: Session, sentence: Sentence, at: int, *, editor: str) -> Sentence:
    """Cut a sentence in two at offset ``at``; both halves keep its attributions."""
    text = sentence.article.text
    left_end, right_start = _trimmed_cut(text, sentence.start, sentence.end, at)
    if not (sentence.start < left_end and right_start < sentence.end):
        raise EditProblem("Choose a point inside the sentence, between two words.")
    _shift_positions(session, sentence.article_id, after=sentence.position, delta=1)
    original_end = sentence.end
    sentence.end = left_end
    sentence.words = len(text[sentence.start : left_end].split())
    right = Sentence(
        article_id=sentence.article_id,
        position=sentence.position + 1,
        paragraph=sentence.paragraph,
        start=right_start,
        end=original_end,
        kind=sentence.kind,
        words=len(text[right_start:original_end].split()),
    )
    session.add(right)
    session.flush()
    batch = events.new_batch()
    sentence.version += 1
    _restore(session, right, layers_of(sentence), editor=editor, batch=batch, action="tag.copy")
    events.record(
        session,
        actor=editor,
        action="sentence.split",
        article_id=sentence.article_id,
        sentence_id=sentence.id,
        detail={"at": at, "end": original_end, "new_sentence_id": right.id},
        batch=batch,
    )
    return right


def merge(session: Session, sentence: Sentence, *, editor: str) -> Sentence:
    """Join a sentence with the next one; the result keeps the attributions of both."""
    following = session.scalars(
        select(Sentence).where(
            Sentence.article_id == sentence.article_id,
            Sentence.position == sentence.position + 1,
        )
    ).first()
    if following is None:
        raise EditProblem("This is the last sentence: there is nothing to merge it with.")
    removed: dict[str, Any] = {
        "id": following.id,
        "start": following.start,
        "end": following.end,
        "paragraph": following.paragraph,
        "kind": following.kind,
        "layers": layers_of(following),
    }
    kept_before = layers_of(sentence)
    union: dict[int, dict[int, Tag]] = {}
    for owner in (following, sentence):  # the sentence's own tags win a tie
        for a in owner.attributions:
            union.setdefault(a.layer, {})[a.source_id] = Tag(a.source_id, a.cue, a.mode, a.origin)
    old_end = sentence.end
    session.delete(following)
    session.flush()
    sentence.end = removed["end"]
    sentence.words = len(sentence.article.text[sentence.start : sentence.end].split())
    sentence.version += 1
    _shift_positions(session, sentence.article_id, after=sentence.position + 1, delta=-1)
    session.flush()
    batch = events.new_batch()
    for layer, tags in union.items():
        set_tags(
            session,
            sentence,
            list(tags.values()),
            editor=editor,
            layer=layer,
            action="tag.copy",
            batch=batch,
        )
    events.record(
        session,
        actor=editor,
        action="sentence.merge",
        article_id=sentence.article_id,
        sentence_id=sentence.id,
        detail={"end": old_end, "removed": removed, "before": kept_before},
        batch=batch,
    )
    return sentence


def undo_last(session: Session, article_id: int, *, editor: str) -> str | None:
    """Reverse this editor's latest change in the article, as new events; say what it was."""
    undone = select(Event.undoes_batch).where(Event.undoes_batch.is_not(None))
    undo_batches = select(Event.batch).where(Event.undoes_batch.is_not(None))
    batch = session.scalars(
        select(Event.batch)
        .where(
            Event.article_id == article_id,
            Event.actor == editor,
            Event.undoes_batch.is_(None),
            Event.action.in_(TAG_ACTIONS),
            Event.batch.not_in(undone),
            Event.batch.not_in(undo_batches),
        )
        .order_by(Event.id.desc())
        .limit(1)
    ).first()
    if batch is None:
        return None
    batch_events = list(
        session.scalars(select(Event).where(Event.batch == batch).order_by(Event.id.desc()))
    )
    undo_batch = events.new_batch()
    for event in batch_events:
        _reverse(session, event, editor=editor, batch=undo_batch)
    events.record(
        session,
        actor=editor,
        action="undo",
        article_id=article_id,
        detail={"actions": [e.action for e in batch_events]},
        batch=undo_batch,
        undoes_batch=batch,
    )
    return batch_events[-1].action


def _reverse(session: Session, event: Event, *, editor: str, batch: str) -> None:
    detail = event.detail
    sentence = session.get(Sentence, event.sentence_id) if event.sentence_id else None
    if sentence is None:
        return
    if event.action in ("tag.set", "tag.clear", "suggestion.accept", "tag.copy"):
        tags = [Tag(**t) for t in detail["before"]]
        set_tags(
            session,
            sentence,
            tags,
            editor=editor,
            layer=detail.get("layer", FINAL_LAYER),
            action="tag.set",
            batch=batch,
        )
    elif event.action == "sentence.split":
        right = session.get(Sentence, detail["new_sentence_id"])
        if right is not None:
            session.delete(right)
            session.flush()
            _shift_positions(session, sentence.article_id, after=sentence.position + 1, delta=-1)
        sentence.end = detail["end"]
        sentence.words = len(sentence.article.text[sentence.start : sentence.end].split())
        sentence.version += 1
    elif event.action == "sentence.merge":
        removed = detail["removed"]
        _shift_positions(session, sentence.article_id, after=sentence.position, delta=1)
        sentence.end = detail["end"]
        sentence.words = len(sentence.article.text[sentence.start : sentence.end].split())
        sentence.version += 1
        restored = Sentence(
            article_id=sentence.article_id,
            position=sentence.position + 1,
            paragraph=removed["paragraph"],
            start=removed["start"],
            end=removed["end"],
            kind=removed["kind"],
            words=len(sentence.article.text[removed["start"] : removed["end"]].split()),
        )
        session.add(restored)
        session.flush()
        _restore(session, restored, removed["layers"], editor=editor, batch=batch, action="tag.set")
        current = {layer for layer, _ in detail["before"]} | {
            a.layer for a in sentence.attributions
        }
        before = dict((layer, tags) for layer, tags in detail["before"])
        _restore(
            session,
            sentence,
            [[layer, before.get(layer, [])] for layer in current],
            editor=editor,
            batch=batch,
            action="tag.set",
        )
    session.flush()


def _shift_positions(session: Session, article_id: int, *, after: int, delta: int) -> None:
    session.execute(
        update(Sentence)
        .where(Sentence.article_id == article_id, Sentence.position > after)
        .values(position=Sentence.position + delta)
        .execution_options(synchronize_session="fetch")
    )


def _trimmed_cut(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    left_end = at
    while left_end > start and text[left_end - 1].isspace():
        left_end -= 1
    right_start = at
    while right_start < end and text[right_start].isspace():
        right_start += 1
    return left_end, right_start


def accept_suggestion(
    session: Session,
    sentence: Sentence,
    suggestion: Suggestion,
    *,
    editor: str,
    layer: int = FINAL_LAYER,
    batch: str | None = None,
) -> bool:
    """Tag the sentence as suggested, creating a proposed new source first if needed."""
    source: Source | None
    if suggestion.source is None:
        source = sources.reporter(session)
    else:
        source = sources.find_by_name(session, suggestion.source)
        if source is None:
            if not suggestion.new_source:
                raise EditProblem(f"“{suggestion.source}” is no longer in the registry.")
            affiliation = (
                sources.find_by_name(session, suggestion.affiliation)
                if suggestion.affiliation
                else None
            )
            kind = suggestion.source_kind if suggestion.source_kind in SOURCE_KINDS else "other"
            source = sources.create_source(
                session,
                sources.SourceInput(
                    name=suggestion.source,
                    kind="other" if kind == "reporter" else kind,
                    affiliation_id=affiliation.id if affiliation else None,
                ),
                actor=editor,
            )
    tag = Tag(source.id, suggestion.cue or "", suggestion.mode or "", "suggested")
    return set_tags(
        session,
        sentence,
        [tag],
        editor=editor,
        layer=layer,
        action="suggestion.accept",
        batch=batch,
    )
