"""Character n-gram TF-IDF similarity, the lexical companion of the embeddings.

Texts are hashed into ``2**18`` character 2-3-gram features (``HashingVectorizer``, no vocabulary to
keep), weighted by an IDF fitted on the candidate corpus and L2-normalised; the concepts of the bilingual
glossary a text names (:mod:`matcher.glossary`) add a column each after the hashed ones and carry
``CONCEPT_SHARE`` of the norm. A profile keeps only its ``terms`` heaviest features (its concepts first, ids +
float16 weights, renormalised), so the similarity of one query with a few hundred gathered profiles is a
fixed-width gather and sum.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from matcher.glossary import Glossary, default_glossary

__all__ = ["LexicalEncoder"]


_DEFAULT = object()
# Of a text's squared norm, the share its glossary concepts carry when it names any: two texts naming concepts
# score CONCEPT_SHARE x the cosine of their concepts + the rest x the cosine of their character n-grams, so an
# English and a Chinese text about the same things meet, while the spelling still counts within a language.
CONCEPT_SHARE = 0.5
# Names how texts become lexical rows besides the glossary's own text (the concept finder, the columns, the mix):
# bump it when any of that changes, so saved rows made the old way are made again (``version``).
SCHEME = 2


class LexicalEncoder:
    """``glossary`` (default: the shipped one, :func:`matcher.glossary.default_glossary`; None: none) adds the
    concepts a text names, IDF-weighted like its n-grams, each in a column of its own after the ``n_features``
    hashed n-gram columns (``width`` columns in all), so both languages' terms for a concept share a feature.
    ``version`` names the text preparation: rows and an IDF made under another version are stale."""

    def __init__(self, n_features: int = 2**18, terms: int = 96, glossary: Glossary | None | object = _DEFAULT) -> None:
        self.n_features = n_features
        self.terms = terms
        self.glossary: Glossary | None = default_glossary() if glossary is _DEFAULT else glossary  # type: ignore[assignment]
        self.width = n_features + (self.glossary.size if self.glossary is not None else 0)
        self.version = "plain" if self.glossary is None else \
            f"glossary-{self.glossary.version}-s{SCHEME}-c{CONCEPT_SHARE:g}"
        self._vec = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 3), n_features=n_features,
                                      alternate_sign=False, norm=None, lowercase=True)
        self.idf = np.ones(self.width, dtype=np.float32)

    def fit(self, texts: Sequence[str], *, chunk: int = 8192) -> LexicalEncoder:
        """Fit the IDF on a corpus (smooth IDF, as scikit-learn's ``TfidfTransformer``). Document frequencies
        are counted ``chunk`` texts at a time: the hashed count matrix of the whole corpus (100k profiles:
        ~460 MB while it is built) is never held at once, and the counts are the same integers."""
        texts = list(texts)
        df_counts = np.zeros(self.width, dtype=np.int64)
        for start in range(0, len(texts), chunk):
            df_counts += np.bincount(self._counts(texts[start:start + chunk]).indices, minlength=self.width)
        df = df_counts.astype(np.float64)
        n = max(len(texts), 1)
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        return self

    def _counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """(n, width): the hashed n-gram counts, then 1 in the column of every concept a text names."""
        ngrams = self._vec.transform(list(texts)).tocsr().astype(np.float32)
        ngrams.resize((len(texts), self.width))
        if self.glossary is None:
            return ngrams
        found = [self.glossary.concepts(t) for t in texts]
        indptr = np.cumsum([0, *(len(f) for f in found)])
        cols = self.n_features + np.fromiter((c for f in found for c in f), dtype=np.int64, count=int(indptr[-1]))
        concepts = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), cols, indptr),
                                     shape=(len(texts), self.width))
        return sparse.csr_matrix(ngrams + concepts)

    def _tfidf(self, texts: Sequence[str]) -> sparse.csr_matrix:
        counts = self._counts(texts)
        grams = counts.indices < self.n_features
        counts.data[grams] = np.log1p(counts.data[grams])  # sublinear tf (a concept counts once)
        weighted: sparse.csr_matrix = counts.multiply(self.idf[None, :]).tocsr()
        return weighted

    def _unit(self, cols: np.ndarray, vals: np.ndarray) -> np.ndarray:
        """A row's weights at unit norm, its concepts (columns from ``n_features``) carrying CONCEPT_SHARE."""
        concept = cols >= self.n_features
        out = vals.astype(np.float64)
        if concept.any() and not concept.all():
            out[concept] *= np.sqrt(CONCEPT_SHARE) / np.linalg.norm(out[concept])
            out[~concept] *= np.sqrt(1.0 - CONCEPT_SHARE) / np.linalg.norm(out[~concept])
            return out
        norm = float(np.linalg.norm(out))
        return out / norm if norm > 0 else out

    def encode(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(ids (n, terms) int32, weights (n, terms) float16): the top terms of each text, unit norm. A text's
        concepts are kept first (at most half the slots), then its heaviest n-grams, and the shares are set after
        the cut, so a stored row weighs its concepts as :meth:`query` does."""
        m = self._tfidf(texts)
        n = m.shape[0]
        ids = np.zeros((n, self.terms), dtype=np.int32)
        weights = np.zeros((n, self.terms), dtype=np.float32)
        for i in range(n):
            start, end = m.indptr[i], m.indptr[i + 1]
            cols, vals = m.indices[start:end], m.data[start:end]
            if len(vals) > self.terms:  # its heaviest concepts (at most half the slots), then its heaviest n-grams
                concept = cols >= self.n_features
                c_idx, g_idx = np.flatnonzero(concept), np.flatnonzero(~concept)
                c_keep = c_idx[np.argsort(-vals[c_idx], kind="stable")[: self.terms // 2]]
                room = self.terms - len(c_keep)
                g_keep = g_idx[np.argpartition(-vals[g_idx], room - 1)[:room]] if len(g_idx) > room else g_idx
                top = np.concatenate([c_keep, g_keep])
                cols, vals = cols[top], vals[top]
            if len(vals):
                ids[i, : len(cols)] = cols
                weights[i, : len(vals)] = self._unit(cols, vals)
        return ids, weights.astype(np.float16)

    def query(self, text: str) -> np.ndarray:
        """A dense unit vector (width,) for one query text."""
        m = self._tfidf([text])
        dense = np.zeros(self.width, dtype=np.float32)
        if m.nnz:
            dense[m.indices] = self._unit(m.indices, m.data)
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
        if idf.shape != (self.width,):
            raise ValueError(f"IDF of shape {idf.shape} does not fit {self.width} features")
        self.idf = idf
