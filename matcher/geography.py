"""China's administrative geography (and the overseas cities Chinese spaces deal with), as codes.

Every province, prefecture-level division and county-level city of the national list (GB/T 2260, see
``matcher/data/places.csv`` and ``build_places.py`` for its source and revision), 27 overseas cities, the
seven macro regions plus ``overseas``, and ``nationwide``. A place's code is its GB/T 2260 code
(``370100`` 济南市, ``320583`` 昆山市, ``370000`` 山东省); an overseas city's is ``<ISO country>-<name>``
(``de-berlin``); macro regions and ``nationwide`` keep their words. The four municipalities (and Hong
Kong, Macao) are one place that is both a city and a province.

The hierarchy is city -> (prefecture) -> province -> macro region. Region fit uses it (same city > same
province > same macro region > nationwide; see ``matcher.features``).

:func:`Places.parse` accepts a code, the full or short Chinese name (济南市 / 济南, 内蒙古自治区 / 内蒙古),
pinyin (Jinan, xi'an, xian) or the English name (Inner Mongolia), case-insensitive, and the codes this
service used before (``beijing``, ``suzhou``...). A name shared by several places resolves to the broadest
(吉林 the province in a region list, 吉林市 in a city field), then to a provincial capital (Fuzhou: 福州,
not 抚州); equals left (Taizhou: 泰州 or 台州) are an error that names them.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from matcher.errors import UnknownLabelError

__all__ = ["CITIES_ALL", "CITY_LEVELS", "LEGACY_CODES", "MACRO_ORDER", "NATIONWIDE", "PLACES", "US_DIVISIONS", "Place",
           "PlaceError", "Places", "deal_place"]

NATIONWIDE = "nationwide"
MACRO_ORDER = ("north", "east", "south", "central", "southwest", "northwest", "northeast", "overseas")
_MACRO_LABELS = {
    "north": ("华北", "North China"), "east": ("华东", "East China"), "south": ("华南", "South China"),
    "central": ("华中", "Central China"), "southwest": ("西南", "Southwest China"),
    "northwest": ("西北", "Northwest China"), "northeast": ("东北", "Northeast China"),
    "overseas": ("海外", "Overseas"),
}
CITY_LEVELS = frozenset({"municipality", "prefecture", "county_city", "overseas"})
_LEVEL_RANK = {"nationwide": 0, "macro": 1, "province": 2, "municipality": 2, "prefecture": 3, "county_city": 4,
               "overseas": 3}
# The codes of the 27 cities this service knew before the national list (a migration rewrote stored data).
LEGACY_CODES: dict[str, str] = {
    "beijing": "110000", "tianjin": "120000", "shijiazhuang": "130100", "shanghai": "310000",
    "hangzhou": "330100", "nanjing": "320100", "suzhou": "320500", "hefei": "340100", "xiamen": "350200",
    "qingdao": "370200", "shenzhen": "440300", "guangzhou": "440100", "dongguan": "441900", "wuhan": "420100",
    "changsha": "430100", "zhengzhou": "410100", "chengdu": "510100", "chongqing": "500000", "kunming": "530100",
    "xian": "610100", "lanzhou": "620100", "shenyang": "210100", "harbin": "230100", "singapore": "sg-singapore",
    "london": "gb-london", "berlin": "de-berlin", "san_francisco": "us-san_francisco",
}


@dataclass(frozen=True)
class Place:
    code: str
    level: str  # nationwide | macro | province | municipality | prefecture | county_city | overseas
    zh: str  # full Chinese name (济南市); for overseas cities with the country (德国柏林)
    short_zh: str  # 济南
    pinyin: str
    en: str
    province: str  # code of its province ("" for overseas, macro, nationwide)
    prefecture: str  # code of its prefecture-level city (itself for one; "" above city level)
    macro: str  # macro region code (itself for a macro region; "" for nationwide)

    @property
    def is_city(self) -> bool:
        return self.level in CITY_LEVELS

    @property
    def label_zh(self) -> str:
        """The name a person writes: 济南, 内蒙古, 德国柏林."""
        return self.zh if self.level == "overseas" else self.short_zh


class PlaceError(UnknownLabelError):
    """An unknown or ambiguous place name; the message says what would be accepted."""

    def __init__(self, what: str, value: str, hint: str) -> None:
        self.vocabulary, self.value, self.valid = what, value, ()
        ValueError.__init__(self, f"unknown {what} {value!r}; {hint}")


def _load() -> tuple[Place, ...]:
    rows: list[Place] = [Place(NATIONWIDE, "nationwide", "全国", "全国", "quanguo", "Nationwide", "", "", "")]
    rows += [Place(m, "macro", zh, zh, "", en, "", "", m) for m, (zh, en) in _MACRO_LABELS.items()]
    with (Path(__file__).parent / "data" / "places.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append(Place(r["code"], r["level"], r["name_zh"], r["short_zh"], r["pinyin"], r["name_en"],
                              r["province"], r["prefecture"], r["macro"]))
    return tuple(rows)


class Places:
    """All places, looked up by code or name (the ``region`` vocabulary; ``cities_only`` for city fields)."""

    def __init__(self, places: tuple[Place, ...], *, cities_only: bool = False) -> None:
        self.places = places
        self.cities_only = cities_only
        self.name = "city" if cities_only else "region"
        self._by_code = {p.code: p for p in places}
        self.index_of: Mapping[str, int] = {p.code: i for i, p in enumerate(places)}

    @cached_property
    def _names(self) -> dict[str, list[Place]]:
        """Every accepted spelling -> the places it may mean (broadest first)."""
        names: dict[str, list[Place]] = {}
        for p in self.places:
            if self.cities_only and not p.is_city:
                continue
            keys = {p.code, p.zh, p.short_zh, p.pinyin, p.pinyin.replace("'", ""), p.en, p.en.split(",")[0]}
            if p.level == "overseas":
                keys.add(p.short_zh)
            for key in keys:
                if key:
                    names.setdefault(key.strip().lower(), []).append(p)
        for legacy, code in LEGACY_CODES.items():
            names[legacy] = [self._by_code[code]]
        for found in names.values():
            found.sort(key=lambda p: _LEVEL_RANK[p.level])
        return names

    # -- Vocabulary-compatible access ---------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.places if p.is_city or not self.cities_only)

    def __iter__(self) -> Iterator[Place]:
        return iter(p for p in self.places if p.is_city or not self.cities_only)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: object) -> bool:
        p = self._by_code.get(code) if isinstance(code, str) else None
        return p is not None and (p.is_city or not self.cities_only)

    def get(self, code: str) -> Place:
        try:
            return self._by_code[code]
        except KeyError:
            raise PlaceError(self.name, code, "not a place code") from None

    label = get

    def zh(self, code: str) -> str:
        return self.get(code).label_zh

    def en(self, code: str) -> str:
        return self.get(code).en

    def parse(self, value: object) -> str:
        """The code of a place given by code, Chinese, pinyin or English name; PlaceError otherwise."""
        if not isinstance(value, str) or not value.strip():
            raise PlaceError(self.name, str(value), self._hint(""))
        key = value.strip().lower()
        found = self._names.get(key)
        if not found and key.endswith(("市", "省")):
            found = self._names.get(key[:-1])
        if not found:
            raise PlaceError(self.name, value, self._hint(key))
        best = [p for p in found if _LEVEL_RANK[p.level] == _LEVEL_RANK[found[0].level]]
        capitals = [p for p in best if p.code[2:] == "0100"]  # Fuzhou: the provincial capital 福州, not 抚州
        if len({p.code for p in best}) > 1 and len(capitals) == 1:
            best = capitals
        if len({p.code for p in best}) > 1:
            options = "; ".join(f"{p.zh} ({p.code}, {self.get(p.province).short_zh if p.province else p.macro})"
                                for p in best)
            raise PlaceError(self.name, value, f"it names several places: {options}; give the Chinese name or code")
        return best[0].code

    def _hint(self, key: str) -> str:
        what = "a city" if self.cities_only else "a city, province, macro region (华东...) or 全国"
        if self.cities_only and key:
            broader = [p for p in _ALL_NAMES.get(key, ()) if not p.is_city]
            if broader:
                examples = "、".join(c.short_zh for c in REGIONS_ALL.children(broader[0].code)[:3])
                level = {"macro": "macro region"}.get(broader[0].level, broader[0].level)
                return f"{broader[0].label_zh} is a {level}, not a city: give a city of it ({examples}...)"
        close = difflib.get_close_matches(key, [k for k in self._names if not k.isascii()] if not key.isascii()
                                          else [k for k in self._names if k.isascii()], n=3, cutoff=0.6)
        tip = f"; did you mean {' / '.join(close)}?" if close and key else ""
        return f"give {what} by Chinese name, pinyin, English name or GB/T 2260 code (济南, Jinan, 370100){tip}"

    # -- hierarchy ---------------------------------------------------------------------------------
    def macro_of(self, code: str) -> str:
        """Macro region of a place (a macro region maps to itself, ``nationwide`` to itself)."""
        p = self.get(code)
        return p.macro or p.code

    def cities(self) -> list[str]:
        return [p.code for p in self.places if p.is_city]

    def provinces(self) -> list[Place]:
        return [p for p in self.places if p.level in ("province", "municipality")]

    def children(self, code: str) -> list[Place]:
        """The cities of a province (prefecture-level first, then county-level), or the provinces of a macro."""
        p = self.get(code)
        if p.level == "macro":
            return [q for q in self.places if q.macro == code and q.level in ("province", "municipality", "overseas")]
        if p.level in ("province", "municipality"):
            return sorted((q for q in self.places if q.province == code and q.code != code and q.is_city),
                          key=lambda q: (_LEVEL_RANK[q.level], q.code))
        return []


PLACES = _load()
REGIONS_ALL = Places(PLACES)
_ALL_NAMES = REGIONS_ALL._names


# The US Census Bureau's nine divisions: the macro level of a US state (postal code) in deal records.
US_DIVISIONS: Mapping[str, str] = {
    **dict.fromkeys(("CT", "ME", "MA", "NH", "RI", "VT"), "us-new-england"),
    **dict.fromkeys(("NJ", "NY", "PA"), "us-middle-atlantic"),
    **dict.fromkeys(("IL", "IN", "MI", "OH", "WI"), "us-east-north-central"),
    **dict.fromkeys(("IA", "KS", "MN", "MO", "NE", "ND", "SD"), "us-west-north-central"),
    **dict.fromkeys(("DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV"), "us-south-atlantic"),
    **dict.fromkeys(("AL", "KY", "MS", "TN"), "us-east-south-central"),
    **dict.fromkeys(("AR", "LA", "OK", "TX"), "us-west-south-central"),
    **dict.fromkeys(("AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY"), "us-mountain"),
    **dict.fromkeys(("AK", "CA", "HI", "OR", "WA"), "us-pacific"),
}


def _state_key(name: str) -> str:
    """A state's name as a key: case, dots, commas and spaces aside ("Washington, D.C." is "washington dc")."""
    return " ".join(name.lower().replace(".", "").replace(",", " ").split())


