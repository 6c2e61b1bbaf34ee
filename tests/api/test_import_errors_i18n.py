"""Words for every code (issue 19): the console's import page names fields by their column labels and says the
importer's errors in Chinese or English, with the allowed values of a vocabulary by their labels in that
language only; a message no rule knows is shown as it is."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from typing import Any, cast

import pytest
from apiflask import HTTPError
from marshmallow import ValidationError

from api.console.import_errors import RULES, VOCABULARIES, field_label, readable, rule_for, translate_message
from api.problems import field_errors
from api.services import import_headers, importer
from bench.upload_bombs import pack
from matcher.taxonomy import INDUSTRIES, INVESTOR_KINDS
from tests.api.conftest import ApiEnv, console_operator
from tests.api.test_hardening import csrf_token

# Every field code and vocabulary code with an underscore: none may show in the page's text.
CODES = sorted({f for fields in import_headers.FIELDS.values() for f in fields if "_" in f}
               | {label.code for vocab in VOCABULARIES.values() for label in vocab if "_" in label.code})

BAD_PROJECTS = (
    "外部编号,项目名称,一句话介绍,发展阶段,行业,所在城市,团队人数,成立日期,推荐给投资人,伙伴编号\n"
    "I19-1,项目甲,工业检测,种子期,农业,济南,很多,2021-03-05,是,\n"
    "I19-1,项目乙,,种子期,人工智能,济南,3,明年三月,也许,\n"
    "I19-3,项目丙,工业检测,种子期,人工智能,山东,3,2021-03-05,是,99999999\n"
    "I19-4,项目丁,工业检测,种子期,人工智能|先进制造,济南,3,2021-03-05,否,\n"
)

ZH_ALLOWED = "、".join(label.zh for label in INDUSTRIES)
EN_ALLOWED = ", ".join(label.en for label in INDUSTRIES)
ZH_ERRORS = {
    ("2", "行业（第 1 项）"): f"未知的行业「农业」；是否想填：农业与乡村振兴；可选值：{ZH_ALLOWED}",
    ("2", "团队人数"): "须为整数",
    ("3", "外部编号"): "「I19-1」在第 2 行也出现了：一个编号在文件中只能出现一次",
    ("3", "一句话介绍"): "必填，此行未填写",
    ("3", "成立日期"): "须为日期，如 2021-03-05、2021/3/5 或 2021年3月5日",
    ("3", "推荐给投资人"): "须为“是”或“否”（也可填 true/false）",
    ("4", "伙伴编号"): "本空间没有伙伴编号为 99999999 的项目",
    ("4", "城市"): "未知的城市「山东」；山东是省份，不是城市：请填写其下的城市（如 济南、青岛、淄博…）",
}
EN_ERRORS = {
    ("2", "Industries (value 1)"): f"Unknown industry '农业'; did you mean Agriculture & rural revitalisation? "
                                   f"Valid values: {EN_ALLOWED}",
    ("2", "Team size"): "Must be a whole number",
    ("3", "External id"): "'I19-1' is also on row 2: an id may appear once per file",
    ("3", "One-liner"): "Required: this row leaves it empty",
    ("3", "Founded on"): "Must be a date such as 2021-03-05, 2021/3/5 or 2021年3月5日",
    ("3", "Curated for deal flow"): "Must be yes or no (是/否, true/false)",
    ("4", "Huoban id"): "No project with Huoban id 99999999 in this space",
    ("4", "City"): "Unknown city '山东': 山东 is a province, not a city; give one of its cities (济南、青岛、淄博...)",
}
# the importer's and marshmallow's own words: in neither language's page
RAW_ENGLISH = ("Missing data for required field", "Not a valid", "unknown industry", "valid values:",
               "(agriculture_rural)", "unknown city", "no project with id")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


def post(c: Any, sheet: bytes, *, dry: bool, query: str = "", filename: str = "p.csv") -> str:
    data: dict[str, Any] = {"kind": "project", "file": (io.BytesIO(sheet), filename),
                            "csrf_token": csrf_token(c, "/console/space/import")}
    if dry:
        data["dry_run"] = "1"
    r = c.post(f"/console/space/import{query}", data=data, content_type="multipart/form-data")
    assert r.status_code == 200
    return str(r.get_data(as_text=True))


def error_table(page: str) -> dict[tuple[str, str], str]:
    """(row, field) -> message of the page's table of errors (the all-or-nothing refusal)."""
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)
    return {(html.unescape(a), html.unescape(b)): html.unescape(m) for a, b, m in rows}


