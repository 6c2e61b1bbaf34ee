"""Deterministic generator of varied English profile text for the seed data.

Every public function takes a ``numpy.random.Generator`` and the profile's taxonomy codes and returns plain
``str`` values. The same generator state always gives the same text: every choice goes through
``rng.integers`` / ``rng.random``, phrase banks are tuples (never sets) and nothing depends on ``hash()``.

How the text stays varied
-------------------------
Text is assembled in three layers, each drawn at random:

1. **Phrase banks** (data). Per industry: noun synonyms ("machine learning", "applied AI"), modifier forms
   ("AI startup"), name morphemes and benefit clauses. Per sub-topic (all of ``SUBTOPICS``): area synonyms
   (the ``SUBTOPICS`` label is one of them), concrete product nouns (plural or mass nouns, so they fit any
   frame without articles) and typical customers. Per need code: what a founder asks for (noun and verb
   phrases), what a mentor or provider offers (noun and verb phrases) and short labels for long lists;
   financing wording is built from the round sought, with amounts in the currency of the project's city.
2. **Sentence frames**: at least ten per field, of different structure (statement, fragment, first or third
   person, colon lists, questions answered...). Frames are ``str.format_map`` templates over a context of
   pre-drawn phrases; capitalised keys (``Product``) exist for phrases that can open a sentence.
3. **Composition**: optional clauses, shuffled middle sentences for the long fields, varied list joining
   ("a, b and c", "a, b, plus c", "both a and b"...), about one short field in five kept vague (industry only,
   no sub-topic), and a word budget per short field: an over-long draw is redrawn, then falls back to a
   compact frame, so the budget always holds.

Word budgets (hard limits): project one_liner 20, needs_statement 35; mentor expertise 20, offer 30; investor
thesis 35; provider services 30. needs_statement, offer and services name every code they are given.
At import, ``_check`` fails loudly if a taxonomy code has no phrases (a new code must come with its text).

Cost: a call makes a few dozen ``rng.integers`` draws and some string formatting, about 0.1 ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from matcher.geography import LEGACY_CODES
from matcher.taxonomy import (
    INDUSTRIES,
    INVESTOR_KINDS,
    MENTOR_TYPES,
    NEEDS,
    PROVIDER_CATEGORIES,
    PROVIDER_SERVES,
    REGIONS,
    ROUNDS,
    STAGES,
    region_of_city,
)
from seed_data.topics import SUBTOPICS

__all__ = [
    "investor_texts",
    "mentor_texts",
    "person_name",
    "project_texts",
    "provider_texts",
    "space_texts",
]

Rng = np.random.Generator

# The "current" year of the generated world: founding years and careers are drawn relative to it.
_NOW = 2025
# A short field gets vaguer (industry only, no sub-topic) this often.
_VAGUE = 0.2


# Taxonomy lookups cached once: ``Vocabulary`` properties rebuild their tuples and dicts on every access.
_STAGE_CODES: tuple[str, ...] = STAGES.codes
_STAGE_EN: dict[str, str] = {label.code: label.en for label in STAGES}
_ROUND_CODES: tuple[str, ...] = ROUNDS.codes
_INDUSTRY_CODES: tuple[str, ...] = INDUSTRIES.codes
_CITIES: tuple[str, ...] = tuple(LEGACY_CODES)  # the seed texts' 27 cities, by their short codes
_REGION_EN: dict[str, str] = {p.code: p.en for p in REGIONS if p.level in ("macro", "nationwide")} | {
    c: REGIONS.en(LEGACY_CODES[c]).split(",")[0] for c in _CITIES}
_CITY_MACRO: dict[str, str] = {c: region_of_city(c) for c in _CITIES}


# ============================================================================================== helpers
def _s(text: str) -> tuple[str, ...]:
    """Split a ``|``-separated phrase bank (written compactly in the source) into a tuple."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _p(rng: Rng, seq: Sequence[str]) -> str:
    return seq[int(rng.integers(len(seq)))]


def _int(rng: Rng, lo: int, hi: int) -> int:
    """Uniform integer in ``[lo, hi]`` (both inclusive)."""
    return int(rng.integers(lo, hi + 1))


def _chance(rng: Rng, p: float) -> bool:
    return float(rng.random()) < p


def _distinct(rng: Rng, seq: Sequence[str], k: int) -> list[str]:
    """``k`` distinct items of ``seq`` in random order (partial Fisher-Yates)."""
    idx = list(range(len(seq)))
    k = min(k, len(idx))
    for i in range(k):
        j = i + int(rng.integers(len(idx) - i))
        idx[i], idx[j] = idx[j], idx[i]
    return [seq[i] for i in idx[:k]]


def _shuffle(rng: Rng, items: list[str]) -> list[str]:
    return _distinct(rng, items, len(items))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _an(phrase: str) -> str:
    """Prefix ``a`` or ``an`` (handles acronyms such as "an AI", "an R&D", "a SaaS", "a university")."""
    word = phrase.split(" ", 1)[0].split("-", 1)[0]
    low = word.lower()
    if low[:1] in "aeiou":
        vowel = not low.startswith(("uni", "use", "usu", "eu", "one", "ubi", "uti", "ura"))
    elif word.isupper() and len(word) <= 5:
        vowel = word[0] in "FHLMNRSX"
    else:
        vowel = low.startswith(("hour", "honest", "heir"))
    return ("an " if vowel else "a ") + phrase


_PAIR = ("{} and {}", "{} and {}", "{} and {}", "{} as well as {}", "{} plus {}", "both {} and {}")
# For items that already contain "and" ("testing and certification"), a plain "and" would blur the items.
_PAIR_AND = ("{} as well as {}", "{} plus {}", "{}, and {}", "{}; also {}")
_LAST = (" and ", " and ", ", and ", " as well as ", ", plus ")
_PAIR_VERB = ("{} and {}", "{} and {}", "{}, and {}", "{} as well as {}")
_LAST_VERB = (" and ", ", and ")


def _join(rng: Rng, items: Sequence[str], verbs: bool = False) -> str:
    """Join phrases into an English list, with varied conjunctions (fewer for verb phrases)."""
    n = len(items)
    if n == 0:
        return ""
    if n == 1:
        return items[0]
    if n == 2:
        frames: Sequence[str]
        if verbs:
            frames = _PAIR_VERB
        else:
            frames = _PAIR_AND if " and " in items[0] or " and " in items[1] else _PAIR
        return _p(rng, frames).format(items[0], items[1])
    return ", ".join(items[:-1]) + _p(rng, _LAST_VERB if verbs else _LAST) + items[-1]


def _the(name: str) -> str:
    """Institution names that take "the" in running text ("the University of Tokyo")."""
    if name.startswith(("University of", "Technical University", "National ", "Hong Kong University")):
        return "the " + name
    return name


def _words(text: str) -> int:
    return len(text.split())


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    text = text.replace(" ,", ",").replace(" .", ".").replace("..", ".").replace(" ;", ";")
    return _cap(text)


def _fill(frame: str, ctx: dict[str, str]) -> str:
    return _tidy(frame.format_map(ctx))


def _place(code: str) -> str:
    """English name of a REGIONS code, fit for "in X" ("Shenzhen", "East China", "China")."""
    if code == "nationwide":
        return "China"
    return _REGION_EN[code]


def _overseas(code: str) -> bool:
    return code == "overseas" or _CITY_MACRO.get(code) == "overseas"


# ============================================================================================== names
_CN_SURNAMES = _s(
    "Wang|Li|Zhang|Liu|Chen|Yang|Huang|Zhao|Wu|Zhou|Xu|Sun|Ma|Zhu|Hu|Guo|He|Lin|Gao|Luo|Zheng|Liang|Xie|"
    "Song|Tang|Han|Feng|Deng|Cao|Peng|Zeng|Xiao|Tian|Dong|Pan|Yuan|Cai|Jiang|Yu|Du|Ye|Cheng|Wei|Su|Lu|Ding|"
    "Ren|Shen|Yao|Fu|Zhong|Qian|Dai|Tan|Fan|Jin|Shi|Kong|Bai|Qin|Gu|Xue|Lei|Hou|Long|Duan|Hao|Shao|Meng"
)
_CN_GIVEN = _s(
    "Wei|Jing|Lei|Yan|Hui|Min|Jun|Tao|Xin|Yu|Hao|Ying|Fang|Qiang|Ning|Bo|Peng|Qian|Shuang|Chao|Xiaoming|"
    "Jiahui|Zihan|Yuxuan|Haoran|Siyu|Mingze|Yiran|Zhiqiang|Xiaoyu|Junjie|Lingling|Wenjing|Tianyi|Ruoxi|"
    "Jianguo|Kaiwen|Yifan|Chenxi|Zhenyu|Xueying|Jiayi|Zhiwei|Xiaohong|Guoqiang|Yuting|Shuo|Wenbo|Yanan|"
    "Haoyu|Mengqi|Jiawei|Xinyi|Zhihao|Lihua|Dongmei|Jianhua|Yiming|Ruixue"
)
_CN_ENGLISH = _s(
    "Kevin|Grace|Eric|Vivian|Jason|Cindy|Leo|Iris|Frank|Helen|Tony|Sophia|Jack|Linda|Allen|Coco|Ray|Tina|"
    "Alex|Echo|Bruce|Wendy|Vincent|Emma|Henry|Joyce"
)
_SEA_CN_GIVEN = _s(
    "Ka Wai|Wing Yan|Chun Kit|Mei Ling|Wei Ming|Hui Min|Jia Hui|Kok Leong|Siew Ling|Yi-Ting|Chia-Hao|"
    "Pei-Shan|Kah Wai|Shu Fen|Hock Seng|Li Ting"
)
_SEA_CN_SURNAMES = _s("Chan|Wong|Cheung|Lau|Leung|Ng|Tsai|Lim|Tan|Goh|Teo|Lee|Chua|Ong|Huang|Lin|Yeo|Koh")

# (given names, surnames) of groups written "given family", each internally consistent.
_WESTERN_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        _s(
            "James|Sarah|Michael|Emily|David|Laura|Daniel|Rachel|Thomas|Jessica|Andrew|Olivia|Matthew|Hannah|"
            "Christopher|Rebecca|Ryan|Megan|Benjamin|Katherine|Jonathan|Amy|Nathan|Claire|Samuel|Grace|"
            "Patrick|Chloe|Oliver|Natalie"
        ),
        _s(
            "Smith|Johnson|Mitchell|Carter|Bennett|Hughes|Turner|Collins|Murphy|Foster|Brooks|Reed|Walsh|"
            "Parker|Hayes|Morgan|Campbell|Fraser|O'Connor|Sullivan|Coleman|Price|Ward|Graham|Ellis|Spencer|"
            "Palmer|Lawson|Fletcher|Whitaker"
        ),
    ),
    (
        _s("Lukas|Anna|Felix|Katharina|Jonas|Lena|Maximilian|Sophie|Tobias|Julia|Stefan|Miriam|Florian|Nina"),
        _s("Mueller|Schmidt|Schneider|Fischer|Weber|Becker|Hoffmann|Wagner|Koch|Richter|Wolf|Braun|Hartmann"),
    ),
    (
        _s("Camille|Julien|Manon|Antoine|Chloe|Nicolas|Lea|Thomas|Pauline|Mathieu|Elise|Hugo|Margaux"),
        _s("Martin|Bernard|Dubois|Laurent|Moreau|Lefebvre|Girard|Fontaine|Rousseau|Chevalier|Mercier|Blanc"),
    ),
    (
        _s("Lucia|Alejandro|Marta|Javier|Carmen|Pablo|Elena|Sergio|Ines|Raul"),
        _s("Garcia|Fernandez|Lopez|Martinez|Sanchez|Romero|Navarro|Torres|Ruiz|Ortega"),
    ),
    (
        _s("Giulia|Marco|Francesca|Luca|Chiara|Matteo|Alessandro|Sara|Davide|Elisa"),
        _s("Rossi|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Conti|Ferrari"),
    ),
    (
        _s("Erik|Ingrid|Lars|Astrid|Anders|Sanne|Pieter|Maarten|Freya|Nils|Sofie|Jens"),
        _s("Johansson|Lindqvist|Nielsen|Hansen|Berg|de Vries|van Dijk|Jansen|Bakker|Andersen|Lund|Visser"),
    ),
    (
        _s("Piotr|Katarzyna|Tomasz|Agnieszka|Marek|Pavel|Elena|Andrei|Zofia|Ivan|Petra|Milan"),
        _s("Nowak|Horvath|Novak|Kovacs|Popescu|Dvorak|Szabo|Marin|Lazar|Kral|Wojcik|Varga"),
    ),
    (
        _s(
            "Arjun|Priya|Rahul|Ananya|Vikram|Neha|Sanjay|Kavya|Rohan|Divya|Aditya|Meera|Karthik|Pooja|Suresh|"
            "Lakshmi|Nikhil|Shreya|Amit|Deepa"
        ),
        _s(
            "Sharma|Patel|Iyer|Reddy|Gupta|Nair|Menon|Rao|Krishnan|Mehta|Desai|Banerjee|Chatterjee|Singh|"
            "Kapoor|Joshi|Agarwal|Pillai|Kulkarni|Bose"
        ),
    ),
    (
        _s("Budi|Putri|Agus|Dewi|Rizky|Siti|Andi|Ayu|Hendra|Rina|Fajar|Indah"),
        _s("Santoso|Wulandari|Setiawan|Lestari|Pratama|Rahayu|Wijaya|Kusuma|Gunawan|Hartono|Halim|Susanto"),
    ),
    (
        _s("Maria|Jose|Angelica|Mark|Kristine|Paolo|Jasmine|Carlo|Bea|Miguel"),
        _s("Santos|Reyes|Cruz|Bautista|Garcia|Mendoza|Villanueva|Ramos|Aquino|Dela Cruz"),
    ),
    (
        _s("Kenji|Yuki|Haruto|Aiko|Takashi|Naoko|Sho|Emi|Daisuke|Mai"),
        _s("Tanaka|Suzuki|Sato|Takahashi|Watanabe|Ito|Yamamoto|Nakamura|Kobayashi|Kato"),
    ),
    (
        _s("Ji-woo|Min-jun|Seo-yeon|Hyun-woo|Ji-hye|Dong-hyun|Soo-jin|Jae-won"),
        _s("Kim|Lee|Park|Choi|Jung|Kang|Cho|Yoon"),
    ),
    (
        _s("Ana|Diego|Camila|Mateo|Valentina|Rafael|Isabela|Felipe|Gabriela|Tiago"),
        _s("Oliveira|Silva|Souza|Costa|Pereira|Rodrigues|Almeida|Gomez|Herrera|Castillo"),
    ),
    (
        _s("Chinedu|Amara|Kwame|Ngozi|Tunde|Wanjiru|Kofi|Zanele|Tendai|Fatou"),
        _s("Okafor|Mensah|Adeyemi|Okonkwo|Kamau|Diallo|Nkosi|Banda|Mwangi|Boateng"),
    ),
    (
        _s("Omar|Layla|Karim|Yasmin|Tariq|Nadia|Hassan|Leila|Youssef|Rania"),
        _s("Haddad|Khalil|Nasser|Mansour|Rahman|Saleh|Aziz|Farouk|Hamdan|Darwish"),
    ),
)
# Cumulative weights of the _WESTERN_GROUPS above (English, German, French, Spanish, Italian, Nordic/Dutch,
# Central European, Indian, Indonesian, Filipino, Japanese, Korean, Latin American, African, Middle East).
_WESTERN_WEIGHTS = (0.26, 0.33, 0.39, 0.44, 0.49, 0.54, 0.58, 0.74, 0.79, 0.83, 0.88, 0.92, 0.95, 0.975, 1.0)
_VN_FAMILY = _s("Nguyen|Tran|Le|Pham|Hoang|Vu|Dang|Bui|Do")
_VN_MIDDLE = _s("Van|Thi|Minh|Duc|Thanh|Ngoc|Quoc")
_VN_GIVEN = _s("An|Binh|Hoa|Lan|Tuan|Linh|Quang|Mai|Huy|Trang|Khanh|Phuong")
_TH_GIVEN = _s("Somchai|Anong|Kittisak|Suda|Niran|Ploy|Thanawat|Malee|Chaiwat|Pimchanok")
_TH_FAMILY = _s("Wongsakul|Srisuk|Chaiyaporn|Rattanakorn|Boonmee|Thongchai|Siriwan|Charoenkul")


def _person(rng: Rng) -> tuple[str, str]:
    """A random person: (full name, how a bio refers to them: usually the family name)."""
    u = float(rng.random())
    if u < 0.42:  # mainland Chinese, pinyin
        fam, given = _p(rng, _CN_SURNAMES), _p(rng, _CN_GIVEN)
        if given == fam:
            given = _CN_GIVEN[(_CN_GIVEN.index(given) + 1) % len(_CN_GIVEN)]
        v = float(rng.random())
        if v < 0.6:
            return f"{given} {fam}", fam
        if v < 0.85:
            return f"{fam} {given}", fam
        return f"{_p(rng, _CN_ENGLISH)} {fam}", fam
    if u < 0.49:  # Hong Kong, Taiwan, Singapore, Malaysia
        fam = _p(rng, _SEA_CN_SURNAMES)
        if _chance(rng, 0.35):
            return f"{_p(rng, _CN_ENGLISH)} {fam}", fam
        return f"{_p(rng, _SEA_CN_GIVEN)} {fam}", fam
    if u < 0.53:  # Vietnamese: family, middle, given; addressed by the given name
        given = _p(rng, _VN_GIVEN)
        if _chance(rng, 0.3):
            return f"{given} {_p(rng, _VN_FAMILY)}", given
        return f"{_p(rng, _VN_FAMILY)} {_p(rng, _VN_MIDDLE)} {given}", given
    if u < 0.55:  # Thai: addressed by the given name
        given = _p(rng, _TH_GIVEN)
        return f"{given} {_p(rng, _TH_FAMILY)}", given
    v = float(rng.random())
    group = 0
    while _WESTERN_WEIGHTS[group] < v:
        group += 1
    givens, families = _WESTERN_GROUPS[group]
    given, fam = _p(rng, givens), _p(rng, families)
    if group == 0 and _chance(rng, 0.12):
        return f"{given} {_p(rng, _s('A|B|C|D|E|J|K|L|M|R|S|T'))}. {fam}", fam
    return f"{given} {fam}", _cap(fam)


def person_name(rng: Rng) -> str:
    """A person's name from a varied international pool (Chinese pinyin, Western, European, Asian...)."""
    return _person(rng)[0]


