"""Import errors as a person reads them in the console (issue 19, "words for every code").

The importer (``api.services.importer``) answers in English with field codes: its own messages (unknown
column, an external id on two rows, no profile with that id...), marshmallow's validation messages (missing
field, not a valid integer, length and range limits...), the taxonomy's ``UnknownLabelError`` (which names
the allowed values as ``zh en (code)`` triples) and the file-level problems (too many rows, unreadable CSV,
a workbook too large). :func:`readable` turns one ``{line, field, message}`` into what the console shows in
Chinese or English: the field by the label of the import template's column header
(``api.services.import_headers.LABELS``), the message by the first pattern of :data:`RULES` that matches it
whole, the allowed values of a vocabulary by their labels in that language only. A message no pattern
matches is shown as it is, never dropped.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from marshmallow import fields

from api.services import import_headers, importer
from matcher import taxonomy

__all__ = ["RULES", "Rule", "field_label", "readable", "rule_for", "translate_message"]

# The profile kinds as a message names them (the importer writes "no mentor with id 7 in this space").
KINDS: dict[str, tuple[str, str]] = {
    "project": ("项目", "project"), "mentor": ("导师", "mentor"), "investor": ("投资人", "investor"),
    "provider": ("服务机构", "service provider"),
}

# The vocabularies an import row names (UnknownLabelError says "unknown <name> ..."), with their words.
VOCABULARIES: dict[str, taxonomy.Vocabulary] = {v.name: v for v in (
    taxonomy.STAGES, taxonomy.ROUNDS, taxonomy.INDUSTRIES, taxonomy.NEEDS, taxonomy.PROVIDER_CATEGORIES,
    taxonomy.MENTOR_TYPES, taxonomy.INVESTOR_KINDS, taxonomy.PRICE_TIERS, taxonomy.LANGUAGES,
    taxonomy.MACRO_REGIONS)}
VOCABULARY_WORDS: dict[str, tuple[str, str]] = {
    "stage": ("阶段", "stage"), "round": ("轮次", "round"), "industry": ("行业", "industry"),
    "need": ("需求", "need"), "provider_category": ("服务类别", "provider category"),
    "mentor_type": ("导师类型", "mentor type"), "investor_kind": ("投资人类型", "investor kind"),
    "price_tier": ("收费档次", "price tier"), "language": ("语言", "language"),
    "macro_region": ("大区", "macro region"), "city": ("城市", "city"), "region": ("地区", "region"),
}
_PLACE_LEVELS: dict[str, tuple[str, str]] = {
    "province": ("省份", "province"), "municipality": ("直辖市", "municipality"),
    "macro region": ("大区", "macro region"), "nationwide": ("全国范围", "nationwide area"),
}
_OPS: dict[str, tuple[str, str]] = {
    "greater than or equal to": ("不小于", "at least"), "greater than": ("大于", "more than"),
    "less than or equal to": ("不大于", "at most"), "less than": ("小于", "less than"),
}
# what "does not match expected pattern" means for the fields with a pattern
_PATTERN_HINTS: dict[str, tuple[str, str]] = {
    "contact_phone": ("只能包含数字、空格和 + ( ) -", "May hold only digits, spaces and + ( ) -"),
    "external_id": ("不能包含换行等控制字符", "Must not contain control characters such as line breaks"),
}
_CSV_DETAILS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"field larger than field limit \((\d+)\)"), "某个单元格超过 {0} 个字符",
     "a cell holds more than {0} characters"),
)


@dataclass(frozen=True)
class Context:
    kind: str
    field: str  # the error's field path, e.g. "industries.0"
    lang: str

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    @property
    def name(self) -> str:
        return self.field.partition(".")[0]

    def pick(self, pair: tuple[str, str]) -> str:
        return pair[0] if self.zh else pair[1]

    def label(self, field: str) -> str:
        return field_label(self.kind, field, self.lang)

    def kind_word(self, kind: str) -> str:
        return self.pick(KINDS[kind]) if kind in KINDS else kind

    def unit(self, plural: bool = True) -> str:
        """What a length counts: the values of a list field, else characters."""
        if self.name in _list_fields(self.kind):
            return "项" if self.zh else "values" if plural else "value"
        return "个字符" if self.zh else "characters" if plural else "character"


Render = str | Callable[[re.Match[str], Context], str]


@dataclass(frozen=True)
class Rule:
    """One message the importer or marshmallow writes (``pattern`` matches it whole) and its words: a format
    string over the pattern's groups (``field*`` groups become labels, ``kind`` a kind word, ``value`` the
    value without its quotes; ``{unit}``, ``{hint}`` come from the field) or a function of the match."""

    name: str
    pattern: re.Pattern[str]
    zh: Render
    en: Render


@lru_cache(maxsize=8)
def _list_fields(kind: str) -> frozenset[str]:
    schema = importer.SCHEMAS.get(kind)
    if schema is None:
        return frozenset()
    return frozenset(n for n, f in schema().fields.items() if isinstance(f, fields.List))


def field_label(kind: str, field: str, lang: str) -> str:
    """The label of a field's column in the import template, in the language (``industries.1``: the label and
    which value of the list); anything that is no field of the kind (a header the sheet used) as it is."""
    name, _, rest = field.partition(".")
    labels = import_headers.LABELS.get(kind, {}).get(name)
    if not labels:
        return field
    text = labels[0] if lang == "zh" else labels[1]
    if rest.isdigit():
        n = int(rest) + 1
        text += f"（第 {n} 项）" if lang == "zh" else f" (value {n})"
    return text


def _unquote(text: str) -> str:
    """A value as the importer wrote it with ``!r`` ('P-1'), without the quotes."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text.strip("'\"")
    return str(value)


