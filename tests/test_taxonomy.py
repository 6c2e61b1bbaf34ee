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