_COIN_HEAD = _s(
    "Lu|No|Ze|Ki|Ora|Vi|Qu|Ari|Sy|Te|Mo|Xa|Ny|Ve|Ca|Do|Ha|Ju|Pa|Ri|So|Ela|Fen|Gal|Ino|Kai|Lio|Mira|Neo|Oro|"
    "Pla|Sen|Tio|Ava|Val|Yo|Zi|Bri|Cor|Dax"
)
_COIN_TAIL = _s(
    "ra|va|nix|lio|tek|gen|ly|fy|ion|os|ia|ex|on|um|ent|iq|ova|ara|eon|ix|ora|ana|ica|ero|us|ity|lo|mo|ta"
)
_PINYIN_WORDS = _s(
    "Zhiyuan|Xinghe|Tianyu|Huaxin|Yunfan|Jingwei|Ruisi|Haina|Longteng|Shengda|Mingde|Jiahe|Qihang|Zhonghe|"
    "Kunlun|Tianqi|Boyuan|Hengtai|Yuanjing|Xinrui|Zhixing|Yunji|Huayu|Chuangjing|Lanxin|Shuoyu|Dingsheng|"
    "Jinqiao|Guanghe|Weilai|Anhe|Yongxin|Tongda|Fengrui|Changhe|Ruida"
)
_ENG_WORDS = _s(
    "Bluepeak|Northstar|Brightfield|Silverline|Redwood|Greenfield|Clearpath|Everbright|Keystone|Summit|"
    "Harbor|"
    "Lighthouse|Pioneer|Meridian|Granite|Aurora|Cedar|Horizon|Beacon|Crescent|Polaris|Atlas|Zenith|Vertex|"
    "Orchid|Jade|Lotus|Phoenix|Bamboo|Crane|Kite|Anchor|Larkspur|Riverbend|Starling|Tideway|Stonebridge|"
    "Highland|Lantern|Compass|Monsoon|Silk Road|Peakview|Westlake|Oriole|Evergreen"
)
_NAME_TAILS = _s("ly|ify|Hub|Lab|Works|X|Go|Box|Bit|io|Wise|Loop|Base|Mate|Nest|Path")


def _coined(rng: Rng) -> str:
    return _p(rng, _COIN_HEAD) + _p(rng, _COIN_TAIL)


def _brand_word(rng: Rng) -> str:
    u = float(rng.random())
    if u < 0.4:
        return _coined(rng)
    if u < 0.7:
        return _p(rng, _PINYIN_WORDS)
    return _p(rng, _ENG_WORDS)


# ============================================================================================== industries
class _Industry(NamedTuple):
    syn: tuple[str, ...]  # noun phrases: "in {syn}", "works across {syn}"
    mod: tuple[str, ...]  # modifiers: "{mod} startup", "{mod} company"
    morph: tuple[str, ...]  # name morphemes: "Vision" -> "VisionLab"
    suffix: tuple[str, ...]  # company-name suffixes: "Robotics"
    benefit: tuple[str, ...]  # product tails without verb agreement: "at half the price of imports"
    subject: tuple[str, ...]  # what an expert in the field studied
    field: str  # title-case field for institute names


def _ind(syn: str, mod: str, morph: str, suffix: str, benefit: str, subject: str, field: str) -> _Industry:
    return _Industry(_s(syn), _s(mod), _s(morph), _s(suffix), _s(benefit), _s(subject), field)


_INDUSTRY: dict[str, _Industry] = {
    "ai": _ind(
        "AI|artificial intelligence|applied AI|machine learning|deep learning",
        "AI|machine-learning|deep-learning|AI-first",
        "Mind|Neuro|Deep|Cogni|Vision|Brain|Logic|Tensor|Sense",
        "AI|Intelligence|Labs|Technologies",
        "with far less manual review|on low-cost edge hardware|in days rather than months|"
        "without an in-house data science team",
        "computer science|mathematics|statistics|electrical engineering",
        "Artificial Intelligence",
    ),
    "big_data": _ind(
        "big data|data analytics|data infrastructure|data intelligence|analytics",
        "data|big-data|analytics|data-infrastructure",
        "Data|Insight|Metric|Query|Lake|Graph|Signal",
        "Data|Analytics|Technologies|Labs",
        "without a data engineering team|in real time|with data that never leaves the customer's servers|"
        "at a fraction of the usual licence cost",
        "computer science|statistics|software engineering|applied mathematics",
        "Data Science",
    ),
    "iot": _ind(
        "IoT|the Internet of Things|connected devices|smart hardware|sensor networks",
        "IoT|connected-device|smart-hardware|sensor",
        "Sense|Link|Node|Mesh|Beacon|Wave|Thing",
        "IoT|Connect|Technologies|Systems",
        "with years of battery life|with plug-and-play installation|at a fraction of the usual cost|"
        "over low-power wide-area networks",
        "electrical engineering|communications engineering|computer engineering|embedded systems",
        "Intelligent Sensing",
    ),
    "open_hardware": _ind(
        "open hardware|open-source hardware|maker hardware|DIY electronics|hardware",
        "open-hardware|hardware|maker|open-source hardware",
        "Maker|Bit|Board|Kit|Forge|Circuit|Proto",
        "Hardware|Labs|Maker Co.|Electronics",
        "under open-source licences|at hobbyist prices|with full open documentation|that anyone can modify",
        "electronic engineering|computer engineering|industrial design|physics",
        "Embedded Systems",
    ),
    "robotics": _ind(
        "robotics|robots|intelligent robotics|automation|embodied AI",
        "robotics|robot|automation|embodied-AI",
        "Robo|Bot|Mech|Arm|Servo|Motion|Axis",
        "Robotics|Robot|Automation|Dynamics",
        "that work safely alongside people|at half the price of imported systems|"
        "with no programming required|built for round-the-clock operation",
        "mechanical engineering|control engineering|automation|computer science",
        "Robotics",
    ),
    "advanced_manufacturing": _ind(
        "advanced manufacturing|smart manufacturing|industrial technology|manufacturing|Industry 4.0",
        "manufacturing|industrial|smart-manufacturing|Industry 4.0",
        "Forge|Precision|Axis|Mill|Fab|Cast|Twin",
        "Manufacturing|Precision|Industrial|Machinery",
        "at micron-level accuracy|with shorter lead times|at lower cost than imported equipment|"
        "for high-mix, low-volume production",
        "mechanical engineering|industrial engineering|materials processing|automation",
        "Intelligent Manufacturing",
    ),
    "semiconductors": _ind(
        "semiconductors|chips|integrated circuits|microelectronics|the chip industry",
        "semiconductor|chip|IC|microelectronics",
        "Silicon|Chip|Wafer|Gate|Core|Volt|Nano",
        "Semiconductor|Micro|Microelectronics|Semi",
        "as domestic alternatives to imported parts|with lower power consumption|at competitive cost|"
        "built on mature process nodes",
        "microelectronics|electrical engineering|solid-state physics|computer engineering",
        "Microelectronics",
    ),
    "new_energy": _ind(
        "new energy|clean energy|green tech|climate tech|renewable energy",
        "clean-energy|green-tech|climate-tech|new-energy",
        "Sol|Volt|Green|Hydro|Carbon|Watt|Sun|Ion",
        "Energy|Power|Cleantech|New Energy",
        "to cut carbon emissions|at a lower cost per kilowatt-hour|with a longer service life|"
        "to help meet China's dual-carbon targets",
        "electrochemistry|chemical engineering|power engineering|materials science",
        "Energy Research",
    ),
    "biotech_health": _ind(
        "biotech|healthcare|life sciences|health tech|medicine",
        "biotech|healthcare|life-science|medtech",
        "Bio|Gene|Cell|Thera|Med|Cura|Vita|Immuno",
        "Bio|Therapeutics|Medical|Health|Biosciences",
        "with fewer side effects|at a fraction of the cost of imported products|to reach patients earlier|"
        "for China's ageing population",
        "biology|pharmacy|clinical medicine|biomedical engineering",
        "Biomedicine",
    ),
    "new_materials": _ind(
        "new materials|advanced materials|materials science|material technology",
        "advanced-materials|materials|new-materials|materials-science",
        "Poly|Carbon|Graph|Nano|Fibre|Cera|Mat",
        "Materials|Advanced Materials|New Materials",
        "as replacements for imported materials|with a lower carbon footprint|at industrial scale|"
        "for demanding environments",
        "materials science|polymer chemistry|chemical engineering|physics",
        "Advanced Materials",
    ),
    "ecommerce_consumer": _ind(
        "e-commerce|consumer goods|retail|online retail|consumer brands",
        "e-commerce|consumer|retail|consumer-brand",
        "Cart|Shop|Bloom|Daily|Fresh|Pet|Glow",
        "Brands|Commerce|Retail|Goods",
        "at affordable prices|with next-day delivery|for a younger generation of shoppers|"
        "sold online and in pop-up stores",
        "marketing|business administration|economics|industrial design",
        "Digital Commerce",
    ),
    "culture_creative": _ind(
        "the creative industries|culture and creative industries|digital content|media and entertainment|"
        "creative tech",
        "creative|cultural|content|media",
        "Pixel|Ink|Story|Canvas|Studio|Muse|Frame",
        "Studio|Creative|Culture|Media",
        "rooted in Chinese culture|for global audiences|with a distinctive visual style|"
        "for younger audiences",
        "fine arts|animation|journalism|digital media",
        "Digital Culture",
    ),
    "education": _ind(
        "education|edtech|learning|training|education technology",
        "education|edtech|learning|training",
        "Learn|Edu|Mentor|Class|Skill|Bright|Scholar",
        "Education|Learning|Academy|Edtech",
        "at a fraction of the cost of private tutoring|with personalised learning paths|"
        "for smaller cities and rural areas|that learners actually enjoy",
        "education|psychology|linguistics|computer science",
        "Educational Technology",
    ),
    "agriculture_rural": _ind(
        "agriculture|agritech|rural revitalisation|agtech|farming",
        "agritech|agricultural|farm-tech|rural",
        "Agri|Farm|Soil|Seed|Harvest|Field|Crop",
        "Agritech|Agriculture|Farms|Agro",
        "to raise yields and farmer incomes|with less water and fertiliser|to help revitalise villages|"
        "from farm to table",
        "agronomy|plant science|agricultural economics|rural development",
        "Agricultural Sciences",
    ),
    "fintech": _ind(
        "fintech|financial technology|digital finance|financial services",
        "fintech|financial|finance|payments",
        "Pay|Fin|Ledger|Credit|Coin|Vault|Trust",
        "Fintech|Finance|Pay|Financial Technology",
        "with faster approvals|at lower risk|in full compliance with regulation|"
        "on fairer terms for small businesses",
        "finance|economics|computer science|statistics",
        "Financial Technology",
    ),
    "enterprise_services": _ind(
        "enterprise software|SaaS|B2B software|enterprise services|business software",
        "SaaS|B2B|enterprise-software|B2B software",
        "Work|Flow|Desk|Stack|Cloud|Task|Shield",
        "Software|Cloud|SaaS|Systems",
        "at SME-friendly prices|with setup in a day|for teams of any size|fully localised for China",
        "computer science|software engineering|information systems|business administration",
        "Software Engineering",
    ),
    "smart_mobility": _ind(
        "smart mobility|mobility|transportation tech|intelligent transport|future mobility",
        "mobility|transport|auto-tech|smart-mobility",
        "Drive|Route|Move|Auto|Ride|Fleet|Road",
        "Mobility|Auto|Logistics|Motors",
        "to make roads safer|at a lower cost per kilometre|for cities and highways|with lower emissions",
        "vehicle engineering|transportation engineering|control engineering|computer science",
        "Intelligent Transportation",
    ),
    "social_innovation": _ind(
        "social innovation|social impact|the social sector|civic innovation|impact ventures",
        "social-impact|impact|community|social-enterprise",
        "Care|Kind|Common|Circle|Hope|Bridge|Loop",
        "Care|Social|Impact|Community",
        "for those who need it most|on a sustainable business model|with the help of local volunteers|"
        "for underserved communities",
        "sociology|public policy|social work|design",
        "Social Development",
    ),
}


# Title-case sector names as used in the names of funds, parks and incubators ("Suzhou Robotics Valley").
_SECTOR: dict[str, tuple[str, ...]] = {
    "ai": _s("Artificial Intelligence|AI"),
    "big_data": _s("Big Data|Digital Economy"),
    "iot": _s("IoT|Smart Sensing"),
    "open_hardware": _s("Smart Hardware|Maker"),
    "robotics": _s("Robotics|Intelligent Robot"),
    "advanced_manufacturing": _s("Advanced Manufacturing|Intelligent Manufacturing"),
    "semiconductors": _s("Integrated Circuit|Semiconductor"),
    "new_energy": _s("New Energy|Green Tech"),
    "biotech_health": _s("Biomedicine|Life Sciences"),
    "new_materials": _s("New Materials|Advanced Materials"),
    "ecommerce_consumer": _s("Digital Commerce|New Consumption"),
    "culture_creative": _s("Cultural and Creative|Digital Culture"),
    "education": _s("Education Technology|Edtech"),
    "agriculture_rural": _s("Rural Revitalisation|Agritech"),
    "fintech": _s("Fintech|Financial Technology"),
    "enterprise_services": _s("Software|Enterprise Services"),
    "smart_mobility": _s("Intelligent Connected Vehicle|Smart Mobility"),
    "social_innovation": _s("Social Enterprise|Social Impact"),
}


# ============================================================================================== sub-topics
class _Topic(NamedTuple):
    area: tuple[str, ...]  # synonyms of the sub-topic, the SUBTOPICS label first
    product: tuple[str, ...]  # plural or mass noun phrases (no article needed)
    customer: tuple[str, ...]  # plural noun phrases: "for {customer}"