def _number(text: str) -> str:
    try:
        return f"{int(text):,}"
    except ValueError:
        return text


def _fill(template: str, m: re.Match[str], ctx: Context) -> str:
    values: dict[str, str] = {}
    for key, value in m.groupdict().items():
        value = value or ""
        if key.startswith("field"):
            value = ctx.label(value)
        elif key == "kind":
            value = ctx.kind_word(value)
        elif key == "value":
            value = _unquote(value)
        elif key.startswith("num"):
            value = _number(value)
        elif key.startswith("op"):
            value = ctx.pick(_OPS.get(value, (value, value)))
        values[key] = value
    if "{unit}" in template:
        counts = [v for k, v in m.groupdict().items() if k.startswith("num")]
        values["unit"] = ctx.unit(plural=counts != ["1"])
    if "{hint}" in template:
        values["hint"] = ctx.pick(_PATTERN_HINTS.get(ctx.name, ("格式不正确", "Not in the expected format")))
    return template.format(**values)


# -- the taxonomy's UnknownLabelError and the places' PlaceError ---------------------------------------------
_QUOTED = r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
_SUGGESTED_CODE = re.compile(r"\(([^()\s]+)\)(?= / |$)")


def _labels(vocab: taxonomy.Vocabulary, codes: list[str], ctx: Context) -> list[str]:
    return [vocab.zh(c) if ctx.zh else vocab.en(c) for c in codes if c in vocab]


def _unknown_label(m: re.Match[str], ctx: Context) -> str:
    vocab = VOCABULARIES[m["vocab"]]
    word, value = ctx.pick(VOCABULARY_WORDS[vocab.name]), _unquote(m["value"])
    suggested = _labels(vocab, list(dict.fromkeys(_SUGGESTED_CODE.findall(m["hint"] or ""))), ctx)
    allowed = _labels(vocab, list(vocab.codes), ctx)
    if ctx.zh:
        hint = f"；是否想填：{'、'.join(suggested)}" if suggested else ""
        return f"未知的{word}「{value}」{hint}；可选值：{'、'.join(allowed)}"
    hint = f"; did you mean {' or '.join(suggested)}?" if suggested else "."
    return f"Unknown {word} '{value}'{hint} Valid values: {', '.join(allowed)}"


def _unknown_place(m: re.Match[str], ctx: Context) -> str:
    word, value = ctx.pick(VOCABULARY_WORDS[m["vocab"]]), _unquote(m["value"])
    close = f"；是否想填：{m['close']}" if ctx.zh and m["close"] else \
        f"; did you mean {m['close']}?" if m["close"] else ""
    if m["vocab"] == "city":
        what = ("请填写城市的中文名、拼音、英文名或行政区划代码（如 济南、Jinan、370100）",
                "give a city by its Chinese name, pinyin, English name or GB/T 2260 code (济南, Jinan, 370100)")
    else:
        what = ("请填写城市、省份、大区（如 华东）或“全国”，"
                "可用中文名、拼音、英文名或行政区划代码（如 济南、Jinan、370100）",
                "give a city, province, macro region (华东...) or 全国 by its Chinese name, pinyin, English name or "
                "GB/T 2260 code (济南, Jinan, 370100)")
    if ctx.zh:
        return f"未知的{word}「{value}」；{what[0]}{close}"
    return f"Unknown {word} '{value}': {what[1]}{close}"


