"""Who a speaker phrase means: a registry source, an earlier referent, or a new source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.suggest.clauses import Chunk, Speaker
from app.suggest.lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_ROLES,
    GROUP_ANAPHORS,
    GROUP_NOUNS,
    MALE_ROLES,
    ORG_DESCRIPTORS,
    PERSON_ROLES,
    PRONOUNS,
    TITLES,
)
from app.suggest.registry import Entry, Registry, fold, looks_like_person, places, words
from app.suggest.tokens import Token


@dataclass
class Referent:
    """Someone the article has mentioned, and the source they stand for."""

    source: str
    new: bool
    person: bool
    gender: str = ""
    plural: bool = False
    label: str = ""
    words: set[str] = field(default_factory=set)
    kind: str = "other"
    affiliation: str | None = None
    # (sentence, speaker?, offset) of every mention, in order
    history: list[tuple[int, bool, int]] = field(default_factory=list)

    def last_before(self, cutoff: tuple[int, int] | None) -> tuple[int, bool, int] | None:
        for sentence, speaker, offset in reversed(self.history):
            if cutoff is None or (sentence, offset) < cutoff:
                return (sentence, speaker, offset)
        return None


@dataclass
class Resolution:
    source: str
    new: bool
    mention: tuple[int, int]
    how: str  # name, alias, pronoun, descriptor, fuzzy, place, new
    reason: str
    confidence: float
    person: bool = False
    gender: str = ""
    plural: bool = False
    label: str = ""
    words: set[str] = field(default_factory=set)
    kind: str = "other"
    affiliation: str | None = None


class Memory:
    """Referents in order of mention; the most recent compatible one wins."""

    def __init__(self) -> None:
        self.referents: dict[tuple[str, str], Referent] = {}
        self.documents: dict[str, str] = {}
        # mentions at or after this (sentence, offset) are not visible yet
        self.cutoff: tuple[int, int] | None = None

    def note(self, res: Resolution, sentence: int, *, speaker: bool, offset: int = 0) -> Referent:
        key = (res.source, res.label if res.person else "")
        ref = self.referents.get(key)
        if ref is None:
            ref = Referent(
                res.source,
                res.new,
                res.person,
                res.gender,
                res.plural,
                res.label,
                kind=res.kind,
                affiliation=res.affiliation,
            )
            self.referents[key] = ref
        ref.words |= res.words
        ref.gender = ref.gender or res.gender
        ref.plural = ref.plural or res.plural
        ref.history.append((sentence, speaker, offset))
        return ref

    def best(self, accept: Callable[[Referent], bool]) -> Referent | None:
        """The most recent referent ``accept`` likes; speakers first within a sentence."""
        best: tuple[tuple[int, bool, int], Referent] | None = None
        for ref in self.referents.values():
            if not accept(ref):
                continue
            last = ref.last_before(self.cutoff)
            if last is not None and (best is None or last > best[0]):
                best = (last, ref)
        return best[1] if best else None


class Resolver:
    """Turn a speaker phrase into a source, using the registry and what came before."""

    def __init__(self, registry: Registry, memory: Memory, text: str) -> None:
        self.registry = registry
        self.memory = memory
        self.text = text

    # -- the whole phrase -------------------------------------------------------------
    def resolve(self, speaker: Speaker) -> Resolution | None:
        head = speaker.head
        head_words = head.words
        if not head_words or not self._without_person_possessor(head):
            return None  # "Acme's shares rose…": a possessed thing does not speak
        first = head_words[0]
        if len(head_words) == 1 and first in PRONOUNS:
            return self.pronoun(head.tokens[0])
        if first in ("his", "her", "its", "their") and len(head_words) >= 2:
            owner = self.pronoun(head.tokens[0])
            if owner is not None:
                owner.mention = (head.start, head.end)
                owner.how = "pronoun"
                owner.reason = f"“{head.text(self.text)}” = {owner.source}"
                return owner
        if first in ("one", "two", "three", "some", "several", "many", "most", "none") and (
            len(head_words) >= 3 and head_words[1] == "of"
        ):
            rest = Chunk([t for t in head.tokens[2:]])
            if head_words[2] in ("them", "those", "these"):
                group = self.memory.best(lambda r: r.plural or not r.person)
                if group is not None:
                    return self._from_referent(
                        group, head, f"“{head.text(self.text)}” = {group.source}", 0.75
                    )
            elif rest.tokens:
                inner = self.resolve(Speaker(rest))
                if inner is not None:
                    inner.mention = (head.start, head.end)
                    return inner
        if first in GROUP_ANAPHORS and len(head_words) <= 2:
            group = self.memory.best(lambda r: r.plural and not r.person)
            if group is not None:
                return self._from_referent(
                    group,
                    head,
                    f"“{head.text(self.text)}” = {group.source}, the group named before",
                    0.7,
                )
        return (
            self.registry_match(speaker)
            or self.descriptor(head, speaker)
            or self.fuzzy(speaker)
            or self.place(head)
            or self.group_in_context(speaker)
            or self.propose(speaker)
        )

    def group_in_context(self, speaker: Speaker) -> Resolution | None:
        """ "In Huaraz, …, farmers said" -> "Farmers in Huaraz"."""
        head = speaker.head
        if not speaker.context or not _is_plural(head):
            return None
        noun = fold(head.words[-1])
        phrase = (
            head.text(self.text)
            + " "
            + self.text[speaker.context[0].start : speaker.context[-1].end]
        )
        found = self.registry.fuzzy(phrase)
        if found is None or noun not in found[0].tokens:
            return None
        return self._entry(
            found[0], head, f"“{head.text(self.text)}” in context = {found[0].name}", "fuzzy", 0.7
        )

    # -- pronouns -----------------------------------------------------------------------
    def pronoun(self, token: Token) -> Resolution | None:
        low = token.lower
        want = PRONOUNS.get(low, "")
        if want in ("male", "female"):
            ref = self.memory.best(lambda r: r.person and r.gender in ("", want))
            noun = "the last man named" if want == "male" else "the last woman named"
        elif want == "plural":
            ref = self.memory.best(lambda r: r.plural or not r.person)
            noun = "the last group named"
        elif want == "thing":
            ref = self.memory.best(lambda r: not r.person and not r.plural)
            noun = "the last organisation named"
        else:
            return None
        if ref is None:
            return None
        if want in ("male", "female"):
            ref.gender = ref.gender or want
        return self._from_referent(
            ref, Chunk([token]), f"“{token.text}” = {ref.source}, {noun}", 0.8
        )

    def _from_referent(
        self, ref: Referent, chunk: Chunk, reason: str, confidence: float
    ) -> Resolution:
        return Resolution(
            ref.source,
            ref.new,
            (chunk.start, chunk.end),
            "pronoun",
            reason,
            confidence,
            person=ref.person,
            gender=ref.gender,
            plural=ref.plural,
            label=ref.label,
            kind=ref.kind,
            affiliation=ref.affiliation,
        )

    # -- the registry -------------------------------------------------------------------
    def registry_match(self, speaker: Speaker) -> Resolution | None:
        people: list[tuple[Chunk, Entry, str]] = []
        orgs: list[tuple[Chunk, Entry, str]] = []
        for chunk in speaker.chunks:
            text = self._without_person_possessor(chunk)
            if not text:
                continue
            found = self.registry.exact(text)
            if found:
                # within one phrase the longest name wins: "the Briggs campaign" over "Briggs"
                entry, _length = found[0]
                how = "name" if _same(entry.name, text) else "alias"
                if entry.is_person or (_names_person(chunk, self.text) and len(found) == 1):
                    people.append((chunk, entry, how))
                else:
                    orgs.append((chunk, entry, how))
            if _names_person(chunk, self.text):
                for entry in self.registry.by_surname(text):
                    people.append((chunk, entry, "surname"))
        head_person = _names_person(speaker.head, self.text) or _is_person_role(speaker.head)
        for chunk, entry, how in people + orgs:
            person = _names_person(chunk, self.text) or entry.is_person or head_person
            phrase = chunk.text(self.text)
            speaker_chunk = (
                speaker.head
                if chunk is not speaker.head and _names_person(speaker.head, self.text)
                else chunk
            )
            label = _person_label(speaker_chunk, self.text) if person else ""
            reason = {
                "name": f"names “{phrase}”",
                "alias": f"“{phrase}” is an alias of {entry.name}",
                "surname": f"“{phrase}” = {entry.name}",
            }[how]
            return Resolution(
                entry.name,
                False,
                (speaker_chunk.start, speaker_chunk.end),
                how,
                reason,
                0.95 if how == "name" else 0.9,
                person=person,
                gender=_gender_of(speaker, self.text) or entry.gender,
                plural=_is_plural(speaker.head) and not person,
                label=label,
                words=_role_words(speaker),
                kind=entry.kind,
            )
        for chunk in speaker.chunks:
            if len(chunk.words) <= 3:
                part = self.registry.partial(chunk.text(self.text))
                if part is not None:
                    entry = part
                    return self._entry(
                        entry, chunk, f"“{chunk.text(self.text)}” = {entry.name}", "alias", 0.85
                    )
        return None

    def _without_person_possessor(self, chunk: Chunk) -> str:
        """ "Mr. Whitcomb's lawyer" speaks for the lawyer, not for Mr. Whitcomb, and
        "Halden's shares" are not Halden speaking."""
        tokens = chunk.tokens
        for idx, tok in enumerate(tokens):
            if tok.lower in _PHRASE_BREAKS:
                break  # "people familiar with the company's plans": not the head's owner
            if tok.kind == "poss" and idx + 1 < len(tokens):
                after = [t.lower for t in tokens[idx + 1 :] if t.is_word]
                owner = [t for t in tokens[:idx] if t.is_word]
                head = _noun_of(after)
                if (
                    head
                    and head not in PERSON_ROLES
                    and head not in ORG_DESCRIPTORS
                    and (head not in DOCUMENT_NOUNS and fold(head) not in ORG_DESCRIPTORS)
                ):
                    return ""
                if head in PERSON_ROLES and owner and _names_person(Chunk(owner), self.text):
                    return self.text[tokens[idx + 1].start : chunk.end]
        return chunk.text(self.text)

    # -- "the ministry", "the statement", "the agent" -----------------------------------
    def descriptor(self, head: Chunk, speaker: Speaker) -> Resolution | None:
        words_ = [w for w in head.words]
        if not words_:
            return None
        noun = _head_noun(head)
        if noun is None:
            return None
        phrase = head.text(self.text)
        modifiers = [
            w
            for w in words_
            if w != noun and w not in ("the", "a", "an", "this", "that", "same", "its", "own")
        ]
        if noun in DOCUMENT_NOUNS:
            for entry, _n in self.registry.exact(phrase):
                return self._entry(entry, head, f"“{phrase}” names {entry.name}", "alias", 0.85)
            fuzzy = self.registry.fuzzy(phrase) if modifiers else None
            if fuzzy:
                return self._entry(fuzzy[0], head, f"“{phrase}” ~ {fuzzy[0].name}", "fuzzy", 0.75)
            for entry in self.registry.entries:
                if fold(noun) in entry.tokens:
                    return self._entry(entry, head, f"“{phrase}” = {entry.name}", "descriptor", 0.8)
            owner = self.memory.documents.get(fold(noun))
            ref = None
            if owner:
                ref = self.memory.best(lambda r: r.source == owner)
            ref = ref or self.memory.best(lambda r: any(s for _n, s, _o in r.history))
            if ref is not None:
                return self._from_referent(
                    ref, head, f"“{phrase}” = {ref.source}'s, named before", 0.75
                )
            return None
        if noun in ORG_DESCRIPTORS or noun in PERSON_ROLES:
            named_context = [t.text for t in speaker.context if t.is_cap and t.kind == "word"]
            if named_context and not any(t.is_cap for t in head.tokens[1:]):
                # "In the Kordovan capital, the defence ministry said": that country's
                phrase = phrase + " " + " ".join(named_context)
            if modifiers and places(modifiers) | set(modifiers) - set(PERSON_ROLES):
                fuzzy = self.registry.fuzzy(phrase)
                if fuzzy:
                    return self._entry(
                        fuzzy[0], head, f"“{phrase}” ~ {fuzzy[0].name}", "fuzzy", 0.8
                    )
            place_words = places(modifiers) or places(
                [fold(t.lower) for t in speaker.context if t.is_cap]
            )

            def fits(r: Referent) -> bool:
                if noun in r.words or fold(noun) in r.words:
                    return True
                entry = self.registry.by_name.get(r.source)
                if entry is None or not entry.describes(noun):
                    return False
                return not place_words or not entry.places or bool(place_words & entry.places)

            ref = self.memory.best(fits)
            if ref is not None:
                return self._from_referent(
                    ref, head, f"“{phrase}” = {ref.source}, named before", 0.8
                )
            matches = [
                e
                for e in self.registry.entries
                if e.describes(noun) and (not place_words or not e.places or place_words & e.places)
            ]
            if len(matches) == 1:
                return self._entry(
                    matches[0], head, f"“{phrase}” = {matches[0].name}", "descriptor", 0.7
                )
        return None

    def _entry(
        self, entry: Entry, chunk: Chunk, reason: str, how: str, confidence: float
    ) -> Resolution:
        return Resolution(
            entry.name,
            False,
            (chunk.start, chunk.end),
            how,
            reason,
            confidence,
            person=entry.is_person,
            gender=entry.gender,
            plural=_is_plural(chunk),
            words={w for w in chunk.words if w in ORG_DESCRIPTORS or w in PERSON_ROLES},
            kind=entry.kind,
        )

    # -- shared words, places -----------------------------------------------------------
    def fuzzy(self, speaker: Speaker) -> Resolution | None:
        for chunk in speaker.chunks:
            phrase = chunk.text(self.text)
            found = self.registry.fuzzy(phrase)
            if found:
                entry, score = found
                res = self._entry(
                    entry,
                    speaker.head,
                    f"“{phrase}” ~ {entry.name}",
                    "fuzzy",
                    round(0.6 + 0.3 * min(score, 1.0), 2),
                )
                if _names_person(speaker.head, self.text) or _is_person_role(speaker.head):
                    res.person = True
                    res.label = _person_label(speaker.head, self.text)
                    res.gender = _gender_of(speaker, self.text)
                return res
        if _names_person(speaker.head, self.text):
            # a person the registry lacks, speaking for an organisation it has
            words_ = " ".join(c.text(self.text) for c in speaker.chunks)
            rare = self.registry.distinctive(words_, exclude=_person_label(speaker.head, self.text))
            if rare is not None:
                res = self._entry(
                    rare, speaker.head, f"“{words_}” points to {rare.name}", "fuzzy", 0.7
                )
                res.person, res.label = True, _person_label(speaker.head, self.text)
                res.gender = _gender_of(speaker, self.text)
                return res
        return None

    def place(self, head: Chunk) -> Resolution | None:
        found = places([fold(w) for w in head.words])
        if not found or len(head.words) > 3:
            return None
        candidates = [e for p in found for e in self.registry.in_place(p) if not e.is_person]
        if not candidates:
            return None
        ranked = sorted(candidates, key=lambda e: (e.kind != "government", e.name))
        entry = ranked[0]
        ref = self.memory.best(lambda r: r.source in {c.name for c in candidates})
        if ref is not None:
            return self._from_referent(ref, head, f"“{head.text(self.text)}” = {ref.source}", 0.8)
        return self._entry(
            entry, head, f"“{head.text(self.text)}” stands for {entry.name}", "place", 0.75
        )

    # -- someone the registry does not have ---------------------------------------------
    def propose(self, speaker: Speaker) -> Resolution | None:
        head = speaker.head
        name, kind, person = _proposed_name(speaker, self.text)
        if not name:
            return None
        affiliation = None
        for chunk in speaker.others:
            org = _organisation_in(chunk, self.text)
            if org:
                affiliation = org
                break
        return Resolution(
            name,
            True,
            (head.start, head.end),
            "new",
            f"“{head.text(self.text)}” is not in the registry: propose “{name}”",
            0.6,
            person=person or _is_person_role(head),
            gender=_gender_of(speaker, self.text),
            plural=_is_plural(head),
            label=name if person else "",
            words=_role_words(speaker),
            kind=kind,
            affiliation=affiliation,
        )


def _same(name: str, text: str) -> bool:
    return " ".join(words(name)) in " ".join(words(text))


def _names_person(chunk: Chunk, text: str) -> bool:
    """A chunk like "Jalina Porter" or "Mr. Belik" names one person."""
    raw = [t for t in chunk.tokens if t.is_word or t.kind == "title"]
    if not raw:
        return False
    if raw[0].lower.rstrip(".") in TITLES and len(raw) >= 2 and raw[1].is_cap:
        return True
    caps = [t for t in raw if t.is_cap]
    return (
        len(raw) <= 4
        and len(caps) == len(raw)
        and looks_like_person(text[raw[0].start : raw[-1].end], "person")
    )


def _person_label(chunk: Chunk, text: str) -> str:
    raw = [t for t in chunk.tokens if (t.is_word or t.kind == "title")]
    named = [t.text for t in raw if t.lower.rstrip(".") not in TITLES]
    return named[-1] if named else ""


def _gender_of(speaker: Speaker, text: str) -> str:
    """Mr./Ms. before the speaker's name, or spokesman/spokeswoman beside it."""
    for chunk in speaker.chunks:
        tokens = chunk.tokens
        for idx, tok in enumerate(tokens):
            low = tok.lower
            title = TITLES.get(low) or TITLES.get(low.rstrip("."), "")
            owned = any(t.kind == "poss" for t in tokens[idx + 1 : idx + 4])
            if title and not owned:
                return title
            if low in FEMALE_ROLES:
                return "female"
            if low in MALE_ROLES:
                return "male"
    return ""


