"""Character n-gram TF-IDF similarity, the lexical companion of the embeddings.

Texts are hashed into ``2**18`` character 2-3-gram features (``HashingVectorizer``, no vocabulary to
keep), weighted by an IDF fitted on the candidate corpus and L2-normalised; the concepts of the bilingual
glossary a text names (:mod:`matcher.glossary`) add a hashed column each and carry ``CONCEPT_SHARE`` of the
norm. A profile keeps only its ``terms`` heaviest features (ids + float16 weights, renormalised), so the
similarity of one query with a few hundred gathered profiles is a fixed-width gather and sum.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from matcher.glossary import Glossary, default_glossary

__all__ = ["LexicalEncoder"]


_DEFAULT = object()
# Of a text's squared norm, the share its glossary concepts carry when it names any: two texts naming concepts
# score CONCEPT_SHARE x the cosine of their concepts + the rest x the cosine of their character n-grams, so an
# English and a Chinese text about the same things meet, while the spelling still counts within a language.
CONCEPT_SHARE = 0.5


class LexicalEncoder:
    """``glossary`` (default: the shipped one, :func:`matcher.glossary.default_glossary`; None: none) adds the
    concepts a text names, IDF-weighted like its n-grams, each in a column of its own (a hash of its id, as the
    n-grams are hashed), so both languages' terms for a concept share a feature. ``version`` names the text
    preparation: vectors and an IDF made under another version are stale."""

    def __init__(self, n_features: int = 2**18, terms: int = 96, glossary: Glossary | None | object = _DEFAULT) -> None:
        self.n_features = n_features
        self.terms = terms
        self.glossary: Glossary | None = default_glossary() if glossary is _DEFAULT else glossary  # type: ignore[assignment]
        self.version = f"glossary-{self.glossary.version}" if self.glossary is not None else "plain"
        self._vec = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 3), n_features=n_features,
                                      alternate_sign=False, norm=None, lowercase=True)
        self.idf = np.ones(n_features, dtype=np.float32)
        self._concept_column = np.zeros(0, dtype=np.int64) if self.glossary is None else np.array(
            [murmurhash3_32(f"glossary concept {i}", positive=True) % n_features for i in range(self.glossary.size)],
            dtype=np.int64)

    def fit(self, texts: Sequence[str], *, chunk: int = 8192) -> LexicalEncoder:
        """Fit the IDF on a corpus (smooth IDF, as scikit-learn's ``TfidfTransformer``). Document frequencies
        are counted ``chunk`` texts at a time: the hashed count matrix of the whole corpus (100k profiles:
        ~460 MB while it is built) is never held at once, and the counts are the same integers."""
        texts = list(texts)
        df_counts = np.zeros(self.n_features, dtype=np.int64)
        for start in range(0, len(texts), chunk):
            part = texts[start:start + chunk]
            counts = self._vec.transform(part)
            df_counts += np.bincount(counts.indices, minlength=self.n_features)
            if self.glossary is not None:
                df_counts += np.bincount(self._concepts(part).indices, minlength=self.n_features)
        df = df_counts.astype(np.float64)
        n = max(len(texts), 1)
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        return self

    def _concepts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """(n, n_features): 1 in the column of every concept a text names."""
        assert self.glossary is not None
        found = [self.glossary.concepts(t) for t in texts]
        indptr = np.cumsum([0, *(len(f) for f in found)])
        cols = self._concept_column[np.fromiter((c for f in found for c in f), dtype=np.int64, count=int(indptr[-1]))]
        m = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, indptr), shape=(len(texts), self.n_features))
        m.sum_duplicates()  # two concepts hashed to one column
        m.data[:] = 1.0
        return m

    def _tfidf(self, texts: Sequence[str]) -> sparse.csr_matrix:
        texts = list(texts)
        counts = self._vec.transform(texts).tocsr().astype(np.float32)
        counts.data = np.log1p(counts.data)  # sublinear tf
        weighted: sparse.csr_matrix = counts.multiply(self.idf[None, :]).tocsr()
        if self.glossary is None:
            return weighted
        concepts = self._concepts(texts).multiply(self.idf[None, :]).tocsr()
        mixed: sparse.csr_matrix = (normalize(weighted) * np.float32(np.sqrt(1.0 - CONCEPT_SHARE))
                                    + normalize(concepts) * np.float32(np.sqrt(CONCEPT_SHARE))).tocsr()
        return mixed

    def encode(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(ids (n, terms) int32, weights (n, terms) float16): the top terms of each text, unit norm."""
        m = self._tfidf(texts)
        n = m.shape[0]
        ids = np.zeros((n, self.terms), dtype=np.int32)
        weights = np.zeros((n, self.terms), dtype=np.float32)
        for i in range(n):
            start, end = m.indptr[i], m.indptr[i + 1]
            cols, vals = m.indices[start:end], m.data[start:end]
            if len(vals) > self.terms:
                top = np.argpartition(-vals, self.terms - 1)[: self.terms]
                cols, vals = cols[top], vals[top]
            norm = float(np.linalg.norm(vals))
            if norm > 0:
                ids[i, : len(cols)] = cols
                weights[i, : len(vals)] = vals / norm
        return ids, weights.astype(np.float16)

    def query(self, text: str) -> np.ndarray:
        """A dense unit vector (n_features,) for one query text."""
        m = self._tfidf([text])
        dense = np.zeros(self.n_features, dtype=np.float32)
        norm = float(np.linalg.norm(m.data))
        if norm > 0:
            dense[m.indices] = m.data / norm
        return dense

    @staticmethod
    def similarity(query_dense: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Cosine of one dense query with rows given as (ids, weights); shape (n,)."""
        if ids.shape[0] == 0:
            return np.zeros(0, dtype=np.float32)
        out: np.ndarray = (query_dense[ids] * weights.astype(np.float32)).sum(axis=1)
        return out

    def state(self) -> dict[str, np.ndarray]:
        return {"idf": self.idf}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        idf = np.asarray(state["idf"], dtype=np.float32)
        if idf.shape != (self.n_features,):
            raise ValueError(f"IDF of shape {idf.shape} does not fit {self.n_features} features")
        self.idf = idf
