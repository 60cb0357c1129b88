"""Inside one sentence: find reporting cues and the phrase that names each one's speaker."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.suggest.lexicon import (
    BELIEF_VERBS,
    DOCUMENT_NOUNS,
    NEGATED_SPEECH,
    PERSON_ROLES,
    PHRASAL_CUES,
    SPEECH_VERBS,
    SUBJECT_PRONOUNS,
    WEAK_VERBS,
)
from app.suggest.tokens import Token

# Words that may stand between a speaker and the cue: "X has also said", "X on Friday said".
_BETWEEN = frozenset(
    """has have had also later previously repeatedly again separately further then often
    would will could may might did does do is was were are had been has been publicly
    privately recently earlier initially first once already still even quickly immediately
    now yesterday today tonight""".split()
)
_DAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday week month year weekend".split()
)
_DETERMINERS = frozenset(
    "a an the this that these those his her its their our your my some any no every each".split()
)
_PREPOSITIONS = frozenset(
    """in on at after before during since until for with without from by about over under
    despite amid among as while when although though because if once upon into through
    throughout against toward towards across near beyond following according""".split()
)
_CLAUSE_BREAKS = frozenset(
    """that and but while whereas because although though so yet or nor if when as whether
    than""".split()
)
# Say-type verbs that can come before their speaker: "…," said Ms. Dosti.
_INVERTING = frozenset(
    """said says added adds wrote writes continued continues explained explains asked asks
    recalled recalls noted notes argued argues insisted insists warned warns replied
    replies responded countered observed remarked quipped joked shouted whispered""".split()
)
_APPOSITION_START = frozenset(
    "a an the who whom whose which where another one two three both".split()
)
_NP_BREAK_LOWER = frozenset(
    """is was are were be been has have had will would can could should may might must
    also not did does do who which that whose where when while and but or said says told""".split()
)
_INTRO_PARTICIPLES = frozenset(
    """asked pressed speaking writing responding reached reacting interviewed testifying
    appearing addressing questioned""".split()
)
# Frequent verbs that do not end in -ed, where a subject noun phrase stops.
_COMMON_VERBS = frozenset(
    """rose fell grew sank won lost hit cut set put kept left held brought went came made took
    gave began ran saw met sent spent paid sold bought built led rises falls grows wins loses
    gets got has have had is was are were will would can could may might must""".split()
)
_ENDS_CLAUSE = frozenset(
    """add added adds continued continues noted notes explained explains concluded
    replied responded""".split()
)
_WEAK_WITH_PARTICLE = frozenset(
    "pointed points called calls promised promises demanded demands".split()
)
_PROGRESSIVE = frozenset("is are was were be been being am 's".split())
_PARTICIPIAL_SPEECH = frozenset(
    """saying adding noting telling writing arguing insisting warning explaining stressing
    asserting acknowledging describing calling accusing urging""".split()
)
_INTRO_ADVERBS = frozenset(
    """however meanwhile still separately earlier later also instead moreover yet then now
    previously afterward afterwards overall""".split()
)
_AFTER_INVERTED = frozenset(
    """on in at during after before while when who whose which last this from of""".split()
)
_NOUN_ADJECTIVES = frozenset(
    """previous new annual latest final recent quarterly initial earlier separate own same
    official internal detailed draft full preliminary first second third last monthly weekly
    written joint brief short long lengthy""".split()
)
QUOTE_OPEN = frozenset("“«")
QUOTE_CLOSE = frozenset("”»")


@dataclass
class Chunk:
    """A stretch of the speaker phrase: the name, an apposition, a descriptor."""

    tokens: list[Token]

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    @property
    def words(self) -> list[str]:
        return [t.lower for t in self.tokens if t.is_word]


@dataclass
class Speaker:
    """The words that name a cue's speaker: a head chunk and what stands beside it."""

    head: Chunk
    others: list[Chunk] = field(default_factory=list)
    # words earlier in the sentence that may qualify a group: "In Huaraz, …, farmers said"
    context: list[Token] = field(default_factory=list)
    # "…Barack Obama, who claimed…": the relative pronoun that stands for the head
    relative: Token | None = None

    @property
    def chunks(self) -> list[Chunk]:
        return [self.head, *self.others]