# (area synonyms, products, customers) per sub-topic, in SUBTOPICS order.
_TOPIC_DATA: dict[str, tuple[tuple[str, str, str], ...]] = {
    "ai": (
        (
            "machine vision|image recognition|visual AI|video analytics",
            "visual defect-detection systems|video analytics software|object-recognition SDKs|"
            "smart edge cameras|image-based quality inspection tools",
            "factories|retail chains|security integrators|logistics hubs",
        ),
        (
            "large language models|natural language processing|generative AI|conversational AI",
            "LLM-powered customer-service agents|domain-tuned language models|document understanding tools|"
            "AI writing assistants|retrieval-augmented knowledge bases",
            "law firms|banks and insurers|customer-service teams|government offices",
        ),
        (
            "speech AI|voice technology|voice interfaces|speech recognition",
            "dialect-aware speech recognition engines|natural-sounding text-to-speech voices|"
            "in-car voice assistants|meeting transcription software|call-centre voice analytics",
            "call centres|carmakers|hospitals|smart-speaker makers",
        ),
        (
            "recommender systems|operations research|decision intelligence|predictive optimisation",
            "recommendation engines|dynamic pricing software|scheduling and routing optimisers|"
            "demand forecasting models|decision-support dashboards",
            "online retailers|airlines and hotels|logistics operators|content platforms",
        ),
    ),
    "big_data": (
        (
            "data governance|data middle platforms|master data management|enterprise data platforms",
            "data catalogue and lineage tools|unified data platforms|data quality monitoring software|"
            "master data management suites",
            "state-owned enterprises|city governments|banks|manufacturing groups",
        ),
        (
            "BI|self-service analytics|data visualisation|dashboards and reporting",
            "self-service BI dashboards|natural-language query tools|embedded analytics widgets|"
            "real-time reporting software",
            "retail chains|finance teams|SMEs|hospital administrators",
        ),
        (
            "privacy computing|federated learning|secure multi-party computation|confidential computing",
            "federated learning platforms|secure multi-party computation toolkits|data clean rooms|"
            "trusted execution environment middleware",
            "banks|hospitals|telecom operators|advertisers",
        ),
        (
            "industrial big data|predictive maintenance|manufacturing analytics|equipment analytics",
            "predictive-maintenance software|equipment health monitoring dashboards|"
            "production-line optimisation models|plant energy-use analytics",
            "steel mills|chemical plants|auto-parts makers|power utilities",
        ),
    ),
    "iot": (
        (
            "home automation|connected homes|smart living|smart-home devices",
            "smart locks|Matter-compatible home hubs|energy-saving smart plugs|"
            "voice-controlled lighting systems|home security sensors",
            "property developers|homeowners|rental apartment operators|hotel chains",
        ),
        (
            "industrial IoT|IIoT|wireless sensing|condition monitoring",
            "wireless vibration sensors|factory LoRa gateways|edge data collectors|"
            "low-power environmental sensors|machine-monitoring retrofit kits",
            "factories|mines|water utilities|chemical parks",
        ),
        (
            "V2X|vehicle telematics|the Internet of Vehicles|in-vehicle connectivity",
            "V2X roadside units|fleet telematics boxes|in-vehicle connectivity modules|"
            "over-the-air update platforms",
            "carmakers|fleet operators|logistics companies|toll-road operators",
        ),
        (
            "urban IoT|smart cities|city sensing networks|urban monitoring",
            "smart parking sensors|air-quality monitoring stations|pipe-leak sensors|"
            "smart street-light controllers",
            "city governments|property managers|utilities|industrial parks",
        ),
    ),
    "open_hardware": (
        (
            "STEM kits|maker education|educational electronics|hands-on coding kits",
            "programmable robot kits|Arduino-based STEM kits|classroom coding hardware|"
            "modular electronics kits",
            "primary and middle schools|training centres|parents|maker spaces",
        ),
        (
            "RISC-V|development boards|embedded boards|open-source silicon",
            "RISC-V development boards|single-board computers|open-source microcontroller modules|"
            "AI edge boards",
            "embedded developers|hardware startups|universities|hobbyists",
        ),
        (
            "desktop fabrication|rapid prototyping|additive prototyping|consumer 3D printing",
            "desktop 3D printers|resin printers|printing filaments|3D-printing slicer software|"
            "print-farm management tools",
            "designers|dental labs|schools|small manufacturers",
        ),
        (
            "wearable devices|wearable tech|smart wearables|body-worn sensors",
            "smart rings|fitness bands|open-source smartwatches|wearable health trackers|smart glasses",
            "athletes|older adults|health-conscious consumers|insurers",
        ),
    ),
    "robotics": (
        (
            "service robotics|commercial robots|delivery robots|hospitality robots",
            "hotel delivery robots|commercial cleaning robots|restaurant serving robots|"
            "reception and guide robots|companion robots",
            "hotels|restaurants|hospitals|shopping malls",
        ),
        (
            "collaborative robots|cobots|industrial automation|robot arms",
            "collaborative robot arms|low-cost six-axis arms|robotic welding cells|"
            "vision-guided pick-and-place systems",
            "electronics assemblers|auto-parts plants|small factories|warehouses",
        ),
        (
            "UAVs|unmanned aerial systems|the low-altitude economy|aerial robotics",
            "inspection drones|crop-spraying drones|drone delivery systems|autonomous drone docks|"
            "mapping drones",
            "power grid operators|farmers|logistics firms|surveyors",
        ),
        (
            "medical robotics|robot-assisted surgery|surgical robotics|rehabilitation robotics",
            "minimally invasive surgical robots|orthopaedic surgery robots|rehabilitation exoskeletons|"
            "robotic endoscopes",
            "hospitals|orthopaedic surgeons|rehabilitation centres",
        ),
    ),
    "advanced_manufacturing": (
        (
            "CNC machining|ultra-precision manufacturing|precision parts|micro-machining",
            "ultra-precision CNC parts|five-axis machining services|micro-machined components|"
            "precision moulds",
            "medical-device makers|aerospace suppliers|optics companies|semiconductor equipment makers",
        ),
        (
            "digital twins|smart factories|manufacturing execution systems|industrial software",
            "production-line digital-twin software|lightweight MES systems|factory simulation tools|"
            "production scheduling software",
            "discrete manufacturers|auto plants|electronics factories|industrial parks",
        ),
        (
            "metal 3D printing|industrial 3D printing|additive production|laser powder-bed fusion",
            "metal powder-bed printers|printed engine parts|additively manufactured implants|"
            "large-format industrial printers",
            "aerospace firms|medical implant makers|tooling shops|automakers",
        ),
        (
            "non-destructive testing|metrology|quality inspection|machine-vision inspection",
            "X-ray inspection machines|ultrasonic testing devices|3D measurement scanners|"
            "automated optical inspection stations",
            "battery makers|PCB factories|steel producers|pipeline operators",
        ),
    ),
    "semiconductors": (
        (
            "IC design|fabless chip design|SoC design|analog and mixed-signal design",
            "low-power AI accelerator chips|low-cost consumer MCUs|RF front-end chips|sensor interface ASICs|"
            "edge-device SoCs",
            "consumer-electronics makers|carmakers|IoT device makers",
        ),
        (
            "power electronics|SiC and GaN devices|wide-bandgap semiconductors|power devices",
            "silicon-carbide MOSFETs|GaN fast-charger chips|IGBT modules|power management ICs",
            "EV makers|solar inverter makers|charger brands|industrial drive makers",
        ),
        (
            "advanced packaging|chip packaging|semiconductor testing|back-end processes",
            "advanced packaging services|chiplet integration|wafer-level test equipment|probe cards|"
            "test sockets",
            "fabless chip companies|foundries|integrated device makers",
        ),
        (
            "electronic design automation|chip design software|design verification|EDA software",
            "AI-assisted layout tools|timing and power verification software|cloud EDA platforms|"
            "PCB design software",
            "chip design houses|universities|foundries",
        ),
    ),
    "new_energy": (
        (
            "energy storage|battery storage|battery technology|stationary storage",
            "sodium-ion battery cells|home battery systems|grid-scale storage cabinets|"
            "battery management systems|battery recycling processes",
            "utilities|industrial parks|households|EV makers",
        ),
        (
            "solar PV|solar power|photovoltaics|distributed solar",
            "perovskite solar cells|rooftop solar kits|solar inverters|PV panel cleaning robots|"
            "agrivoltaic systems",
            "factory rooftops|rural households|solar farm developers",
        ),
        (
            "hydrogen|fuel cells|green hydrogen|hydrogen technology",
            "PEM electrolysers|hydrogen fuel-cell stacks|hydrogen storage tanks|"
            "forklift fuel-cell power units",
            "steelmakers|chemical plants|logistics fleets|port operators",
        ),
        (
            "carbon accounting|energy efficiency|decarbonisation|energy management",
            "carbon accounting software|smart energy-management systems|industrial heat-recovery units|"
            "smart HVAC controls",
            "exporters facing carbon rules|office buildings|factories|property managers",
        ),
    ),
    "biotech_health": (
        (
            "drug discovery|therapeutics|innovative drugs|new medicines",
            "small-molecule cancer drugs|antibody-drug conjugates|AI-designed drug candidates|"
            "mRNA therapeutics|gene therapies",
            "pharma partners|hospitals|patients with rare diseases",
        ),
        (
            "medtech|medical equipment|medical technology|clinical devices",
            "portable ultrasound scanners|minimally invasive surgical instruments|wearable ECG monitors|"
            "smart infusion pumps|orthopaedic implants",
            "hospitals|county clinics|rehabilitation centres|home-care patients",
        ),
        (
            "health IT|telemedicine|e-health|digital therapeutics",
            "chronic-disease management apps|telemedicine platforms|AI triage assistants|"
            "hospital workflow software|remote patient-monitoring services",
            "hospitals|insurers|patients with diabetes|employers",
        ),
        (
            "IVD|diagnostics|molecular diagnostics|point-of-care testing",
            "point-of-care test kits|rapid PCR analysers|microfluidic diagnostic chips|"
            "cancer screening assays",
            "hospital labs|primary-care clinics|third-party labs|pharmacies",
        ),
    ),
    "new_materials": (
        (
            "polymers|engineering plastics|specialty polymers|functional polymers",
            "high-temperature engineering plastics|medical-grade polymers|flame-retardant compounds|"
            "specialty adhesives|high-performance films",
            "auto-parts makers|electronics makers|packaging firms",
        ),
        (
            "graphene|carbon nanomaterials|carbon fibre|nanocarbon",
            "graphene heat-spreading films|conductive graphene inks|carbon-nanotube battery additives|"
            "carbon-fibre composites",
            "battery makers|phone makers|sportswear brands|aerospace suppliers",
        ),
        (
            "biodegradable materials|bioplastics|compostable materials|bio-based polymers",
            "PLA and PBAT compounds|compostable food packaging|bio-based fibres|seaweed-based films",
            "food-delivery platforms|packaging converters|supermarkets|fashion brands",
        ),
        (
            "technical ceramics|ceramic materials|structural ceramics|functional ceramics",
            "silicon nitride bearings|ceramic power-electronics substrates|zirconia dental blanks|"
            "ceramic membranes",
            "chip packagers|dental labs|bearing makers|water-treatment firms",
        ),
    ),
    "ecommerce_consumer": (
        (
            "export e-commerce|cross-border retail|global online selling|cross-border trade",
            "cross-border storefront tools|overseas warehousing services|marketplace seller analytics|"
            "export logistics platforms",
            "Chinese brands going abroad|factory sellers|Southeast Asian shoppers",
        ),
        (
            "DTC brands|new consumer brands|challenger brands|digitally native brands",
            "plant-based snacks|clean-label skincare|smart kitchen gadgets|pet food and supplies|"
            "functional drinks",
            "young urban consumers|Gen Z shoppers|young parents",
        ),
        (
            "live commerce|social commerce|influencer selling|live-stream retail",
            "live-stream selling studios|KOL matching platforms|community group-buying tools|"
            "short-video shop management software",
            "brands|farmers and small sellers|influencers|MCN agencies",
        ),
        (
            "retail digitisation|restaurant tech|smart retail|catering tech",
            "restaurant ordering and POS systems|convenience-store inventory apps|kitchen automation|"
            "membership and loyalty software",
            "restaurant chains|convenience stores|tea and coffee chains|supermarkets",
        ),
    ),
    "culture_creative": (
        (
            "digital collectibles|generative art|immersive art|new-media art",
            "digital art marketplaces|immersive projection exhibitions|generative art tools|"
            "museum digital-collectible platforms",
            "museums|independent artists|collectors|brands",
        ),
        (
            "gaming|animation|interactive entertainment|game development",
            "indie mobile games|animated series|game art outsourcing|virtual idols|"
            "AI-assisted animation tools",
            "players|streaming platforms|publishers",
        ),
        (
            "heritage crafts|traditional crafts|cultural heritage|guochao design",
            "heritage craft gift lines|embroidery and lacquerware collections|craft tourism workshops|"
            "museum-licensed creative products",
            "tourists|museums|gift buyers|corporate clients",
        ),
        (
            "short video|online video|the creator economy|micro-drama",
            "short-video series|creator tools and editing apps|brand content studios|micro-drama productions",
            "brands|platforms such as Douyin and TikTok|advertisers",
        ),
    ),
    "education": (
        (
            "vocational training|skills training|workforce training|technical education",
            "online technician training courses|VR welding simulators|certification prep programmes|"
            "corporate upskilling platforms",
            "factory workers|vocational colleges|employers|job seekers",
        ),
        (
            "after-school learning|STEM education|enrichment education|quality education",
            "after-school STEM programmes|art and music courses|children's reading apps|science camps|"
            "debate and critical-thinking classes",
            "parents|primary schools|after-school centres",
        ),
        (
            "school software|digital campus|education informatisation|classroom technology",
            "smart classroom systems|homework grading software|school management platforms|"
            "AI teaching assistants",
            "public schools|universities|education bureaus",
        ),
        (
            "language education|English learning|Chinese as a foreign language|second-language learning",
            "AI speaking tutors|online Chinese courses|English learning apps|live online language classes",
            "students|working adults|international schools|expats",
        ),
    ),
    "agriculture_rural": (
        (
            "precision agriculture|digital agriculture|smart agriculture|farm automation",
            "soil-moisture sensors|greenhouse climate controllers|farm management apps|"
            "livestock monitoring collars|precision irrigation systems",
            "farm cooperatives|greenhouse growers|livestock farms|large farms",
        ),
        (
            "farm-to-table retail|agri-food supply chains|rural e-commerce|fresh-produce e-commerce",
            "farm-to-table delivery platforms|fresh-produce cold-chain logistics|produce traceability labels|"
            "rural live-stream sales",
            "smallholder farmers|urban households|supermarkets|restaurants",
        ),
        (
            "agritourism|countryside tourism|rural hospitality|village tourism",
            "boutique farm stays|village tour booking platforms|rural camping sites|farm experience packages",
            "city families|tour operators|village collectives",
        ),
        (
            "crop breeding|molecular breeding|seed technology|plant genetics",
            "gene-edited crop varieties|molecular breeding services|high-yield hybrid seeds|"
            "drought-tolerant rice lines",
            "seed companies|farmers|agricultural research institutes",
        ),
    ),
    "fintech": (
        (
            "trade finance|receivables finance|SME financing|supply-chain lending",
            "receivables financing platforms|invoice verification tools|inventory-backed lending software|"
            "trade finance APIs",
            "SME suppliers|core enterprises|factoring companies|banks",
        ),
        (
            "risk control|credit scoring|fraud detection|risk analytics",
            "credit scoring models|anti-fraud engines|loan-monitoring dashboards|"
            "alternative-data risk models",
            "banks|consumer-finance companies|microlenders|insurers",
        ),
        (
            "payments|cross-border payments|clearing and settlement|payment infrastructure",
            "cross-border payment gateways|merchant acquiring software|digital-yuan payment tools|"
            "reconciliation and settlement systems",
            "merchants|exporters|e-commerce platforms|banks",
        ),
        (
            "insurance technology|digital insurance|insurance distribution|claims automation",
            "claims automation software|usage-based car insurance products|health insurance comparison apps|"
            "pet insurance platforms",
            "insurers|brokers|policyholders|car owners",
        ),
    ),
    "enterprise_services": (
        (
            "team collaboration|workplace software|productivity tools|online collaboration",
            "project management software|online whiteboards|knowledge-base tools|team chat and workflow apps",
            "SMEs|remote teams|design agencies|engineering teams",
        ),
        (
            "accounting software|tax tech|e-invoicing|finance automation",
            "e-invoicing software|expense management apps|tax filing automation|"
            "small-business bookkeeping tools",
            "small businesses|accounting firms|CFOs|cross-border sellers",
        ),
        (
            "low-code development|no-code tools|workflow automation|citizen development",
            "low-code app builders|workflow automation tools|form and approval builders|RPA bots",
            "IT departments|operations teams|government agencies|SMEs",
        ),
        (
            "information security|network security|security software|zero-trust security",
            "endpoint protection software|zero-trust access gateways|managed security monitoring|"
            "data leak prevention tools|penetration-testing platforms",
            "banks|hospitals|manufacturers|government agencies",
        ),
    ),
    "smart_mobility": (
        (
            "self-driving|driver assistance|autonomous vehicles|robotaxis",
            "lidar perception stacks|robotaxi software|autonomous mining trucks|ADAS modules|"
            "driverless shuttles",
            "carmakers|mining companies|ports|bus operators",
        ),
        (
            "electric-vehicle parts|e-drive systems|the EV supply chain|EV charging",
            "e-axles|on-board chargers|EV thermal management modules|EV charging piles|"
            "two-wheeler battery packs",
            "EV makers|Tier-1 suppliers|e-scooter brands|charging operators",
        ),
        (
            "logistics tech|supply-chain logistics|last-mile delivery|warehouse automation",
            "warehouse robots|route optimisation software|autonomous delivery vehicles|"
            "freight matching platforms|cold-chain trackers",
            "express couriers|retailers|third-party logistics firms|manufacturers",
        ),
        (
            "ride sharing|micromobility|mobility services|car sharing",
            "shared e-bike fleets|small-city ride-hailing software|car-sharing platforms|smart bike locks",
            "commuters|city transport bureaus|tourist areas|university campuses",
        ),
    ),
    "social_innovation": (
        (
            "ageing services|the silver economy|senior care|elderly home care",
            "home-care service platforms|fall-detection sensors|community day-care centres|"
            "smart pill dispensers|senior-friendly phones",
            "older adults living alone|families|community centres|care homes",
        ),
        (
            "accessibility|assistive technology|civic tech|social-good technology",
            "screen readers and captioning apps|sign-language translation tools|accessible navigation apps|"
            "civic feedback platforms",
            "people with disabilities|city governments|NGOs|public venues",
        ),
        (
            "neighbourhood services|community care|grassroots services|community building",
            "neighbourhood service apps|community canteens|childcare co-ops|volunteer management platforms",
            "residential communities|street offices|families|volunteers",
        ),
        (
            "recycling|the circular economy|waste reduction|resource recovery",
            "smart recycling bins|textile recycling processes|second-hand trading platforms|"
            "food-waste composting units|e-waste recovery services",
            "residential compounds|brands with take-back schemes|city sanitation departments|offices",
        ),
    ),
}

_TOPICS: dict[str, tuple[_Topic, ...]] = {
    ind: tuple(
        _Topic((SUBTOPICS[ind][k][1], *_s(area)), _s(product), _s(customer))
        for k, (area, product, customer) in enumerate(rows)
    )
    for ind, rows in _TOPIC_DATA.items()
}


def _topic(industries: Sequence[str], subtopic: int) -> _Topic:
    return _TOPICS[industries[0]][subtopic]


# ============================================================================================== needs
class _Need(NamedTuple):
    ask_np: tuple[str, ...]  # founder: "we need {ask_np}"
    ask_vp: tuple[str, ...]  # founder: "we want to {ask_vp}"
    help_np: tuple[str, ...]  # mentor / provider: "help with {help_np}"
    help_vp: tuple[str, ...]  # mentor / provider: "help founders {help_vp}"
    short: tuple[str, ...]  # 1-3 word labels for long lists


def _need(ask_np: str, ask_vp: str, help_np: str, help_vp: str, short: str) -> _Need:
    return _Need(_s(ask_np), _s(ask_vp), _s(help_np), _s(help_vp), _s(short))


