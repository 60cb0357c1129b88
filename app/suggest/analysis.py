"""What a sentence's own words show, before any context: its tokens, reporting cues and
quotes (``analyse``, cached per article by the desk), and the cue and mode they imply."""

from __future__ import annotations

from dataclasses import dataclass

from app.segment import Segment
from app.suggest.clauses import CueHit, find_cues, quote_marks, quote_style
from app.suggest.tokens import Token, tokenize


@dataclass
class SentenceAnalysis:
    seg: Segment
    tokens: list[Token]
    hits: list[CueHit]
    open_at_start: bool
    open_at_end: bool
    quoted: list[tuple[int, int]]

    @property
    def quoted_chars(self) -> int:
        return sum(b - a for a, b in self.quoted)


def analyse(text: str, segments: list[Segment]) -> list[SentenceAnalysis]:
    """Tokens, cues and quotes of every sentence: the part that depends on the text only."""
    return _analyse(text, segments)


def _analyse(text: str, segments: list[Segment]) -> list[SentenceAnalysis]:
    result = []
    open_quote = False
    previous_paragraph = None
    all_tokens = [tokenize(text, seg.start, seg.end) for seg in segments]
    if quote_style(all_tokens) == "squote":
        all_tokens = _single_quotes_as_primary(all_tokens)
    for seg, tokens in zip(segments, all_tokens, strict=True):
        marks = quote_marks(tokens)
        if seg.paragraph != previous_paragraph:
            # a quote runs on into the next paragraph only if that one reopens it
            open_quote = (
                open_quote and bool(marks) and marks[0][1] == "open" and (marks[0][0] == seg.start)
            )
            if open_quote:
                marks = marks[1:]
        previous_paragraph = seg.paragraph
        starts_open = open_quote
        quoted: list[tuple[int, int]] = []
        opened_at = seg.start if open_quote else None
        for offset, what in marks:
            if what == "open":
                if not open_quote:
                    opened_at = offset
                open_quote = True
            elif open_quote:
                if opened_at is not None:
                    quoted.append((opened_at, offset + 1))
                open_quote = False
                opened_at = None
        if open_quote and opened_at is not None:
            quoted.append((opened_at, seg.end))
        hits = find_cues(tokens, text, quoted) if seg.kind == "body" else []
        result.append(SentenceAnalysis(seg, tokens, hits, starts_open, open_quote, quoted))
    return result


def _single_quotes_as_primary(sentences: list[list[Token]]) -> list[list[Token]]:
    """In British-style copy, read 'single quotes' as the quote marks (and "double" ones as
    quotes within quotes), so the rest of the engine sees one kind of quote mark."""
    open_single = False
    out = []
    for tokens in sentences:
        relabelled = []
        for idx, tok in enumerate(tokens):
            kind = tok.kind
            if kind == "dquote":
                kind = "squote"
            elif kind == "squote":
                prev = tokens[idx - 1] if idx > 0 else None
                glued_before = prev is not None and prev.end == tok.start
                if tok.text == "‘" or (tok.text == "'" and not glued_before):
                    kind, open_single = "dquote", True
                elif open_single:
                    kind, open_single = "dquote", False
            relabelled.append(
                tok if kind == tok.kind else Token(tok.text, tok.start, tok.end, kind)
            )
        out.append(relabelled)
    return out


def reading(sentence: SentenceAnalysis) -> tuple[str | None, str | None]:
    """The cue and mode a sentence's own words show (no speaker resolved, no context): what
    a tag the editor chose by hand records. The cue is the one the engine would try first."""
    if sentence.seg.kind != "body":
        return None, None
    hits = sorted(main_hits(sentence), key=lambda h: h.pattern != "according")
    if hits:
        return hits[0].cue, mode_of(sentence, hits[0])
    return None, mode_of(sentence) if sentence.quoted else None


def main_hits(sentence: SentenceAnalysis) -> list[CueHit]:
    """Drop cues inside the reported clause of an earlier cue: in "…, suggesting that
    investors expect a bid" the investors' expectation is part of what is suggested."""
    kept: list[CueHit] = []
    tokens = sentence.tokens
    opened_at: int | None = None
    for hit in sentence.hits:
        if opened_at is not None and hit.index > opened_at and hit.pattern != "according":
            continue
        kept.append(hit)
        after = tokens[hit.index + 1 : hit.index + 4]
        if opened_at is None and any(t.lower == "that" for t in after):
            opened_at = hit.index
    return kept


def mode_of(sentence: SentenceAnalysis, hit: CueHit | None = None) -> str:
    """Direct: the quote is the claim ("“…,” she said" / "She said: “…”"); mixed: quoted
    words inside reported speech; indirect: no quotes."""
    if not sentence.quoted:
        return "indirect"
    seg = sentence.seg
    first_start, _ = sentence.quoted[0]
    _, last_end = sentence.quoted[-1]
    if first_start <= seg.start + 1 or sentence.quoted_chars >= 0.6 * (seg.end - seg.start):
        return "direct"
    if hit is not None and last_end >= seg.end - 2:
        gap = [t for t in sentence.tokens if hit.end <= t.start < first_start]
        if all(t.kind == "punct" or t.lower == "that" for t in gap) and not any(
            t.lower == "that" for t in gap
        ):
            return "direct"
    return "mixed"