@dataclass
class CueHit:
    cue: str
    start: int
    end: int
    lemma: str
    strength: str  # speech, belief, document
    pattern: str  # subject, inverted, according, participial, coordinate, document
    speaker: Speaker | None
    index: int  # token index of the cue


def find_cues(
    tokens: list[Token], text: str, quoted: list[tuple[int, int]] | None = None
) -> list[CueHit]:
    """Return the reporting cues of one sentence with their speaker phrases, left to right.

    Cues inside quoted words belong to the quote, not to the reporting frame.
    """
    skip = _negated_spans(text, tokens) + list(quoted or [])
    skip += _participle_intro(tokens)
    hits: list[CueHit] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.is_word or any(a <= tok.start < b for a, b in skip):
            i += 1
            continue
        low = tok.lower
        nxt = tokens[i + 1].lower if i + 1 < n else ""
        if low == "according" and nxt == "to":
            speaker = _phrase_after(tokens, i + 2, stop_at_comma=True)
            hits.append(
                CueHit(
                    "according to",
                    tok.start,
                    tokens[i + 1].end,
                    "according to",
                    "speech",
                    "according",
                    speaker,
                    i,
                )
            )
            i += 2
            continue
        phrasal = PHRASAL_CUES.get((low, nxt))
        lemma = SPEECH_VERBS.get(low) or BELIEF_VERBS.get(low)
        if phrasal is None and lemma is None:
            i += 1
            continue
        if phrasal is None and (
            not _is_verb_here(tokens, i) or (low in WEAK_VERBS and not _weak_ok(tokens, i))
        ):
            i += 1
            continue
        strength = "belief" if low in BELIEF_VERBS and phrasal is None else "speech"
        end = tokens[i + 1].end if phrasal else tok.end
        cue = phrasal or tok.text
        hit = _attach_speaker(tokens, i, cue, tok.start, end, lemma or low, strength)
        if hit is not None:
            hits.append(hit)
        i += 2 if phrasal else 1
    return hits


_NEGATED = re.compile("|".join(re.escape(p) for p in NEGATED_SPEECH), re.IGNORECASE)