def _is_person_role(chunk: Chunk) -> bool:
    """ "A Western diplomat", "the agent": one person named by role."""
    ws = chunk.words
    noun = next((w for w in reversed(ws) if w in PERSON_ROLES), None)
    cut = next(
        (
            k
            for k, w in enumerate(ws)
            if w in ("who", "which", "in", "at", "for", "of", "from", "with")
        ),
        len(ws),
    )
    head = ws[:cut]
    return bool(noun and head and head[-1] == noun and noun not in GROUP_NOUNS)


def _is_plural(chunk: Chunk) -> bool:
    ws = chunk.words
    return bool(ws) and (
        ws[-1] in GROUP_NOUNS or ws[0] in ("two", "three", "several", "some", "many", "other")
    )


def _role_words(speaker: Speaker) -> set[str]:
    out = set()
    for chunk in speaker.chunks:
        for w in chunk.words:
            if w in PERSON_ROLES or w in ORG_DESCRIPTORS:
                out.add(fold(w))
                out.add(w)
    return out


_PHRASE_BREAKS = frozenset(
    "of for at in from by with who which that whose on to about familiar close".split()
)


def _noun_of(words_: list[str]) -> str:
    """The head noun of "chief financial officer of X" is "officer"."""
    cut = next(
        (
            k
            for k, w in enumerate(words_)
            if w in ("of", "for", "at", "in", "from", "by", "with", "who", "which", "that")
        ),
        len(words_),
    )
    return words_[:cut][-1] if words_[:cut] else ""


