"""A bilingual glossary of the domain: English and Chinese terms of one concept meet in the lexical channel.

The character n-gram cosine (:mod:`matcher.lexical`) only sees shared spellings, so "seaweed film" and
"海藻膜" share nothing. Each line of ``data/glossary.tsv`` is one concept, its English and its Chinese terms
(written by hand from general domain knowledge, not from any evaluation set); :meth:`Glossary.concepts` names
the concepts a text mentions, and the lexical encoder gives each concept a feature of its own. English terms
match whole words (a hyphen parts words), case-insensitively, with a plural "s"/"es"; Chinese terms match as
substrings, the longest first, without overlaps.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["GLOSSARY_PATH", "Glossary", "default_glossary"]

GLOSSARY_PATH = Path(__file__).parent / "data" / "glossary.tsv"
_WORD = re.compile(r"[a-z0-9][a-z0-9']*")  # a hyphen splits words: seaweed-based, food-contact
_MAX_WORDS = 4


def _english_key(term: str) -> str:
    return " ".join(_WORD.findall(term.lower()))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class Glossary:
    """Concepts with their English and Chinese terms; ``version`` is a digest of the source text."""

    def __init__(self, lines: Iterable[str], *, version: str) -> None:
        self.version = version
        self._english: dict[str, int] = {}
        chinese: dict[str, int] = {}
        self.size = 0
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise ValueError(f"glossary line {number}: expected English<TAB>Chinese, got {line!r}")
            concept = self.size
            self.size += 1
            for term in parts[0].split("|"):
                key = _english_key(term)
                if key:
                    self._english.setdefault(key, concept)
                    self._english.setdefault(" ".join(_singular(w) for w in key.split()), concept)
            for term in parts[1].split("|"):
                term = term.strip().lower()  # AI芯片 as ai芯片: texts are scanned lower-cased
                if len(term) >= 2:
                    chinese.setdefault(term, concept)
        self._chinese = chinese
        self._zh_first = {t[0] for t in chinese}
        self._zh_lengths = sorted({len(t) for t in chinese}, reverse=True)

    @classmethod
    def load(cls, path: str | Path = GLOSSARY_PATH) -> Glossary:
        text = Path(path).read_text(encoding="utf-8")
        return cls(text.splitlines(), version=hashlib.blake2b(text.encode(), digest_size=6).hexdigest())

    def concepts(self, text: str) -> list[int]:
        """Concept ids a text names, in order of first mention, each once."""
        found: dict[int, None] = {}
        text = text.lower()
        i, end = 0, len(text)
        while i < end:  # leftmost longest, without overlaps (a dictionary probe per length, not a regex)
            step = 1
            if text[i] in self._zh_first:
                for n in self._zh_lengths:
                    concept = self._chinese.get(text[i:i + n])
                    if concept is not None:
                        found.setdefault(concept, None)
                        step = n
                        break
            i += step
        raw = _WORD.findall(text)
        words = [_singular(w) for w in raw]
        i = 0
        while i < len(words):
            step = 1
            for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                concept = self._english.get(" ".join(raw[i:i + n]))
                if concept is None:
                    concept = self._english.get(" ".join(words[i:i + n]))
                if concept is not None:
                    found.setdefault(concept, None)
                    step = n
                    break
            i += step
        return list(found)


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.load()
