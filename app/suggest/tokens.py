"""Tokens with offsets into the article text; glued words are split for reading only."""

from __future__ import annotations

import re
from sys import intern

from app.suggest.lexicon import BELIEF_VERBS, SPEECH_VERBS

_TOKEN = re.compile(
    r"""
    (?P<abbr>(?:[A-Za-z]\.){2,})                     # U.S.  F.B.I.  p.m.
  | (?P<title>(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Adm|Maj|Prof|Rev|St|Jr|Sr|Mt
        |Gov|Pres|Amb|Atty|Supt|Det|Insp|Cmdr|Hon|No|Nos|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr
        |Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|Ore|Calif|Wash|Mass|Mich|Conn|Fla|Ill|Va|vs|etc)\.)
  | (?P<poss>['’]s(?![^\W\d_]))                      # possessive 's
  | (?P<word>[^\W\d_][\w]*(?:[-‐][\w]+)*(?:['’](?![s\s])[^\W\d_]+)*)
  | (?P<num>\d[\d,.:]*\d%?|\d%?)
  | (?P<dquote>[“”"«»]|''|``)
  | (?P<squote>[‘’'])
  | (?P<punct>[^\s\w])
    """,
    re.VERBOSE,
)
_CUE_FORMS = frozenset(SPEECH_VERBS) | frozenset(BELIEF_VERBS)
# "accusedAzerbaijan": three lower-case letters then a capital, inside one word
_CAMEL = re.compile(r"^[^\W\d_]*?[a-z]{3}(?=[A-Z])")
_GLUED_TAIL = frozenset(
    "the that a an it he she they his her its their on in to this these those we our".split()
)


class Token:
    """A word or mark with its offsets into the article text."""

    __slots__ = ("text", "start", "end", "kind", "lower", "is_word", "is_cap")

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        # interned: an article repeats its words, and a cached analysis keeps every token
        self.text = intern(text)
        self.start = start
        self.end = end
        self.kind = kind  # word, abbr, title, poss, num, dquote, squote, punct
        self.lower = intern(text.lower())
        self.is_word = kind in ("word", "abbr", "title")
        self.is_cap = self.is_word and text[:1].isupper()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, {self.kind!r})"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the tokens of text[start:end], with offsets into ``text``."""
    tokens: list[Token] = []
    append = tokens.append
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        kind = match.lastgroup or "punct"
        word = match.group()
        if kind == "word" and len(word) >= 6:  # shorter words cannot hold two glued ones
            tokens.extend(_split_glued(word, match.start()))
        else:
            append(Token(word, match.start(), match.end(), kind))
    return tokens


def _split_glued(word: str, offset: int) -> list[Token]:
    """Read "accusedAzerbaijan" as two words and "saidthe" as "said the"."""
    camel = _CAMEL.search(word)
    if camel is not None:
        i = camel.end()
        return [Token(word[:i], offset, offset + i, "word"), *_split_glued(word[i:], offset + i)]
    lower = word.lower()
    if lower[:1] in "sta" and lower not in _CUE_FORMS and lower.isalpha():
        for form in ("said", "says", "told", "added", "according"):
            tail = lower[len(form) :]
            if lower.startswith(form) and tail in _GLUED_TAIL:
                cut = len(form)
                return [
                    Token(word[:cut], offset, offset + cut, "word"),
                    Token(word[cut:], offset + cut, offset + len(word), "word"),
                ]
    return [Token(word, offset, offset + len(word), "word")]
