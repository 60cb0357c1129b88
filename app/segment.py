"""Split an article into paragraphs and sentences, as offsets into the untouched text.

The text is never rewritten: hard-wrapped lines are joined only in a same-length working
copy (newlines read as spaces), so every offset found there is an offset into the original.
syntok proposes the sentence boundaries; the rules below correct what news text copied
from web pages does to it (captions glued to credits, title abbreviations, wrapped lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syntok import segmenter as syntok_segmenter
from syntok import tokenizer as syntok_tokenizer

from app.layout import classify


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    paragraph: int  # 1-based
    kind: str = "body"


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TERMINAL = tuple(".!?…")
_CLOSERS = "\"'”’»)]"
# A line ending in one of these words is a wrapped line even when the next one starts
# with a capital ("talks with\nRussia").
_CONTINUATION_WORDS = frozenset(
    """a an the of in on at to for with by from and or but nor as that than
    according between into onto its his her their our your my is was are were be been
    being has have had will would could should may might must shall which who whom whose
    while when where after before about over under against during without within across
    toward towards via per amid among despite including like unlike near""".split()
)
# Titles that are written before a name and never end a sentence.
_TITLES = frozenset(
    """mr mrs ms mx dr prof gen lt col maj capt cmdr adm sgt cpl pvt rep sen gov pres
    amb atty supt insp det rev fr hon""".split()
)
_GLUED_BOUNDARY = re.compile(r"(?<=[a-z]{2}[.!?])[\"'”’)]?(?=[A-Z][a-z])|(?<=[.!?][”’\"])(?=[A-Z])")
# syntok reads "12.40." as a possible ordinal, and takes some English words for German or
# Spanish abbreviations ("ice cap."): before a capitalised word, these end a sentence.
_MISSED_END = re.compile(
    r"(?:\d[.,]\d+|\b(?:cap|art|max|min|tab|lit|gal|mag|med|mar|ave|sci|tel|vol|fig|mos|nat))"
    r"\.(?=\s+[\"“‘(]?[A-Z][a-z])"
)
# A piece that starts like this continues the sentence before it.
_CONTINUES = re.compile(r"^(?:[—–-]|[a-z])")
_NUMBER_SIGN = re.compile(r"(?:^|\s)(?:No|Nos|Vol|pp?|Art|Sec)\.$")
# "?" or "!" before a closing quote may be followed by its speaker ("…help?” Weaver said).
_PLAIN_BOUNDARY = re.compile(
    r"\b([a-z]{4,})(\.|[.!?]+(?![\"”’]))([\"”’)]*)\s+(?=[\"“‘(]?[A-Z][a-z])"
)
_LOWER_ABBREVIATIONS = frozenset(
    """approx incl excl resp univ dept govt corp assn natl intl synth bzgl evtl inkl ntra
    ntro""".split()
)
_INNER_STOP = re.compile(r"[.!?…;](?=.*\S)")
_TITLE_END = re.compile(r"(?:^|[\s(\"“])([A-Za-z]{1,4})\.$")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)$")


def segment(text: str) -> list[Segment]:
    """Return the paragraphs' sentences of ``text`` in reading order, with their kinds."""
    spans: list[tuple[int, int, int]] = []
    for number, (pstart, pend) in enumerate(paragraphs(text), start=1):
        for start, end in _sentences(text, pstart, pend):
            spans.append((start, end, number))
    kinds = classify(text, spans)
    return [Segment(s, e, p, k) for (s, e, p), k in zip(spans, kinds, strict=True)]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph, trimmed of surrounding whitespace."""
    lines = _lines(text)
    blank_separated = _has_blank_line_between_text(lines, text)
    result: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    previous: tuple[int, int] | None = None
    for start, end in lines:
        if not text[start:end].strip():
            if current:
                result.append(current)
            current = previous = None
            continue
        if current is not None and previous is not None:
            if _is_soft_break(text[previous[0] : previous[1]], text[start:end], blank_separated):
                current = (current[0], end)
                previous = (start, end)
                continue
            result.append(current)
        current = (start, end)
        previous = (start, end)
    if current:
        result.append(current)
    return [_trim(text, s, e) for s, e in result]


def _lines(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of every line, without its line break."""
    out = []
    for match in _LINE.finditer(text):
        if match.start() == len(text) and match.end() == match.start():
            break
        line = match.group()
        out.append((match.start(), match.start() + len(line.rstrip("\r\n"))))
    return out