def _not_a_city(m: re.Match[str], ctx: Context) -> str:
    value, place, examples = _unquote(m["value"]), m["place"], m["examples"]
    level = _PLACE_LEVELS.get(m["level"], (m["level"], m["level"]))
    if ctx.zh:
        return f"未知的城市「{value}」；{place}是{level[0]}，不是城市：请填写其下的城市" + \
            (f"（如 {examples}…）" if examples else "")
    return f"Unknown city '{value}': {place} is a {level[1]}, not a city; give one of its cities" + \
        (f" ({examples}...)" if examples else "")


def _ambiguous_place(m: re.Match[str], ctx: Context) -> str:
    word, value = ctx.pick(VOCABULARY_WORDS[m["vocab"]]), _unquote(m["value"])
    if ctx.zh:
        return f"{word}「{value}」对应多个地点：{m['options'].replace('; ', '；')}；请填写中文全称或代码"
    return f"The {word} '{value}' names several places: {m['options']}; give the Chinese name or code"


def _unreadable_csv(m: re.Match[str], ctx: Context) -> str:
    detail = m["detail"]
    for pattern, zh, en in _CSV_DETAILS:
        found = pattern.fullmatch(detail)
        if found:
            detail = (zh if ctx.zh else en).format(*found.groups())
            break
    return f"无法读取 CSV 文件：{detail}" if ctx.zh else f"Unreadable CSV: {detail}"


_ROW_UNITS_ZH = {"MB": "MB", "cells": "个单元格", "XML elements": "个元素"}


def _rule(name: str, pattern: str, zh: Render, en: Render) -> Rule:
    return Rule(name, re.compile(pattern, re.DOTALL), zh, en)


_VOCABS = "|".join(sorted(VOCABULARIES, key=len, reverse=True))
_RANGE_OP = r"(?:greater|less) than(?: or equal to)?"
_NUM = r"-?\d+(?:\.\d+)?"

