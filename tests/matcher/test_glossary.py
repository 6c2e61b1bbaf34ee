"""The bilingual glossary: terms of one concept in either language meet in the lexical cosine."""

from __future__ import annotations

import re

import numpy as np
import pytest

from matcher.glossary import GLOSSARY_PATH, Glossary, _english_key, default_glossary
from matcher.lexical import CONCEPT_SHARE, LexicalEncoder

SMALL = ["# comment", "", "seaweed|kelp\t海藻|褐藻", "pilot line|pilot production\t中试|中试线",
         "food contact\t食品接触", "film\t薄膜|膜材料", "patent\t专利|发明专利", "invention patent\t发明专利申请"]


def small() -> Glossary:
    return Glossary(SMALL, version="t")


def test_terms_of_both_languages_name_the_same_concept() -> None:
    g = small()
    assert g.concepts("Seaweed-based edible FILMS") == g.concepts("海藻可食用薄膜") == [0, 3]
    assert g.concepts("we need a pilot line") == g.concepts("需要中试线") == [1]
    assert g.concepts("Kelp") == [0] and g.concepts("food-contact tests") == [2]
    assert g.concepts("nothing here 毫无关系") == []
    assert Glossary(["ai chip\tAI芯片"], version="t").concepts("做ai芯片") == [0]  # Chinese terms ignore case


def test_plural_and_possessive_endings_and_full_width_letters() -> None:
    g = Glossary(["battery\t电池", "use case\t应用场景", "search\t搜索", "founder\t创始人",
                  "limited partner|lp\t有限合伙人", "ai chip\tAI芯片", "ai agent\tAI智能体|智能体",
                  "artificial intelligence|ai\t人工智能"], version="t")
    assert g.concepts("Batteries") == [0] and g.concepts("use cases") == [1] and g.concepts("searches") == [2]
    assert g.concepts("the founder's view") == g.concepts("Founders’ views") == [3]
    assert g.concepts("LPs and limited partners") == [4]
    assert g.concepts("做ＡＩ芯片") == g.concepts("做AI芯片") == [5]  # full-width letters as ASCII
    assert g.concepts("AI智能体") == [6]  # the ASCII inside a Chinese term is not read again as English
    assert g.concepts("AI agents and AI") == [6, 7]
    gps = Glossary(["gps\t卫星导航", "general partner|gp\t普通合伙人", "mes\t制造执行系统"], version="t")
    assert gps.concepts("GPS") == [0] and gps.concepts("general partners") == [1]  # a term as written first
    assert gps.concepts("me") == [] and gps.concepts("MES") == [2]  # and never cut: "mes" is no plural of "me"
    assert g.concepts("thai芯片") == [] and g.concepts("做ai芯片") == [5]  # AI芯片 does not start inside a word


def test_longest_terms_win_and_words_match_whole() -> None:
    g = small()
    assert g.concepts("发明专利申请") == [5]  # not 发明专利 (4) nor 专利 (4)
    assert g.concepts("发明专利") == [4]
    assert g.concepts("patents and invention patents") == [4, 5]
    assert g.concepts("filmmaker") == [] and g.concepts("seaweeds") == [0]  # whole words, plural accepted
    assert g.concepts("pilot") == []  # a part of a multi-word term is no term


def test_a_glossary_line_without_both_sides_is_refused() -> None:
    with pytest.raises(ValueError, match="line 2"):
        Glossary(["a\tb", "no tab here"], version="x")


def test_the_lexical_cosine_crosses_languages_only_through_the_glossary() -> None:
    """Two texts naming the same concepts in two languages share no character n-gram: their cosine is the
    concepts' share of the norm (CONCEPT_SHARE x a concept cosine of 1); without the glossary it is 0."""
    en, zh, other = "Seaweed film, needs food contact tests", "海藻膜材料，食品接触检测", "区块链支付清结算"
    for glossary, expected in ((None, 0.0), (small(), CONCEPT_SHARE)):
        lex = LexicalEncoder(n_features=2**16, glossary=glossary).fit([en, zh, other])
        ids, w = lex.encode([zh, other])
        sims = LexicalEncoder.similarity(lex.query(en), ids, w)
        assert sims[0] == pytest.approx(expected, abs=0.01)
        assert sims[1] == pytest.approx(0.0, abs=1e-6)
    # within a language the spelling still counts: a shared concept plus shared n-grams beats the concept alone
    lex = LexicalEncoder(n_features=2**16, glossary=small()).fit([en, zh, other, "海藻"])
    ids, w = lex.encode(["海藻膜材料，食品接触检测", "褐藻薄膜，食品接触"])
    near, far = LexicalEncoder.similarity(lex.query("海藻膜材料和食品接触"), ids, w)
    assert near > far > CONCEPT_SHARE * 0.9
    assert LexicalEncoder(glossary=None).version == "plain"
    assert LexicalEncoder(glossary=small()).version.startswith("glossary-t-")


