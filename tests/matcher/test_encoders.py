"""One contract, every encoder: unit rows of the right shape, batch == single, deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.config import DEFAULT_ENCODER
from matcher.embedcache import CachedEncoder, MemoryEmbeddingCache, SqliteEmbeddingCache
from matcher.encoders import Encoder, EncoderError, KeywordEncoder, build_encoder

TEXTS = [
    "需要申请发明专利，保护核心算法",
    "We need help filing patents for our core algorithm",
    "寻找天使轮投资，约300万元",
    "looking for a seed investor in climate tech",
    "",
]


class EncoderContract:
    spec = "keyword"

    @pytest.fixture(scope="class")
    @classmethod
    def encoder(cls) -> Encoder:
        return build_encoder(cls.spec, threads=2)

    def test_shape_dtype_and_unit_norm(self, encoder: Encoder) -> None:
        out = encoder.encode(TEXTS[:4])
        assert out.shape == (4, encoder.dim) and out.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-4)

    def test_batch_equals_single(self, encoder: Encoder) -> None:
        batch = encoder.encode(TEXTS[:4])
        singles = np.stack([encoder.encode([t])[0] for t in TEXTS[:4]])
        np.testing.assert_allclose(batch, singles, atol=2e-3)

    def test_deterministic(self, encoder: Encoder) -> None:
        np.testing.assert_array_equal(encoder.encode(TEXTS[:2]), encoder.encode(TEXTS[:2]))

    def test_empty_input(self, encoder: Encoder) -> None:
        assert encoder.encode([]).shape == (0, encoder.dim)

    def test_id_names_model(self, encoder: Encoder) -> None:
        assert "@" in encoder.id


class TestKeywordEncoder(EncoderContract):
    spec = "keyword"

    def test_shared_words_are_closer(self, encoder: Encoder) -> None:
        a, b, c = encoder.encode(["patent filing help", "help with patent filing", "restaurant marketing"])
        assert a @ b > a @ c


@pytest.mark.slow
class TestUSEEncoder(EncoderContract):
    spec = "use"

    def test_cross_language_similarity(self, encoder: Encoder) -> None:
        zh_patent, en_patent, zh_money, _ = encoder.encode(TEXTS[:4])
        assert zh_patent @ en_patent > zh_patent @ zh_money


@pytest.mark.slow
class TestE5Encoder(EncoderContract):
    spec = "e5"


@pytest.mark.slow
class TestDefaultEncoder(EncoderContract):
    """The product default: e5 with 8/9 of the cosine, USE centred and cut to 128 directions with 1/9."""

    spec = DEFAULT_ENCODER

    def test_cross_language_similarity(self, encoder: Encoder) -> None:
        # e5 alone puts the Chinese patent need nearer the Chinese money need (0.874) than the same need in
        # English (0.845): the language outweighs the meaning; with USE's share it is the other way round
        zh_patent, en_patent, zh_money, _ = encoder.encode(TEXTS[:4])
        assert zh_patent @ en_patent > zh_patent @ zh_money + 0.02


@pytest.mark.slow
class TestMiniLMEncoder(EncoderContract):
    spec = "minilm"


def test_unknown_spec_is_a_clear_error() -> None:
    with pytest.raises(EncoderError, match="valid: use, e5, minilm, keyword"):
        build_encoder("bert-huge")


def test_missing_local_model_dir_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EncoderError, match="no sentence-transformers model directory"):
        build_encoder(f"st:{tmp_path / 'nope'}")


class CountingEncoder(KeywordEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(len(texts))
        return super().encode(texts)


@pytest.mark.parametrize("make_cache", [MemoryEmbeddingCache, "sqlite"])
def test_cache_never_reencodes_unchanged_text(make_cache, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = SqliteEmbeddingCache(tmp_path / "emb.sqlite") if make_cache == "sqlite" else make_cache()
    inner = CountingEncoder()
    enc = CachedEncoder(inner, cache)
    first = enc.encode(["a patent", "a loan", "a patent"])
    assert inner.calls == [2] and enc.encoded == 2
    second = enc.encode(["a loan", "a patent", "new text"])
    assert inner.calls == [2, 1] and enc.encoded == 3 and enc.hits == 3
    np.testing.assert_array_equal(first[0], second[1])
    # a different model id never reuses another model's vectors
    other = CachedEncoder(KeywordEncoder(dim=128), cache)
    assert other.encode(["a patent"]).shape == (1, 128)
    assert other.encoded == 1


class TestCompositeEncoder(EncoderContract):
    spec = "keyword*3+keyword:64"

    def test_cosine_is_the_share_weighted_mean_of_the_parts(self, encoder: Encoder) -> None:
        big, small = KeywordEncoder(), KeywordEncoder(dim=64)
        a, b = encoder.encode(["patent filing help", "help with patent filing and trademarks"])
        ba, bb = big.encode(["patent filing help", "help with patent filing and trademarks"])
        sa, sb = small.encode(["patent filing help", "help with patent filing and trademarks"])
        assert encoder.dim == 256 + 64
        assert a @ b == pytest.approx(0.75 * float(ba @ bb) + 0.25 * float(sa @ sb), abs=1e-5)

    def test_bad_shares_are_a_clear_error(self) -> None:
        with pytest.raises(EncoderError, match="bad share"):
            build_encoder("keyword*x+keyword:64")
        with pytest.raises(EncoderError, match="positive shares"):
            build_encoder("keyword*0+keyword:64")
        with pytest.raises(EncoderError, match="unknown encoder"):
            build_encoder("keyword+bert-huge")
        with pytest.raises(EncoderError, match="finite sum"):
            build_encoder("keyword*1e308+keyword:64*1e308")
        # nearby shares are different encoders, with different ids
        assert build_encoder("keyword*8+keyword:64").id != build_encoder("keyword*8.04+keyword:64").id

    def test_a_local_model_path_may_hold_plus_and_slash(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(EncoderError, match="no sentence-transformers model directory at .*a\\+b/m"):
            build_encoder(f"st:{tmp_path / 'a+b' / 'm'}")


def test_a_cached_composite_reuses_each_parts_cached_vectors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = SqliteEmbeddingCache(tmp_path / "emb.sqlite")
    alone = CachedEncoder(KeywordEncoder(), cache)
    alone.encode(["a patent", "a loan"])  # cached while the first part was the encoder on its own
    composite = build_encoder("keyword*6+keyword:64")
    counting = CountingEncoder()
    composite.parts[0] = counting  # type: ignore[attr-defined]
    enc = CachedEncoder(composite, cache)
    out = enc.encode(["a patent", "a loan", "new text"])
    assert counting.calls == [1]  # only the new text: the other two came from the first part's cache
    np.testing.assert_allclose(out, composite.encode(["a patent", "a loan", "new text"]), atol=1e-6)
    assert enc.encoded == 3  # every text was new to the second part
    again = enc.encode(["a patent", "new text"])
    assert counting.calls == [1, 3]  # only the direct, uncached composite.encode above encoded again
    assert enc.encoded == 3 and enc.hits == 2  # both texts came from both parts' caches
    np.testing.assert_allclose(again, out[[0, 2]], atol=1e-6)


def test_a_projected_encoder_centres_and_keeps_the_leading_directions() -> None:
    from matcher.encoders import _projection

    enc = build_encoder("use/128")
    mean, components = _projection(enc.base.id)  # type: ignore[attr-defined]
    assert enc.dim == 128 and enc.id.startswith(enc.base.id + "/pca128-")  # type: ignore[attr-defined]
    assert build_encoder("use/64").id != enc.id  # the id names the numbers: another cut is another encoder
    raw = np.random.default_rng(0).normal(size=(3, len(mean))).astype(np.float32)
    enc.base = type("Fixed", (), {"encode": lambda self, texts: raw[: len(texts)], "id": "fixed"})()  # type: ignore[attr-defined]
    out = enc.encode(["a", "b", "c"])
    expected = (raw - mean) @ components[:128].T
    np.testing.assert_allclose(out, expected / np.linalg.norm(expected, axis=1, keepdims=True), atol=1e-5)
    with pytest.raises(EncoderError, match="keeps 1-128 directions"):
        build_encoder("use/129")
    with pytest.raises(EncoderError, match="no projection for keyword"):
        build_encoder("keyword/8")
    with pytest.raises(EncoderError, match="bad dimension"):
        build_encoder("use/x")
    with pytest.raises(EncoderError, match="bad dimension"):
        build_encoder("use/\u00b2")


def test_a_language_neutral_encoder_takes_each_texts_language_offset_off() -> None:
    from matcher.encoders import _language_offsets, cjk_share

    enc = build_encoder("use~")
    zh, en = _language_offsets(enc.base.id)  # type: ignore[attr-defined]
    assert enc.dim == 512 and enc.id.startswith(enc.base.id + "~lang-")  # type: ignore[attr-defined]
    assert float(np.linalg.norm(zh - en)) > 0.05  # the two languages do sit apart
    raw = np.random.default_rng(1).normal(size=(4, 512)).astype(np.float32)
    enc.base = type("Fixed", (), {"encode": lambda self, texts: raw[: len(texts)], "id": "fixed"})()  # type: ignore[attr-defined]
    texts = ["需要申请发明专利", "we need a patent lawyer", "需要patent律师", "2024 / 300"]
    out = enc.encode(texts)
    assert cjk_share(texts[2]) == pytest.approx(4 / 10) and cjk_share(texts[3]) == 0.0
    offsets = [zh, en, 0.4 * zh + 0.6 * en, np.zeros_like(zh)]  # a text without letters keeps its vector
    for row, text_offset, got in zip(raw, offsets, out, strict=True):
        expected = row - text_offset
        np.testing.assert_allclose(got, expected / np.linalg.norm(expected), atol=1e-5)
    # inside a projection: the projection is the model's own (keyed by the model, not by the correction)
    projected = build_encoder("use~/128")
    assert projected.dim == 128 and "~lang-" in projected.id
    with pytest.raises(EncoderError, match="no language offsets for keyword"):
        build_encoder("keyword~")


def test_a_language_neutral_encoder_caches_the_raw_vectors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = SqliteEmbeddingCache(tmp_path / "e.sqlite")
    plain = CachedEncoder(build_encoder("use"), cache)
    plain.encode(TEXTS[:2])
    neutral = CachedEncoder(build_encoder("use~"), cache)
    out = neutral.encode(TEXTS[:2])
    assert neutral.encoded == 0 and neutral.hits == 2  # the raw vectors were cached under the model's own id
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_without_the_language_offset_meaning_beats_language() -> None:
    """A Chinese query for a seed investor, an English text about one and an unrelated Chinese text: the
    default encoder puts the unrelated Chinese text closer (the language wins); its language-neutral twin
    reads the meaning."""
    query, same_meaning, same_language = "寻找天使轮投资，约300万元", "looking for a seed investor in climate tech", \
        "需要申请发明专利，保护核心算法"

    def margin(spec: str) -> float:
        v = build_encoder(spec).encode([query, same_meaning, same_language])
        return float(v[0] @ v[1] - v[0] @ v[2])

    assert margin("e5*8+use/128") < 0 < margin("e5~*8+use~/128")
