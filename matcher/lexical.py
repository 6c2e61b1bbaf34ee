"""Character n-gram TF-IDF similarity, the lexical companion of the embeddings.

Texts are hashed into ``2**18`` character 2-3-gram features (``HashingVectorizer``, no vocabulary to
keep), weighted by an IDF fitted on the candidate corpus and L2-normalised. A profile keeps only its
``terms`` heaviest features (ids + float16 weights, renormalised), so the similarity of one query with a
few hundred gathered profiles is a fixed-width gather and sum.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["LexicalEncoder"]


class LexicalEncoder:
    def __init__(self, n_features: int = 2**18, terms: int = 96) -> None:
        self.n_features = n_features
        self.terms = terms
        self._vec = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 3), n_features=n_features,
                                      alternate_sign=False, norm=None, lowercase=True)
        self.idf = np.ones(n_features, dtype=np.float32)

    def fit(self, texts: Sequence[str], *, chunk: int = 8192) -> LexicalEncoder:
        """Fit the IDF on a corpus (smooth IDF, as scikit-learn's ``TfidfTransformer``). Document frequencies
        are counted ``chunk`` texts at a time: the hashed count matrix of the whole corpus (100k profiles:
        ~460 MB while it is built) is never held at once, and the counts are the same integers."""
        texts = list(texts)
        df_counts = np.zeros(self.n_features, dtype=np.int64)
        for start in range(0, len(texts), chunk):
            counts = self._vec.transform(texts[start:start + chunk])
            df_counts += np.bincount(counts.indices, minlength=self.n_features)
        df = df_counts.astype(np.float64)
        n = max(len(texts), 1)
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        return self

    def _tfidf(self, texts: Sequence[str]) -> sparse.csr_matrix:
        counts = self._vec.transform(list(texts)).tocsr().astype(np.float32)
        counts.data = np.log1p(counts.data)  # sublinear tf
        weighted: sparse.csr_matrix = counts.multiply(self.idf[None, :]).tocsr()
        return weighted

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