def _negated_spans(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    if not tokens:
        return []
    return [m.span() for m in _NEGATED.finditer(text, tokens[0].start, tokens[-1].end)]


def _participle_intro(tokens: list[Token]) -> list[tuple[int, int]]:
    """ "Asked whether she expected…, Ms. Holloway said": the intro's verbs are not cues."""
    if not tokens or tokens[0].lower not in _INTRO_PARTICIPLES:
        return []
    for tok in tokens:
        if tok.lower == ",":
            return [(tokens[0].start, tok.start)]
    return []


def _is_verb_here(tokens: list[Token], i: int) -> bool:
    """Tell "the disputed region" and "a report" from "disputed" and "reports" as verbs."""
    prev = tokens[i - 1] if i > 0 else None
    tok = tokens[i]
    low = tok.lower
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if tok.is_cap and i > 0:
        return False  # part of a name: "the U.S. State Department", "Reports Desk"
    if nxt is not None and nxt.lower == "by" and low.endswith(("ed", "en", "wn")) and low != "said":
        return False  # passive: "a strip of land claimed by both"
    if prev is None:
        # "Asked about…," "Speaking at…": a sentence-initial participle has no speaker here
        return not low.endswith(("ed", "ing")) or low == "said"
    p = prev.lower
    if p in _DETERMINERS or prev.kind == "poss":
        return False
    k = i - 1
    while k > 0 and tokens[k].lower.endswith("ly") and not tokens[k].is_cap:
        k -= 1  # "is widely expected", "are now maintained"
    if k < i - 1 and tokens[k].lower in ("is", "are", "was", "were", "be", "been", "now"):
        if low.endswith(("ed", "en", "wn")) and low != "said":
            return False
    if (
        p in _NOUN_ADJECTIVES
        and i > 1
        and (tokens[i - 2].lower in _DETERMINERS or tokens[i - 2].kind == "poss")
    ):
        return False  # "its previous report"
    if p in ("to", "be", "being", "been") and low.endswith(("ed", "en")) and low != "said":
        return False  # passive or infinitive: "was expected", "to be considered"
    if p in ("is", "are", "was", "were") and low.endswith(("ed", "en", "wn")) and low != "said":
        return False  # passive: "was denied", "is expected"
    if low.endswith("ed") and p in _PREPOSITIONS and p not in ("as",):
        return False  # "into disputed territory"
    if low.endswith("ing") and p != "," and (nxt is None or nxt.kind == "punct"):
        return False
    return True


def _weak_ok(tokens: list[Token], i: int) -> bool:
    """A weak verb reports a claim only with "that", a quote, or a document as subject."""
    low = tokens[i].lower
    k = i + 1
    while (
        k + 1 < len(tokens)
        and tokens[k].lower in ("on", "last", "this")
        and (tokens[k + 1].lower.rstrip(".") in _DAYS)
    ):
        k += 2  # "signalled on Monday that…"
    window = tokens[k : k + 3]
    if window and window[0].lower in ("that", "whether", "if", "why", "how"):
        return True
    if (not window or window[0].kind == "punct") and low in _ENDS_CLAUSE:
        return True  # "…, he added."
    if window and window[0].lower in ("to", "for", "on") and low in _WEAK_WITH_PARTICLE:
        return True
    if any(t.kind == "dquote" for t in tokens[i + 1 : i + 6]):
        return True
    if i > 0 and (
        tokens[i - 1].kind == "dquote"
        or (i > 1 and tokens[i - 1].lower == "," and tokens[i - 2].kind == "dquote")
    ):
        return True
    subject = tokens[max(0, i - 5) : i]
    if any(t.lower in DOCUMENT_NOUNS for t in subject):
        return True
    # "The company reported net income of…": reporting figures is a claim
    return low in ("reported", "estimated") and i > 0 and tokens[i - 1].is_word


def _attach_speaker(
    tokens: list[Token], i: int, cue: str, start: int, end: int, lemma: str, strength: str
) -> CueHit | None:
    low = tokens[i].lower
    prev = tokens[i - 1] if i > 0 else None
    # "…," said Ms. Dosti / , says the ministry.
    if (
        low in _INVERTING
        and prev is not None
        and (prev.lower == "," or prev.kind in ("dquote", "squote") or prev.text in QUOTE_CLOSE)
    ):
        after = _phrase_after(tokens, i + 1, stop_at_comma=True)
        after_quote = prev.kind in ("dquote", "squote") or (
            i > 1 and prev.lower == "," and tokens[i - 2].kind in ("dquote", "squote")
        )
        if after is not None and (after_quote or _ends_like_inverted(tokens, i + 1)):
            return CueHit(cue, start, end, lemma, strength, "inverted", after, i)
    # ", saying …" / "a tweet saying …": the speaker is the main clause's
    if low.endswith("ing") and prev is not None and prev.lower not in _PROGRESSIVE:
        if prev.lower == "," or low in _PARTICIPIAL_SPEECH:
            if low in _PARTICIPIAL_SPEECH or _clause_follows(tokens, i):
                return CueHit(cue, start, end, lemma, strength, "participial", None, i)
            return None
    subject, pattern = _subject_before(tokens, i)
    if subject is None and pattern == "":
        return None
    return CueHit(cue, start, end, lemma, strength, pattern, subject, i)


def _clause_follows(tokens: list[Token], i: int) -> bool:
    """ "claiming that…" reports a claim; "claiming his third victory" does not."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is not None and (
        nxt.lower in ("that", "it", "he", "she", "they", "we", "the")
        or nxt.kind == "dquote"
        or nxt.lower == ","
    )


def _ends_like_inverted(tokens: list[Token], j: int) -> bool:
    """After "said X", X must be a name or "the …" that ends the clause."""
    if j < len(tokens) and tokens[j].lower in _PREPOSITIONS | {"outside", "inside"}:
        return False  # "said outside the court that…"
    if j < len(tokens) and not tokens[j].is_cap and tokens[j].lower not in _DETERMINERS:
        # "said former Gov. Ed Rendell", "said undecided voter Stephanie Hooton"
        ahead = tokens[j : j + 4]
        if not any(t.is_cap for t in ahead):
            return False
        j = next(k for k in range(j, j + 4) if tokens[k].is_cap)
    if j >= len(tokens) or not (tokens[j].is_cap or tokens[j].lower in ("the", "a", "an")):
        return False
    if not tokens[j].is_cap:
        # "said the ministry." but not "said the first call came in…" or "said the port was"
        k = j + 1
        while k < len(tokens) and k - j <= 3 and (tokens[k].is_word or tokens[k].kind == "poss"):
            if tokens[k].lower in _NP_BREAK_LOWER or (
                tokens[k].lower.endswith("ed") and not tokens[k].is_cap
            ):
                return False
            k += 1
        return k >= len(tokens) or tokens[k].kind in ("punct", "dquote")
    k = j + 1
    while k < len(tokens) and k - j < 8:
        tok = tokens[k]
        if tok.kind in ("punct", "dquote") or tok.lower in _AFTER_INVERTED:
            return True
        if (
            tok.is_word
            and not tok.is_cap
            and (tok.lower in _NP_BREAK_LOWER or tok.lower in ("that", "to"))
        ):
            return False
        k += 1
    return k >= len(tokens)


def _subject_before(tokens: list[Token], i: int) -> tuple[Speaker | None, str]:
    """Find the speaker phrase left of the cue at ``i`` (skipping "has also", "on Friday")."""
    j = i - 1
    skipped: list[str] = []
    while j >= 0:
        low = tokens[j].lower
        if low in _BETWEEN or (
            low.endswith("ly")
            and tokens[j].kind == "word"
            and len(low) > 4
            and not tokens[j].is_cap
        ):
            skipped.append(low)
            j -= 1
            continue
        if (
            low.rstrip(".") in _DAYS
            and j >= 1
            and tokens[j - 1].lower in ("on", "last", "this", "next")
        ):
            j -= 2
            continue
        break
    if j < 0:
        return None, "subject"
    if any(w in ("will", "shall") for w in skipped):
        return None, ""  # future speech is not yet a claim: "Harlow will report results"
    low = tokens[j].lower
    if low in ("and", "but", "yet"):
        return None, "coordinate"
    if low in ("to", "not", "never", "n't"):
        return None, ""  # "declined to say", "did not say"
    if low in ("who", "which"):
        return _antecedent(tokens, j), "relative"
    if low == "that":
        return None, "relative"
    begin = j
    while begin > 0:
        prev = tokens[begin - 1]
        if (
            prev.text in (";", ":", "—", "–")
            or prev.text in QUOTE_CLOSE
            or (prev.kind == "dquote" and begin - 1 > 0 and tokens[begin - 2].lower == ",")
        ):
            break
        begin -= 1
    chunks: list[list[Token]] = [[]]
    for tok in tokens[begin : j + 1]:
        if tok.lower == ",":
            chunks.append([])
        else:
            chunks[-1].append(tok)
    chunks = [_strip(c) for c in chunks]
    if chunks[-1]:
        speaker = _adjacent_subject(chunks[-1])
        if speaker is not None and len(chunks) > 1 and _is_intro(chunks[0]):
            speaker.context = [t for c in chunks[:-1] for t in c]
        return speaker, "subject"
    return _apposed_subject(chunks[:-1]), "subject"


def _antecedent(tokens: list[Token], j: int) -> Speaker | None:
    """ "President Barack Obama, who claimed…": the noun phrase the pronoun stands for."""
    k = j - 1
    if k >= 0 and tokens[k].lower == ",":
        k -= 1
    chunk: list[Token] = []
    while k >= 0 and tokens[k].lower not in (",", ";", ":") and tokens[k].kind != "dquote":
        chunk.insert(0, tokens[k])
        k -= 1
    speaker = _adjacent_subject(_strip(chunk))
    if speaker is not None:
        speaker.relative = tokens[j]
    return speaker


def _adjacent_subject(chunk: list[Token]) -> Speaker | None:
    """The words right before the cue: cut at the last clause break, split off a relative."""
    rel = next(
        (k for k, t in enumerate(chunk) if t.lower in ("who", "whom", "whose", "which") and k > 0),
        None,
    )
    head = chunk if rel is None else chunk[:rel]
    cut = 0
    for k, tok in enumerate(head):
        if tok.lower in _CLAUSE_BREAKS and not _inside_name(head, k):
            cut = k + 1
    head = head[cut:]
    if not head:
        return None
    others = [Chunk(chunk[rel:])] if rel is not None else []
    return Speaker(Chunk(head), others)


def _apposed_subject(chunks: list[list[Token]]) -> Speaker | None:
    """ "Levon Ayvazyan, an Armenian military official, accused": walk back to the name."""
    collected: list[list[Token]] = []
    tails: list[list[Token]] = []
    have_name = False
    for idx in range(len(chunks) - 1, -1, -1):
        chunk = chunks[idx]
        if not chunk:
            continue
        if idx == 0 and collected and _is_intro(chunk):
            break
        if idx > 0 and _is_intro(chunk) and not _is_relative(chunk):
            continue  # a parenthetical: ", in 2018,"
        if have_name:
            if _ends_in_role(chunk):
                collected.insert(0, chunk)  # "Kestria's president, Ardan Moruk,"
            break
        collected.insert(0, chunk)
        if _is_place_tail(chunks, idx):
            tails.append(chunk)
        elif _looks_named(chunk) and not _ends_in_role(chunk):
            have_name = True
    if not collected:
        return None
    named = [
        c
        for c in collected
        if _looks_named(c) and not _is_relative(c) and not any(c is t for t in tails)
    ]
    plain = [c for c in named if not _ends_in_role(c)]
    head = (plain or named or [c for c in collected if not _is_relative(c)] or collected)[0]
    others = [Chunk(c) for c in collected if c is not head]
    return Speaker(Chunk(head), others)


def _inside_name(tokens: list[Token], k: int) -> bool:
    """ "and" inside "Bakery and Grain Workers Union" is part of the name."""
    if tokens[k].lower not in ("and", "of"):
        return False
    before = tokens[k - 1] if k > 0 else None
    after = tokens[k + 1] if k + 1 < len(tokens) else None
    return bool(before and after and before.is_cap and after.is_cap)


def _strip(chunk: list[Token]) -> list[Token]:
    while chunk and chunk[0].kind in ("dquote", "squote", "punct") and chunk[0].text != "(":
        chunk = chunk[1:]
    while chunk and chunk[-1].kind in ("dquote", "squote", "punct"):
        chunk = chunk[:-1]
    if chunk and chunk[0].lower in ("and", "or"):
        chunk = chunk[1:]
    return chunk


def _is_relative(chunk: list[Token]) -> bool:
    return bool(chunk) and chunk[0].lower in ("who", "whom", "whose", "which", "where")


def _is_intro(chunk: list[Token]) -> bool:
    if not chunk:
        return False
    first = chunk[0].lower
    return (
        first in _PREPOSITIONS
        or first in _INTRO_PARTICIPLES
        or first in _INTRO_ADVERBS
        or (chunk[0].kind == "word" and first.endswith("ing") and len(chunk) > 1)
    )


def _looks_named(chunk: list[Token]) -> bool:
    first = chunk[0]
    return (first.is_cap and first.lower not in _DETERMINERS) or first.lower in SUBJECT_PRONOUNS


def _ends_in_role(chunk: list[Token]) -> bool:
    return bool(chunk) and chunk[-1].lower in PERSON_ROLES


def _is_place_tail(chunks: list[list[Token]], idx: int) -> bool:
    """ "…in Huaraz, Peru, and…": a short capitalised chunk after a place is not a speaker."""
    chunk = chunks[idx]
    if len(chunk) > 4 or idx == 0 or not chunks[idx - 1]:
        return False
    if not all(t.is_cap or t.lower in ("and", "or") for t in chunk if t.is_word):
        return False
    before = chunks[idx - 1][-1]
    return before.is_cap and (
        any(t.lower in ("in", "at", "from", "near", "of") for t in chunks[idx - 1])
        or _is_place_tail(chunks, idx - 1)
    )


def _phrase_after(tokens: list[Token], j: int, *, stop_at_comma: bool) -> Speaker | None:
    """The phrase after "according to" or an inverted "said": up to the clause end."""
    taken: list[Token] = []
    k = j
    while k < len(tokens):
        tok = tokens[k]
        if tok.kind == "dquote" or tok.text in (".", "!", "?", ";", ":", "—", "–"):
            break
        if tok.lower == "," and stop_at_comma:
            break
        taken.append(tok)
        k += 1
    taken = _strip(taken)
    if not taken:
        return None
    others: list[Chunk] = []
    # appositions after the name: said Mirela Dosti, 54, who runs a bakery.
    while k < len(tokens) and tokens[k].lower == ",":
        m = k + 1
        extra: list[Token] = []
        while m < len(tokens) and tokens[m].lower != "," and tokens[m].text not in ".!?;:":
            extra.append(tokens[m])
            m += 1
        extra = _strip(extra)
        if not extra or not (_is_apposition(extra) or extra[0].kind == "num"):
            break
        others.append(Chunk(extra))
        k = m
    return Speaker(Chunk(taken), others)


def _is_apposition(chunk: list[Token]) -> bool:
    if not chunk:
        return False
    first = chunk[0]
    if first.lower in _APPOSITION_START or first.kind == "num":
        return True
    return first.is_word and not first.is_cap and first.lower not in SUBJECT_PRONOUNS


def main_clause_subject(tokens: list[Token]) -> Speaker | None:
    """The leading noun phrase of the sentence, for cues with no subject of their own."""
    k = 0
    # skip an introductory phrase ending in a comma ("Asked about the review, …")
    if tokens and (
        tokens[0].lower in _PREPOSITIONS
        or tokens[0].lower in _INTRO_PARTICIPLES
        or tokens[0].lower in _INTRO_ADVERBS
    ):
        for idx, tok in enumerate(tokens[:20]):
            if tok.lower == ",":
                k = idx + 1
                break
    taken: list[Token] = []
    while k < len(tokens):
        tok = tokens[k]
        low = tok.lower
        if tok.kind == "punct" or tok.kind == "dquote":
            break
        if (
            taken
            and tok.is_word
            and not tok.is_cap
            and (
                low in _NP_BREAK_LOWER
                or low in _COMMON_VERBS
                or low.endswith("ed")
                or (low.endswith("ly") and len(low) > 4)
                or low in SPEECH_VERBS
            )
        ):
            break
        taken.append(tok)
        k += 1
        if len(taken) > 8:
            break
    return Speaker(Chunk(taken)) if taken else None


def quote_marks(tokens: list[Token], style: str = "dquote") -> list[tuple[int, str]]:
    """Return (offset, 'open'|'close') for each quote mark of ``style`` in the sentence.

    ``style`` is "dquote" (“…” and "…") or "squote" (‘…’ and '…', British style); a single
    closing mark may also be an apostrophe ("countries' war"): the caller only lets it
    close a quote that is open.
    """
    marks = []
    for idx, tok in enumerate(tokens):
        if tok.kind != style:
            continue
        if tok.text in QUOTE_OPEN or tok.text == "‘":
            marks.append((tok.start, "open"))
        elif tok.text in QUOTE_CLOSE or tok.text == "’":
            marks.append((tok.start, "close"))
        else:  # a straight quote: opening when nothing word-like is glued before it
            prev = tokens[idx - 1] if idx > 0 else None
            glued = prev is not None and prev.end == tok.start and prev.text not in "([{—–-"
            marks.append((tok.start, "close" if glued else "open"))
    return marks


def quote_style(sentences: list[list[Token]]) -> str:
    """Which marks quote speech in this article: double (American) or single (British)."""
    doubles = sum(1 for tokens in sentences for t in tokens if t.kind == "dquote")
    singles = 0
    for tokens in sentences:
        for idx, tok in enumerate(tokens):
            if tok.kind == "squote" and idx + 1 < len(tokens) and tokens[idx + 1].start == tok.end:
                prev = tokens[idx - 1] if idx > 0 else None
                if prev is None or prev.end < tok.start or tok.text == "‘":
                    singles += 1  # an opening single quote
    return "squote" if singles > doubles else "dquote"
