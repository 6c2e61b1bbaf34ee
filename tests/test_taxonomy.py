import pytest

from matcher.errors import UnknownLabelError
from matcher.taxonomy import INDUSTRIES, NEEDS, REGIONS, ROUNDS, STAGES, region_of_city


def test_required_codes_present() -> None:
    assert STAGES.codes == ("idea", "seed", "early", "growth", "expansion")
    assert ROUNDS.codes == ("seed", "angel", "pre_a", "a", "a_plus", "b", "c_plus", "strategic", "pe", "ipo",
                            "crowdfunding", "other")
    assert STAGES.zh("seed") == "种子期" and STAGES.en("growth") == "Growth"


@pytest.mark.parametrize("value", ["ip", "知识产权", "Intellectual property", " INTELLECTUAL PROPERTY "])
def test_parse_accepts_codes_and_labels_in_both_languages(value: str) -> None:
    assert NEEDS.parse(value) == "ip"


@pytest.mark.parametrize(("value", "code"), [
    ("series-a", "a"), ("Series_A", "a"), ("series  b", "b"), ("series-c+", "c_plus"), ("D轮", "c_plus"),
    ("B+轮", "b"), ("Pre-B轮", "a_plus"), ("pre-a", "pre_a"), ("战略融资", "strategic"), ("private-equity", "pe"),
    ("Pre-IPO", "pe"), ("post-ipo", "ipo"), ("venture", "other"), ("debt_financing", "other"), ("并购", "other"),
])
def test_rounds_accept_the_names_of_public_deal_records(value: str, code: str) -> None:
    assert ROUNDS.parse(value) == code


@pytest.mark.parametrize(("value", "code"), [
    # IT桔子-style labels
    ("F轮-上市前", "c_plus"), ("Pre-C轮", "c_plus"), ("G轮", "c_plus"), ("A++轮", "a_plus"), ("A轮+", "a_plus"),
    ("Pre-A+轮", "pre_a"), ("Pre-A＋轮", "pre_a"), ("天使轮+", "angel"), ("种子+", "seed"), ("IPO上市", "ipo"),
    ("IPO上市后", "ipo"), ("新三板定增", "ipo"), ("被收购", "other"), ("债权融资", "other"), ("不明确", "other"),
    ("股权转让", "other"), ("天使轮融资", "angel"),
    # Crunchbase's later investment types and other English spellings
    ("pre_seed", "seed"), ("series_h", "c_plus"), ("Series Pre-A", "pre_a"), ("Round A", "a"), ("C", "c_plus"),
    ("Series B round", "b"), ("post_ipo_debt", "other"), ("post_ipo_secondary", "other"),
    ("series_unknown", "other"), ("product_crowdfunding", "other"), ("initial_coin_offering", "other"),
    ("non_equity_assistance", "other"),
    # pre-IPO in its spellings, and words inside others (the reviewers' cases)
    ("PreIPO轮", "pe"), ("Pre IPO", "pe"), ("IPO前融资", "pe"), ("拟上市", "pe"), ("未上市", "other"),
    ("战略合并", "other"), ("Pre－A轮", "pre_a"), ("Pre—A轮", "pre_a"), ("Ａ轮", "a"), ("IPO后", "ipo"),
])
def test_rounds_read_series_letters_and_deciding_words(value: str, code: str) -> None:
    assert ROUNDS.parse(value) == code


@pytest.mark.parametrize("value", ["series z", "B2", "nonsense", "", "pre", "i", "Republic", "Seedling"])
def test_rounds_the_grammar_cannot_read_stay_errors(value: str) -> None:
    with pytest.raises(UnknownLabelError):
        ROUNDS.parse(value)


def test_loose_spellings_cover_every_vocabulary_and_aliases_cannot_clash() -> None:
    assert NEEDS.parse("Go to market") == NEEDS.parse("go-to-market") == "go_to_market"
    from matcher.taxonomy import Label, Vocabulary

    with pytest.raises(ValueError, match="would mean both"):
        Vocabulary("t", (Label("a", "甲", "Alpha"), Label("b", "乙", "Beta")), {"alpha": "b"})
    with pytest.raises(ValueError, match="names no code"):
        Vocabulary("t", (Label("a", "甲", "Alpha"),), {"x": "zz"})
    with pytest.raises(UnknownLabelError):
        ROUNDS.parse("series z")


def test_unknown_label_lists_valid_codes() -> None:
    with pytest.raises(UnknownLabelError) as err:
        INDUSTRIES.parse("blockchainz")
    message = str(err.value)
    assert "blockchainz" in message and "ai" in message and "fintech" in message
    assert err.value.valid == INDUSTRIES.codes


def test_parse_many_dedupes_in_vocabulary_order() -> None:
    assert NEEDS.parse_many(["融资", "ip", "financing"]) == ["financing", "ip"]


def test_masks_round_trip() -> None:
    codes = ["ai", "fintech", "social_innovation"]
    assert INDUSTRIES.unmask(INDUSTRIES.mask(codes)) == codes
    with pytest.raises(UnknownLabelError):
        INDUSTRIES.mask(["nope"])


def test_regions() -> None:
    assert region_of_city("shenzhen") == "south"
    assert region_of_city("east") == "east"
    assert "nationwide" in REGIONS
