"""Rebuild ``matcher/data/projections.npz``: per encoder model, the mean and the principal directions of its
vectors over a domain corpus, which ``NAME/K`` encoder specs (``e5/256``, ``use/128``) project onto.

Why: both bundled models put every text of this domain near one common direction (e5-small's cosine of two
unrelated profiles is ~0.8), so their raw cosines are dominated by that direction. Centred on the domain's
mean and cut to the leading directions, e5 ranks the bilingual relevance set better (NDCG@10 0.668 -> 0.688
at 256 of 384 dimensions), and the two models together better still (``python -m bench.encoders``; README,
"Encoder choice").

The corpus is the seed generator's profile texts (``seed_data``; a fixed plan and seed), never a benchmark's
texts, so the benchmarks stay out-of-sample. Not run by the service: the file it writes is committed, keyed
by the model's id (name and package version); a model of another version has no entry and its ``/K`` spec is
refused with this command's name. Takes ~3 minutes here (e5 encodes ~45 texts/s). Usage::

    python -m bench.projections               # both files
    python -m bench.projections --languages   # only ``matcher/data/languages.npz``

It also writes ``matcher/data/languages.npz``: per model, how far the mean of its Chinese texts and the mean of
its English texts lie from the mean of all (the ``NAME~`` specs take that offset off every vector; the seed
corpus is two-thirds Chinese, a third English). A text counts as Chinese when most of its letters are.
"""

from __future__ import annotations

import sys

import numpy as np

from matcher.data import LANGUAGES, PROJECTIONS
from matcher.encoders import build_encoder, cjk_share

# model spec -> how many leading directions to keep (the default encoder uses e5/256 and use/128)
KEEP = {"e5": 256, "use": 128}
PLAN = {"seed": 3, "spaces": 20, "projects": 1500, "mentors": 1000, "investors": 600, "providers": 800}


def corpus() -> list[str]:
    from bench.common import _to_profiles
    from matcher.profiles import field_texts
    from seed_data.generator import EcosystemGenerator, SeedPlan

    rows: dict[str, list[dict[str, object]]] = {}
    for table, batch in EcosystemGenerator(SeedPlan(**PLAN)).batches():
        rows.setdefault(table, []).extend(batch)
    texts: set[str] = set()
    for kind in ("project", "mentor", "investor", "provider"):
        for profile in _to_profiles(kind, rows[kind + "s"]):
            texts.update(t for t in field_texts(profile) if t)
    return sorted(texts)


def language_offsets(texts: list[str], vectors: np.ndarray, model_id: str) -> dict[str, np.ndarray]:
    """How far the mean of the Chinese texts and the mean of the English ones lie from the mean of all (texts
    without letters, which ``NAME~`` leaves as they are, count in neither)."""
    share = np.array([cjk_share(t) for t in texts])
    lettered = np.array([any(ch.isalpha() for ch in t) for t in texts])
    chinese, english = lettered & (share > 0.5), lettered & (share <= 0.5)
    mean = vectors[lettered].mean(axis=0)
    print(f"{model_id}: {int(chinese.sum())} Chinese and {int(english.sum())} English texts", file=sys.stderr)
    return {f"{model_id}:zh": (vectors[chinese].mean(axis=0) - mean).astype(np.float32),
            f"{model_id}:en": (vectors[english].mean(axis=0) - mean).astype(np.float32)}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    texts = corpus()
    projections: dict[str, np.ndarray] = {}
    languages: dict[str, np.ndarray] = {}
    for spec, keep in KEEP.items():
        encoder = build_encoder(spec)
        vectors = encoder.encode(texts).astype(np.float64)
        languages.update(language_offsets(texts, vectors, encoder.id))
        if "--languages" in args:
            continue
        mean = vectors.mean(axis=0)
        _, _, vt = np.linalg.svd(vectors - mean, full_matrices=False)
        projections[f"{encoder.id}:mean"] = mean.astype(np.float32)
        projections[f"{encoder.id}:components"] = vt[:keep].astype(np.float32)
        print(f"{encoder.id}: {len(texts)} texts, kept {keep} of {vectors.shape[1]} directions", file=sys.stderr)
    np.savez_compressed(LANGUAGES, **languages)  # type: ignore[arg-type]
    print(f"wrote {LANGUAGES}", file=sys.stderr)
    if projections:
        np.savez_compressed(PROJECTIONS, **projections)  # type: ignore[arg-type]
        print(f"wrote {PROJECTIONS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