RULES: tuple[Rule, ...] = (
    # -- marshmallow: fields and validators of the schemas an import row is loaded with
    _rule("required", r"Missing data for required field\.", "必填，此行未填写", "Required: this row leaves it empty"),
    _rule("null", r"Field may not be null\.", "不能为空", "May not be empty"),
    _rule("invalid_value", r"Invalid value\.|Invalid input\.", "值无效", "Not a valid value"),
    _rule("not_string", r"Not a valid string\.", "须为文字", "Must be text"),
    _rule("not_utf8", r"Not a valid utf-8 string\.", "含有无法识别的字符", "Holds characters that are not valid text"),
    _rule("not_integer", r"Not a valid integer\.",
          lambda m, c: "须为金额（元），如 600万、1.5亿 或 6000000" if c.name in importer.MONEY_FIELDS else "须为整数",
          lambda m, c: "Must be an amount in CNY, e.g. 600万, 1.5亿 or 6,000,000" if c.name in importer.MONEY_FIELDS
          else "Must be a whole number"),
    _rule("not_number", r"Not a valid number\.", "须为数字", "Must be a number"),
    _rule("too_large", r"Number too large\.", "数字过大", "The number is too large"),
    _rule("special_number", r"Special numeric values \(nan or infinity\) are not permitted\.",
          "不能是 NaN 或无穷大", "May not be NaN or infinity"),
    _rule("not_boolean", r"Not a valid boolean\.", "须为“是”或“否”（也可填 true/false）",
          "Must be yes or no (是/否, true/false)"),
    _rule("not_date", r"Not a valid date\.", "须为日期，如 2021-03-05、2021/3/5 或 2021年3月5日",
          "Must be a date such as 2021-03-05, 2021/3/5 or 2021年3月5日"),
    _rule("not_email", r"Not a valid email address\.", "须为有效的邮箱地址，如 name@example.com",
          "Must be an email address such as name@example.com"),
    _rule("not_list", r"Not a valid list\.", "须为一个或多个值（用 | 分隔）",
          "Must be one or more values (separated by |)"),
    _rule("pattern", r"String does not match expected pattern\.", "{hint}", "{hint}"),
    _rule("length_between", r"Length must be between (?P<num_min>\d+) and (?P<num_max>\d+)\.",
          "须为 {num_min} 到 {num_max} {unit}", "Must have {num_min} to {num_max} {unit}"),
    _rule("length_min", r"Shorter than minimum length (?P<num_min>\d+)\.", "至少 {num_min} {unit}",
          "Must have at least {num_min} {unit}"),
    _rule("length_max", r"Longer than maximum length (?P<num_max>\d+)\.", "最多 {num_max} {unit}",
          "May have at most {num_max} {unit}"),
    _rule("length_equal", r"Length must be (?P<num>\d+)\.", "须为 {num} {unit}", "Must have exactly {num} {unit}"),
    _rule("range_between", rf"Must be (?P<op_low>{_RANGE_OP}) (?P<num_low>{_NUM}) and (?P<op_high>{_RANGE_OP}) "
                           rf"(?P<num_high>{_NUM})\.",
          "须{op_low} {num_low} 且{op_high} {num_high}", "Must be {op_low} {num_low} and {op_high} {num_high}"),
    _rule("range_one_side", rf"Must be (?P<op>{_RANGE_OP}) (?P<num>{_NUM})\.", "须{op} {num}", "Must be {op} {num}"),
    _rule("one_of", r"Must be one of: (?P<choices>.*)\.", "须为以下之一：{choices}", "Must be one of: {choices}"),
    _rule("unknown_field", r"Unknown field\.", "不是可导入的字段", "Not a field that can be imported"),
    _rule("invalid_type", r"Invalid input type\.|Invalid type\.", "数据类型不正确", "The value has the wrong type"),
    _rule("nul", r"NUL characters are not allowed", "不能包含 NUL 空字符", "May not contain NUL characters"),
    _rule("past_date", r"(?P<field>\w+) must be a past date", "{field}须为过去的日期（1900 年以后）",
          "{field} must be a past date (after 1900)"),
    _rule("needs_other_field", r"(?P<field>\w+) needs a (?P<field2>\w+)", "填写了{field}时，须同时填写{field2}",
          "{field} needs {field2} as well"),
    _rule("must_not_exceed", r"(?P<field>\w+) must not exceed (?P<field2>\w+)", "{field}不能大于{field2}",
          "{field} must not exceed {field2}"),
    _rule("below_other_field", r"below (?P<field>\w+)", "不能小于{field}", "Must not be below {field}"),
    # -- the taxonomy: a value that is no code or label of a vocabulary, a place that is no city or region
    _rule("unknown_label", rf"unknown (?P<vocab>{_VOCABS}) {_QUOTED}(?:; did you mean (?P<hint>.+?))?; "
                           r"valid values: (?P<valid>.+)", _unknown_label, _unknown_label),
    _rule("unknown_place", rf"unknown (?P<vocab>city|region) {_QUOTED}; give (?:a city|a city, province, macro "
                           r"region \(华东\.\.\.\) or 全国) by Chinese name, pinyin, English name or GB/T 2260 code "
                           r"\(济南, Jinan, 370100\)(?:; did you mean (?P<close>.+)\?)?",
          _unknown_place, _unknown_place),
    _rule("not_a_city", rf"unknown city {_QUOTED}; (?P<place>.+?) is a (?P<level>[a-z ]+), not a city: give a city "
                        r"of it \((?P<examples>.*)\.\.\.\)", _not_a_city, _not_a_city),
    _rule("ambiguous_place", rf"unknown (?P<vocab>city|region) {_QUOTED}; it names several places: (?P<options>.+); "
                             r"give the Chinese name or code", _ambiguous_place, _ambiguous_place),
    _rule("not_a_place_code", rf"unknown (?P<vocab>city|region) {_QUOTED}; not a place code",
          lambda m, c: f"「{_unquote(m['value'])}」不是地点代码",
          lambda m, c: f"'{_unquote(m['value'])}' is no place code"),
    # -- the importer: headers, keys and rows
    _rule("unknown_column", r"unknown column", "无法识别的列：不对应任何字段（表头请参照导入模板）",
          "Column not recognised: it names no field (see the import template for the headers)"),
    _rule("named_twice", r"named by (?P<headers>.+)", "多个列指向同一字段：{headers}",
          "More than one column names this field: {headers}"),
    _rule("no_such_id", r"no (?P<kind>\w+) with id (?P<id>.*) in this space", "本空间没有伙伴编号为 {id} 的{kind}",
          "No {kind} with Huoban id {id} in this space"),
    _rule("external_id_twice", rf"{_QUOTED} is also on row (?P<row>\d+)",
          "「{value}」在第 {row} 行也出现了：一个编号在文件中只能出现一次",
          "'{value}' is also on row {row}: an id may appear once per file"),
    _rule("external_id_elsewhere", rf"{_QUOTED} belongs to (?P<kind>\w+) (?P<other>\d+), not (?P<target>\d+)",
          "「{value}」属于{kind} {other}，而不是本行更新的 {target}",
          "'{value}' belongs to {kind} {other}, not to {target} which this row updates"),
    _rule("updated_twice", r"(?P<kind>\w+) (?P<id>\d+) is also updated by row (?P<row>\d+)",
          "第 {row} 行也在更新{kind} {id}：一个档案只能由一行更新",
          "Row {row} updates {kind} {id} as well: one row per profile"),
    # -- the importer: the file as a whole (413, 415 and 422 problems)
    _rule("xlsx_unpacks_too_large", r"the workbook unpacks to more than (?P<num>\d+) MB",
          "工作簿解压后超过 {num} MB，请拆分后再导入", "The workbook unpacks to more than {num} MB; split it"),
    _rule("xlsx_too_many_cells", r"the workbook has more than (?P<num_cells>\d+) cells; at most (?P<num_rows>\d+) "
                                 r"rows of (?P<num_cols>\d+) columns are read",
          "工作簿超过 {num_cells} 个单元格；最多读取 {num_rows} 行、每行 {num_cols} 列",
          "The workbook has more than {num_cells} cells; at most {num_rows} rows of {num_cols} columns are read"),
    _rule("too_many_scanned_rows", r"at most (?P<num>\d+) rows per file \(the sheet has more than (?P<num_all>\d+) "
                                   r"rows, empty or not\)",
          "每个文件最多 {num} 行（该表连同空行超过 {num_all} 行）",
          "At most {num} rows per file (the sheet has more than {num_all} rows, empty or not)"),
    _rule("too_many_rows", r"at most (?P<num>\d+) rows per file", "每个文件最多 {num} 行",
          "At most {num} rows per file"),
    _rule("xlsx_unreadable", r"not a readable XLSX file", "无法读取该 XLSX 文件", "Not a readable XLSX file"),
    _rule("xlsx_damaged", r"not a readable XLSX file \(the file is damaged\)", "无法读取该 XLSX 文件：文件已损坏",
          "Not a readable XLSX file: the file is damaged"),
    _rule("xlsx_bad_cell", r"not a readable XLSX file \(a cell holds a value of the wrong type, or the file is "
                           r"damaged\)", "无法读取该 XLSX 文件：某个单元格的值类型有误，或文件已损坏",
          "Not a readable XLSX file: a cell holds a value of the wrong type, or the file is damaged"),
    # the pre-scan of an XLSX upload (bombs: each limit names the part of the zip it found too big)
    _rule("xlsx_part_unpacks_too_large", r"(?P<part>\S+) unpacks to more than (?P<num>\d+) MB",
          "文件中的 {part} 解压后超过 {num} MB，未导入", "{part} unpacks to more than {num} MB; nothing was imported"),
    _rule("xlsx_part_ratio", r"(?P<part>\S+) unpacks to more than (?P<num>\d+) times its packed size",
          "文件中的 {part} 压缩比超过 {num} 倍（疑似压缩炸弹），未导入",
          "{part} unpacks to more than {num} times its packed size (a zip bomb?); nothing was imported"),
    _rule("xlsx_too_many_styles", r"(?P<part>\S+) has more than (?P<num>\d+) cell formats \(<xf> entries\)",
          "工作簿的单元格格式超过 {num} 种，未导入",
          "The workbook has more than {num} cell formats; nothing was imported"),
    _rule("xlsx_too_many_strings", r"(?P<part>\S+) has more than (?P<num>\d+) shared strings",
          "工作簿的共享字符串超过 {num} 个，未导入",
          "The workbook has more than {num} shared strings; nothing was imported"),
    _rule("xlsx_other_elements", r"(?P<part>\S+): the workbook has more than (?P<num>\d+) XML elements outside "
                                 r"worksheet rows and shared strings \(styles, names, links, comments\.\.\.\)",
          "工作簿中表格数据以外的内容（样式、名称、链接、批注等）超过 {num} 个元素，未导入",
          "The workbook has more than {num} elements outside its rows (styles, names, links, comments...); "
          "nothing was imported"),
    _rule("xlsx_outside_rows", r"(?P<part>\S+) holds more than (?P<num>\d+) MB outside its rows",
          "工作表 {part} 的表格数据以外内容超过 {num} MB，未导入",
          "{part} holds more than {num} MB outside its rows; nothing was imported"),
    _rule("xlsx_sheet_elements", r"the worksheets have more than (?P<num>\d+) XML elements in their rows",
          "工作表的单元格内容超过 {num} 个元素，未导入",
          "The worksheets have more than {num} elements in their rows; nothing was imported"),
    _rule("xlsx_row_too_big", r"(?P<part>\S+): a row has more than (?P<num>\d+) (?P<what>MB|cells|XML elements)",
          lambda m, ctx: f"某一行超过 {_number(m['num'])} {_ROW_UNITS_ZH[m['what']]}，未导入",
          lambda m, ctx: f"A row has more than {_number(m['num'])} {m['what'].replace('XML ', '')}; "
                         "nothing was imported"),
    _rule("xlsx_too_many_parts", r"the workbook has more than (?P<num>\d+) parts",
          "工作簿内部文件超过 {num} 个，未导入", "The workbook has more than {num} parts; nothing was imported"),
    _rule("xlsx_unreadable_detail", r"not a readable XLSX file \((?P<detail>.+)\)",
          "无法读取该 XLSX 文件（{detail}）；请用 Excel、WPS 或 LibreOffice 重新保存",
          "Not a readable XLSX file ({detail}); save it again from Excel, WPS or LibreOffice"),
    _rule("unknown_encoding", r"cannot tell the file's encoding: save it as UTF-8 CSV, or as CSV from Excel \(GBK\)",
          "无法识别文件编码：请另存为 UTF-8 CSV，或用 Excel 另存为 CSV（GBK）",
          "Cannot tell the file's encoding: save it as UTF-8 CSV, or as CSV from Excel (GBK)"),
    _rule("unreadable_csv", r"unreadable CSV: (?P<detail>.+)", _unreadable_csv, _unreadable_csv),
    _rule("wrong_file_type", r"upload a \.csv or \.xlsx file", "请上传 .csv 或 .xlsx 文件",
          "Upload a .csv or .xlsx file"),
    _rule("empty_file", r"the file is empty", "文件是空的", "The file is empty"),
    _rule("header_only", r"the file has a header row but no rows to import", "文件只有表头，没有可导入的行",
          "The file has a header row but no rows to import"),
    _rule("same_field_twice", r"two columns name the same field", "有两列指向同一个字段",
          "Two columns name the same field"),
    _rule("no_known_column", r"no column names a field \(see the import template for the headers\)",
          "没有一列对应到字段（表头请参照导入模板）",
          "No column names a field (see the import template for the headers)"),
    _rule("rows_rejected", r"(?P<num>\d+) row\(s\) failed validation; nothing was imported",
          "{num} 行未通过校验，未导入任何数据", "{num} row(s) failed validation; nothing was imported"),
)


def rule_for(message: str) -> Rule | None:
    """The first rule whose pattern matches the whole message, or None."""
    text = message.strip()
    return next((r for r in RULES if r.pattern.fullmatch(text)), None)


def translate_message(message: str, kind: str, field: str, lang: str) -> str:
    """A message of the importer in the language (``zh`` or ``en``); one no rule knows, as it is."""
    text = message.strip()
    ctx = Context(kind=kind, field=field, lang="zh" if lang == "zh" else "en")
    for rule in RULES:
        m = rule.pattern.fullmatch(text)
        if m is None:
            continue
        render = rule.zh if ctx.zh else rule.en
        try:
            return render(m, ctx) if callable(render) else _fill(render, m, ctx)
        except (KeyError, ValueError, IndexError):  # a message shaped like a rule but not one of its own
            return message
    return message


def readable(error: Mapping[str, Any], kind: str, lang: str) -> dict[str, Any]:
    """One ``{line, field, message}`` of the importer as a person reads it: the field by its column label and
    the message in the language (the other keys as they were)."""
    field = str(error.get("field") or "")
    message = str(error.get("message") or "")
    return {**error, "field": field_label(kind, field, lang), "message": translate_message(message, kind, field, lang)}