_NEED: dict[str, _Need] = {
    # Founder-side financing phrases are built from the round (see _financing); these serve the rest.
    "financing": _need(
        "investors who understand our field|funding for the next 18 months|a lead investor",
        "raise our next round|close a funding round|bring in investors",
        "fundraising|pitch preparation|term-sheet and valuation advice|"
        "bank and IP-pledge loans|building an investor pipeline|financing strategy|investor introductions",
        "raise their first round|prepare a pitch that gets meetings|meet the right investors|"
        "negotiate valuation and terms|tap bank credit and government funds alongside equity",
        "fundraising|investor intros|financing",
    ),
    "testing_certification": _need(
        "third-party testing for our prototype|CE and FCC certification before we ship|"
        "a lab to run reliability and safety tests|help getting CCC certification|"
        "type testing and certification for our first product",
        "get our device certified for the EU and US markets|pass safety and EMC testing|"
        "obtain the certifications our customers ask for|run reliability tests on our pilot batch|"
        "get CCC and CE marks before launch",
        "testing and certification|CE, FCC and CCC certification|product safety and EMC testing|"
        "certification roadmaps|reliability and compliance testing",
        "get their products certified|plan a certification roadmap|pass EMC and safety tests first time|"
        "navigate CE, UL and CCC requirements|prepare for regulatory testing",
        "certification|product testing|lab testing",
    ),
    "rd_design": _need(
        "engineering support for the next prototype|an industrial designer for our product|"
        "help with hardware and firmware design|R&D partners to speed up development|"
        "a design partner for the user experience",
        "finish the engineering design of our second prototype|redesign the product for lower cost|"
        "bring in outside R&D capacity|work with a design studio on the enclosure and UX|"
        "co-develop the core module with a research lab",
        "R&D and design|product engineering|industrial design|prototype development|"
        "manufacturability reviews",
        "turn a concept into a working prototype|organise their R&D roadmap|"
        "design products that can be built|"
        "take cost out of the bill of materials|set up a disciplined R&D process",
        "R&D support|design work|engineering",
    ),
    "pilot_production": _need(
        "a pilot line for our first small batch|access to a pilot plant for scale-up|"
        "a contract manufacturer for a 500-unit run|help moving from lab scale to pilot scale|"
        "pilot-scale production capacity",
        "scale up from lab samples to a pilot batch|run a first production trial of 1,000 units|"
        "validate our process on a pilot line|find a factory willing to do a small trial run|"
        "prove the process works at pilot scale",
        "pilot production|lab-to-pilot scale-up|small-batch manufacturing|pilot-line trials|process scale-up",
        "move from lab to pilot scale|plan a first small-batch run|find the right contract manufacturer|"
        "de-risk the jump to mass production|validate a process before building a plant",
        "pilot production|scale-up|small-batch runs",
    ),
    "tech_transfer": _need(
        "a licence for a university patent|help commercialising research from our lab|"
        "a partner to transfer our technology into industry|research results we can license|"
        "support on a technology licensing deal",
        "license a key patent from the university|spin the technology out of our institute|"
        "bring our lab results to market|negotiate a tech-transfer agreement with the research institute|"
        "turn academic research into a product",
        "technology transfer|research commercialisation|university licensing deals|spin-out structuring|"
        "tech-transfer negotiations",
        "spin technology out of universities|license patents from research institutes|"
        "turn lab research into products|structure tech-transfer deals|work with university labs",
        "tech transfer|licensing|commercialisation",
    ),
    "strategy": _need(
        "a sounding board on strategy|help sharpening our business model|"
        "advice on which market to enter first|"
        "strategic guidance from someone who has scaled a company|a clear three-year plan",
        "decide which customer segment to focus on|rethink our business model|build a realistic growth plan|"
        "choose between two market entry options|sharpen our positioning against bigger competitors",
        "strategy|business model design|market positioning|growth planning|strategic planning",
        "sharpen their business model|pick the right market to attack first|set priorities and say no|"
        "build a credible long-term plan|think through pricing and positioning",
        "strategy|business planning|positioning",
    ),
    "product": _need(
        "feedback on product-market fit|a senior product manager's eye on our roadmap|"
        "help simplifying the product|guidance on product design and UX|user research support",
        "reach product-market fit|focus the product on one core use case|improve onboarding and retention|"
        "prioritise the roadmap|polish the product before the commercial launch",
        "product management|product-market fit|user research|roadmap prioritisation|UX and product design",
        "find product-market fit|build roadmaps around real customer problems|run proper user interviews|"
        "ship an MVP quickly|improve retention",
        "product work|product-market fit|UX",
    ),
    "go_to_market": _need(
        "a go-to-market plan|help landing our first ten customers|introductions to pilot customers|"
        "advice on launch pricing|a launch strategy for our first market",
        "land our first paying customers|launch commercially in the third quarter|"
        "get pilots with two or three large customers|work out pricing and packaging|"
        "break into the enterprise market",
        "go-to-market strategy|market entry|launch planning|pricing and packaging|customer acquisition",
        "land their first customers|plan a commercial launch|price and package their offer|enter new markets|"
        "build a repeatable go-to-market motion",
        "go-to-market|market entry|launch",
    ),
    "team_building": _need(
        "advice on building the founding team|help setting up an equity and option plan|"
        "coaching for our first-time managers|a framework for team roles and culture|"
        "support on co-founder alignment",
        "strengthen the founding team|design an employee stock option plan|"
        "build a management layer as we grow|"
        "clarify how the founders split responsibilities|grow from 10 to 30 people without losing speed",
        "team building|founder coaching|equity and option plans|organisational design|leadership development",
        "build strong founding teams|split equity fairly|coach first-time managers|"
        "set up a healthy team culture|resolve co-founder conflicts",
        "team building|founder coaching|org design",
    ),
    "legal": _need(
        "legal advice on our shareholder agreement|a lawyer to review customer contracts|"
        "help with data-compliance rules|legal support on our term sheet|counsel on employment contracts",
        "get our contracts and terms of service in order|review the investment term sheet|"
        "comply with data-protection law|restructure our shareholding before the round|"
        "set up proper employment contracts",
        "legal counsel|contract drafting and review|term-sheet negotiation|data-compliance advice|"
        "corporate legal work",
        "negotiate term sheets|draft solid customer contracts|stay compliant with data and privacy law|"
        "structure shareholdings cleanly|avoid expensive legal mistakes",
        "legal advice|contracts|compliance",
    ),
    "finance_accounting": _need(
        "a part-time CFO|help setting up proper bookkeeping|a financial model investors will trust|"
        "support on tax filing|an audit-ready set of accounts",
        "clean up our books before due diligence|build a proper financial model|"
        "set up budgeting and cash-flow tracking|get our tax filings right|prepare audited accounts",
        "finance and accounting|bookkeeping and tax filing|financial modelling|CFO services|"
        "cash-flow planning",
        "build financial models|get ready for due diligence|manage cash flow and runway|"
        "set up bookkeeping and tax|understand their own numbers",
        "accounting|financial planning|bookkeeping",
    ),
    "ip": _need(
        "help building a trademark and patent portfolio|a patent attorney for our core algorithm|"
        "an IP strategy before we go to market|a freedom-to-operate analysis|"
        "trademark registration at home and abroad",
        "file patents on our core algorithm|register our trademarks in China and overseas|"
        "protect our designs before the launch|build an IP portfolio that investors respect|"
        "check we are not infringing existing patents",
        "intellectual property|patent strategy|patent drafting and filing|trademark registration|"
        "IP portfolio management",
        "file patents that hold up|register trademarks at home and abroad|"
        "build an IP portfolio investors value|"
        "run freedom-to-operate checks|use their patents for IP-pledge loans and subsidies",
        "IP|patents|trademarks",
    ),
    "marketing_branding": _need(
        "a brand identity that stands out|help with content and social media marketing|"
        "a marketing plan for the launch|PR and media coverage|a stronger brand story",
        "build brand awareness|rebrand before the national launch|"
        "grow our following on WeChat and Xiaohongshu|"
        "tell our story better to customers|get coverage in the trade press",
        "marketing and branding|brand positioning|content marketing|PR and media relations|"
        "social media growth",
        "build a brand people remember|tell a clear story|grow on social media|get press coverage|"
        "run campaigns on a small budget",
        "branding|marketing|PR",
    ),
    "sales_channels": _need(
        "distribution partners|introductions to channel partners|access to retail channels|a sales playbook|"
        "reseller and integrator partners",
        "sign up distributors in new provinces|get listed on the major e-commerce platforms|"
        "build a reseller network|"
        "set up a small direct sales team|get into supermarket and convenience-store channels",
        "sales channels|distribution partnerships|channel strategy|building sales teams|key-account sales",
        "open up distribution channels|build a sales pipeline|hire and run a sales team|win key accounts|"
        "sign resellers and integrators",
        "sales channels|distribution|sales",
    ),
    "policy_application": _need(
        "help applying for government subsidies|support with the high-tech enterprise certification|"
        "guidance on innovation vouchers and grants|someone who knows the local talent programmes|"
        "help with government procurement rules",
        "apply for the high-tech enterprise title|claim the R&D tax deduction|win a local innovation grant|"
        "use innovation vouchers for testing costs|qualify for talent-programme housing and subsidies",
        "policy applications|government grant and subsidy applications|high-tech enterprise certification|"
        "tax-incentive claims|talent-programme applications",
        "apply for government grants|claim R&D tax incentives|get high-tech enterprise status|"
        "make use of innovation vouchers|navigate local policy support",
        "grant applications|subsidies|policy support",
    ),
    "registration": _need(
        "help registering the company|support setting up a legal entity|advice on where to register|"
        "a registered address in the incubator|help with the business licence paperwork",
        "register the company|set up a limited company and open a bank account|"
        "move our registration to the incubator's address|set up a foreign-invested entity|"
        "get the business licence sorted",
        "company registration|business licence applications|entity set-up|registered-address services|"
        "corporate secretarial work",
        "register their company|set up the right legal entity|get a business licence quickly|"
        "open corporate bank accounts|set up foreign-invested companies",
        "registration|entity set-up|company set-up",
    ),
    "hr_recruiting": _need(
        "a senior engineer|help hiring a head of sales|two or three experienced developers|"
        "a recruiter who knows our field|access to graduate talent",
        "hire a CTO|recruit our first five engineers|find a VP of sales with industry contacts|"
        "build a pipeline of graduates from local universities|set up payroll and social insurance properly",
        "recruiting|executive search|talent acquisition|HR set-up and payroll|hiring strategy",
        "hire key engineers|find senior executives|set up HR and payroll|"
        "write job offers that attract talent|build a hiring pipeline",
        "hiring|recruiting|talent",
    ),
    "internationalisation": _need(
        "partners in Southeast Asia|introductions to overseas distributors|advice on entering Europe|"
        "help with overseas compliance|international investors",
        "expand to Southeast Asia|open our first overseas office|find distributors in Europe|"
        "take the product to the US market|set up a subsidiary in Singapore",
        "internationalisation|overseas market entry|cross-border expansion|international partnerships|"
        "global go-to-market",
        "expand overseas|enter Southeast Asian and European markets|find partners abroad|"
        "set up overseas entities|adapt products for foreign markets",
        "overseas expansion|going global|international markets",
    ),
}

# A team outside China asks for the opposite direction.
_INTL_ABROAD = _need(
    "partners in China|introductions to Chinese distributors|advice on entering the Chinese market|"
    "help with Chinese regulations|a manufacturing partner in the Greater Bay Area",
    "enter the Chinese market|open an office in Shenzhen or Shanghai|find distributors in China|"
    "set up a joint venture in China|source and manufacture in China",
    "",
    "",
    "China entry|China market entry",
)

# Noun used for "our {round}" and plausible amounts in CNY millions.
_ROUND_WORD: dict[str, tuple[str, tuple[float, ...]]] = {
    "seed": ("seed round", (0.5, 1.0, 1.5, 2.0, 3.0)),
    "angel": ("angel round", (1.0, 2.0, 3.0, 5.0, 8.0)),
    "pre_a": ("pre-A round", (5.0, 8.0, 10.0, 15.0, 20.0)),
    "a": ("Series A", (20.0, 30.0, 50.0, 80.0)),
    "a_plus": ("Series A+", (50.0, 80.0, 100.0, 150.0)),
    "b": ("Series B", (100.0, 150.0, 200.0, 300.0)),
    "c_plus": ("Series C", (300.0, 500.0, 800.0)),
    "strategic": ("strategic round", (20.0, 50.0, 100.0, 200.0)),
    "pe": ("growth equity round", (200.0, 300.0, 500.0, 1000.0)),
    "ipo": ("pre-IPO round", (300.0, 500.0, 800.0)),
    "crowdfunding": ("equity crowdfunding campaign", (0.5, 1.0, 2.0, 3.0)),
    "other": ("funding round", (1.0, 2.0, 5.0, 10.0)),
}
_FIN_NP_FRAMES = _s(
    "{amt} in {round} funding|a lead investor for our {amt} {round}|investors for our {amt} {round}|"
    "{round} investors who know {syn}|the rest of our {amt} {round}|{amt} in new capital ({round})"
)
_FIN_VP_FRAMES = _s(
    "raise our {amt} {round}|close our {round} of about {amt}|find a lead investor for our {round}|"
    "raise {amt} to fund the next 18 months|bring in {round} investors with {syn} experience|"
    "close {amt} of {round} funding"
)
_FIN_SPECIAL: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "strategic": (
        _s(
            "a strategic investor from the industry|a corporate partner willing to invest about {amt}|"
            "strategic capital from a large {mod} player"
        ),
        _s(
            "bring in a strategic investor from our industry|raise about {amt} from a corporate partner|"
            "partner with an industry leader through a strategic round"
        ),
    ),
    "crowdfunding": (
        _s("backers for our {amt} equity crowdfunding campaign|a platform for equity crowdfunding"),
        _s(
            "raise {amt} through equity crowdfunding|run an equity crowdfunding campaign among our users|"
            "let our community invest through a crowdfunding round"
        ),
    ),
    "other": (
        _s("a bank loan or grant funding of about {amt}|non-dilutive funding of around {amt}|venture debt"),
        _s("secure about {amt} in loans or grants|find non-dilutive funding|take out an IP-pledge loan"),
    ),
    "ipo": (
        _s("pre-IPO investors for our {amt} round|cornerstone investors ahead of a listing"),
        _s(
            "raise our {amt} pre-IPO round|prepare for a listing on the STAR Market|"
            "line up cornerstone investors"
        ),
    ),
}
# (currency formats, CNY per unit) per overseas city; mainland amounts are in CNY.
_CURRENCY: dict[str, tuple[tuple[str, ...], float]] = {
    "singapore": (("S${}", "SGD {}", "US${}"), 5.4),
    "london": (("£{}", "GBP {}"), 9.1),
    "berlin": (("€{}", "EUR {}"), 7.8),
    "san_francisco": (("${}", "USD {}"), 7.2),
}
# "Round" amounts in millions that a local-currency conversion snaps to.
_NICE: tuple[float, ...] = tuple(
    float(x)
    for x in "0.1 0.15 0.2 0.25 0.3 0.4 0.5 0.6 0.75 0.8 1 1.2 1.5 2 2.5 3 4 5 6 8 10 12 15 20 25 30 "
    "40 50 60 80 100 120 150 200 300 500 800 1000".split()
)


def _num(millions: float, short: bool) -> str:
    """3.0 -> "3M" / "3 million"; 0.5 -> "500k" / "500,000"; 1000 -> "1B" / "1 billion"."""
    if millions >= 1000:
        v = millions / 1000
        return f"{v:g}B" if short else f"{v:g} billion"
    if millions < 1:
        k = int(round(millions * 1000))
        return f"{k}k" if short else f"{k:,}"
    return f"{millions:g}M" if short else f"{millions:g} million"


def _money(rng: Rng, cny_millions: float, city: str) -> str:
    """An amount in the local currency of ``city``, in one of several written styles."""
    if city in _CURRENCY:
        formats, rate = _CURRENCY[city]
        value = cny_millions / rate
        nice = _nice(value)
        return _p(rng, formats).format(_num(nice, True))
    style = _int(rng, 0, 4)
    if style == 0:
        return f"CNY {_num(cny_millions, True)}"
    if style == 1:
        return f"RMB {_num(cny_millions, False)}"
    if style == 2 and cny_millions >= 1:
        return f"{_num(cny_millions, False)} yuan"
    if style == 3:
        return f"RMB {_num(cny_millions, True)}"
    return f"CNY {_num(cny_millions, False)}"


def _financing(rng: Rng, round_sought: str, city: str, industry: str, verb: bool,
               funding: int | None = None) -> str:
    word, amounts = _ROUND_WORD.get(round_sought, _ROUND_WORD["other"])
    ctx = {
        "amt": _money(rng, funding / 1e6 if funding else _p_float(rng, amounts), city),
        "round": word,
        "syn": _p(rng, _INDUSTRY[industry].syn),
        "mod": _p(rng, _INDUSTRY[industry].mod),
    }
    special = _FIN_SPECIAL.get(round_sought)
    if special is not None and _chance(rng, 0.7):
        frames = special[1] if verb else special[0]
    else:
        frames = _FIN_VP_FRAMES if verb else _FIN_NP_FRAMES
    return _p(rng, frames).format_map(ctx)


def _p_float(rng: Rng, seq: Sequence[float]) -> float:
    return seq[int(rng.integers(len(seq)))]


def _p_int(rng: Rng, seq: Sequence[int]) -> int:
    return seq[int(rng.integers(len(seq)))]


# ================================================================================ stages, rounds, regions
_STAGE_BARE = {"idea": "idea", "seed": "seed", "early": "early", "growth": "growth", "expansion": "expansion"}
_STAGE_ALT = {
    "idea": _s("pre-seed|idea-stage|very early"),
    "seed": _s("seed-stage|seed"),
    "early": _s("early-stage|early-stage|start-up"),
    "growth": _s("growth-stage|scaling"),
    "expansion": _s("expansion-stage|later-stage"),
}


def _stage_adj(rng: Rng, stages: Sequence[str]) -> str:
    """Adjective phrase for stages: "seed-stage", "seed and early-stage", "idea- to early-stage"."""
    order = [c for c in _STAGE_CODES if c in stages]
    if not order:
        return _p(rng, _s("early-stage|young|high-potential"))
    if len(order) == 1:
        return _p(rng, _STAGE_ALT[order[0]])
    first, last = _STAGE_BARE[order[0]], _STAGE_BARE[order[-1]]
    if len(order) == 2:
        return _p(rng, ("{} and {}-stage", "{}- and {}-stage")).format(first, last)
    return _p(rng, ("{}- to {}-stage", "{} through {}-stage")).format(first, last)


_ROUND_SHORT = {
    "seed": "seed",
    "angel": "angel",
    "pre_a": "pre-A",
    "a": "Series A",
    "a_plus": "Series A+",
    "b": "Series B",
    "c_plus": "Series C and later",
    "strategic": "strategic",
    "pe": "growth equity",
    "ipo": "pre-IPO",
    "crowdfunding": "equity crowdfunding",
    "other": "venture debt",
}


def _rounds_phrase(rng: Rng, rounds: Sequence[str]) -> tuple[str, str]:
    """(phrase, bare phrase): ("seed and angel rounds", "seed and angel"), ("pre-A to Series B", same)."""
    order = [c for c in _ROUND_CODES if c in rounds]
    if not order:
        return "early rounds", "early-round"
    names = [_ROUND_SHORT[c] for c in order]
    ordinal = _ROUND_CODES[:7]
    if len(order) >= 3 and all(c in ordinal for c in order) and _chance(rng, 0.6):
        text = _p(rng, ("from {} to {}", "{} through {}", "{} to {}")).format(names[0], names[-1])
        return text, text.removeprefix("from ")
    text = _join(rng, names)
    if order[-1] in ("seed", "angel", "pre_a", "strategic") and _chance(rng, 0.7):
        return text + " rounds", text
    return text, text


_TICKET: dict[str, tuple[float, float]] = {
    "seed": (0.5, 3),
    "angel": (1, 5),
    "pre_a": (3, 15),
    "a": (10, 50),
    "a_plus": (30, 80),
    "b": (50, 200),
    "c_plus": (100, 500),
    "strategic": (20, 200),
    "pe": (100, 500),
    "ipo": (100, 500),
    "crowdfunding": (0.2, 2),
    "other": (1, 20),
}


def _nice(value: float) -> float:
    return min(_NICE, key=lambda x: abs(x - value))


def _ticket(rng: Rng, rounds: Sequence[str], cap: float | None = None) -> str:
    """Ticket range of the investor's earliest round, widened over later rounds while it stays plausible."""
    order = [c for c in _ROUND_CODES if c in rounds and c in _TICKET] or ["pre_a"]
    lo, hi = _TICKET[order[0]]
    for code in order[1:]:
        if _TICKET[code][1] > lo * 25:
            break
        hi = max(hi, _TICKET[code][1])
    if cap is not None and hi > cap:
        hi = cap
        lo = min(lo, _nice(cap / 4))
    cur = _p(rng, ("CNY", "RMB", "CNY"))
    return f"{cur} {_num(lo, True)} to {_num(hi, True)}"


def _where(rng: Rng, regions: Sequence[str]) -> str:
    """A trailing region clause: " in East China", ", mainly in Shenzhen and Hangzhou", " nationwide", ""."""
    if not regions:
        return ""
    if "nationwide" in regions:
        return _p(rng, (" across China", " nationwide", ", anywhere in China"))
    names = [_REGION_EN[r] if r != "overseas" else "overseas markets" for r in regions[:4]]
    return _p(rng, (" in {}", ", mainly in {}", ", with a focus on {}", " across {}")).format(
        _join(rng, names)
    )