def _has_blank_line_between_text(lines: list[tuple[int, int]], text: str) -> bool:
    seen_text = False
    blank_after_text = False
    for start, end in lines:
        if text[start:end].strip():
            if blank_after_text:
                return True
            seen_text = True
        elif seen_text:
            blank_after_text = True
    return False


def _is_soft_break(previous: str, following: str, blank_separated: bool) -> bool:
    """Decide whether a single line break is a wrap inside a paragraph."""
    prev = previous.rstrip()
    nxt = following.lstrip()
    if not prev or not nxt:
        return False
    first = next((c for c in nxt if c.isalnum()), nxt[0])
    if first.islower():
        return True  # "…Armenia\nfought a war", "…responded\n“proportionately.”"
    last = prev[-1]
    if last in ',;:-–—(“‘"' and not prev.endswith("--"):
        return True
    if prev.endswith(_TERMINAL) or prev.endswith(tuple(c + q for c in _TERMINAL for q in _CLOSERS)):
        # A sentence ends here; in text that separates paragraphs by blank lines, a single
        # break after a full line is only a wrap. A short line is a paragraph of its own.
        return blank_separated and len(prev) >= 50
    words = prev.split()
    last_word = words[-1].strip(_CLOSERS)
    if last_word.lower() in _CONTINUATION_WORDS and last_word[:1].islower():
        return True
    if blank_separated:
        # in blank-line text, a short unpunctuated line ("Image", a label) stands alone
        return len(prev) >= 40
    return False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentences(text: str, pstart: int, pend: int) -> list[tuple[int, int]]:
    """Return sentence spans inside one paragraph."""
    working = text[pstart:pend].replace("\r", " ").replace("\n", " ")
    starts = []
    for piece_start, piece_end in _plain_pieces(working):
        piece = working[piece_start:piece_end]
        if not _INNER_STOP.search(piece):
            # no full stop, "?" or "!" before the end: one sentence, no need to ask syntok
            starts.append(piece_start)
        else:
            starts += [piece_start + s[0].offset for s in _syntok_sentences(piece) if s]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(working)
        s, e = _trim(working, start, end)
        if e > s:
            bounds.append((s, e))
    bounds = _split_glued(working, bounds)
    bounds = _merge_false_breaks(working, bounds)
    return [(pstart + s, pstart + e) for s, e in bounds]


def _plain_pieces(working: str) -> list[tuple[int, int]]:
    """Cut at boundaries no splitter would doubt ("…the region. The…"): a lower-case word of
    four letters or more, a full stop, a capital. syntok then only reads the hard pieces."""
    pieces = []
    start = 0
    for match in _PLAIN_BOUNDARY.finditer(working):
        if match.group(1) in _LOWER_ABBREVIATIONS:
            continue
        pieces.append((start, match.end(3)))
        start = match.end()
    pieces.append((start, len(working)))
    return pieces


def _syntok_sentences(working: str) -> list[list[syntok_tokenizer.Token]]:
    tokens = syntok_tokenizer.Tokenizer(emit_hyphen_or_underscore_sep=True).tokenize(working)
    return [list(sentence) for sentence in syntok_segmenter.split(iter(tokens))]


def _split_glued(working: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split "region.Credit" where a web copy lost the space, and "$12.40. Trading"."""
    out = []
    for start, end in bounds:
        cut = start
        points = [m.end() for m in _GLUED_BOUNDARY.finditer(working, start, end)]
        points += [m.end() for m in _MISSED_END.finditer(working, start, end)]
        for point in sorted(points):
            if cut < point < end:
                out.append(_trim(working, cut, point))
                cut = point
        out.append(_trim(working, cut, end))
    return out


def _merge_false_breaks(working: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join pieces that a title abbreviation or a glued ellipsis wrongly split."""
    out: list[tuple[int, int]] = []
    for start, end in bounds:
        if out:
            pstart, pend = out[-1]
            previous = working[pstart:pend]
            glued = pend == start
            title = _TITLE_END.search(previous)
            following = working[start:end]
            if (
                (glued and _ELLIPSIS_END.search(previous))
                or (title and title.group(1).lower() in _TITLES and following[:1].isupper())
                or previous.endswith(";")
                or _CONTINUES.match(following)
                or (_NUMBER_SIGN.search(previous) and following[:1].isdigit())
            ):
                out[-1] = (pstart, end)
                continue
        out.append((start, end))
    return out
