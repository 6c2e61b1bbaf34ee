"""Items: the sentences of a profile embedded one by one, and the second stage that matches them (sem_item)."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import KeywordEncoder, MatcherConfig, WeightSet
from matcher.build import embed_items
from matcher.embedcache import CachedEncoder, MemoryEmbeddingCache
from matcher.encoders import CompositeEncoder, E5Encoder, USEEncoder, build_encoder, item_encoder
from matcher.features import item_similarity
from matcher.profiles import ITEM_SLOTS, decode_items, encode_items, text_items
from tests.matcher.helpers import NOW, build, mentor, project


def test_items_are_the_sentences_and_list_items_in_order_each_once() -> None:
    assert text_items("鞋服供应链；品牌方的可持续采购；再生材料导入",
                      "每月面谈两次，帮团队梳理进入钢铁、轴承、装备制造工厂的销售路径。可介绍负责人。") == (
        "鞋服供应链", "品牌方的可持续采购", "再生材料导入",
        "每月面谈两次，帮团队梳理进入钢铁、轴承、装备制造工厂的销售路径", "可介绍负责人")
    assert text_items("We need a pilot line. Raising a CNY 4m angel round; we need a pilot line",
                      "Seaweed film for sachets.") == (
        "We need a pilot line", "Raising a CNY 4m angel round", "we need a pilot line", "Seaweed film for sachets")
    assert text_items("短；也短；ok", None, "") == ()  # fragments under four characters say nothing alone
    many = "；".join(f"第{i}项专长内容" for i in range(10))
    assert text_items(many) == tuple(f"第{i}项专长内容" for i in range(ITEM_SLOTS))
    assert text_items("同一句话重复。同一句话重复。") == ("同一句话重复",)


def test_item_codes_keep_cosines_and_mark_empty_slots() -> None:
    rng = np.random.default_rng(0)
    v = rng.normal(size=(7, 512)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    codes, scales = encode_items(v, [3, 0, 4])
    assert codes.shape == (3, ITEM_SLOTS, 256) and codes.dtype == np.uint8  # 4 bits a component
    assert (scales > 0).sum(axis=1).tolist() == [3, 0, 4]
    back = decode_items(codes, scales)
    exact = v @ v.T
    approx = np.concatenate([back[0, :3], back[2, :4]]) @ np.concatenate([back[0, :3], back[2, :4]]).T
    off = ~np.eye(len(v), dtype=bool)  # between two vectors; a vector with itself also gains the rounding's norm
    assert np.abs(exact - approx)[off].max() < 0.03 and np.abs(exact - approx)[off].mean() < 0.012
    assert np.abs(np.diag(exact - approx)).max() < 0.06
    assert not back[1].any() and not back[0, 3:].any()
    filled = np.concatenate([back[0, :3], back[2, :4]])
    levels = np.round(filled / np.concatenate([scales[0, :3], scales[2, :4]])[:, None])
    assert levels.min() >= -7 and levels.max() <= 7 and np.abs(levels).max(axis=1).tolist() == [7] * 7
    odd = encode_items(v[:2, :5], [2])  # an odd width: a zero level fills the last half byte
    assert odd[0].shape == (1, ITEM_SLOTS, 3) and (odd[0][0, :2, 2] >> 4 == 8).all()
    assert not decode_items(*odd)[0, :2, 5].any()  # the padding decodes to 0
    np.testing.assert_allclose(decode_items(*odd, dim=5)[0, :2], v[:2, :5], atol=0.6 * float(odd[1].max()))


def test_the_best_pair_is_found_and_empty_sides_score_zero() -> None:
    q = np.zeros((ITEM_SLOTS, 3), dtype=np.float32)
    q[0], q[1] = [1, 0, 0], [0, 1, 0]
    q_mask = np.array([True, True] + [False] * (ITEM_SLOTS - 2))
    c = np.zeros((3, ITEM_SLOTS, 3), dtype=np.float32)
    c[0, 0], c[0, 1] = [0, 0, 1], [0, 0.8, 0.6]  # its second sentence answers the query's second
    c[1, 0] = [-1, 0, 0]  # only an opposite sentence: clipped to 0, not negative
    codes, scales = encode_items(np.concatenate([c[0, :2], c[1, :1]]), [2, 1, 0])  # row 2 has no items
    best, q_slot, c_slot = item_similarity(q, q_mask, codes, scales)
    assert best.tolist() == pytest.approx([0.8, 0.0, 0.0], abs=2e-3)
    assert (q_slot.tolist(), c_slot.tolist()) == ([1, 1, -1], [1, 0, -1])
    assert item_similarity(q, np.zeros(ITEM_SLOTS, dtype=bool), codes, scales)[0].tolist() == [0.0, 0.0, 0.0]


def test_items_are_encoded_by_the_use_model_inside_the_service_encoder() -> None:
    composite = build_encoder("e5*8+use/128")  # builds lazily: no model is loaded here
    assert isinstance(composite, CompositeEncoder) and isinstance(item_encoder(composite), USEEncoder)
    cached = CachedEncoder(composite, MemoryEmbeddingCache())
    leaf = item_encoder(cached)
    assert isinstance(leaf, CachedEncoder) and isinstance(leaf.inner, USEEncoder) and leaf.dim == 512
    keyword = KeywordEncoder()
    assert item_encoder(keyword) is keyword  # an encoder without USE encodes its own items
    assert isinstance(item_encoder(E5Encoder()), E5Encoder)
    profiles = [mentor(1), mentor(2, expertise_text="", offer_text="")]
    codes, scales = embed_items(profiles, keyword)
    assert codes.shape == (2, ITEM_SLOTS, keyword.dim // 2) and (scales > 0).sum(axis=1).tolist() == [2, 0]


def _two_mentors():  # type: ignore[no-untyped-def]
    """Two mentors alike in every named feature; only the second says, in one sentence of a long offer, what the
    project says it needs in one sentence of a long statement."""
    need = "我们的产品已经在三家工厂试点；需要第三方检测报告与认证；本轮融资三百万"
    p = project(1, need_text=need, domain_text="工业视觉质检设备")
    filler = "每月面谈两次；介绍行业内的客户和渠道；帮团队打磨商业计划书"
    a = mentor(2, offer_text=filler + "；梳理产品定价与销售节奏", expertise_text="制造业销售")
    b = mentor(3, offer_text=filler + "；需要第三方检测报告与认证", expertise_text="制造业销售")
    return build([p], mentor=[a, b]), p


def test_the_sentence_that_answers_a_need_lifts_its_candidate_and_is_quoted() -> None:
    m, _ = _two_mentors()
    w = WeightSet.default("mentor")
    assert w.weights["sem_item"] > 0
    off = m.rank(kind="mentor", query_id=1, weights=w.with_weights(sem_item=0.0), k=2, now=NOW)
    on = m.rank(kind="mentor", query_id=1, weights=w, k=2, now=NOW)
    gap_off = {x.id: x.score for x in off.matches}
    gap_on = {x.id: x.score for x in on.matches}
    assert gap_on[3] - gap_on[2] > gap_off[3] - gap_off[2] + 0.05
    assert on.matches[0].id == 3
    best = on.matches[0]
    assert best.contributions["sem_item"] == pytest.approx(w.weights["sem_item"] * 1.0, abs=1e-3)
    assert best.score == pytest.approx(sum(best.contributions.values()))
    assert any("需要第三方检测报告与认证" in r for r in best.reasons_zh)
    assert any("which answers your" in r for r in best.reasons_en)
    assert all(x.contributions["sem_item"] == 0.0 for x in off.matches)


def test_the_second_stage_scores_only_the_best_of_the_first() -> None:
    """Past ``item_depth`` rows the first stage decides alone, the same way in every path (see test_ranking)."""
    m, _ = _two_mentors()
    cfg = MatcherConfig()
    assert cfg.item_depth(10) == 100 and cfg.item_depth(200) == 100
    assert MatcherConfig(structured_fetch=60, item_rerank=100).item_depth(20) == 20
    from dataclasses import replace

    m.config = replace(m.config, item_rerank=1)
    on = m.rank(kind="mentor", query_id=1, weights=WeightSet.default("mentor"), k=2, now=NOW)
    scored = [x for x in on.matches if x.contributions["sem_item"] > 0]
    assert len(scored) == 1


def test_items_follow_their_rows_through_replace_and_remove() -> None:
    words = {1: "专利布局", 2: "海外渠道", 3: "财务规范"}
    m = build([project(1)], mentor=[mentor(i, offer_text=f"帮助团队做好{words[i]}；介绍{words[i]}的资源")
                                    for i in (1, 2, 3)])
    table = m.tables["mentor"]
    before = {i: table.item_codes[int(table.rows_of([i])[0])].copy() for i in (2, 3)}
    assert not np.array_equal(before[2], before[3])
    table.remove([1])  # the last row moves into the first
    for i in (2, 3):
        assert np.array_equal(table.item_codes[int(table.rows_of([i])[0])], before[i])
    assert table.item_codes.shape[0] == table.item_scales.shape[0] == len(table) == 2
    from matcher import LexicalEncoder, upsert_profiles

    lex = LexicalEncoder(n_features=2**16, terms=32)
    lex.fit(["x"])
    upsert_profiles(table, [mentor(3, offer_text="完全不同的一句话")], KeywordEncoder(), lex)
    row = int(table.rows_of([3])[0])
    assert (table.item_scales[row] > 0).sum() == 2 and not np.array_equal(table.item_codes[row], before[3])


def test_the_reason_answers_a_need_but_only_comes_close_to_a_one_liner() -> None:
    from matcher.explain import ITEM_REASON_COSINE, item_reason

    p = project(1, domain_text="车规级MEMS压力传感器芯片", need_text="要进前装必须拿到车规认证。想融三千万")
    need = item_reason(p, "要进前装必须拿到车规认证", "AEC-Q100车规芯片可靠性认证", 0.6, 0.1, matches=True)
    assert need == [("对方写的「AEC-Q100车规芯片可靠性认证」正对应你写的「要进前装必须拿到车规认证」",
                     "They wrote \"AEC-Q100车规芯片可靠性认证\", which answers your \"要进前装必须拿到车规认证\"", 0.1)]
    close = item_reason(p, "车规级MEMS压力传感器芯片", "MEMS压力和惯性传感器工艺开发", 0.6, 0.1, matches=True)
    assert close[0][0] == "对方写的「MEMS压力和惯性传感器工艺开发」与你的项目「车规级MEMS压力传感器芯片」相合"
    deal = item_reason(p, "要进前装必须拿到车规认证", "投资车规芯片", 0.6, 0.1, matches=False)
    assert deal[0][1] == "The project wrote \"要进前装必须拿到车规认证\", close to your \"投资车规芯片\""
    assert item_reason(p, "要进前装必须拿到车规认证", "x" * 80, ITEM_REASON_COSINE - 0.01, 0.1, matches=True) == []
    long = item_reason(p, "要进前装必须拿到车规认证", "很" * 80, 0.9, 0.1, matches=True)[0][0]
    assert "很" * 39 + "…" in long and "很" * 40 not in long


def test_a_reserved_table_fills_its_item_codes_in_place() -> None:
    """Batches of a build append into one allocation (growing by concatenation held two copies at the end)."""
    from matcher import LexicalEncoder, ProfileTable, upsert_profiles

    enc, lex = KeywordEncoder(), LexicalEncoder(n_features=2**16, terms=32)
    lex.fit(["x"])
    table = ProfileTable("mentor", enc.dim, MatcherConfig(lexical_terms=32, lexical_features=2**16))
    table.reserve(40)
    mentors = [mentor(i, offer_text=f"第{'一二三四五六七八九十'[i % 10]}种服务；介绍资源") for i in range(1, 31)]
    upsert_profiles(table, mentors[:10], enc, lex)
    room = table.item_codes.base
    assert room is not None and len(room) == 40
    upsert_profiles(table, mentors[10:], enc, lex, batch_size=7)
    assert table.item_codes.base is room and len(table.item_codes) == 30
    fresh = ProfileTable("mentor", enc.dim, MatcherConfig(lexical_terms=32, lexical_features=2**16))
    upsert_profiles(fresh, mentors, enc, lex)
    assert np.array_equal(fresh.item_codes, table.item_codes) and np.array_equal(fresh.item_scales, table.item_scales)


@pytest.mark.parametrize("dense_max", [0, 20_000])
def test_every_path_gives_the_second_stage_the_same_rows_even_when_words_weigh_much(dense_max: int) -> None:
    """The retrieval paths draw their shortlist without the lexical part; the second stage picks its rows by that
    score too (it picked them by the full score at first: with a lexical weight of 0.3-0.5 the exhaustive
    ranking re-scored rows the fast paths had not kept, and their lists differed)."""
    from dataclasses import replace

    from tests.matcher.helpers import random_ecosystem

    m, projects = random_ecosystem(3000, seed=5)
    m.config = replace(m.config, dense_max=dense_max)
    w = WeightSet.default("mentor").with_weights(lexical=0.5)
    for pid in projects[:12]:
        fast = m.rank(kind="mentor", query_id=pid, weights=w, k=10, now=NOW, explain=False)
        full = m.rank(kind="mentor", query_id=pid, weights=w, k=10, now=NOW, explain=False, exhaustive=True)
        assert [x.id for x in fast.matches] == [x.id for x in full.matches]
        assert [x.contributions["sem_item"] for x in fast.matches] == \
            pytest.approx([x.contributions["sem_item"] for x in full.matches], abs=1e-6)


def test_a_negative_sentence_weight_is_refused() -> None:
    """Only the best of the first stage are re-scored, so a penalty there would lift the rows just below them."""
    from matcher.errors import ConfigError

    with pytest.raises(ConfigError, match="sem_item"):
        WeightSet.parse("mentor", {"sem_item": -0.1})
    assert WeightSet.parse("mentor", {"sem_item": 0.0}).weights["sem_item"] == 0.0


def test_a_table_saved_with_8_bit_item_codes_is_reencoded_on_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A table saved by the previous version (8-bit codes, one byte a component) loads with its sentences encoded
    again as 4-bit codes, exactly as a fresh build encodes them, not misread."""
    from matcher.build import item_hashes, load_table, text_hashes
    from matcher.encoders import KeywordEncoder
    from matcher.index import save_index
    from tests.matcher.helpers import random_ecosystem

    m, _ = random_ecosystem(40, seed=21)
    table, enc = m.tables["mentor"], KeywordEncoder()
    old_codes = np.zeros((len(table), ITEM_SLOTS, enc.dim), dtype=np.int8)  # the 8-bit layout
    save_index(table.index, tmp_path / "mentor", encoder_id=enc.id,
               extra={"kind": "mentor", "field_dim": table.field_dim, "lexical_terms": table.lex_ids.shape[1],
                      "lexical_version": m.lexical.version},  # only the item codes are of the old layout here
               arrays={"lex_ids": table.lex_ids, "lex_weights": table.lex_weights, "idf": m.lexical.idf,
                       "text_hash": text_hashes(table.profiles), "item_codes": old_codes,
                       "item_scales": table.item_scales, "item_hash": item_hashes(table.profiles)})
    loaded, report = load_table(tmp_path / "mentor", kind="mentor", profiles={p.id: p for p in table.profiles},
                                encoder=enc, lexical=m.lexical, config=table.config)
    assert report["loaded"] == 40 and loaded.item_codes.dtype == np.uint8
    order = loaded.rows_of([p.id for p in table.profiles])
    assert np.array_equal(loaded.item_codes[order], table.item_codes)
    assert np.array_equal(loaded.item_scales[order], table.item_scales)