# ============================================================================================== organisations
_UNIVERSITIES: dict[str, tuple[str, ...]] = {
    "beijing": _s("Tsinghua University|Peking University|Beihang University|Beijing Institute of Technology"),
    "shanghai": _s(
        "Fudan University|Shanghai Jiao Tong University|Tongji University|ShanghaiTech University"
    ),
    "hangzhou": _s("Zhejiang University|Westlake University"),
    "nanjing": _s("Nanjing University|Southeast University"),
    "suzhou": _s("Soochow University|Xi'an Jiaotong-Liverpool University"),
    "hefei": _s("University of Science and Technology of China|Hefei University of Technology"),
    "xiamen": _s("Xiamen University"),
    "qingdao": _s("Ocean University of China"),
    "shenzhen": _s("Southern University of Science and Technology|Shenzhen University"),
    "guangzhou": _s("Sun Yat-sen University|South China University of Technology"),
    "wuhan": _s("Wuhan University|Huazhong University of Science and Technology"),
    "changsha": _s("Central South University|Hunan University"),
    "chengdu": _s("Sichuan University|University of Electronic Science and Technology of China"),
    "chongqing": _s("Chongqing University"),
    "xian": _s("Xi'an Jiaotong University|Northwestern Polytechnical University"),
    "harbin": _s("Harbin Institute of Technology"),
    "tianjin": _s("Tianjin University|Nankai University"),
    "shenyang": _s("Northeastern University"),
    "singapore": _s("National University of Singapore|Nanyang Technological University"),
    "london": _s("Imperial College London|University College London"),
    "berlin": _s("Technical University of Berlin|Humboldt University of Berlin"),
    "san_francisco": _s("UC Berkeley|Stanford University"),
}
_ALL_UNIVERSITIES: tuple[str, ...] = tuple(u for c in _UNIVERSITIES.values() for u in c) + _s(
    "Hong Kong University of Science and Technology|ETH Zurich|University of Tokyo|MIT|"
    "Carnegie Mellon University|"
    "University of Cambridge|TU Munich|Delft University of Technology|KAIST|University of Toronto"
)
_CN_CITIES: tuple[str, ...] = tuple(c for c in _CITIES if _CITY_MACRO[c] != "overseas")


def _university(rng: Rng, city: str) -> str:
    local = _UNIVERSITIES.get(city)
    if local and _chance(rng, 0.5):
        return _p(rng, local)
    return _p(rng, _ALL_UNIVERSITIES)


def _company(rng: Rng, industry: str, legal: bool = True) -> str:
    ind = _INDUSTRY[industry]
    u = float(rng.random())
    if u < 0.3:
        name = f"{_coined(rng)} {_p(rng, ind.suffix)}"
    elif u < 0.5:
        name = f"{_p(rng, _PINYIN_WORDS)} {_p(rng, ind.suffix)}"
    elif u < 0.7:
        name = f"{_p(rng, ind.morph)}{_p(rng, _NAME_TAILS)}"
    elif u < 0.85:
        name = f"{_p(rng, _ENG_WORDS)} {_p(rng, ind.suffix)}"
    else:
        name = _coined(rng)
    if legal and _chance(rng, 0.15):
        name += _p(rng, (" Co., Ltd.", " Inc.", " Technology Co., Ltd.", " Ltd."))
    return name


def _corp(rng: Rng, industry: str) -> str:
    """A large (fictional) corporate group."""
    ind = _INDUSTRY[industry]
    return _p(
        rng,
        (
            f"{_p(rng, _PINYIN_WORDS)} Group",
            f"{_p(rng, _ENG_WORDS)} Industries",
            f"{_p(rng, _PINYIN_WORDS)} {_p(rng, ind.suffix)} Group",
            f"{_p(rng, _ENG_WORDS)} Holdings",
            f"{_p(rng, _PINYIN_WORDS)} Technology Group",
            f"{_p(rng, _ENG_WORDS)} {_p(rng, ind.suffix)}",
        ),
    )


def _fund(rng: Rng) -> str:
    w = _p(rng, _ENG_WORDS)
    return _p(
        rng,
        (
            f"{w} Ventures",
            f"{w} Capital",
            f"{w} Partners",
            f"{_p(rng, _PINYIN_WORDS)} Capital",
            f"{w} Venture Partners",
            f"{_p(rng, _PINYIN_WORDS)} Investment",
            f"{w} {_p(rng, ('Ventures', 'Capital', 'Fund'))}",
            f"{_coined(rng)} Ventures",
        ),
    )


def _institute(rng: Rng, industry: str, city: str) -> str:
    field = _INDUSTRY[industry].field
    town = _place(city) if city in _UNIVERSITIES and not _overseas(city) else _place(_p(rng, _CN_CITIES))
    return _p(
        rng,
        (
            f"{town} Institute of {field}",
            f"{town} Academy of {field}",
            f"National Engineering Research Centre for {field}",
            f"{town} {field} Innovation Institute",
        ),
    )


def _agency(rng: Rng) -> str:
    w = _p(rng, _ENG_WORDS)
    return _p(
        rng,
        (
            f"{w} Brand Consulting",
            f"{w} & {_p(rng, _ENG_WORDS)}",
            f"{_p(rng, _PINYIN_WORDS)} Marketing Group",
            f"{w} Growth Studio",
            f"{_coined(rng)} Creative",
        ),
    )


# ============================================================================================ shared context
def _content_words(text: str) -> set[str]:
    return {w for w in text.lower().replace("-", " ").split() if w not in ("the", "and", "of", "tech")}


def _topic_ctx(rng: Rng, industries: Sequence[str], subtopic: int) -> dict[str, str]:
    """Phrases every profile field can draw on: industry synonyms, sub-topic area, products, customers."""
    primary = industries[0]
    ind = _INDUSTRY[primary]
    topic = _topic(industries, subtopic)
    areas = _distinct(rng, topic.area, 2)
    products = _distinct(rng, topic.product, 2)
    syns = _distinct(rng, ind.syn, len(ind.syn))
    if len(industries) > 1:
        other = industries[1 + int(rng.integers(len(industries) - 1))]
        syn2 = _p(rng, _INDUSTRY[other].syn)
    else:
        # A second name for the same industry that shares no word with the first ("AI and machine
        # learning", never "the creative industries and culture and creative industries").
        first = _content_words(syns[0])
        syn2 = next((x for x in syns[1:] if not first & _content_words(x)), syns[1])
    mod = _p(rng, ind.mod)
    mod2 = _p(rng, _INDUSTRY[other].mod) if len(industries) > 1 else _p(rng, ind.mod)
    ctx = {
        "area": areas[0],
        "area2": areas[1],
        "product": products[0],
        "product2": products[1],
        "customer": _p(rng, topic.customer),
        "syn": syns[0],
        "syn2": syn2,
        "mod": mod,
        "a_mod": _an(mod),
        "a_mod2": _an(mod2),
        "benefit": _p(rng, ind.benefit),
    }
    for key in ("area", "product", "customer", "syn", "a_mod"):
        ctx[key.capitalize() if key != "a_mod" else "A_mod"] = _cap(ctx[key])
    return ctx


def _pick_fit(rng: Rng, frames: Sequence[str], ctx: dict[str, str], limit: int, fallback: str) -> str:
    """A random frame whose text fits ``limit`` words; three tries, then the compact ``fallback``."""
    for _ in range(3):
        text = _fill(_p(rng, frames), ctx)
        if _words(text) <= limit:
            return text
    return _fill(fallback, ctx)


# ============================================================================================== spaces
_SPACE_NAME = (
    "{city} {word} Maker Space",
    "{word} Innovation Hub",
    "{pinyin} Incubator",
    "{city} {sector} Incubator",
    "{word} Startup Campus",
    "{pinyin} Co-Creation Space",
    "{coined} Lab {city}",
    "{city} Youth Entrepreneurship Park",
    "The {word} Factory",
    "{city} International Innovation Centre",
    "{word} Accelerator & Maker Space",
    "{pinyin} Maker Space",
    "{city} {sector} Valley",
    "{word} Founders' House",
    "{city} {word} Hub",
    "{coined} Maker Space",
    "{pinyin} Youth Innovation Community",
    "{city} {sector} Innovation Centre",
    "{word} Garage",
    "{coined} Launchpad",
    "{pinyin} Science Park Incubator",
    "{word} Works {city}",
)
_SPACE_OPEN = (
    "{name} opened in {year} and hosts about {teams} startup teams in {city}.",
    "Located in {city}, {name} offers {m2} square metres of co-working space, labs and meeting rooms.",
    "{name} is a {city} maker space run by {operator}.",
    "Since {year}, {name} has incubated more than {alumni} projects in {city}.",
    "{name} is one of {city}'s nationally recognised maker spaces, set up by {operator} in {year}.",
    "Founded by {operator} in {year}, {name} is home to around {teams} early-stage teams.",
    "{name} sits in a converted factory in {city} and has room for {teams} teams.",
    "With {m2} square metres in central {city}, {name} is among the larger incubators in the area.",
    "{name} was set up in {year} to give {city} founders affordable space and real support.",
    "At {name} in {city}, around {teams} teams share desks, labs and a very busy coffee machine.",
)
_SPACE_FOCUS = (
    "It focuses on {focus}.",
    "Most tenants work in {focus}.",
    "The space specialises in {focus} and has shared equipment for prototyping.",
    "Its industry focus is {focus}.",
    "Teams are selected mainly from {focus}.",
    "The programme is built around {focus}, with sector mentors for each track.",
    "Priority goes to projects in {focus}.",
    "Current cohorts come mostly from {focus}.",
    "About two thirds of the teams work in {focus}.",
    "Sector tracks cover {focus}.",
)
_SPACE_FOCUS_GENERAL = (
    "It takes teams from any sector, with a tilt towards technology.",
    "The space is open to founders in every industry.",
    "Tenants come from a broad mix of sectors.",
)
_SPACE_SERVICES = (
    "Residents get mentoring, investor demo days and help with policy applications.",
    "Services include a prototyping workshop, legal and finance clinics and monthly pitch nights.",
    "The team organises investor roadshows, mentor office hours and overseas exchange programmes.",
    "Teams can use a shared lab, a 3D-printing room and a test bench.",
    "Startups receive free desks for six months and can apply to an in-house seed fund.",
    "A resident service team handles company registration, grant paperwork and recruiting events.",
    "Weekly office hours with mentors and a quarterly demo day are the core of the programme.",
    "It runs a six-month acceleration programme with a demo day at the end.",
    "A resident investor team reviews new projects every month.",
    "Members get discounted cloud credits, legal clinics and a shared prototyping lab.",
)
_SPACE_RESULTS = (
    "Alumni have raised more than CNY {raised} million in total.",
    "About {survival}% of graduated teams are still operating three years later.",
    "It works with partner spaces in Singapore, London and Berlin.",
    "Several alumni have gone on to list on the STAR Market.",
    "Graduates have created over {jobs} jobs in the city.",
    "The space is rated as a national-level maker space by the Ministry of Science and Technology.",
    "Its teams have filed more than {patents} patents.",
    "More than {alumni} founders have taken part in its programmes.",
)
_OPERATORS = _s(
    "a university science park|a local state-owned investment group|a group of serial entrepreneurs|"
    "the district government|a listed technology company|a venture capital firm|an industry association"
)


def space_texts(rng: Rng, *, city: str, industries: list[str]) -> dict[str, str]:
    """Name and 2-4 sentence description of a maker space in ``city`` focused on ``industries``."""
    place = _place(city)
    sector = _p(rng, _SECTOR[industries[0]]) if industries else _p(rng, _s("Tech|Digital|Future Industries"))
    name = _p(rng, _SPACE_NAME).format(
        city=place,
        word=_p(rng, _ENG_WORDS),
        pinyin=_p(rng, _PINYIN_WORDS),
        coined=_coined(rng),
        sector=sector,
    )
    focus = _join(rng, [_p(rng, _INDUSTRY[c].syn) for c in industries[:4]]) if industries else ""
    ctx = {
        "name": name,
        "city": place,
        "year": str(_int(rng, 2012, 2023)),
        "teams": str(_int(rng, 2, 16) * 5),
        "m2": f"{_int(rng, 8, 120) * 100:,}",
        "alumni": str(_int(rng, 3, 40) * 10),
        "operator": _p(rng, _OPERATORS),
        "focus": focus,
        "raised": str(_int(rng, 2, 80) * 10),
        "survival": str(_int(rng, 45, 85)),
        "jobs": f"{_int(rng, 2, 30) * 100:,}",
        "patents": str(_int(rng, 5, 60) * 10),
    }
    sentences = [_fill(_p(rng, _SPACE_OPEN), ctx)]
    sentences.append(_fill(_p(rng, _SPACE_FOCUS if industries else _SPACE_FOCUS_GENERAL), ctx))
    extra = _int(rng, 0, 2)
    tail = _distinct(rng, _SPACE_SERVICES, 1) + _distinct(rng, _SPACE_RESULTS, 1)
    sentences += _shuffle(rng, [_fill(s, ctx) for s in tail])[:extra]
    return {"name": name, "description": " ".join(sentences)}


# ============================================================================================== projects
_ONE_LINER = (
    "{Product} for {customer}, {benefit}.",
    "We build {product} for {customer}.",
    "{name} makes {product} for {customer}.",
    "Building {product} for {customer} {benefit}.",
    "{A_mod} startup developing {product} for {customer}.",
    "Affordable, reliable {product} designed for {customer}.",
    "{name} helps {customer} {win} with {product}.",
    "Developing {product} and {product2} for {customer}.",
    "{Area} for {customer}: we make {product} {benefit}.",
    "{name} works in {area}, building {product} for {customer}.",
    "Next-generation {product} {benefit}.",
    "{name}: {product} for {customer}.",
    "Rethinking {area}: {product} for {customer}.",
    "{Product} that {customer} can actually afford.",
    "From {city}, we bring {product} to {customer}.",
    "On a mission to deliver {product} {benefit}.",
    "{Area} startup: {product} and {product2}.",
    "Why do {customer} still go without good {product}? We fix that.",
)
_ONE_LINER_VAGUE = (
    "{A_mod} startup serving {customer}.",
    "A fresh approach to {syn}, built in {city}.",
    "{name} is building the next big thing in {syn}.",
    "Practical {mod} products for real-world problems.",
    "{A_mod} company with big ambitions and a small, fast team.",
    "Using {syn} to solve everyday problems for {customer}.",
    "We are reinventing {syn} from {city}.",
    "{Syn}, done differently.",
    "{A_mod} venture at the {stage} stage, based in {city}.",
)
# Only for projects with a second industry (otherwise syn2 is a synonym of syn).
_ONE_LINER_VAGUE_MULTI = ("Bringing {syn} and {syn2} together for {customer}.", "Where {syn} meets {syn2}.")
_WIN = _s("save time and money|work smarter|grow faster|cut costs|do more with less|work faster")

_NEEDS_NP = (
    "We need {list}.",
    "Right now we are looking for {list}.",
    "Our most urgent needs: {list}.",
    "Looking for {list}.",
    "Top of our list: {list}.",
    "Seeking {list}.",
    "What would help most: {list}.",
    "We would welcome {list}.",
    "Currently looking for {list}, ideally in {city}.",
)
_NEEDS_VP = (
    "We want to {list}.",
    "Over the next six months we need to {list}.",
    "Our goals this year are to {list}.",
    "We would welcome advice as we try to {list}.",
    "Next we plan to {list}, and we need the right partners to do it.",
    "Help us {list}.",
    "The plan is to {list}.",
    "We hope to {list} soon.",
    "Before the end of the year we must {list}.",
)
_NEEDS_MIX = (
    "We plan to {vp}, and we also need {list}.",
    "Alongside efforts to {vp}, we need {list}.",
    "We are about to {vp}; we also need {list}.",
    "Besides trying to {vp}, we need {list}.",
    "Our next step is to {vp}. We are also looking for {list}.",
    "Aiming to {vp}; looking for {list}.",
)