def test_the_shipped_glossary_is_well_formed() -> None:
    """One concept a line, both sides non-empty, no Chinese term of one character, no term on two lines (as the
    finder compares them: normalised and lower-cased), and both languages of a common term name the same concept."""
    text = GLOSSARY_PATH.read_text(encoding="utf-8")
    seen: dict[str, int] = {}
    concepts = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        english, chinese = line.split("\t")
        concepts += 1
        en_terms = [t.strip().lower() for t in english.split("|") if t.strip()]
        zh_terms = [t.strip() for t in chinese.split("|") if t.strip()]
        assert en_terms and zh_terms, f"line {number}"
        for t in zh_terms:
            assert len(t) >= 2 and re.search(r"[\u4e00-\u9fff]", t), f"line {number}: {t!r}"
        for t in [_english_key(t) for t in en_terms] + [t.lower() for t in zh_terms]:
            assert seen.setdefault(t, number) == number, f"{t!r} on lines {seen[t]} and {number}"
    g = default_glossary()
    assert g.size == concepts >= 300
    assert g.concepts("专利") == g.concepts("patent") != []


def test_an_index_saved_before_the_glossary_is_refitted_on_load(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A table saved under a plain lexical encoder, loaded with an encoder fitted afresh (``lexical_fitted``, as
    the engine does when the versions differ), has every row's lexical terms encoded again and keeps the fresh
    IDF; without the flag it is refused rather than mixed with rows made another way."""
    from matcher.build import lexical_texts, lexical_version, load_table, save_table
    from matcher.encoders import KeywordEncoder
    from matcher.errors import IndexMismatchError
    from tests.matcher.helpers import random_ecosystem

    m, _ = random_ecosystem(60, seed=3)
    pool = m.tables["mentor"]

    def lexical(glossary: Glossary | None) -> LexicalEncoder:  # the width of the tables of random_ecosystem
        return LexicalEncoder(n_features=m.config.lexical_features, terms=m.config.lexical_terms, glossary=glossary)

    plain = lexical(None).fit(lexical_texts(pool.profiles))
    save_table(pool, tmp_path / "mentor", encoder_id=KeywordEncoder().id, lexical=plain)
    assert lexical_version(tmp_path / "mentor") == "plain"
    profiles = {p.id: p for p in pool.profiles}
    fresh = lexical(small()).fit(lexical_texts(pool.profiles))
    idf = fresh.idf.copy()
    loaded, _ = load_table(tmp_path / "mentor", kind="mentor", profiles=profiles, encoder=KeywordEncoder(),
                           lexical=fresh, config=m.config, lexical_fitted=True)
    np.testing.assert_array_equal(fresh.idf, idf)  # not replaced by the saved one
    ids, w = fresh.encode(lexical_texts(loaded.profiles))
    np.testing.assert_array_equal(loaded.lex_ids, ids)
    np.testing.assert_array_equal(loaded.lex_weights, w)
    with pytest.raises(IndexMismatchError, match="lexical rows made as 'plain'"):
        load_table(tmp_path / "mentor", kind="mentor", profiles=profiles, encoder=KeywordEncoder(),
                   lexical=lexical(small()), config=m.config)
    kept, _ = load_table(tmp_path / "mentor", kind="mentor", profiles=profiles, encoder=KeywordEncoder(),
                         lexical=lexical(None), config=m.config)  # the same preparation: the saved rows stay
    np.testing.assert_array_equal(kept.lex_ids, pool.lex_ids)


def test_a_stored_row_keeps_at_most_half_its_slots_for_concepts_and_their_share() -> None:
    """A text naming more concepts than a row has slots keeps its heaviest concepts in half of them and n-grams in
    the rest, so the concepts carry CONCEPT_SHARE of the stored row as of the query vector."""
    text = "seaweed kelp film patent food contact pilot line, 海藻薄膜专利"
    lex = LexicalEncoder(n_features=2**12, terms=4, glossary=small()).fit([text, "other words"])
    ids, w = lex.encode([text])
    concept = ids[0] >= lex.n_features
    assert concept.sum() == 2 and (~concept).sum() == 2
    weights = w[0].astype(np.float64)
    assert float((weights[concept] ** 2).sum()) == pytest.approx(CONCEPT_SHARE, abs=0.01)
    q = lex.query(text)
    assert float((q[lex.n_features:] ** 2).sum()) == pytest.approx(CONCEPT_SHARE, abs=1e-5)
