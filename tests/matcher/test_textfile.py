"""Dates and encodings as spreadsheets and deal databases export them (matcher.textfile)."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher.textfile import decode_text, parse_date, read_records


@pytest.mark.parametrize(("value", "expected"), [
    ("2017-03-05", dt.date(2017, 3, 5)), ("2017/3/5", dt.date(2017, 3, 5)), ("2017.03.05", dt.date(2017, 3, 5)),
    ("2017年3月5日", dt.date(2017, 3, 5)), ("20170305", dt.date(2017, 3, 5)),
    ("2017-03-05 12:30:00", dt.date(2017, 3, 5)), ("2017-03-05T08:00:00+08:00", dt.date(2017, 3, 5)),
    ("2017-03-05Z", dt.date(2017, 3, 5)), (" 2017-03-05 ", dt.date(2017, 3, 5)),
    ("2017-03", dt.date(2017, 3, 1)), ("2017年10月", dt.date(2017, 10, 1)), ("2017.10", dt.date(2017, 10, 1)),
    ("2017", dt.date(2017, 1, 1)), ("2017年", dt.date(2017, 1, 1)),
])
def test_year_first_dates_in_the_ways_people_write_them(value: str, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [
    "5/3/2017",  # day or month first: cannot be told apart
    "2017.1",  # a spreadsheet's number 2017.10, or January
    "2017-02-30", "2017-13", "", "soon", "2017-03-05-x",
])
def test_dates_that_cannot_be_read_for_sure_are_refused_with_the_accepted_forms(value: str) -> None:
    with pytest.raises(ValueError, match="accepted: 2017-03-05"):
        parse_date(value)


def test_encodings_of_exported_csv() -> None:
    text = "company_id,name\nC1,深圳智造科技有限公司\n"
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16"):
        assert decode_text(text.encode(encoding)) == text
    assert decode_text(bytes(range(128, 256)) * 5) is None  # nothing fits: the caller says so


def test_headers_are_read_whatever_their_case_spaces_and_hyphens() -> None:
    text = "Round ID,COMPANY_ID, Round ,date-of-round\nR1,C1,A轮,2017-03-05\n"
    assert read_records(text, "rounds.csv", ("round_id", "company_id", "round")) == [
        {"round_id": "R1", "company_id": "C1", "round": "A轮", "date_of_round": "2017-03-05"}]
    with pytest.raises(ValueError, match=r"rounds.csv: missing columns \['date'\] \(header: \['Round ID'"):
        read_records(text, "rounds.csv", ("round_id", "date"))
    with pytest.raises(ValueError, match=r"more than one column named \['round_id'\]"):
        read_records("round_id,Round ID\nR1,R2\n", "rounds.csv", ("round_id",))
    # a header cell repeated word for word reads as before: the last one's value
    assert read_records("round_id,name,name\nR1,a,b\n", "rounds.csv", ("round_id",)) == [
        {"round_id": "R1", "name": "b"}]
    # Excel's trailing empty header cells are no column at all, however many there are
    assert read_records("round_id,,\nR1,,\n", "rounds.csv", ("round_id",)) == [{"round_id": "R1", "": ""}]
