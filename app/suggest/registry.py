"""Find registry sources in a phrase: names, aliases, surnames, places, shared words."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from app.suggest.lexicon import (
    DESCRIPTOR_KINDS,
    PLACES,
    STOPWORDS,
    TITLE_WORDS,
    TITLES,
    VARIANTS,
)

_WORDS = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_]+(?:[-’'][^\W\d_]+)*|\d+")
PERSON_KINDS = frozenset({"person", "politician", "witness", "official", "expert"})
_ORG_WORDS = frozenset(
    """ministry department office agency company corp corporation inc ltd group union court
    council committee commission university college institute center centre hospital
    school district bank fund foundation association federation party campaign government
    administration service bureau police army military force forces navy team poll survey
    network times post news press reuters agency board church nations states republic
    leadership defense defence affairs state county city residents parents voters analysts
    experts officials aides people diplomat diplomats observatory laboratory lab society
    council fund trust bureau chamber museum library church mosque synagogue club league
    alliance coalition movement front army brigade corps guard command ministry cabinet
    parliament assembly senate congress court tribunal prosecutors prosecutor police
    department institute academy center centre clinic network group holdings partners
    capital securities bank insurance airlines airways motors energy oil gas pharma
    labs systems technologies media foods""".split()
)
# Endings of common nouns that make up organisation names, rarely surnames.
_ORG_ENDINGS = (
    "tory",
    "tion",
    "sion",
    "ment",
    "ity",
    "ism",
    "ics",
    "ance",
    "ence",
    "ship",
    "ium",
    "tute",
    "ency",
    "ogy",
    "ies",
    "ers",
)

# place word -> place key ("moscow" -> "russia")
_PLACE_OF: dict[str, str] = {}
for _place, _words in PLACES.items():
    _PLACE_OF[_place] = _place
    for _w in _words.split():
        _PLACE_OF[_w.replace("-", " ")] = _place


def words(text: str) -> list[str]:
    """Lowercase words of ``text``, abbreviations kept whole ("u.s.")."""
    return [w.lower().replace("’", "'") for w in _WORDS.findall(text)]


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Fold spelling variants and plurals: defense -> defence, officials -> official."""
    word = TITLE_WORDS.get(word.rstrip("."), word)
    word = VARIANTS.get(word, word)
    if word.endswith("'s"):
        word = word[:-2]
    return word


def content(text: str) -> list[str]:
    """Folded words that carry meaning (no stopwords), places joined ("united states")."""
    raw = words(text)
    out: list[str] = []
    i = 0
    while i < len(raw):
        pair = " ".join(raw[i : i + 2])
        if pair in _PLACE_OF:
            out.append(pair)
            i += 2
            continue
        word = fold(raw[i])
        word = _PLACE_OF.get(word, word)
        if word not in STOPWORDS and word not in ("'s", "s"):
            out.append(word)
        i += 1
    return out


def places(tokens: list[str]) -> set[str]:
    return {_PLACE_OF[t] for t in tokens if t in _PLACE_OF}


@dataclass
class Entry:
    """One registry source, prepared for matching."""

    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    country: str = ""
    sequences: list[tuple[str, ...]] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    name_tokens: list[str] = field(default_factory=list)
    # the content words of the name and of each alias, for coverage
    variants: list[set[str]] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    is_person: bool = False
    gender: str = ""

    def describes(self, noun: str) -> bool:
        """Say whether a descriptor like "the ministry" or "the agent" can mean this source."""
        noun = fold(noun)
        if noun in self.tokens:
            return True
        kinds = DESCRIPTOR_KINDS.get(noun)
        return bool(kinds and self.kind in kinds and not self.is_person)


