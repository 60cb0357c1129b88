"""Walk an article sentence by sentence and suggest who makes each claim."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.segment import Segment, segment
from app.suggest.analysis import SentenceAnalysis, analyse, main_hits, mode_of
from app.suggest.clauses import (
    CueHit,
    Speaker,
    main_clause_subject,
)
from app.suggest.lexicon import DOCUMENT_NOUNS, GROUP_ANAPHORS, PRONOUNS, TITLES
from app.suggest.registry import Registry, fold
from app.suggest.resolve import Memory, Resolution, Resolver
from app.suggest.tokens import Token

KIND_REASONS = {
    "headline": "headline: carries no claim by a source",
    "caption": "photo caption: carries no claim by a source",
    "credit": "credit line: carries no claim by a source",
    "other": "page furniture, not part of the story",
}


@dataclass
class Suggestion:
    start: int
    end: int
    kind: str
    source: str | None = None
    new_source: bool = False
    mention: tuple[int, int] | None = None
    cue: str | None = None
    mode: str | None = None
    confidence: float = 0.7
    reason: str = ""
    paragraph: int = 0
    source_kind: str | None = None
    affiliation: str | None = None

    def as_json(self, text: str) -> dict[str, object]:
        """The command-line contract: one object per sentence."""
        return {
            "start": self.start,
            "end": self.end,
            "text": text[self.start : self.end],
            "kind": self.kind,
            "source": self.source,
            "new_source": self.new_source,
            "mention": list(self.mention) if self.mention else None,
            "cue": self.cue,
            "mode": self.mode,
            "confidence": self.confidence,
            "reason": self.reason,
        }


def suggest(
    text: str,
    registry: Registry | None = None,
    segments: list[Segment] | None = None,
    *,
    known: dict[int, str | None] | None = None,
    analysis: list[SentenceAnalysis] | None = None,
) -> list[Suggestion]:
    """Suggest a source (or none) for every sentence of ``text``.

    ``known`` maps sentence indexes an editor has already tagged to their source name (None
    for the reporter's own voice): those answers stand, and later sentences build on them
    ("he" after a tagged sentence means its speaker). ``analysis`` is ``analyse(text,
    segments)`` computed earlier for the same text, to skip that work.
    """
    registry = registry or Registry([])
    if analysis is None:
        analysis = analyse(text, segment(text) if segments is None else segments)
    known = known or {}
    memory = Memory()
    resolver = Resolver(registry, memory, text)
    out: list[Suggestion] = []
    for index, sentence in enumerate(analysis):
        if index in known:
            out.append(_known(index, sentence, known[index], resolver, memory, text))
        else:
            out.append(_suggest_one(index, sentence, analysis, out, resolver, memory, text))
    _fill_quote_runs(analysis, out, fixed=set(known))
    return out


def _known(
    index: int,
    sentence: SentenceAnalysis,
    source: str | None,
    resolver: Resolver,
    memory: Memory,
    text: str,
) -> Suggestion:
    """A sentence the editor has tagged: remember its speaker for what follows."""
    seg = sentence.seg
    blank = Suggestion(
        seg.start,
        seg.end,
        seg.kind,
        paragraph=seg.paragraph,
        confidence=1.0,
        reason="tagged by an editor",
    )
    if seg.kind == "body":
        _note_mentions(sentence, resolver, memory, index, text)
    if source is None:
        return blank
    entry = resolver.registry.by_name.get(source)
    hit = sentence.hits[0] if sentence.hits else None
    resolution = Resolution(
        source,
        False,
        (seg.start, seg.start),
        "known",
        "tagged by an editor",
        1.0,
        person=bool(entry and entry.is_person),
        gender=entry.gender if entry else "",
        label=source if entry and entry.is_person else "",
        kind=entry.kind if entry else "other",
    )
    memory.note(resolution, index, speaker=True, offset=seg.start)
    return replace(
        blank,
        source=source,
        cue=hit.cue if hit else None,
        mode=mode_of(sentence, hit) if hit else None,
    )


def _suggest_one(
    index: int,
    sentence: SentenceAnalysis,
    sentences: list[SentenceAnalysis],
    done: list[Suggestion],
    resolver: Resolver,
    memory: Memory,
    text: str,
) -> Suggestion:
    seg = sentence.seg
    blank = Suggestion(seg.start, seg.end, seg.kind, paragraph=seg.paragraph)
    if seg.kind != "body":
        return replace(blank, confidence=0.95, reason=KIND_REASONS[seg.kind])
    _note_mentions(sentence, resolver, memory, index, text)
    resolution, hit = _speaker_of(index, sentence, resolver, memory)
    memory.cutoff = None
    if resolution is not None and hit is not None:
        memory.note(resolution, index, speaker=True, offset=resolution.mention[0])
        for noun in _documents_of(sentence, hit):
            memory.documents[noun] = resolution.source
        return replace(
            blank,
            source=resolution.source,
            new_source=resolution.new,
            mention=resolution.mention,
            cue=hit.cue,
            mode=mode_of(sentence, hit),
            confidence=resolution.confidence
            if hit.strength == "speech"
            else round(resolution.confidence - 0.15, 2),
            reason=f"cue “{hit.cue}” + {resolution.reason}",
            source_kind=resolution.kind,
            affiliation=resolution.affiliation,
        )
    carried = _carry(index, sentence, sentences, done)
    if carried is not None:
        return carried
    lost = _unresolved(sentence)
    if lost is not None:
        hit, speaker = lost
        words = speaker.head.text(text)
        return replace(
            blank,
            mention=(speaker.head.start, speaker.head.end),
            cue=hit.cue,
            mode=mode_of(sentence),
            confidence=0.3,
            reason=f"cue “{hit.cue}” + “{words}”, but nobody earlier it could stand for",
        )
    return replace(
        blank,
        confidence=0.85 if not sentence.hits else 0.5,
        reason="no reporting cue: the reporter's own voice"
        if not sentence.hits
        else "a cue without a speaker that can be named",
    )


def _speaker_of(
    index: int, sentence: SentenceAnalysis, resolver: Resolver, memory: Memory
) -> tuple[Resolution | None, CueHit | None]:
    """Resolve the first cue whose speaker can be named (the main reporting clause).

    "…, according to X" attributes the whole sentence, so it goes first.
    """
    hits = sorted(main_hits(sentence), key=lambda h: h.pattern != "according")
    for hit in hits:
        speaker: Speaker | None = hit.speaker
        if speaker is None and hit.pattern in ("participial", "coordinate"):
            others = [
                h
                for h in sentence.hits
                if h is not hit and h.speaker is not None and h.index < hit.index
            ]
            speaker = others[0].speaker if others else main_clause_subject(sentence.tokens)
        if speaker is None:
            continue
        memory.cutoff = (index, speaker.head.start)
        resolution = resolver.resolve(speaker)
        if resolution is not None:
            if speaker.relative is not None:
                resolution.mention = (speaker.relative.start, speaker.relative.end)
                resolution.reason += f" (“{speaker.relative.text}”)"
            return resolution, hit
    return None, None


def _unresolved(sentence: SentenceAnalysis) -> tuple[CueHit, Speaker] | None:
    """A cue whose speaker is a pronoun with nobody to stand for: keep the mention."""
    for hit in sentence.hits:
        speaker = hit.speaker
        if (
            speaker is not None
            and 1 <= len(speaker.head.words) <= 2
            and speaker.head.words[0] in (PRONOUNS.keys() | GROUP_ANAPHORS)
        ):
            return hit, speaker
    return None


def _note_mentions(
    sentence: SentenceAnalysis, resolver: Resolver, memory: Memory, index: int, text: str
) -> None:
    """Remember the sources a sentence names anywhere, not only its speakers."""
    registry = resolver.registry
    if not registry.entries:
        return
    body = text[sentence.seg.start : sentence.seg.end]
    lowered = body.lower()
    for entry, _n in registry.exact(body):
        at = _find_any(lowered, entry)
        memory.note(
            Resolution(
                entry.name,
                False,
                (0, 0),
                "mention",
                "",
                0.0,
                person=entry.is_person,
                gender=entry.gender,
                label=entry.name if entry.is_person else "",
                kind=entry.kind,
            ),
            index,
            speaker=False,
            offset=sentence.seg.start + at,
        )
    tokens = sentence.tokens
    for k, tok in enumerate(tokens[:-1]):
        title = TITLES.get(tok.lower) or TITLES.get(tok.lower.rstrip("."))
        if title is None or not tokens[k + 1].is_cap:
            continue
        for entry in registry.by_surname(tokens[k + 1].text):
            memory.note(
                Resolution(
                    entry.name,
                    False,
                    (0, 0),
                    "mention",
                    "",
                    0.0,
                    person=True,
                    gender=title,
                    label=entry.name,
                    kind=entry.kind,
                ),
                index,
                speaker=False,
                offset=tok.start,
            )
    subject = main_clause_subject(tokens)
    if subject is not None:
        phrase = text[subject.head.start : _subject_end(tokens, subject)]
        found = registry.fuzzy(phrase)
        if found:
            entry = found[0]
            memory.note(
                Resolution(
                    entry.name,
                    False,
                    (0, 0),
                    "mention",
                    "",
                    0.0,
                    plural=phrase.split()[0].lower().endswith("s"),
                    kind=entry.kind,
                ),
                index,
                speaker=False,
                offset=subject.head.start,
            )


def _subject_end(tokens: list[Token], subject: Speaker) -> int:
    """Stretch a subject over its modifiers: "Voters interviewed in Carver City on Thursday"."""
    end = subject.head.end
    for tok in tokens:
        if tok.start < end:
            continue
        if tok.lower in (
            "is",
            "are",
            "was",
            "were",
            "has",
            "have",
            "had",
            "will",
            "would",
            "said",
            "says",
            ",",
            ".",
        ):
            break
        end = tok.end
    return end


def _find_any(lowered: str, entry: object) -> int:
    names = [getattr(entry, "name", "")] + list(getattr(entry, "aliases", ()))
    spots = [lowered.find(n.lower()) for n in names if n]
    spots = [s for s in spots if s >= 0]
    return min(spots) if spots else 0


def _documents_of(sentence: SentenceAnalysis, hit: CueHit) -> list[str]:
    """Documents the speaker issued here: "said in a statement", "X's report found"."""
    tokens = sentence.tokens
    words = list(hit.speaker.head.words) if hit.speaker else []
    after = [t.lower for t in tokens if t.start >= hit.end][:5]
    if hit.pattern == "according" or (after and after[0] in ("in", "on", "through", "via")):
        words += after
    if tokens and tokens[0].lower == "in":
        words += [t.lower for t in tokens[:6]]
    return [fold(w) for w in words if fold(w) in DOCUMENT_NOUNS]


def _carry(
    index: int,
    sentence: SentenceAnalysis,
    sentences: list[SentenceAnalysis],
    done: list[Suggestion],
) -> Suggestion | None:
    """A sentence inside a quote, or a quote alone after its speaker, keeps that speaker."""
    if index == 0:
        return None
    previous = done[-1]
    seg = sentence.seg
    quote_only = sentence.quoted_chars >= 0.8 * (seg.end - seg.start)
    inside = sentence.open_at_start
    if previous.source is None or not (inside or quote_only):
        return None
    if sentences[index - 1].seg.kind != "body":
        return None
    why = (
        "continues the quote of the previous sentence"
        if inside
        else "a quote that follows its speaker's sentence"
    )
    return Suggestion(
        start=seg.start,
        end=seg.end,
        kind=seg.kind,
        paragraph=seg.paragraph,
        source=previous.source,
        new_source=previous.new_source,
        mention=previous.mention,
        cue=None,
        mode="direct",
        confidence=0.85 if inside else 0.8,
        reason=f"{why} ({previous.source})",
        source_kind=previous.source_kind,
        affiliation=previous.affiliation,
    )


def _fill_quote_runs(
    sentences: list[SentenceAnalysis], out: list[Suggestion], fixed: set[int]
) -> None:
    """“A. B,” she said: the speaker named at the end of a quote owns all of it."""
    i = 0
    n = len(sentences)
    while i < n:
        j = i
        while j + 1 < n and sentences[j].open_at_end and sentences[j + 1].seg.kind == "body":
            j += 1
        if j > i:
            named = next(
                (
                    out[k]
                    for k in range(i, j + 1)
                    if out[k].cue is not None and out[k].source is not None
                ),
                None,
            )
            if named is not None:
                for k in range(i, j + 1):
                    if out[k].source is None and k not in fixed:
                        s = out[k]
                        out[k] = Suggestion(
                            start=s.start,
                            end=s.end,
                            kind=s.kind,
                            paragraph=s.paragraph,
                            source=named.source,
                            new_source=named.new_source,
                            mention=named.mention,
                            cue=None,
                            mode="direct",
                            confidence=0.85,
                            reason=f"part of the quote attributed to {named.source}",
                            source_kind=named.source_kind,
                            affiliation=named.affiliation,
                        )
        i = j + 1