def dry_run_errors(page: str) -> dict[tuple[str, str], str]:
    """(row, field) -> message of the dry run's per-row errors."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out: dict[tuple[str, str], str] = {}
    for line, cell in re.findall(r"<tr><td>(\d+)</td>.*?\n\s*<td>(.*?)</td></tr>", body, re.DOTALL):
        for field, message in re.findall(r"<strong>([^<]*)</strong>(?:：|: )(.*?)(?=；<strong>|; <strong>|$)", cell):
            out[(line, html.unescape(field))] = html.unescape(message)
    return out


def assert_no_codes(page: str) -> None:
    text = page_text(page)
    shown = [code for code in CODES if code in text]
    assert shown == [], f"field or value codes in the page: {shown}"


def test_the_import_page_says_row_errors_in_chinese_with_field_labels(env: ApiEnv) -> None:
    c = console_operator(env, env.ids["space2"], "words-zh@example.org")
    refused = post(c, BAD_PROJECTS.encode(), dry=False)
    assert error_table(refused) == ZH_ERRORS
    dry = post(c, BAD_PROJECTS.encode(), dry=True)
    assert "试运行结果" in dry
    assert dry_run_errors(dry) == ZH_ERRORS
    for page in (refused, dry):
        text = page_text(page)
        assert [raw for raw in (*RAW_ENGLISH, "is also on row", "in this space") if raw in text] == []
        # the allowed industries by their Chinese labels only
        assert [label.en for label in INDUSTRIES if label.en in text] == []
        assert_no_codes(page)


def test_the_language_toggle_gives_english_words_and_english_labels(env: ApiEnv) -> None:
    c = console_operator(env, env.ids["space2"], "words-en@example.org")
    assert c.get("/console/space/import?lang=en").status_code == 200  # the toggle: remembered in a cookie
    dry = post(c, BAD_PROJECTS.encode(), dry=True)
    assert "Dry run: nothing was written" in dry
    assert dry_run_errors(dry) == EN_ERRORS
    refused = post(c, BAD_PROJECTS.encode(), dry=False)
    assert error_table(refused) == EN_ERRORS
    for page in (refused, dry):
        text = page_text(page)
        assert [raw for raw in RAW_ENGLISH if raw in text] == []
        # the allowed industries by their English labels only (the sheet's own 农业 is quoted, no label)
        assert [label.zh for label in INDUSTRIES if label.zh in text] == []
        assert_no_codes(page)
    # ?lang= on the request itself works the same for a reader whose cookie says Chinese
    zh_reader = console_operator(env, env.ids["space2"], "words-zh2@example.org")
    assert error_table(post(zh_reader, BAD_PROJECTS.encode(), dry=False, query="?lang=en")) == EN_ERRORS


def test_file_and_header_problems_are_worded_too(env: ApiEnv) -> None:
    c = console_operator(env, env.ids["space2"], "words-file@example.org")
    wrong_type = post(c, b"name\nx\n", dry=True, filename="p.txt")
    assert error_table(wrong_type) == {("整个文件", ""): "请上传 .csv 或 .xlsx 文件"}
    header_only = post(c, "项目名称,一句话介绍\n".encode(), dry=True)
    assert error_table(header_only) == {("整个文件", ""): "文件只有表头，没有可导入的行"}
    unknown = post(c, "备注,其他\nx,y\n".encode(), dry=True)
    assert error_table(unknown) == {("1", "备注"): "无法识别的列：不对应任何字段（表头请参照导入模板）",
                                    ("1", "其他"): "无法识别的列：不对应任何字段（表头请参照导入模板）"}
    twice = post(c, "名称,项目名称\nx,y\n".encode(), dry=True, query="?lang=en")
    assert error_table(twice) == {("1", "Project name"): "More than one column names this field: 名称, 项目名称"}


# -- the translation table ------------------------------------------------------------------------------------
def _industries_error(value: str) -> str:
    try:
        INDUSTRIES.parse(value)
    except ValueError as exc:
        return str(exc)
    raise AssertionError(value)


INVESTOR_KIND_ZH = "、".join(label.zh for label in INVESTOR_KINDS)
INVESTOR_KIND_EN = ", ".join(label.en for label in INVESTOR_KINDS)
_VALID_KINDS = ", ".join(f"{label.zh} {label.en} ({label.code})" for label in INVESTOR_KINDS)

# rule -> (kind, field, message as the importer or marshmallow writes it, Chinese, English)
EXAMPLES: dict[str, tuple[str, str, str, str, str]] = {
    "required": ("project", "one_liner", "Missing data for required field.", "必填，此行未填写",
                 "Required: this row leaves it empty"),
    "null": ("project", "name", "Field may not be null.", "不能为空", "May not be empty"),
    "invalid_value": ("project", "name", "Invalid value.", "值无效", "Not a valid value"),
    "not_string": ("project", "name", "Not a valid string.", "须为文字", "Must be text"),
    "not_utf8": ("project", "name", "Not a valid utf-8 string.", "含有无法识别的字符",
                 "Holds characters that are not valid text"),
    "not_integer": ("investor", "ticket_min", "Not a valid integer.", "须为金额（元），如 600万、1.5亿 或 6000000",
                    "Must be an amount in CNY, e.g. 600万, 1.5亿 or 6,000,000"),
    "not_number": ("project", "team_size", "Not a valid number.", "须为数字", "Must be a number"),
    "too_large": ("project", "team_size", "Number too large.", "数字过大", "The number is too large"),
    "special_number": ("project", "team_size", "Special numeric values (nan or infinity) are not permitted.",
                       "不能是 NaN 或无穷大", "May not be NaN or infinity"),
    "not_boolean": ("mentor", "active", "Not a valid boolean.", "须为“是”或“否”（也可填 true/false）",
                    "Must be yes or no (是/否, true/false)"),
    "not_date": ("project", "founded_on", "Not a valid date.", "须为日期，如 2021-03-05、2021/3/5 或 2021年3月5日",
                 "Must be a date such as 2021-03-05, 2021/3/5 or 2021年3月5日"),
    "not_email": ("mentor", "contact_email", "Not a valid email address.", "须为有效的邮箱地址，如 name@example.com",
                  "Must be an email address such as name@example.com"),
    "not_list": ("project", "needs", "Not a valid list.", "须为一个或多个值（用 | 分隔）",
                 "Must be one or more values (separated by |)"),
    "pattern": ("mentor", "contact_phone", "String does not match expected pattern.", "只能包含数字、空格和 + ( ) -",
                "May hold only digits, spaces and + ( ) -"),
    "length_between": ("project", "industries", "Length must be between 1 and 5.", "须为 1 到 5 项",
                       "Must have 1 to 5 values"),
    "length_min": ("project", "name", "Shorter than minimum length 1.", "至少 1 个字符",
                   "Must have at least 1 character"),
    "length_max": ("project", "one_liner", "Longer than maximum length 500.", "最多 500 个字符",
                   "May have at most 500 characters"),
    "length_equal": ("project", "languages", "Length must be 2.", "须为 2 项", "Must have exactly 2 values"),
    "range_between": ("project", "funding_sought", "Must be greater than or equal to 0 and less than or equal to "
                      "1000000000000.", "须不小于 0 且不大于 1,000,000,000,000",
                      "Must be at least 0 and at most 1,000,000,000,000"),
    "range_one_side": ("mentor", "capacity", "Must be greater than 0.", "须大于 0", "Must be more than 0"),
    "one_of": ("provider", "price_tier", "Must be one of: free, budget.", "须为以下之一：free, budget",
               "Must be one of: free, budget"),
    "unknown_field": ("project", "", "Unknown field.", "不是可导入的字段", "Not a field that can be imported"),
    "invalid_type": ("project", "", "Invalid input type.", "数据类型不正确", "The value has the wrong type"),
    "nul": ("project", "name", "NUL characters are not allowed", "不能包含 NUL 空字符",
            "May not contain NUL characters"),
    "past_date": ("project", "founded_on", "founded_on must be a past date", "成立日期须为过去的日期（1900 年以后）",
                  "Founded on must be a past date (after 1900)"),
    "needs_other_field": ("project", "round_sought", "funding_sought needs a round_sought",
                          "填写了拟融资金额时，须同时填写融资轮次", "Funding sought needs Round sought as well"),
    "must_not_exceed": ("investor", "ticket_max", "ticket_min must not exceed ticket_max",
                        "单笔最低投资额不能大于单笔最高投资额", "Ticket min must not exceed Ticket max"),
    "below_other_field": ("investor", "ticket_max", "below ticket_min", "不能小于单笔最低投资额",
                          "Must not be below Ticket min"),
    "unknown_label": ("investor", "kind", f"unknown investor_kind '投资'; did you mean 天使投资人 Angel (angel) / "
                      f"风险投资 Venture capital (vc); valid values: {_VALID_KINDS}",
                      f"未知的投资人类型「投资」；是否想填：天使投资人、风险投资；可选值：{INVESTOR_KIND_ZH}",
                      f"Unknown investor kind '投资'; did you mean Angel or Venture capital? "
                      f"Valid values: {INVESTOR_KIND_EN}"),
    "unknown_place": ("project", "city", "unknown city '济南x'; give a city by Chinese name, pinyin, English name or "
                      "GB/T 2260 code (济南, Jinan, 370100); did you mean 济南 / 济南市?",
                      "未知的城市「济南x」；请填写城市的中文名、拼音、英文名或行政区划代码（如 济南、Jinan、370100）；"
                      "是否想填：济南 / 济南市",
                      "Unknown city '济南x': give a city by its Chinese name, pinyin, English name or GB/T 2260 code "
                      "(济南, Jinan, 370100); did you mean 济南 / 济南市?"),
    "not_a_city": ("project", "city", "unknown city '华东'; 华东 is a macro region, not a city: give a city of it "
                   "(上海、江苏、浙江...)",
                   "未知的城市「华东」；华东是大区，不是城市：请填写其下的城市（如 上海、江苏、浙江…）",
                   "Unknown city '华东': 华东 is a macro region, not a city; give one of its cities "
                   "(上海、江苏、浙江...)"),
    "ambiguous_place": ("mentor", "regions.0", "unknown region 'Taizhou'; it names several places: 泰州市 (321200, "
                        "江苏); 台州市 (331000, 浙江); give the Chinese name or code",
                        "地区「Taizhou」对应多个地点：泰州市 (321200, 江苏)；台州市 (331000, 浙江)；"
                        "请填写中文全称或代码",
                        "The region 'Taizhou' names several places: 泰州市 (321200, 江苏); 台州市 (331000, 浙江); give "
                        "the Chinese name or code"),
    "not_a_place_code": ("project", "city", "unknown city '999999'; not a place code", "「999999」不是地点代码",
                         "'999999' is no place code"),
    "unknown_column": ("project", "备注", "unknown column", "无法识别的列：不对应任何字段（表头请参照导入模板）",
                       "Column not recognised: it names no field (see the import template for the headers)"),
    "named_twice": ("project", "name", "named by 名称, 项目名称", "多个列指向同一字段：名称, 项目名称",
                    "More than one column names this field: 名称, 项目名称"),
    "no_such_id": ("provider", "id", "no provider with id 12 in this space", "本空间没有伙伴编号为 12 的服务机构",
                   "No service provider with Huoban id 12 in this space"),
    "external_id_twice": ("project", "external_id", "'P-1' is also on row 3",
                          "「P-1」在第 3 行也出现了：一个编号在文件中只能出现一次",
                          "'P-1' is also on row 3: an id may appear once per file"),
    "external_id_elsewhere": ("mentor", "external_id", "'M-1' belongs to mentor 7, not 9",
                              "「M-1」属于导师 7，而不是本行更新的 9",
                              "'M-1' belongs to mentor 7, not to 9 which this row updates"),
    "updated_twice": ("investor", "id", "investor 7 is also updated by row 4",
                      "第 4 行也在更新投资人 7：一个档案只能由一行更新",
                      "Row 4 updates investor 7 as well: one row per profile"),
    "xlsx_unpacks_too_large": ("project", "", "the workbook unpacks to more than 64 MB",
                               "工作簿解压后超过 64 MB，请拆分后再导入",
                               "The workbook unpacks to more than 64 MB; split it"),
    "xlsx_too_many_cells": ("project", "", "the workbook has more than 320064 cells; at most 5000 rows of 64 columns "
                            "are read", "工作簿超过 320,064 个单元格；最多读取 5,000 行、每行 64 列",
                            "The workbook has more than 320,064 cells; at most 5,000 rows of 64 columns are read"),
    "too_many_scanned_rows": ("project", "", "at most 5000 rows per file (the sheet has more than 20000 rows, empty "
                              "or not)", "每个文件最多 5,000 行（该表连同空行超过 20,000 行）",
                              "At most 5,000 rows per file (the sheet has more than 20,000 rows, empty or not)"),
    "too_many_rows": ("project", "", "at most 5000 rows per file", "每个文件最多 5,000 行",
                      "At most 5,000 rows per file"),
    "xlsx_unreadable": ("project", "", "not a readable XLSX file", "无法读取该 XLSX 文件", "Not a readable XLSX file"),
    "xlsx_damaged": ("project", "", "not a readable XLSX file (the file is damaged)",
                     "无法读取该 XLSX 文件：文件已损坏", "Not a readable XLSX file: the file is damaged"),
    "xlsx_bad_cell": ("project", "", "not a readable XLSX file (a cell holds a value of the wrong type, or the file "
                      "is damaged)", "无法读取该 XLSX 文件：某个单元格的值类型有误，或文件已损坏",
                      "Not a readable XLSX file: a cell holds a value of the wrong type, or the file is damaged"),
    "xlsx_part_unpacks_too_large": ("mentor", "", "xl/sharedStrings.xml unpacks to more than 32 MB",
                                    "文件中的 xl/sharedStrings.xml 解压后超过 32 MB，未导入",
                                    "xl/sharedStrings.xml unpacks to more than 32 MB; nothing was imported"),
    "xlsx_part_ratio": ("mentor", "", "xl/worksheets/sheet1.xml unpacks to more than 100 times its packed size",
                        "文件中的 xl/worksheets/sheet1.xml 压缩比超过 100 倍（疑似压缩炸弹），未导入",
                        "xl/worksheets/sheet1.xml unpacks to more than 100 times its packed size (a zip bomb?); "
                        "nothing was imported"),
    "xlsx_too_many_styles": ("mentor", "", "xl/styles.xml has more than 20000 cell formats (<xf> entries)",
                             "工作簿的单元格格式超过 20,000 种，未导入",
                             "The workbook has more than 20,000 cell formats; nothing was imported"),
    "xlsx_too_many_strings": ("mentor", "", "xl/sharedStrings.xml has more than 200000 shared strings",
                              "工作簿的共享字符串超过 200,000 个，未导入",
                              "The workbook has more than 200,000 shared strings; nothing was imported"),
    "xlsx_other_elements": ("mentor", "", "xl/workbook.xml: the workbook has more than 50000 XML elements outside "
                            "worksheet rows and shared strings (styles, names, links, comments...)",
                            "工作簿中表格数据以外的内容（样式、名称、链接、批注等）超过 50,000 个元素，未导入",
                            "The workbook has more than 50,000 elements outside its rows (styles, names, links, "
                            "comments...); nothing was imported"),
    "xlsx_outside_rows": ("mentor", "", "xl/worksheets/sheet1.xml holds more than 8 MB outside its rows",
                          "工作表 xl/worksheets/sheet1.xml 的表格数据以外内容超过 8 MB，未导入",
                          "xl/worksheets/sheet1.xml holds more than 8 MB outside its rows; nothing was imported"),
    "xlsx_sheet_elements": ("mentor", "", "the worksheets have more than 1300256 XML elements in their rows",
                            "工作表的单元格内容超过 1,300,256 个元素，未导入",
                            "The worksheets have more than 1,300,256 elements in their rows; nothing was imported"),
    "xlsx_row_too_big": ("mentor", "", "xl/worksheets/sheet1.xml: a row has more than 16384 cells",
                         "某一行超过 16,384 个单元格，未导入",
                         "A row has more than 16,384 cells; nothing was imported"),
    "xlsx_too_many_parts": ("mentor", "", "the workbook has more than 1000 parts",
                            "工作簿内部文件超过 1,000 个，未导入",
                            "The workbook has more than 1,000 parts; nothing was imported"),
    "xlsx_unreadable_detail": ("mentor", "", "not a readable XLSX file (xl/styles.xml declares a DTD, which an "
                               "XLSX part never does)",
                               "无法读取该 XLSX 文件（xl/styles.xml declares a DTD, which an XLSX part never does）；"
                               "请用 Excel、WPS 或 LibreOffice 重新保存",
                               "Not a readable XLSX file (xl/styles.xml declares a DTD, which an XLSX part never "
                               "does); save it again from Excel, WPS or LibreOffice"),
    "unknown_encoding": ("project", "", "cannot tell the file's encoding: save it as UTF-8 CSV, or as CSV from "
                         "Excel (GBK)", "无法识别文件编码：请另存为 UTF-8 CSV，或用 Excel 另存为 CSV（GBK）",
                         "Cannot tell the file's encoding: save it as UTF-8 CSV, or as CSV from Excel (GBK)"),
    "unreadable_csv": ("project", "", "unreadable CSV: field larger than field limit (131072)",
                       "无法读取 CSV 文件：某个单元格超过 131072 个字符",
                       "Unreadable CSV: a cell holds more than 131072 characters"),
    "wrong_file_type": ("project", "", "upload a .csv or .xlsx file", "请上传 .csv 或 .xlsx 文件",
                        "Upload a .csv or .xlsx file"),
    "empty_file": ("project", "", "the file is empty", "文件是空的", "The file is empty"),
    "header_only": ("project", "", "the file has a header row but no rows to import", "文件只有表头，没有可导入的行",
                    "The file has a header row but no rows to import"),
    "same_field_twice": ("project", "", "two columns name the same field", "有两列指向同一个字段",
                         "Two columns name the same field"),
    "no_known_column": ("project", "", "no column names a field (see the import template for the headers)",
                        "没有一列对应到字段（表头请参照导入模板）",
                        "No column names a field (see the import template for the headers)"),
    "rows_rejected": ("project", "", "3 row(s) failed validation; nothing was imported",
                      "3 行未通过校验，未导入任何数据", "3 row(s) failed validation; nothing was imported"),
}


def test_every_rule_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(r.name for r in RULES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_rule_words_its_message_in_both_languages(name: str) -> None:
    kind, field, message, zh, en = EXAMPLES[name]
    rule = rule_for(message)
    assert rule is not None and rule.name == name
    assert translate_message(message, kind, field, "zh") == zh
    assert translate_message(message, kind, field, "en") == en


def test_a_message_no_rule_knows_is_shown_as_it_is() -> None:
    for message in ("the moon is not a valid city", "unknown colour 'x'; valid values: red, blue", ""):
        assert rule_for(message) is None
        assert translate_message(message, "project", "name", "zh") == message
        assert translate_message(message, "project", "name", "en") == message
    assert readable({"line": 7, "field": "team_size", "message": "something new"}, "project", "zh") == \
        {"line": 7, "field": "团队人数", "message": "something new"}


def test_unknown_labels_name_the_allowed_values_by_the_languages_labels_only() -> None:
    message = _industries_error("农业")
    assert "(agriculture_rural)" in message  # the importer's own words: zh en (code) triples
    zh = translate_message(message, "project", "industries.0", "zh")
    assert zh == f"未知的行业「农业」；是否想填：农业与乡村振兴；可选值：{ZH_ALLOWED}"
    en = translate_message(message, "project", "industries.0", "en")
    assert en == f"Unknown industry '农业'; did you mean Agriculture & rural revitalisation? Valid values: {EN_ALLOWED}"
    # a label with a slash in it is one suggestion, not two
    try:
        INVESTOR_KINDS.parse("银行")
    except ValueError as exc:
        bank = str(exc)
    assert translate_message(bank, "investor", "kind", "zh").startswith(
        "未知的投资人类型「银行」；是否想填：银行/信贷；")
    assert translate_message(bank, "investor", "kind", "en").startswith(
        "Unknown investor kind '银行'; did you mean Bank / credit? Valid values: Angel, ")
    no_hint = _industries_error("zzz")
    assert translate_message(no_hint, "project", "industries.0", "zh") == f"未知的行业「zzz」；可选值：{ZH_ALLOWED}"


def test_every_field_of_every_kind_has_a_label_from_the_import_template() -> None:
    for kind, names in import_headers.FIELDS.items():
        for name in names:
            zh, en = field_label(kind, name, "zh"), field_label(kind, name, "en")
            assert (zh, en) == import_headers.LABELS[kind][name][:2]
            assert "_" not in zh + en and name not in (zh, en)
    assert field_label("investor", "rounds.2", "zh") == "投资轮次（第 3 项）"
    assert field_label("investor", "rounds.2", "en") == "Rounds (value 3)"
    assert field_label("project", "备注", "zh") == "备注"  # a header of the sheet, not a field


# -- what the schemas and the importer really write has words -------------------------------------------------
BAD_ROWS: dict[str, dict[str, Any]] = {
    "project": {"name": "x" * 201, "one_liner": 5, "stage": "起步", "industries": ["农业", "ai", "iot", "robotics",
                "big_data", "education"], "city": "山东", "languages": ["zh", "en", "fr"], "team_size": "很多",
                "funding_sought": -1, "founded_on": "明年", "dealflow_curated": "也许", "external_id": "a\x01b",
                "contact_email": "nobody", "contact_phone": "call me", "bogus": 1},
    "mentor": {"mentor_type": "大师", "expertise": "", "serves": [], "stages": ["seed"], "city": "Taizhou",
               "regions": ["火星"], "capacity": 1001, "active": "maybe"},
    "investor": {"name": "n", "kind": "投资", "thesis": "t", "rounds": ["a"], "ticket_min": "abc", "ticket_max": 5,
                 "stages": ["seed"], "city": "华东", "capacity": 10_001},
    "provider": {"name": "n", "category": "律师", "services": "x" * 1001, "serves": ["legal"], "stages": ["seed"],
                 "city": "济南", "price_tier": "贵"},
}
CROSS_FIELD: list[tuple[str, dict[str, Any]]] = [
    ("investor", {"name": "n", "kind": "vc", "thesis": "t", "rounds": ["a"], "ticket_min": 9, "ticket_max": 5,
                  "stages": ["seed"], "city": "济南"}),
    ("project", {"name": "n", "one_liner": "o", "stage": "seed", "industries": ["ai"], "city": "济南",
                 "funding_sought": 5, "round_sought": None}),
]


def _schema_errors() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for kind, raw in [*BAD_ROWS.items(), *CROSS_FIELD]:
        with pytest.raises(ValidationError) as caught:
            importer.SCHEMAS[kind]().load(raw)
        out += [(kind, e["field"], e["message"]) for e in field_errors({"row": caught.value.messages})]
    return out


def test_every_message_the_schemas_give_bad_rows_is_worded() -> None:
    errors = _schema_errors()
    matched = {rule.name for _, _, message in errors if (rule := rule_for(message)) is not None}
    unmatched = [message for _, _, message in errors if rule_for(message) is None]
    assert unmatched == []
    assert {"required", "not_string", "not_integer", "not_boolean", "not_date", "not_email", "pattern",
            "length_between", "range_between", "unknown_field", "unknown_label", "unknown_place", "not_a_city",
            "ambiguous_place", "must_not_exceed", "needs_other_field"} <= matched
    for kind, field, message in errors:
        zh = readable({"line": 2, "field": field, "message": message}, kind, "zh")
        assert zh["message"] != message and re.search(r"[\u4e00-\u9fff]", zh["message"]), message
        assert "_" not in zh["field"] and "_" not in zh["message"], (field, zh)
        en = readable({"line": 2, "field": field, "message": message}, kind, "en")
        assert "_" not in en["field"] and "_" not in en["message"], (field, en)


FILES: list[tuple[str, bytes]] = [
    ("p.txt", b"name\nx\n"),
    ("p.csv", b""),
    ("p.csv", "项目名称\n".encode()),
    ("p.csv", "备注,其他\nx,y\n".encode()),
    ("p.csv", "名称,项目名称\nx,y\n".encode()),
    ("p.csv", b"name\n" + b"x\n" * (importer.MAX_ROWS + 1)),
    ("p.csv", b"name\n" + b"\n" * (importer.MAX_SCANNED_ROWS + 1)),
    ("p.csv", b'name\n"' + b"x" * 140_000 + b'"\n'),
    ("p.xlsx", b"not a zip"),
    ("p.xlsx", pack({"hello.txt": b"hi"})),
    ("p.xlsx", pack({"xl/worksheets/sheet1.xml": b"<c/>" * (importer.MAX_XLSX_CELLS + 1)})),
    ("p.xlsx", pack({"big.bin": b"\0" * (importer.MAX_XLSX_UNPACKED + 1)})),
]


@pytest.mark.parametrize(("filename", "content"), FILES, ids=[f"{n}-{len(c)}" for n, c in FILES])
def test_every_file_problem_of_the_importer_is_worded(filename: str, content: bytes) -> None:
    with pytest.raises(HTTPError) as caught:
        importer.plan(cast(Any, None), "project", 1, filename, content)  # refused before any query
    err = caught.value
    errors = (err.extra_data or {}).get("errors") or [{"line": 0, "field": "", "message": err.message}]
    for e in [{"line": 0, "field": "", "message": err.message}, *errors]:
        assert rule_for(e["message"]) is not None, e["message"]
        zh = readable(e, "project", "zh")
        assert zh["message"] != e["message"] and re.search(r"[\u4e00-\u9fff]", zh["message"]), e["message"]