def _head_noun(chunk: Chunk) -> str | None:
    ws = [w for w in chunk.words]
    # "the ministry", "Azerbaijan's foreign ministry", "the state health department"
    for w in reversed(ws):
        if w in ORG_DESCRIPTORS or w in PERSON_ROLES or w in DOCUMENT_NOUNS:
            return w
        if w.endswith("s") and (w[:-1] in PERSON_ROLES or w[:-1] in ORG_DESCRIPTORS):
            return w[:-1]
        if w in ("of", "for", "at", "in", "from", "by", "with", "who", "which"):
            break
    return None


def _organisation_in(chunk: Chunk, text: str) -> str | None:
    """ "a spokesman for the foreign ministry" -> "foreign ministry"."""
    tokens = chunk.tokens
    for idx, tok in enumerate(tokens):
        if tok.lower in ("for", "at", "of", "with") and idx + 1 < len(tokens):
            rest = [t for t in tokens[idx + 1 :] if t.lower not in ("the", "a", "an")]
            if rest and (rest[0].is_cap or rest[-1].lower in ORG_DESCRIPTORS):
                return text[rest[0].start : rest[-1].end]
    return None


_ANONYMOUS = (
    "anonymity",
    "anonymous",
    "not authorized",
    "not be named",
    "not be identified",
    "unnamed",
)


