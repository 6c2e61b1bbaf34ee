"""A bilingual glossary of the domain: English and Chinese terms of one concept meet in the lexical channel.

The character n-gram cosine (:mod:`matcher.lexical`) only sees shared spellings, so "seaweed film" and
"海藻膜" share nothing. Each line of ``data/glossary.tsv`` is one concept, its English and its Chinese terms
(written by hand from general domain knowledge, not from any evaluation set); :meth:`Glossary.concepts` names
the concepts a text mentions, and the lexical encoder gives each concept a feature of its own. Texts and terms
are compared after NFKC and lower-casing. Chinese terms match as substrings, the longest first, without
overlaps; English terms match whole words (a hyphen parts words) of what is left, with plural and possessive
endings taken off a text's word where the word itself is no term (batteries, searches, founder's).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["GLOSSARY_PATH", "Glossary", "default_glossary"]

GLOSSARY_PATH = Path(__file__).parent / "data" / "glossary.tsv"
_WORD = re.compile(r"[a-z0-9][a-z0-9']*")  # a hyphen splits words: seaweed-based, food-contact
_MAX_WORDS = 4
_MEMO = 100_000  # texts whose concepts are remembered for explanations (cleared when full)


def _singulars(word: str) -> list[str]:
    """What a text's word may be the plural or possessive of, most likely first: batteries -> battery,
    searches -> search, cases -> case, founder's -> founder, LPs -> lp. Terms are never cut, and a word is
    looked up as written first, so GPS stays GPS and "mes" is MES, not "me"."""
    word = word.rstrip("'")
    if word.endswith("'s"):
        return [word[:-2]]
    out = []
    if len(word) > 4 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        out.append(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _english_key(term: str) -> str:
    return " ".join(_WORD.findall(_normal(term)))


def _normal(text: str) -> str:
    """Full-width letters as ASCII (ＡＩ -> ai), lower case, curly apostrophes straight."""
    return unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")


class Glossary:
    """Concepts with their English and Chinese terms; ``version`` is a digest of the source text."""

    def __init__(self, lines: Iterable[str], *, version: str) -> None:
        self.version = version
        self._english: dict[str, int] = {}
        chinese: dict[str, int] = {}
        self.size = 0
        self._labels: list[tuple[str, str]] = []  # (Chinese, English): each side's first term, as written
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise ValueError(f"glossary line {number}: expected English<TAB>Chinese, got {line!r}")
            concept = self.size
            self.size += 1
            self._labels.append((parts[1].split("|")[0].strip(), parts[0].split("|")[0].strip()))
            for term in parts[0].split("|"):
                key = _english_key(term)
                if key:
                    self._english.setdefault(key, concept)
            for term in parts[1].split("|"):
                term = _normal(term.strip())  # AI芯片 as ai芯片: texts are scanned the same way
                if len(term) >= 2:
                    chinese.setdefault(term, concept)
        self._chinese = chinese
        self._memo: dict[int, tuple[int, ...]] = {}
        self._zh_first = {t[0] for t in chinese}
        self._zh_lengths = sorted({len(t) for t in chinese}, reverse=True)

    @classmethod
    def load(cls, path: str | Path = GLOSSARY_PATH) -> Glossary:
        text = Path(path).read_text(encoding="utf-8")
        return cls(text.splitlines(), version=hashlib.blake2b(text.encode(), digest_size=6).hexdigest())

    def label(self, concept: int) -> tuple[str, str]:
        """(Chinese, English) name of a concept: the first term of each side."""
        return self._labels[concept]

    def shared(self, first: str, second: str) -> list[int]:
        """Concepts both texts name, in the first text's order. Both texts' concepts are remembered (a served
        list explains the same profiles again and again; a changed text is simply another key)."""
        theirs = set(self._remembered(second))
        return [c for c in self._remembered(first) if c in theirs]

    def _remembered(self, text: str) -> tuple[int, ...]:
        key = hash(text)  # a number, not a copy of the text
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO:
                self._memo.clear()
            found = self._memo[key] = tuple(self.concepts(text))
        return found

    def concepts(self, text: str) -> list[int]:
        """Concept ids a text names, in order of first mention, each once."""
        found: dict[int, None] = {}
        text = _normal(text)
        rest = list(text)  # the text with the Chinese terms found blanked out: AI智能体 is one concept, not two
        i, end = 0, len(text)
        while i < end:  # leftmost longest, without overlaps (a dictionary probe per length, not a regex)
            step = 1
            # a term that starts with a Latin letter or digit (AI芯片) does not start inside an English word (thai芯片)
            inside = i > 0 and _latin(text[i]) and _latin(text[i - 1])
            if text[i] in self._zh_first and not inside:
                for n in self._zh_lengths:
                    concept = self._chinese.get(text[i:i + n])
                    if concept is not None:
                        found.setdefault(concept, None)
                        rest[i:i + n] = " " * n
                        step = n
                        break
            i += step
        words = _WORD.findall("".join(rest))
        i = 0
        while i < len(words):
            step = 1
            for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
                head, last = " ".join(words[i:i + n - 1]), words[i + n - 1]
                for form in (last, *_singulars(last)):  # the last word as written, then singular
                    concept = self._english.get(f"{head} {form}" if head else form)
                    if concept is not None:
                        break
                if concept is not None:
                    found.setdefault(concept, None)
                    step = n
                    break
            i += step
        return list(found)


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    return Glossary.load()