_TEAM_BG = _s(
    "engineering|product design|sales|finance|academic research|operations|software development|marketing|"
    "hardware design|supply-chain management|data science|consulting|manufacturing|project management"
)
_DESC_OPEN = (
    "{name} was founded in {year} in {city} to build {product} for {customer}.",
    "Founded in {year}, {name} develops {product} for {customer}.",
    "{name} started in {year} as a research project at {univ} and now develops {product}.",
    "The idea for {name} came from years in {syn}, watching {customer} struggle with outdated tools.",
    "{name} is a {city}-based {mod} startup working on {area}.",
    "We are {name}, {a_mod} team in {city} focused on {area}.",
    "{Customer} still rely on slow, expensive solutions; {name} wants to change that with {product}.",
    "Since {year}, {name} has been developing {product} {benefit}.",
    "At {name} we believe {area} can change how {customer} work.",
    "{name} brings {area} to {customer}, starting with {product}.",
    "Born in a {city} maker space in {year}, {name} builds {product}.",
    "{name} set out in {year} to make {product} that {customer} can rely on.",
    "{name} tackles a simple problem: {customer} lack good {product}.",
    "{name} makes {product}, mainly for {customer}.",
    "What started as a side project in {year} is now {name}, a {city} company building {product}.",
    "{name} develops {product} and {product2} for {customer}.",
)
_DESC_TEAM_1 = (
    "It is a one-person company for now: the founder handles product and sales, freelancers the rest.",
    "The founder is working solo for now and is looking for co-founders.",
    "A single founder with a background in {bg1} runs the company, supported by part-time advisers.",
)
_DESC_TEAM_2 = (
    "The two co-founders combine {bg1} and {bg2}.",
    "Two founders run the company, one from {bg1} and one from {bg2}.",
    "It is a two-person team for now, with a background in {bg1} and {bg2}.",
    "The company is run by two co-founders who met at {univ}.",
)
_DESC_TEAM_N = (
    "The team of {n} combines experience in {bg1} and {bg2}.",
    "We are {n} people, {frac} of them engineers.",
    "Our {n}-person team includes alumni of {univ} and {corp}.",
    "{name} employs {n} people, led by founders with backgrounds in {bg1} and {bg2}.",
    "The core team of {n} has worked together since university.",
    "Of our {n} team members, {rd} work in R&D.",
    "Today {n} people work at {name}, most of them hired through the founders' networks.",
    "Several of the {n} team members came from {corp}.",
    "The founders met at {univ} and have since grown the team to {n}.",
    "We have {n} full-time staff and a handful of part-time advisers.",
    "A team of {n}, split between engineering and sales, runs the business.",
)
_DESC_TRACTION: dict[str, tuple[str, ...]] = {
    "idea": (
        "We are still validating the idea through interviews with {customer}.",
        "There is no product yet; we are running customer interviews and testing paper prototypes.",
        "A concept demo is ready and {k} potential customers have agreed to give feedback.",
        "At this idea stage we have a clear problem statement and letters of intent from {k} prospects.",
        "We have spoken to more than {kk} potential users and are building a first prototype.",
        "The concept won a local startup competition earlier this year.",
    ),
    "seed": (
        "A working prototype is being tested by {k} pilot users.",
        "We have an MVP and our first {k} trial customers.",
        "The first prototype was finished in {month}; pilot tests with {customer} start soon.",
        "Early pilots show strong interest, and {k} customers have signed paid trials.",
        "A small pilot with {customer} is under way and early feedback is positive.",
        "Pre-orders from {k} customers cover the cost of the first batch.",
    ),
    "early": (
        "We have {k} paying customers and monthly revenue of about {rev_m}.",
        "Sales began last year and revenue is growing about {pct}% a month.",
        "More than {kk} customers now use the product every day.",
        "We have shipped over {units} units and renewal rates are above {pct2}%.",
        "Revenue is still modest, but {k} customers renewed after the first year.",
        "Our first commercial contracts were signed in {month}.",
    ),
    "growth": (
        "Revenue grew {pct3}% last year to {rev_y}, with customers in {k} provinces.",
        "We now serve more than {kk} customers and are hiring quickly.",
        "Annual revenue passed {rev_y} and gross margins are above {pct2}%.",
        "The product is in use at {kk} sites and the business is close to break-even.",
        "We added {kk} new customers last year, mostly through referrals.",
        "Revenue has doubled in each of the last two years.",
    ),
    "expansion": (
        "{name} is profitable, sells in {k} provinces and has started selling abroad.",
        "Annual revenue is above {rev_y}, and we are opening offices in new regions.",
        "With a national customer base, we are expanding internationally and into adjacent products.",
        "After {age} years of steady growth, {name} is preparing for a listing.",
        "We have offices in {k} cities and a network of distribution partners.",
        "Annual revenue is above {rev_y} and the company has been profitable for several years.",
    ),
}
_DESC_CITY = (
    "The team is based at an incubator in {city}.",
    "We work out of a maker space in {city}, which gives us access to labs and mentors.",
    "Our office is in {city}, close to key customers and suppliers.",
    "Being in {city} gives us access to the talent and supply chain we need.",
    "{city} is home, and the local government has been supportive.",
    "We chose {city} for its engineering talent and lower costs.",
    "The incubator in {city} helped us with our first office and early introductions.",
    "From {city} we can reach most of our customers within a day.",
    "Our lab and office are both in {city}.",
    "{city}'s support for young companies was a big reason to settle here.",
    "The company is registered in {city}, where most of the team lives.",
)
_DESC_PLAN = (
    "Next, we want to {plan}.",
    "Our next milestone is to {plan}.",
    "In the coming year we plan to {plan}.",
    "The priority for the next 12 months is to {plan}.",
    "With new funding we will {plan}.",
    "By the end of next year we aim to {plan}.",
    "Over the next year the focus is to {plan}.",
    "This year we want to {plan}.",
    "Coming up: we plan to {plan}.",
    "The plan for the next 18 months is to {plan}.",
    "Our immediate goal is to {plan}.",
    "After that, we want to {plan}.",
)
_PLANS = _s(
    "expand the team|launch in two new provinces|finish product certification|scale up production|"
    "enter overseas markets|build out the sales team|double the customer base|release the second product|"
    "sign our first major customer|open a second office|reach break-even|file our first patents"
)
_DESC_SECOND = (
    "The work also draws on {syn2}, which sets us apart.",
    "We combine {syn} with {syn2}.",
    "Our roadmap also includes work in {syn2}.",
    "The product sits at the intersection of {syn} and {syn2}.",
    "Much of our edge comes from applying {syn2} to the problem.",
    "A second product line, still in development, targets {syn2}.",
    "Several of our early customers also come from {syn2}.",
    "The founders' background in {syn2} shapes how we build the product.",
)
_MONTHS = _s("January|March|April|June|September|October|November|December")


def _need_items(
    rng: Rng, needs: Sequence[str], round_sought: str, city: str, industry: str, verb: bool, short: bool,
    funding: int | None = None,
) -> list[str]:
    items: list[str] = []
    abroad = _overseas(city)
    for code in needs:
        bank = _INTL_ABROAD if code == "internationalisation" and abroad else _NEED[code]
        if short:
            items.append(_p(rng, bank.short))
        elif code == "financing":
            items.append(_financing(rng, round_sought, city, industry, verb, funding))
        else:
            items.append(_p(rng, bank.ask_vp if verb else bank.ask_np))
    return items


def _needs_statement(
    rng: Rng, needs: Sequence[str], round_sought: str, city: str, industry: str, limit: int = 35,
    funding: int | None = None,
) -> str:
    order = _shuffle(rng, list(needs))
    place = _place(city)
    if not order:
        return _p(
            rng,
            _s("Open to advice and introductions.|No urgent needs right now; happy to hear from mentors."),
        )
    for _ in range(3):
        # 0: noun list, 1: verb list, 2: semicolon fragments (short lists only), 3: one verb + noun list.
        if len(order) == 1:
            style = _int(rng, 0, 2)
        else:
            style = _int(rng, 0, 3) if len(order) <= 3 else _p_int(rng, (0, 1, 3))
        if style == 0:
            items = _need_items(rng, order, round_sought, city, industry, False, False, funding)
            text = _fill(_p(rng, _NEEDS_NP), {"list": _join(rng, items), "city": place})
        elif style == 1:
            items = _need_items(rng, order, round_sought, city, industry, True, False, funding)
            text = _fill(_p(rng, _NEEDS_VP), {"list": _join(rng, items, verbs=True), "city": place})
        elif style == 2:
            items = _need_items(rng, order, round_sought, city, industry, False, False, funding)
            text = _cap("; ".join(items)) + "."
        else:
            first = _need_items(rng, order[:1], round_sought, city, industry, True, False, funding)[0]
            rest = _need_items(rng, order[1:], round_sought, city, industry, False, False, funding)
            text = _fill(_p(rng, _NEEDS_MIX), {"vp": first, "list": _join(rng, rest)})
        if _words(text) <= limit:
            return text
    # Many needs: short labels, still one per code.
    items = _need_items(rng, order, round_sought, city, industry, False, True, funding)
    if "financing" in order:
        items[order.index("financing")] = _ROUND_WORD.get(round_sought, _ROUND_WORD["other"])[0] + " funding"
    frame = _p(rng, ("Need help with {list}.", "Looking for support on {list}.", "Needs: {list}."))
    text = _fill(frame, {"list": _join(rng, items)})
    if _words(text) > limit:
        text = "Needs: " + ", ".join(_shortest(c) for c in order) + "."
    return text


def _project_name(rng: Rng, industry: str) -> str:
    ind = _INDUSTRY[industry]
    u = float(rng.random())
    if u < 0.25:
        return _coined(rng)
    if u < 0.45:
        return f"{_coined(rng)} {_p(rng, ind.suffix)}"
    if u < 0.65:
        return f"{_p(rng, ind.morph)}{_p(rng, _NAME_TAILS)}"
    if u < 0.8:
        return f"{_p(rng, _PINYIN_WORDS)} {_p(rng, ind.suffix)}"
    if u < 0.9:
        return f"{_p(rng, _ENG_WORDS)} {_p(rng, ind.suffix)}"
    first, second = _distinct(rng, ind.morph, 2)
    return f"{first}{second.lower()}"