def _proposed_name(speaker: Speaker, text: str) -> tuple[str, str, bool]:
    """Return (name, kind, is_person) for a speaker the registry lacks."""
    head = speaker.head
    tokens = [t for t in head.tokens if t.is_word or t.kind in ("poss", "title")]
    if not tokens:
        return "", "other", False
    whole = " ".join(c.text(text) for c in speaker.chunks).lower()
    # "a spokesman for X": X is the source
    low = [t.lower for t in tokens]
    for role in ("spokesman", "spokeswoman", "spokesperson", "representative"):
        if role in low:
            org = _organisation_in(head, text)
            if org:
                return _tidy(org), "other", False
    if _names_person(head, text):
        named = [t.text for t in tokens if t.lower.rstrip(".") not in TITLES]
        return " ".join(named), "person", True
    while tokens and tokens[0].lower in (
        "a",
        "an",
        "the",
        "two",
        "three",
        "four",
        "several",
        "some",
        "many",
        "other",
        "one",
        "most",
        "few",
    ):
        tokens = tokens[1:]
    cut = next(
        (i for i, t in enumerate(tokens) if t.lower in ("who", "which", "that", "whose")),
        len(tokens),
    )
    tokens = tokens[:cut]
    if not tokens:
        return "", "other", False
    name = _tidy(text[tokens[0].start : tokens[-1].end])
    kind = "other"
    last = tokens[-1].lower
    if any(marker in whole for marker in _ANONYMOUS):
        return "Anonymous " + name[:1].lower() + name[1:], "anonymous", False
    if last in (
        "analysts",
        "experts",
        "economists",
        "researchers",
        "scientists",
        "analyst",
        "expert",
        "economist",
    ):
        kind = "expert"
    elif last in ("officials", "official", "authorities", "diplomats", "diplomat"):
        kind = "official"
    elif last in ("residents", "witnesses", "voters", "parents", "neighbors", "people"):
        kind = "witness"
    return name, kind, False


def _tidy(name: str) -> str:
    name = " ".join(name.split()).strip(" ,.;:\"“”'‘’")
    if name.lower().startswith("the "):
        name = name[4:]
    return name[:1].upper() + name[1:] if name else name