class Registry:
    """The sources an editor has set up, indexed for the suggester."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.by_name = {e.name: e for e in entries}
        self.order = {e.name: i for i, e in enumerate(entries)}
        frequency: Counter[str] = Counter()
        for entry in entries:
            frequency.update(entry.tokens)
        total = max(1, len(entries))
        self.weight = {t: 1.0 + math.log(total / n) for t, n in frequency.items()}
        # every name and alias by its first word; sources by each of their words and surnames
        self.starting: dict[str, list[tuple[Entry, tuple[str, ...]]]] = {}
        self.having: dict[str, list[Entry]] = {}
        self.surnamed: dict[str, list[Entry]] = {}
        for entry in entries:
            for pattern in entry.sequences:
                self.starting.setdefault(pattern[0], []).append((entry, pattern))
            for token in entry.tokens:
                self.having.setdefault(token, []).append(entry)
            for surname in entry.surnames:
                self.surnamed.setdefault(surname, []).append(entry)

    @classmethod
    def from_specs(cls, specs: list[dict[str, object]]) -> Registry:
        """Build from JSON-like dicts: name, aliases, kind, affiliation, country."""
        entries = []
        for spec in specs:
            name = str(spec.get("name") or "").strip()
            if not name:
                continue
            aliases = tuple(str(a) for a in spec.get("aliases") or () if str(a).strip())  # type: ignore[attr-defined]
            affiliation = spec.get("affiliation")
            entries.append(
                prepare(
                    name,
                    kind=str(spec.get("kind") or "other"),
                    aliases=aliases,
                    affiliation=str(affiliation) if affiliation else None,
                    country=str(spec.get("country") or ""),
                )
            )
        return cls(entries)

    def exact(self, text: str) -> list[tuple[Entry, int]]:
        """Sources whose name or an alias occurs in ``text``, with the matched length."""
        seq = tuple(fold(w) for w in words(text))
        best: dict[str, int] = {}
        for i, word in enumerate(seq):
            for entry, pattern in self.starting.get(word, ()):
                n = len(pattern)
                if n > best.get(entry.name, 0) and seq[i : i + n] == pattern:
                    best[entry.name] = n
        found = [(self.by_name[name], n) for name, n in best.items()]
        found.sort(key=lambda pair: -pair[1])
        return found

    def by_surname(self, text: str) -> list[Entry]:
        """Sources named by a surname in ``text`` ("Mr. Pell" -> Jonah Pell's source)."""
        found: dict[str, Entry] = {}
        for word in words(text):
            for entry in self.surnamed.get(word, ()):
                found[entry.name] = entry
        return list(found.values())

    def fuzzy(self, text: str) -> tuple[Entry, float] | None:
        """The source sharing the most distinctive words with ``text``, if close enough."""
        phrase = set(content(text))
        if not phrase:
            return None
        phrase_places = places(list(phrase))
        best: tuple[Entry, float] | None = None
        candidates = {e.name: e for t in phrase for e in self.having.get(t, ())}
        for entry in sorted(candidates.values(), key=lambda e: self.order[e.name]):
            if entry.is_person:
                continue
            if phrase_places and entry.places and not phrase_places & entry.places:
                continue
            shared = phrase & entry.tokens
            if not shared:
                continue
            score = 0.0
            for variant in entry.variants:
                covered = sum(self.weight.get(t, 1.0) for t in shared & variant)
                needed = sum(self.weight.get(t, 1.0) for t in variant) or 1.0
                score = max(score, covered / needed)
            distinctive = any(self.weight.get(t, 1.0) > 1.3 for t in shared)
            if len(self.entries) <= 2:
                distinctive = True
            if (
                score >= 0.6
                and (distinctive or score >= 0.99)
                and (best is None or score > best[1])
            ):
                best = (entry, score)
        return best

    def partial(self, text: str) -> Entry | None:
        """ "Harlow" for "Harlow Foods": a capitalised word that starts one name only."""
        heads = {w for w in text.split() if w[:1].isupper()}
        heads = {fold(w.lower().strip(",.")) for w in heads} - STOPWORDS
        heads = {h for h in heads if h not in _PLACE_OF and h.rstrip(".") not in TITLES}
        if not heads:
            return None
        found = [
            e
            for e in self.entries
            if not e.is_person and any(v and _first(e, v) in heads for v in e.sequences)
        ]
        return found[0] if len(found) == 1 else None

    def distinctive(self, text: str, exclude: str = "") -> Entry | None:
        """The one organisation sharing a rare word with ``text`` ("Fire Chief" -> the fire
        department)."""
        phrase = set(content(text)) - _GENERIC - set(content(exclude))
        scores: dict[str, float] = {}
        for entry in self.entries:
            if entry.is_person:
                continue
            for token in phrase & entry.tokens:
                if self.weight.get(token, 1.0) >= self.rare:
                    scores[entry.name] = scores.get(entry.name, 0.0) + self.weight[token]
        if len(scores) != 1:
            return None
        return self.by_name[next(iter(scores))]

    @property
    def rare(self) -> float:
        """The weight of a word that only one source's names use."""
        return 1.0 + math.log(max(1, len(self.entries))) - 1e-9

    def in_place(self, place: str) -> list[Entry]:
        return [e for e in self.entries if place in e.places]


def prepare(
    name: str,
    *,
    kind: str = "other",
    aliases: tuple[str, ...] = (),
    affiliation: str | None = None,
    country: str = "",
) -> Entry:
    """Index one source's name and aliases for matching."""
    entry = Entry(
        name=name, kind=kind.lower(), aliases=aliases, affiliation=affiliation, country=country
    )
    texts = (name, *aliases)
    for text in texts:
        seq = tuple(fold(w) for w in words(text) if fold(w) not in ("the",))
        seq = tuple(w for w in seq if w not in ("'s",))
        if seq:
            entry.sequences.append(seq)
        entry.tokens.update(content(text))
    entry.name_tokens = content(name)
    entry.variants = [set(content(t)) for t in texts if content(t)]
    entry.places = places(sorted(entry.tokens))
    if country:
        entry.places |= places(content(country)) or {country.lower()}
    entry.is_person = looks_like_person(name, kind)
    for text in texts:
        if looks_like_person(text, kind if text == name else "") or (
            entry.is_person and text != name
        ):
            parts = [w for w in words(text) if w.rstrip(".") not in TITLES and len(w) > 1]
            if len(parts) >= 2 or (parts and text != name and _has_title(text)):
                entry.surnames.add(parts[-1])
    entry.gender = _gender(texts)
    return entry


def looks_like_person(text: str, kind: str = "") -> bool:
    """Say whether a name reads as one person's ("Jalina Porter", "Dr. Alan Posner")."""
    raw = text.split()
    if not 2 <= len(raw) <= 5:
        return False
    tokens = words(text)
    if any(t in _ORG_WORDS or t in STOPWORDS for t in tokens if t.rstrip(".") not in TITLES):
        return False
    if tokens and tokens[-1].endswith(_ORG_ENDINGS) and kind not in PERSON_KINDS - {"expert"}:
        return False
    if any(_PLACE_OF.get(t) for t in tokens):
        return False
    named = [w for w in raw if w.rstrip(".").lower() not in TITLES]
    return (
        bool(named)
        and all(w[:1].isupper() for w in named)
        and (kind in PERSON_KINDS or kind in ("", "other", "court") or _has_title(text))
    )


def _has_title(text: str) -> bool:
    first = text.split()[0].lower() if text.split() else ""
    return first in TITLES or first.rstrip(".") in TITLES


def _gender(texts: tuple[str, ...]) -> str:
    for text in texts:
        first = text.split()[0].lower() if text.split() else ""
        gender = TITLES.get(first) or TITLES.get(first.rstrip("."))
        if gender:
            return gender
    return ""


_GENERIC = frozenset(
    """city county state national federal new north south east west central local public
    general first chief senior deputy assistant head director officer official spokesman
    spokeswoman spokesperson president vice executive department office ministry agency
    person people group team member staff worker resident""".split()
)


def _first(entry: Entry, seq: tuple[str, ...]) -> str:
    return seq[0] if seq[0] not in ("the",) else (seq[1] if len(seq) > 1 else "")


def _contains(seq: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    n = len(pattern)
    first = pattern[0]
    for i in range(len(seq) - n + 1):
        if seq[i] == first and seq[i : i + n] == pattern:
            return True
    return False