# A state as deal records also write it: its name -> the postal code.
US_STATE_NAMES: Mapping[str, str] = {_state_key(name): code for code, name in (
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("DC", "Washington, D.C."), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"),
    ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"),
    ("MN", "Minnesota"), ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"),
    ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
    ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
    ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VT", "Vermont"), ("VA", "Virginia"),
    ("WA", "Washington"), ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"))}
CITIES_ALL = Places(PLACES, cities_only=True)


def _chinese(value: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in value)


@lru_cache(maxsize=65536)
def deal_place(region: str, city: str) -> tuple[str, str, str]:
    """(region, city, macro region) of a company in deal records, for the history's place hierarchy.

    A place of the national list - a code, or a Chinese name as deal records write it (北京 / 北京市, 广东,
    深圳, 海外, 德国柏林) - becomes its codes: the province (the region given, else the city's; an overseas city's
    country), the prefecture-level city (a county-level city counts as its prefecture; a district of a
    municipality, 北京 / 海淀, as the municipality) and the macro region, so spellings of one place meet and a
    city alone still says its province and macro region. A macro region or 全国 as the region leaves only the
    macro region; a province in the city field counts as the region. A US state (its postal code, or its name:
    California is CA) becomes its postal code, with its census division as the macro region. Anything else
    stays as written, without a macro region. A Latin-script name is looked up only as a city under a region
    found in the list (海外 / Singapore, 广东 / Shenzhen): ``CA`` is California, not a pinyin match."""
    region, city = region.strip(), city.strip()
    r_place = _lookup(REGIONS_ALL, region)
    # a city in Latin script is looked up when the region is a place of the list (海外 / Singapore, 广东 / Shenzhen)
    c_place = _lookup(CITIES_ALL, city, latin=r_place is not None)
    if c_place is None and city and (wider := _lookup(REGIONS_ALL, city)) is not None:
        if r_place is None and not region:
            r_place = wider  # a province (or 海外) written as the city
        city = ""
    if c_place is None and r_place is not None and r_place.level == "municipality":
        c_place = r_place  # a district of a municipality, or no city: the municipality
    out_city = (c_place.prefecture or c_place.code) if c_place is not None else city
    province = ""
    for p in (c_place, r_place):  # the city is the more specific when the two disagree
        if p is not None and not province:
            province = (p.code if p.level in ("province", "municipality") else p.province
                        or (p.code.split("-")[0] if p.level == "overseas" else ""))
    if province:
        out_region = province
    elif r_place is not None:
        out_region = "" if r_place.level in ("macro", "nationwide") else r_place.code
    else:
        out_region = region
    macro = next((p.macro for p in (c_place, r_place) if p is not None and p.macro), "")
    state = region.upper() if len(region) == 2 else US_STATE_NAMES.get(_state_key(region), "")
    if not macro and state in US_DIVISIONS:
        out_region, macro = state, US_DIVISIONS[state]
    return out_region, out_city, macro


def _lookup(places: Places, value: str, *, latin: bool = False) -> Place | None:
    """The place a deal record's value names, or None (Latin script is looked up only as a code, unless
    ``latin``)."""
    if not value or not (latin or _chinese(value) or value in places):
        return None
    try:
        return places.get(places.parse(value))
    except PlaceError:
        return None