def project_texts(
    rng: Rng,
    *,
    industries: list[str],
    subtopic: int,
    needs: list[str],
    stage: str,
    round_sought: str,
    city: str,
    team_size: int,
    funding: int | None = None,
) -> dict[str, str]:
    """Name, one-liner (<= 20 words), needs statement (<= 35 words) and 3-6 sentence description.

    ``funding`` (CNY), when given, is the amount the text quotes for the round sought."""
    primary = industries[0]
    ctx = _topic_ctx(rng, industries, subtopic)
    name = _project_name(rng, primary)
    place = _place(city)
    bgs = _distinct(rng, _TEAM_BG, 2)
    n = max(1, int(team_size))
    founded = _NOW - _int(rng, 0, 2) - {"idea": 0, "seed": 1, "early": 2, "growth": 4}.get(stage, 6)
    ctx |= {
        "name": name,
        "city": place,
        "win": _p(rng, _WIN),
        "stage": _STAGE_EN.get(stage, "Early").lower(),
        "year": str(founded),
        "age": str(max(2, _NOW - founded)),
        "univ": _the(_university(rng, city)),
        "corp": _corp(rng, primary),
        "bg1": bgs[0],
        "bg2": bgs[1],
        "n": str(n),
        "frac": _p(rng, _s("most|half|two thirds|about a third")),
        "rd": str(max(1, n * _int(rng, 3, 7) // 10)),
        "k": str(_int(rng, 2, 12)),
        "kk": str(_int(rng, 3, 60) * 10),
        "month": _p(rng, _MONTHS),
        "pct": str(_int(rng, 8, 30)),
        "pct2": str(_int(rng, 40, 85)),
        "pct3": str(_int(rng, 6, 30) * 10),
        "units": f"{_int(rng, 2, 50) * 100:,}",
        "rev_m": _money(rng, _p_float(rng, (0.1, 0.2, 0.3, 0.5, 0.8)), city),
        "rev_y": _money(rng, _p_float(rng, (5.0, 10.0, 20.0, 30.0, 50.0, 100.0)), city),
    }
    vague = _chance(rng, _VAGUE)
    frames: Sequence[str]
    if vague:
        frames = _ONE_LINER_VAGUE + _ONE_LINER_VAGUE_MULTI if len(industries) > 1 else _ONE_LINER_VAGUE
    else:
        frames = _ONE_LINER
    one_liner = _pick_fit(rng, frames, ctx, 20, "{Product} for {customer}.")
    needs_statement = _needs_statement(rng, needs, round_sought, city, primary, funding=funding)

    # Description: opening, then team / traction / city in random order, then the plan; 3-6 sentences.
    if n == 1:
        team = _p(rng, _DESC_TEAM_1)
    elif n == 2:
        team = _p(rng, _DESC_TEAM_2)
    else:
        team = _p(rng, _DESC_TEAM_N)
    middle = [team, _p(rng, _DESC_TRACTION.get(stage, _DESC_TRACTION["early"]))]
    if _chance(rng, 0.5):
        middle.append(_p(rng, _DESC_CITY))
    if len(industries) > 1 and _chance(rng, 0.6):
        middle.append(_p(rng, _DESC_SECOND))
    middle = _shuffle(rng, middle)
    plan_needs = [c for c in needs if c != "financing"]
    if plan_needs and _chance(rng, 0.6):
        code = _p(rng, plan_needs)
        bank = _INTL_ABROAD if code == "internationalisation" and _overseas(city) else _NEED[code]
        ctx["plan"] = _p(rng, bank.ask_vp)
    else:
        ctx["plan"] = _p(rng, _PLANS)
    sentences = [_p(rng, _DESC_OPEN), *middle]
    if _chance(rng, 0.8):
        sentences.append(_p(rng, _DESC_PLAN))
    description = " ".join(_fill(f, ctx) for f in sentences[:6])
    if _overseas(city):
        description = description.replace(" provinces", " markets")
    return {
        "name": name,
        "one_liner": one_liner,
        "needs_statement": needs_statement,
        "description": description,
    }


# ============================================================================================== mentors
_EXPERTISE = (
    "{Area}; {years} years in {syn}.",
    "{years} years in {syn}, focused on {area}.",
    "Deep expertise in {area}, especially {product}.",
    "{Syn}: {area}, {product}.",
    "Building and selling {product} to {customer}.",
    "Specialist in {area} for {customer}.",
    "{Area}, from research to commercial products.",
    "Knows the {mod} market inside out, especially {area}.",
    "{Syn} and {syn2}; hands-on with {product}.",
    "Former operator in {area} with a strong network among {customer}.",
    "{kind} in {area}.",
    "{Area} ({product}) and the wider {syn} market.",
)
_EXPERTISE_VAGUE = (
    "{years} years across {syn} and {syn2}.",
    "Broad experience in {syn}.",
    "{Syn}, general management and fundraising.",
    "{kind} in {syn}.",
    "Generalist with a long track record in {syn}.",
)
_EXPERTISE_KIND = {
    "angel_investor": _s("Early-stage investing|Angel investing|Seed investing"),
    "entrepreneur": _s("Founding and scaling companies|Building companies from zero|Company building"),
    "senior_manager": _s("Operations and P&L management|Business-unit leadership|Corporate operations"),
    "technical_expert": _s("R&D leadership|Applied research|Engineering and R&D"),
    "marketing_expert": _s("Brand building and growth marketing|Growth marketing|Go-to-market and branding"),
}
_OFFER_NP = (
    "I can help with {list}.",
    "Happy to advise on {list}{stage_tail}.",
    "Hands-on support with {list}.",
    "Office hours on {list}.",
    "I work with {stage} founders on {list}.",
    "Ask me about {list}.",
    "Practical advice on {list}, plus introductions from my network.",
    "Most useful for {stage} teams that need {list}.",
    "Mentoring on {list}, mostly for {stage} startups.",
    "Can open doors and advise on {list}.",
    "{List}: that is where I add most value.",
    "Monthly sessions on {list} for {stage} companies.",
)
_OFFER_VP = (
    "I help founders {list}.",
    "Happy to help teams {list}.",
    "I can show you how to {list}.",
    "I have helped dozens of startups {list}.",
    "Let me help you {list}.",
    "I coach {stage} founders to {list}.",
    "Can help {stage} teams {list}.",
)
_OFFER_MIX = (
    "I help founders {vp}, and can advise on {list}.",
    "Besides helping teams {vp}, I offer guidance on {list}.",
    "I can help you {vp}; also happy to talk {list}.",
    "Mainly: helping {stage} teams {vp}. Also {list}.",
)
_MENTOR_TITLE: dict[str, tuple[str, ...]] = {
    "angel_investor": _s(
        "Angel investor|Founding partner|Managing partner|Independent angel investor|Venture partner|"
        "Partner|Angel investor and former founder"
    ),
    "entrepreneur": _s(
        "Founder and CEO|Co-founder and chairman|Serial entrepreneur|Former CEO (exited)|Co-founder|"
        "Founder|Founder and former CEO of {org}"
    ),
    "senior_manager": _s(
        "Former VP of Operations|General Manager, Greater China|Chief Operating Officer|"
        "Head of Business Development|Former Director of Strategy|Senior Vice President|Former COO of {org}|"
        "Country Manager"
    ),
    "technical_expert": _s(
        "Chief Scientist|Professor|Principal Engineer|Former CTO|Research Fellow|Director of R&D|"
        "Associate Professor|Former CTO of {org}|Chief Engineer"
    ),
    "marketing_expert": _s(
        "Chief Marketing Officer|Head of Growth|Brand Strategy Director|Founder of a marketing consultancy|"
        "Former Marketing Director|Former CMO of {org}|VP of Marketing"
    ),
}
# Bio templates use person markers so one template serves "I have..." and "Zhang has...".
_BIO_OPEN = (
    "{S0} {has} spent {years} years in {syn}.",
    "{S0} {is} {a_role} with {years} years of experience in {syn}.",
    "Over a {years}-year career, {S0} {has} worked across {syn} and {syn2}.",
    "{S0} studied {subject} at {univ} before joining {corp}.",
    "{S0} began as an engineer at {corp} and {has} worked in {area} ever since.",
    "After a degree in {subject} from {univ}, {S0} spent a decade at {corp}.",
    "{S0} {has} been working on {area} since {year0}.",
    "{S0} {has} more than {years} years of experience in {syn}, most of it in {area}.",
    "Trained in {subject}, {S0} {has} built a career in {syn} over {years} years.",
    "{S0} started out in {area} in {year0} and never left the field.",
)
_BIO_KIND: dict[str, tuple[str, ...]] = {
    "angel_investor": (
        "{S} {has} made more than {k} angel investments, mostly in {area}.",
        "{S} {has} backed {k4} startups since {year1}, {k2} of which went on to raise Series A rounds.",
        "{Poss} angel portfolio includes makers of {product} and several other {mod} companies.",
        "Before investing, {S} built and sold a company in {syn}.",
        "{S} write{s} first cheques of {ticket} and like{s} to stay involved after the deal.",
        "{S} typically invest{s} before a product exists and like{s} to meet founders early.",
        "{Poss} best-known investment is a maker of {product} that later raised a Series B.",
    ),
    "entrepreneur": (
        "{S} founded {company} in {year1} and grew it to {staff} employees before it was acquired by {corp}.",
        "As co-founder of {company}, {S} took {product} from prototype to nationwide sales.",
        "{S} {has} started three companies, most recently {company}.",
        "{S} now chair{s} {company2}, a younger company selling {product2} to {customer}.",
        "{S} {was} named one of {city}'s outstanding young entrepreneurs in {year2}.",
        "{S} bootstrapped {company} to profitability before raising outside money.",
        "After selling {company}, {S} spent a year advising {corp} on {area}.",
    ),
    "senior_manager": (
        "{S} ran a {staff}-person business unit at {corp}, responsible for {area}.",
        "As general manager at {corp}, {S} grew the {mod} business from zero to CNY {bn} billion in revenue.",
        "{S} {has} led operations, supply chain and P&L teams at {corp} for over a decade.",
        "{S} joined {corp} as a graduate and left as a vice president {tenure} years later.",
        "{S} {has} managed joint ventures with partners in Germany, Japan and the US.",
        "{S} {has} turned around loss-making divisions in {syn} twice.",
        "At {corp}, {S} opened sales offices in {k} provinces.",
    ),
    "technical_expert": (
        "{S} hold{s} {k} patents in {area} and {has} published more than {k3} papers.",
        "At {univ}, {S} lead{s} a lab working on {area}.",
        "{S} {was} chief engineer for {product} at {corp}.",
        "{Poss} research on {area} has ended up in products used by {customer}.",
        "{S} {has} reviewed national R&D projects in {syn} and advise{s} several listed companies.",
        "{S} {was} a visiting researcher at {univ2}.",
        "{S} co-wrote national standards for {area}.",
    ),
    "marketing_expert": (
        "{S} led brand and growth at {corp}, launching products in {k} countries.",
        "{S} {has} built marketing teams from zero three times, most recently at {company}.",
        "{Poss} campaigns for {mod} brands have won several industry awards.",
        "{S} specialise{s} in content, community and performance marketing for B2B and consumer brands.",
        "{S} also teach{es} marketing at {univ} as an adjunct lecturer.",
        "{S} launched {product} for {corp} and took the category to market leadership.",
        "{S} {has} run campaigns with budgets from CNY 50,000 to CNY 50 million.",
    ),
}
_BIO_CLOSE = (
    "{S} now mentor{s} {stage} founders in {city}.",
    "These days {S} spend{s} about {hours} hours a month coaching startups.",
    "{S} joined the incubator's mentor network in {year2}.",
    "{S} speak{s} {langs}.",
    "Outside work, {S} run{s} marathons and write{s} about startups.",
    "{S} particularly enjoy{s} working with first-time founders.",
    "{S} {is} based in {city} and happy to meet founders in person or online.",
    "{S} {is} most useful to founders who want blunt, practical feedback.",
    "{S} answer{s} founders' questions {reply}.",
    "{S} sit{s} on the judging panel of a national innovation competition.",
    "Several teams mentored by {O} have since raised Series A rounds.",
    "{S} prefer{s} long-term mentoring relationships to one-off sessions.",
    "{S} volunteer{s} at maker spaces in {city} twice a month.",
)
_ROLE_NOUN = {
    "angel_investor": _s("angel investor|seed investor|former founder turned investor"),
    "entrepreneur": _s("serial entrepreneur|founder|company builder"),
    "senior_manager": _s("senior executive|business leader|operations executive"),
    "technical_expert": _s("engineer and researcher|technologist|scientist"),
    "marketing_expert": _s("marketer|brand strategist|growth marketer"),
}
_LANGS = _s(
    "Mandarin and English|English, Mandarin and German|Mandarin, Cantonese and English|English and French|"
    "Mandarin, English and Japanese|English, Hindi and some Mandarin|Mandarin and some Spanish"
)


def _shortest(code: str) -> str:
    """The shortest label of a need: the last resort when a long list of needs must fit a word budget."""
    return min(_NEED[code].short, key=lambda x: (len(x.split()), len(x)))


def _help_items(rng: Rng, serves: Sequence[str], verb: bool, short: bool = False) -> list[str]:
    out = []
    for code in serves:
        bank = _NEED[code]
        out.append(_p(rng, bank.short if short else (bank.help_vp if verb else bank.help_np)))
    return out


def _offer(rng: Rng, serves: Sequence[str], stage: str, limit: int = 30) -> str:
    order = _shuffle(rng, list(serves))
    if not order:
        return _p(rng, _s("General advice for founders.|Happy to be a sounding board on anything."))
    stage_tail = _p(rng, ("", "", f" for {stage} teams", f", mainly with {stage} startups"))
    for _ in range(3):
        style = _int(rng, 0, 2) if len(order) > 1 else _int(rng, 0, 1)
        if style == 0:
            items = _help_items(rng, order, False)
            lst = _join(rng, items)
            text = _fill(
                _p(rng, _OFFER_NP), {"list": lst, "List": _cap(lst), "stage": stage, "stage_tail": stage_tail}
            )
        elif style == 1:
            items = _help_items(rng, order, True)
            text = _fill(_p(rng, _OFFER_VP), {"list": _join(rng, items, verbs=True), "stage": stage})
        else:
            vp = _help_items(rng, order[:1], True)[0]
            rest = _join(rng, _help_items(rng, order[1:], False))
            text = _fill(_p(rng, _OFFER_MIX), {"vp": vp, "list": rest, "stage": stage})
        if " you" in text:  # help phrases say "their"; addressed to the founder they become "your"
            text = text.replace(" their ", " your ")
        if _words(text) <= limit:
            return text
    items = _help_items(rng, order, False, short=True)
    frame = _p(rng, ("Can help with {list}.", "Advice on {list}.", "Ask me about {list}."))
    text = _fill(frame, {"list": _join(rng, items)})
    if _words(text) > limit:
        text = "Help with " + ", ".join(_shortest(c) for c in order) + "."
    return text


def _person_ctx(first_person: bool, full: str, ref: str) -> dict[str, str]:
    if first_person:
        return {
            "S0": "I",
            "S": "I",
            "O": "me",
            "Poss": "My",
            "has": "have",
            "is": "am",
            "was": "was",
            "s": "",
            "es": "",
        }
    return {
        "S0": full,
        "S": ref,
        "O": ref,
        "Poss": f"{ref}'s",
        "has": "has",
        "is": "is",
        "was": "was",
        "s": "s",
        "es": "es",
    }


def mentor_texts(
    rng: Rng,
    *,
    mentor_type: str,
    industries: list[str],
    subtopic: int,
    serves: list[str],
    stages: list[str],
    city: str,
) -> dict[str, str]:
    """Name, title, organisation, expertise (<= 20 words), offer (<= 30 words), bio (3-5 sentences)."""
    primary = industries[0]
    kind = mentor_type if mentor_type in _MENTOR_TITLE else "entrepreneur"
    ctx = _topic_ctx(rng, industries, subtopic)
    full, ref = _person(rng)
    if kind == "technical_expert" and _chance(rng, 0.3):
        full = "Dr. " + full
    years = _int(rng, 8, 30)
    company = _company(rng, primary)
    corp = _corp(rng, primary)
    univ = _university(rng, city)
    if kind == "angel_investor":
        org = _fund(rng) if _chance(rng, 0.6) else _p(rng, ("Independent", "Self-employed", company))
    elif kind == "entrepreneur":
        org = company
    elif kind == "senior_manager":
        org = corp
    elif kind == "technical_expert":
        org = _p(rng, (univ, _institute(rng, primary, city), corp, company))
    else:
        org = _p(rng, (_agency(rng), corp, company))
    title = _p(rng, _MENTOR_TITLE[kind])
    if "{org}" in title:
        title = title.format(org=org if org not in ("Independent", "Self-employed") else company)
    elif kind == "technical_expert" and org == univ and _chance(rng, 0.6):
        title = _p(rng, _s("Professor|Associate Professor|Research Fellow"))
    stage = _stage_adj(rng, stages)
    ctx |= {
        "years": str(years),
        "kind": _p(rng, _EXPERTISE_KIND[kind]),
        "stage": stage,
        "city": _place(city),
        "univ": _the(univ),
        "univ2": _the(_p(rng, _ALL_UNIVERSITIES)),
        "corp": corp,
        "company": company,
        "company2": _company(rng, primary, legal=False),
        "tenure": str(_int(rng, max(5, years // 2), max(6, years - 3))),
        "k4": str(_int(rng, 4, 30)),
        "subject": _p(rng, _INDUSTRY[primary].subject),
        "a_role": _an(_p(rng, _ROLE_NOUN[kind])),
        "year0": str(_NOW - years),
        "year1": str(_NOW - _int(rng, 4, max(5, years - 2))),
        "year2": str(_NOW - _int(rng, 1, 6)),
        "k": str(_int(rng, 3, 25)),
        "k2": str(_int(rng, 2, 6)),
        "k3": str(_int(rng, 3, 12) * 10),
        "staff": str(_int(rng, 5, 80) * 10),
        "bn": str(_int(rng, 1, 9)),
        "hours": str(_int(rng, 2, 10) * 2),
        "langs": _p(rng, _LANGS),
        "reply": _p(
            rng,
            _s("within a day, usually on WeChat|quickly, by email or WeChat|the same day|within 48 hours"),
        ),
        "ticket": _ticket(rng, ["angel"]),
    }
    vague = _chance(rng, _VAGUE)
    expertise = _pick_fit(rng, _EXPERTISE_VAGUE if vague else _EXPERTISE, ctx, 20, "{Area}.")
    offer = _offer(rng, serves, stage)

    ctx |= _person_ctx(_chance(rng, 0.45), full, ref)
    n_kind = _int(rng, 1, 2)
    n_close = _int(rng, 1, 2) if n_kind == 1 else _int(rng, 0, 2)
    frames = [
        _p(rng, _BIO_OPEN),
        *_distinct(rng, _BIO_KIND[kind], n_kind),
        *_distinct(rng, _BIO_CLOSE, n_close),
    ]
    bio = " ".join(_fill(f, ctx) for f in frames)
    return {
        "name": full,
        "title": title,
        "organisation": org,
        "expertise": expertise,
        "offer": offer,
        "bio": bio,
    }


# ============================================================================================== investors
_THESIS_EQUITY = (
    "{We} back {stage} founders building {product} and other {area} businesses{where}.",
    "{Area} and {syn2} at {rounds}{where}.",
    "Focus: {area}. Rounds: {rounds}. Typically {stage} companies.",
    "{We} invest in companies working on {area} at {rounds}{where}, usually leading or co-leading.",
    "Looking for {stage} teams in {syn} with a real edge in {area}; typical entry at {rounds}.",
    "{Rounds} in {area}{where}. {We} like technical founders with early customer proof.",
    "Conviction that {area} will reshape {syn}; {we} write {rounds_bare} cheques{where}.",
    "{We} back {mod} startups{where}, especially in {area}, at {rounds}.",
    "Tickets of {ticket} for {stage} companies in {area} and adjacent {syn2}.",
    "{Syn}, especially {area}: {rounds}{where}.",
    "Early believer in {area}; {we} partner with founders at {rounds}.",
    "Investing in {product} and the wider {area} space, {rounds}{where}.",
)
_THESIS_EQUITY_VAGUE = (
    "{We} back {stage} {mod} companies at {rounds}{where}.",
    "Generalist {syn} investor, {rounds}.",
    "{Syn} and {syn2}; {stage} companies; {rounds}.",
    "{We} look for ambitious {mod} founders{where}, typically at {rounds}.",
)
_THESIS_GOV = (
    "Patient capital for {area} and {syn2} companies that register and grow{where}.",
    "Guides private capital into {syn}, especially {area}; co-invests at {rounds} through sub-funds.",
    "With {rounds_bare} investments and policy support, backs {stage} {mod} companies{where}.",
    "Builds the local {mod} industry, from {area} to {product}; invests at {rounds}.",
    "Co-invests alongside market VCs in {area} projects{where}, at {rounds}.",
    "Anchors {syn} clusters{where}, with priority for {area} and {stage} teams.",
    "Backs {stage} {mod} companies willing to set up in {gov}, with a focus on {area}.",
    "Equity for {area} projects that bring jobs and R&D to {gov}; typically {rounds}.",
    "Priority sectors: {syn} and {syn2}, especially {area}. Invests at {rounds} alongside market funds.",
    "Helps {stage} teams in {area} scale up locally{where}, mainly at {rounds}.",
    "Sub-fund commitments and direct deals in {syn}, with {area} as a current priority.",
    "Government-backed capital for makers of {product} and other {area} companies{where}.",
)
_THESIS_BANK = (
    "Credit lines and IP-pledge loans for {stage} {mod} companies{where}, especially in {area}.",
    "Tech-SME lending for {area} and {syn2}: loans of {loan} based on patents and orders{where}.",
    "Working-capital loans for {mod} firms with revenue, including {area} suppliers{where}.",
    "Venture loans that complement {rounds_bare} financing for {stage} {mod} companies{where}.",
    "Science-and-technology credit for companies in {area}{where}, from first loans to growth facilities.",
    "Debt financing for {stage} companies in {syn}; no property collateral needed for high-tech firms.",
    "Loans of {loan} for {stage} companies building {product} and similar {area} products{where}.",
    "IP-pledge and order-backed loans for {mod} SMEs{where}; {area} is a priority sector.",
    "Credit for {mod} companies with revenue but few hard assets, including {area} firms{where}.",
    "First bank loans for {stage} tech firms in {syn}, from {loan}.",
    "Bank lending for {area} and {syn2} companies with patents, orders or investor backing{where}.",
    "Low-interest sci-tech loans for {mod} SMEs{where}, tied to local interest subsidies.",
)
_INV_DESC: dict[str, tuple[str, ...]] = {
    "vc": (
        "The firm manages {aum} across {k} funds and has backed more than {kk} companies.",
        "Typical first cheques are {ticket}, with capital reserved for follow-on rounds.",
        "Portfolio companies get help with hiring, customer introductions and the next round.",
        "LPs include provincial guidance funds, family offices and listed corporates.",
        "Decisions take about {weeks} weeks from first meeting to term sheet.",
        "The partners are former founders and engineers from {corp} and {corp2}.",
        "Recent investments include makers of {product} and {a_mod2} platform.",
        "The team sits in {city} and meets founders at incubators every week.",
        "About half of the portfolio is in {syn}.",
        "The firm usually takes a board seat in companies it leads.",
        "It has had {k} exits through trade sales and IPOs.",
    ),
    "cvc": (
        "Besides capital, portfolio companies get access to the group's supply chain, clients and test labs.",
        "The unit invests from the corporate balance sheet, typically {ticket} per deal.",
        "It looks for startups that could become partners or suppliers to the group.",
        "Since {year}, the unit has invested in {kk} companies.",
        "Deals are often paired with a pilot project inside one of the group's business units.",
        "The team reports to the group's CTO and works closely with its R&D centres.",
        "Recent deals include makers of {product} and {a_mod2} startup.",
        "It can also arrange procurement contracts for portfolio companies that pass pilots.",
        "The group's engineers help portfolio companies with product validation.",
        "The unit usually invests alongside financial VCs rather than alone.",
    ),
    "angel": (
        "{ref} has made about {k} investments since {year}, typically {ticket} each.",
        "{ref} prefers to invest alongside other angels or a lead VC.",
        "{ref} is happy to spend time with founders on strategy and introductions.",
        "Before investing, {ref} built a company in {syn} that was later acquired.",
        "Founders say {ref} answers emails fast and makes decisions within a couple of weeks.",
        "{ref} also sits on the investment committee of a {city} angel club.",
        "Portfolio highlights include makers of {product}.",
        "{ref} likes to meet founders at demo days and incubator events.",
        "{ref} usually invests before the product is finished.",
        "{ref} mentors founders at two local incubators.",
        "{ref}'s background in {area} helps with technical due diligence.",
    ),
    "government_fund": (
        "The fund was set up by the {gov} government in {year} and has {aum} under management.",
        "It invests directly and through sub-funds run by market-oriented managers.",
        "Portfolio companies are expected to register and operate locally.",
        "Besides equity, the fund helps with policy applications, office space and talent programmes.",
        "Returns matter, but the main goal is to build the local {mod} industry.",
        "It typically takes a minority stake of no more than 20% and follows a lead investor.",
        "So far it has supported more than {kk} companies and {k} sub-funds.",
        "Applications go through an expert review panel that meets every month.",
        "It can bring land, office space and local procurement opportunities to the table.",
        "Day-to-day management is outsourced to a professional fund manager chosen by tender.",
    ),
    "bank_credit": (
        "The desk offers credit lines of {loan} to technology SMEs, including IP-pledge loans.",
        "Approval relies on patents, tax records and order books rather than property collateral.",
        "Loans can be combined with government interest subsidies and guarantee schemes.",
        "It has served more than {kk} high-tech companies since {year}.",
        "Typical terms are one to three years, at rates below standard SME lending.",
        "The team works with incubators to find borrowers early and pairs loans with partner VCs.",
        "A dedicated relationship manager follows each borrower from first loan to listing.",
        "Applications are handled online and can be approved within {bdays} working days.",
        "Interest is partly subsidised by the local science and technology bureau.",
        "Some loans come with equity warrants arranged together with partner venture funds.",
    ),
}
_INV_OPEN: dict[str, tuple[str, ...]] = {
    "vc": (
        "{name} was founded in {year} by former operators and investment bankers.",
        "{name} is a {city}-based venture firm investing in {syn}.",
        "Since {year}, {name} has been an active early investor in {syn} and {syn2}.",
        "{name} invests in {stage} companies, with a particular eye on {area}.",
        "{name} is an early-stage firm with a soft spot for {area}.",
        "Founded by two former operators in {year}, {name} backs {stage} teams in {syn}.",
        "{name} writes early cheques in {syn}, mostly from its office in {city}.",
    ),
    "cvc": (
        "{name} is the venture arm of {corp}, a leading {mod} group.",
        "{corp} set up {name} in {year} to invest in startups close to its core business.",
        "{name} invests on behalf of {corp}, with a focus on {area}.",
        "Backed by {corp}, {name} scouts startups in {area} and nearby fields.",
        "{name} connects startups in {syn} with the businesses of {corp}.",
        "As the investment arm of {corp}, {name} looks for technology the group can use.",
    ),
    "angel": (
        "{full} is an angel investor based in {city}.",
        "A former founder and executive, {full} now invests personally in {stage} startups.",
        "{full} invests in {syn}, drawing on {years} years in the industry.",
        "{full} invests personal capital in {stage} companies, mostly in {area}.",
        "After {years} years in {syn}, {full} now backs young founders.",
        "{full} is a business angel who splits time between investing and mentoring in {city}.",
    ),
    "government_fund": (
        "{name} is a government guidance fund focused on {syn} and {syn2}.",
        "Backed by the {gov} government, {name} invests in {stage} technology companies.",
        "{name} was created to attract {mod} companies and talent to {gov}.",
        "{name} channels public money into {stage} companies in {syn}.",
        "{name} is managed on behalf of the {gov} government and invests alongside private VCs.",
        "Launched in {year}, {name} supports technology companies that build their business in {gov}.",
    ),
    "bank_credit": (
        "{name} is a specialist lending team for science and technology companies.",
        "{name} serves {stage} tech companies that are too young for conventional bank loans.",
        "Set up in {year}, {name} focuses on lending to innovative SMEs in {syn} and beyond.",
        "{name} offers loans designed for young technology companies rather than property-rich firms.",
        "{name} is a dedicated credit team for high-tech SMEs in {gov}.",
        "Since {year}, {name} has lent to {mod} companies and other innovative SMEs.",
    ),
}
_BANKS = _s("China Merchants|Industrial|Ping An|Minsheng|CITIC|Everbright|Huaxia|Guangfa|Bohai|Zheshang")


def _gov_city(rng: Rng, regions: Sequence[str]) -> str:
    for code in regions:
        if code in _CN_CITIES:
            return _place(code)
    macros = [
        r for r in regions if r in _REGION_EN and r not in ("nationwide", "overseas") and r not in _CITY_MACRO
    ]
    if macros:
        pool = [c for c in _CN_CITIES if _CITY_MACRO[c] == macros[0]]
        if pool:
            return _place(_p(rng, pool))
    return _place(_p(rng, _CN_CITIES))


def _investor_name(rng: Rng, kind: str, primary: str, gov: str, full: str) -> tuple[str, str]:
    """(investor name, parent corporate group or "")."""
    if kind == "angel":
        return full + _p(rng, ("", "", " (angel)", ", angel investor")), ""
    if kind == "cvc":
        corp = _corp(rng, primary)
        stem = corp.split()[0]
        name = _p(
            rng,
            (
                f"{stem} Ventures",
                f"{stem} Capital",
                f"{corp} Ventures",
                f"{stem} Innovation Fund",
                f"{stem} Industrial Investment",
            ),
        )
        return name, corp
    if kind == "government_fund":
        sector = _p(rng, _SECTOR[primary])
        return _p(
            rng,
            (
                f"{gov} Innovation Guidance Fund",
                f"{gov} Science and Technology Venture Fund",
                f"{gov} Industrial Investment Fund",
                f"{gov} Angel Guidance Fund",
                f"{gov} {sector} Industry Fund",
                f"{gov} Emerging Industries Fund",
            ),
        ), ""
    if kind == "bank_credit":
        bank = _p(
            rng,
            (
                f"{_p(rng, _BANKS)} Bank",
                f"Bank of {gov}",
                f"{gov} Rural Commercial Bank",
                f"{_p(rng, _PINYIN_WORDS)} Commercial Bank",
            ),
        )
        return _p(
            rng,
            (
                f"{bank} Tech Lending Desk",
                f"{bank} Science & Technology Sub-branch",
                f"{bank} SME Credit Centre",
                f"{bank} Innovation Finance Centre",
                f"{bank} Sci-Tech Credit Team",
            ),
        ), ""
    return _fund(rng), ""


def investor_texts(
    rng: Rng,
    *,
    kind: str,
    industries: list[str],
    subtopic: int,
    rounds: list[str],
    stages: list[str],
    regions: list[str],
) -> dict[str, str]:
    """Name, thesis (<= 35 words) and 3-5 sentence description of an investor of ``kind``."""
    primary = industries[0]
    kind = kind if kind in _INV_DESC else "vc"
    ctx = _topic_ctx(rng, industries, subtopic)
    full, ref = _person(rng)
    gov = _gov_city(rng, regions)
    name, corp = _investor_name(rng, kind, primary, gov, full)
    where = _where(rng, regions)
    rounds_text, rounds_bare = _rounds_phrase(rng, rounds)
    cap = 5.0 if kind == "angel" else None
    city = next((r for r in regions if r in _CITY_MACRO), None)
    ctx |= {
        "name": name,
        "full": full,
        "ref": ref,
        "We": "I" if kind == "angel" else "We",
        "we": "I" if kind == "angel" else "we",
        "where": where,
        "rounds": rounds_text,
        "Rounds": _cap(rounds_text),
        "rounds_bare": rounds_bare,
        "stage": _stage_adj(rng, stages),
        "ticket": _ticket(rng, rounds, cap),
        "loan": _p(rng, _s("CNY 1M to 30M|RMB 2M to 50M|CNY 500k to 10M|up to CNY 20M")),
        "gov": gov,
        "corp": corp or _corp(rng, primary),
        "corp2": _corp(rng, primary),
        "city": _place(city) if city else _p(rng, _s("Shanghai|Beijing|Shenzhen|Hangzhou")),
        "year": str(_NOW - _int(rng, 2, 15)),
        "years": str(_int(rng, 10, 30)),
        "aum": _p(rng, ("CNY", "RMB")) + " " + _num(_int(rng, 3, 100) * 100.0, False),
        "k": str(_int(rng, 2, 9)),
        "kk": str(_int(rng, 3, 60) * 10),
        "weeks": str(_int(rng, 2, 8)),
        "bdays": str(_int(rng, 2, 6) * 5),
    }
    frames: Sequence[str]
    if kind == "government_fund":
        frames = _THESIS_GOV
    elif kind == "bank_credit":
        frames = _THESIS_BANK
    else:
        frames = _THESIS_EQUITY_VAGUE if _chance(rng, _VAGUE) else _THESIS_EQUITY
    thesis = _pick_fit(rng, frames, ctx, 35, "{Area}, {rounds}.")
    n = _int(rng, 2, 4)
    sentences = [_p(rng, _INV_OPEN[kind]), *_distinct(rng, _INV_DESC[kind], n)]
    description = " ".join(_fill(f, ctx) for f in sentences)
    return {"name": name, "thesis": thesis, "description": description}


# ============================================================================================== providers
_PROVIDER_NAME: dict[str, tuple[str, ...]] = {
    "legal": _s(
        "{sur} & {sur2} Law LLP|{word} Law Firm|{pinyin} Law Offices|{word} Legal|{city} {word} Law Firm|"
        "{sur} & Partners"
    ),
    "finance_accounting": _s(
        "{word} Accounting|{sur} & Co. CPAs|{pinyin} Certified Public Accountants|"
        "{word} Finance Partners|{word} CFO Services"
    ),
    "ip": _s(
        "{word} IP Attorneys|{pinyin} Patent & Trademark Agency|{word} Intellectual Property|{sur} IP Law|"
        "{word} Patent Office"
    ),
    "testing_certification": _s(
        "{word} Testing & Certification Lab|{city} {word} Test Centre|"
        "{pinyin} Inspection & Testing|{word} Compliance Labs"
    ),
    "rd_design": _s(
        "{word} Design Studio|{word} Product Engineering|{pinyin} Industrial Design|{coined} Design|"
        "{word} R&D Services"
    ),
    "pilot_production": _s(
        "{word} Pilot Plant|{city} Pilot Production Base|{pinyin} Scale-Up Centre|"
        "{word} Prototyping & Pilot Lines"
    ),
    "tech_transfer": _s(
        "{city} Technology Transfer Centre|{word} Tech Transfer|{pinyin} Technology Exchange|"
        "{word} Innovation Brokers"
    ),
    "marketing_branding": _s(
        "{word} Brand Studio|{word} & {word2} Marketing|{pinyin} Creative Agency|"
        "{word} Growth Partners|{coined} Communications"
    ),
    "hr": _s(
        "{word} Talent|{word} Executive Search|{pinyin} Human Resources|{word} People Partners|"
        "{word} HR Services"
    ),
    "policy_application": _s(
        "{word} Policy Consulting|{pinyin} Grants Advisory|{city} {word} Enterprise Services|"
        "{word} Subsidy Advisors"
    ),
    "registration": _s(
        "{word} Business Services|{pinyin} Corporate Services|{word} Company Formation|"
        "{city} {word} Registration Agency"
    ),
    "internationalisation": _s(
        "{word} Global|{word} Bridge Partners|{pinyin} Going Global Services|"
        "{word} Cross-Border Advisory|{coined} International"
    ),
}
_PROVIDER_NOUN = {
    "legal": "law firm",
    "finance_accounting": "accounting firm",
    "ip": "IP agency",
    "testing_certification": "testing lab",
    "rd_design": "design and engineering studio",
    "pilot_production": "pilot production facility",
    "tech_transfer": "technology transfer agency",
    "marketing_branding": "marketing agency",
    "hr": "HR consultancy",
    "policy_application": "policy consultancy",
    "registration": "corporate services firm",
    "internationalisation": "cross-border advisory",
}
_SERVICES = (
    "{List}.",
    "Full-service {noun}: {list}.",
    "We handle {list}, with startup-friendly packages.",
    "Specialists in {first}; we also cover {rest}.",
    "{List} for {mod} startups.",
    "One-stop support: {list}.",
    "Core services: {list}.",
    "Offering {list} to founders in {city}.",
    "Helping founders with {list}.",
    "Our core business is {first}, alongside {rest}.",
    "Fixed-fee {list} for early-stage teams.",
    "Startups come to us for {list}.",
)
_SERVICES_ONE = (
    "{List}.",
    "{List} for {mod} startups.",
    "Offering {list} to founders in {city}.",
    "Helping founders with {list}.",
    "Fixed-fee {list} for early-stage teams.",
    "Specialists in {list}.",
)
_PROV_EXTRA: dict[str, tuple[str, ...]] = {
    "legal": _s(
        "ESOP and option documentation|employment contracts|data-compliance reviews|financing documents|"
        "dispute resolution"
    ),
    "finance_accounting": _s(
        "monthly bookkeeping|annual audits|R&D expense accounting|payroll and tax filing|"
        "due-diligence preparation"
    ),
    "ip": _s(
        "freedom-to-operate searches|PCT filings|design patents|software copyright registration|"
        "pledge-loan IP valuations"
    ),
    "testing_certification": _s(
        "EMC pre-compliance scans|environmental and reliability testing|RoHS and REACH checks|"
        "battery safety testing|medical-device type testing"
    ),
    "rd_design": _s(
        "PCB and firmware design|mechanical design|rapid prototyping|DFM reviews|UI and UX design"
    ),
    "pilot_production": _s(
        "small-batch SMT assembly|injection-moulding trials|process validation|cleanroom space|"
        "first-article inspection"
    ),
    "tech_transfer": _s(
        "patent licensing|technology valuation|spin-out support|university partnership deals|"
        "technology auctions"
    ),
    "marketing_branding": _s(
        "brand identity design|WeChat and Douyin campaigns|trade-show support|launch events|"
        "content production"
    ),
    "hr": _s("executive search|campus recruiting|payroll outsourcing|ESOP communication|HR policy set-up"),
    "policy_application": _s(
        "high-tech enterprise filings|innovation voucher claims|R&D super-deduction claims|"
        "talent-programme paperwork|specialised SME ('little giant') applications"
    ),
    "registration": _s(
        "registered addresses|bank account opening|WFOE set-up|annual compliance filings|"
        "business licence changes"
    ),
    "internationalisation": _s(
        "overseas entity set-up|market research abroad|partner search in Europe and Southeast Asia|"
        "export compliance|soft-landing programmes"
    ),
}
_SERVICES_VP = (
    "We help startups {list}.",
    "We help founders {list}, at startup-friendly prices.",
    "Our team helps {mod} companies {list}.",
    "We work with founders to {list}.",
    "Our consultants help teams {list}.",
    "Need to {list}? That is what we do.",
)
_PROV_CRED: dict[str, tuple[str, ...]] = {
    "legal": (
        "Partners previously worked at international firms in Shanghai and Hong Kong.",
        "The team has advised on more than {k} venture financings.",
        "We also handle employment disputes and data-compliance reviews.",
    ),
    "finance_accounting": (
        "Our accountants prepare startups for audits and due diligence.",
        "We act as an outsourced finance team for over {kk} companies.",
        "Certified public accountants and former investment bankers work side by side.",
    ),
    "ip": (
        "Our attorneys have filed more than {kkk} patent applications in China, the US and Europe.",
        "Several team members hold technical PhDs.",
        "We also help clients use patents for IP-pledge loans and high-tech enterprise applications.",
    ),
    "testing_certification": (
        "The lab is CNAS-accredited and CMA-certified.",
        "Test capacity covers EMC, safety, environmental and reliability testing.",
        "We work with notified bodies for CE and partner labs for FCC and UL.",
    ),
    "rd_design": (
        "Our engineers cover mechanical, electronic and software design.",
        "We have taken more than {k} products from sketch to mass production.",
        "An in-house prototyping workshop turns designs around in days.",
    ),
    "pilot_production": (
        "The facility has {m2} square metres of pilot lines and cleanrooms.",
        "We run batches from a few hundred to tens of thousands of units.",
        "Process engineers help clients get ready for mass production.",
    ),
    "tech_transfer": (
        "We work with over {k} universities and research institutes.",
        "Our brokers have closed licensing deals worth more than CNY {kk} million.",
        "We organise technology auctions and manage licensing negotiations.",
    ),
    "marketing_branding": (
        "Clients range from hardware startups to consumer brands.",
        "The agency runs campaigns on WeChat, Douyin, Xiaohongshu and LinkedIn.",
        "We have launched more than {k} brands.",
    ),
    "hr": (
        "Our consultants have placed more than {kkk} engineers and managers.",
        "We also provide payroll outsourcing and social insurance services.",
        "We specialise in technical and executive hiring for startups.",
    ),
    "policy_application": (
        "Our consultants know the grant programmes at district, city, provincial and national level.",
        "Clients have won more than CNY {kk} million in subsidies.",
        "Success-based fees mean startups pay mainly when an application succeeds.",
    ),
    "registration": (
        "A new company can usually be registered within {days} working days.",
        "We provide registered addresses in incubators across {city}.",
        "Foreign founders can set up wholly foreign-owned enterprises with our bilingual team.",
    ),
    "internationalisation": (
        "We have partners in Singapore, Germany, the UK and the US.",
        "Our bilingual team helps Chinese startups go abroad and foreign startups enter China.",
        "Services cover market research, entity set-up, compliance and partner search.",
    ),
}
_PROV_OPEN = (
    "Founded in {year}, {name} has {staff} professionals in {city}.",
    "{name} is {a_noun} in {city} that works mostly with startups.",
    "Since {year}, {name} has served more than {kk} startups and SMEs.",
    "{name} is {a_noun} with offices in {city} and {city2}.",
    "{name} started in {year} as a two-person practice and now employs {staff} people.",
    "Based in {city}, {name} is {a_noun} with a long list of incubator clients.",
    "{name} was set up in {year} by former in-house specialists who wanted to work with startups.",
    "{name} has {staff} staff and is well known among the incubators of {city}.",
    "{name} serves startups and SMEs from its office in {city}.",
)
_PROV_PRICE = (
    "Startups in partner incubators get a {pct}% discount.",
    "Fixed-fee packages start at CNY {fee} a year.",
    "The first consultation is free.",
    "Pricing is transparent, with fixed fees for standard work.",
    "Some services can be paid for with innovation vouchers.",
    "Pro bono hours are available for {pro_bono}.",
    "Fees are competitive for early-stage companies.",
    "Clients in {mod} fields make up about {pct2}% of the work.",
    "Payment can be split into monthly instalments.",
    "Quotes are fixed before work starts, with no hourly surprises.",
    "Members of partner incubators get priority scheduling.",
)


def provider_texts(
    rng: Rng, *, category: str, serves: list[str], industries: list[str], city: str
) -> dict[str, str]:
    """Name, services (<= 30 words, covering every code in ``serves``) and 3-5 sentence description."""
    cat = category if category in _PROVIDER_NAME else "legal"
    ind = _INDUSTRY[industries[0]] if industries else _p_ind(rng)
    place = _place(city)
    sur = _person(rng)[1]
    name = _p(rng, _PROVIDER_NAME[cat]).format(
        sur=sur,
        sur2=_person(rng)[1],
        word=_p(rng, _ENG_WORDS),
        word2=_p(rng, _ENG_WORDS),
        pinyin=_p(rng, _PINYIN_WORDS),
        coined=_coined(rng),
        city=place,
    )
    noun = _PROVIDER_NOUN[cat]
    mod = _p(rng, ind.mod)
    # The category's own need usually first, then the rest in random order; 0-2 concrete extras.
    known = [c for c in serves if c in _NEED]
    own = PROVIDER_SERVES[cat][0]
    head = [own] if own in known and _chance(rng, 0.7) else []
    order = head + _shuffle(rng, [c for c in known if c not in head])
    extras = _distinct(rng, _PROV_EXTRA[cat], _int(rng, 1 if len(order) < 2 else 0, 2))
    services = ""
    for attempt in range(4):
        short = attempt == 3
        if order and not short and _chance(rng, 0.2):
            items = _help_items(rng, order, True)
            services = _fill(_p(rng, _SERVICES_VP), {"list": _join(rng, items, verbs=True), "mod": mod})
        else:
            items = _help_items(rng, order, False, short=short) + (extras if attempt < 2 else [])
            items = items or [noun + " services"]
            lst = _join(rng, items)
            rest = (
                _join(rng, items[1:]) if len(items) > 1 else _p(rng, _s("related advice|follow-up support"))
            )
            services = _fill(
                _p(rng, _SERVICES if len(items) > 1 else _SERVICES_ONE),
                {
                    "list": lst,
                    "List": _cap(lst),
                    "first": items[0],
                    "First": _cap(items[0]),
                    "rest": rest,
                    "noun": noun,
                    "mod": mod,
                    "city": place,
                },
            )
        if _words(services) <= 30:
            break
    else:
        services = "Services: " + ", ".join(_shortest(c) for c in order) + "."
    ctx = {
        "name": name,
        "city": place,
        "city2": _place(_p(rng, [c for c in _CITIES if c != city])),
        "a_noun": _an(noun),
        "year": str(_NOW - _int(rng, 2, 25)),
        "staff": str(_int(rng, 4, 120)),
        "k": str(_int(rng, 3, 30) * 10),
        "kk": str(_int(rng, 5, 80) * 10),
        "kkk": f"{_int(rng, 5, 80) * 100:,}",
        "m2": f"{_int(rng, 5, 60) * 100:,}",
        "days": str(_int(rng, 3, 10)),
        "pct": str(_int(rng, 2, 6) * 5),
        "pct2": str(_int(rng, 2, 8) * 10),
        "fee": f"{_int(rng, 2, 30) * 1000:,}",
        "mod": mod,
        "pro_bono": _p(
            rng, _s("idea-stage teams|student founders|social enterprises|teams in partner incubators")
        ),
    }
    n_cred = _int(rng, 1, 2)
    n_price = _int(rng, 1, 2)
    body = _distinct(rng, _PROV_CRED[cat], n_cred) + _distinct(rng, _PROV_PRICE, n_price)
    frames = [_p(rng, _PROV_OPEN), *_shuffle(rng, body)][:5]
    description = " ".join(_fill(f, ctx) for f in frames)
    return {"name": name, "services": services, "description": description}


def _p_ind(rng: Rng) -> _Industry:
    return _INDUSTRY[_p(rng, _INDUSTRY_CODES)]


# ============================================================================================== consistency
def _check() -> None:
    """Fail at import if the phrase banks drift from the taxonomy (a new code without text)."""
    missing = [c for c in INDUSTRIES.codes if c not in _INDUSTRY or c not in _TOPICS or c not in _SECTOR]
    missing += [c for c in NEEDS.codes if c not in _NEED]
    missing += [c for c in MENTOR_TYPES.codes if c not in _MENTOR_TITLE or c not in _BIO_KIND]
    missing += [c for c in INVESTOR_KINDS.codes if c not in _INV_DESC or c not in _INV_OPEN]
    missing += [
        c
        for c in PROVIDER_CATEGORIES.codes
        if c not in _PROVIDER_NAME or c not in _PROV_CRED or c not in _PROV_EXTRA or c not in _PROVIDER_NOUN
    ]
    missing += [c for c in ROUNDS.codes if c not in _ROUND_WORD or c not in _ROUND_SHORT]
    missing += [c for c in STAGES.codes if c not in _STAGE_ALT]
    missing += [c for c in INDUSTRIES.codes if len(_TOPICS.get(c, ())) != len(SUBTOPICS[c])]
    if missing:
        raise RuntimeError(f"seed_data.text_en has no phrases for taxonomy codes {missing}: add them")


_check()
