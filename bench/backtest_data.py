"""Synthetic historical deal records for the investor-recommendation backtest.

    python -m bench.backtest_data --out DIR [--investors 7000] [--companies 20000] [--seed 0] [--stats]
    python -m bench.backtest_data --summarize DIR      # the same statistics for any directory in this format

Writes ``companies.csv``, ``rounds.csv``, ``investments.csv`` and ``investors.csv`` (UTF-8, header row) in the
format of the real deal export: masked names, free-text ``|``-separated industry tags, province-level region,
mostly empty descriptions, one ``investments`` row per (round, investor). Same arguments -> byte-identical
files: every part draws from its own child of ``np.random.SeedSequence(seed)``, nothing iterates a set, and
dictionaries are only iterated in insertion order.

Generative model
----------------
The latent world has ``S`` sectors (``SECTORS``), each with 3-6 sub-sectors. Only noisy tags of them reach
the files. Time runs from 2015-01-01 to 2024-12-31 and is bucketed into quarters for investor activity and
into years for sector "hotness".

Sector hotness. ``SECTORS[s].hot`` gives a multiplier per year 2015..2024 (O2O, fintech and education
cool down; semiconductors, new energy vehicles, clean tech, robotics and aerospace heat up; AI has two waves).
Hotness changes which sectors new companies enter in (x ``hot``), how fast and how likely companies raise
their next round (``HOT_SPEEDUP``, ``HOT_SURVIVAL``), which sectors new funds specialise in (their vintage
year's hotness) and, for trend-chasing investors (``trend`` ~ U(0, TREND_MAX)), how much they invest in a
sector each year (x ``hot ** trend``).

Companies (``--companies``). Sector ~ ``SECTORS[s].share x hot(entry year)``; sub-sector uniform within the
sector; region ~ ``REGIONS`` weights x ``SECTOR_REGION_BOOST``; city within the region; latent quality
q ~ N(0, 1). A company's first recorded round falls in year y with weight ``ENTRY_YEAR_W`` (the Chinese
market peaked in 2015-2018, dipped in 2019-2020, rebounded in 2021 and fell in 2022-2024) and month weights
``MONTH_W`` (quiet around the Spring Festival, busy in December). The entry round label ~ ``ENTRY_LABEL_P``
(mostly seed/angel, some companies appear in the data only from A, B or later). Later rounds: after a gap
~ lognormal(median ``GAP_MEDIAN_Y[level]`` / hot speed-up, sigma ``GAP_SIGMA``) the company raises again with
probability sigmoid(``CONTINUE_LOGIT[level]`` + ``Q_SURVIVAL`` q + ``HOT_SURVIVAL`` log hot); the next label
follows ``NEXT_LABEL`` (seed -> angel -> pre_a -> a -> a_plus -> b -> c_plus -> pe / ipo, with skips,
repeated C+ rounds, and interleaved ``strategic`` / ``other`` rounds that keep the level). Rounds after
2024-12-31 are never written. ``founded_on`` = first round date - lognormal lag that grows with the entry
level (empty with p ``P_EMPTY_FOUNDED``).

Investors (``--investors``). Kind ~ ``KIND_P`` (angel, vc, cvc, government_fund, bank_credit). Size (activity
weight) ~ lognormal(0, ``SIZE_SIGMA``) x ``KIND_SIZE[kind]``, capped at ``SIZE_CAP`` x the median: heavy-tailed,
a few platforms do hundreds of deals, most investors 1-3. Active window: start year ~ ``START_YEAR_W`` (many
already active before 2015, a wave of funds raised in 2015-2017, few new ones after 2022), duration ~
lognormal(median ``DURATION_MEDIAN_Y``, sigma ``DURATION_SIGMA``) x size ** ``DURATION_SIZE_EXP``; bigger funds
are more often platforms that keep raising funds (p = min(``EVERGREEN_MAX``, ``EVERGREEN_SLOPE`` log1p(relative
size)), active past 2024). Activity ramps up over ``RAMP_UP_Y``, down over ``RAMP_DOWN_Y``, with a yearly drift
lognormal(0, ``YEAR_DRIFT_SIGMA``).
Sector focus: ``N_FOCUS`` sectors (1-2 for angels and CVCs, more for bigger VCs) drawn with weight share x
hot(vintage year) (government funds favour ``HARD_TECH``, CVCs ``CVC_SECTORS``), Dirichlet
(``FOCUS_CONCENTRATION``) weights, re-weighted each year by hot ** trend (trend ~ U(0, ``TREND_MAX``)); plus a
generalist share g = min(``GENERALIST_MAX``, ``SECTOR_FLOOR[kind]`` (1 + ``GENERALIST_SIZE`` log1p(relative
size))) that follows the year's market mix, so big platforms rotate with the market while small specialists
ride their sectors up and down.
Stage focus: a Gaussian on the ladder level (seed 0 ... ipo 8), ``KIND_STAGE`` gives the centre (a mixture of
early, A/B and growth funds for VCs) and the width (x 1 + ``STAGE_WIDTH_SIZE`` log1p(relative size));
``LABEL_KIND_BOOST`` favours CVCs on ``strategic``, angels on ``crowdfunding``, banks on ``other``/``pe``/``ipo``.
Home region ~ ``INVESTOR_REGION_W`` (VCs cluster in Beijing/Shanghai/Guangdong/Zhejiang; government funds
spread over the provinces) with a home bias x exp(``HOME_BIAS[kind]`` x U(0.6, 1.4) / (1 + 0.3 log1p(relative
size))) on companies of that region. Lead propensity ``LEAD_PROP[kind]`` x (relative size) ** ``LEAD_SIZE_EXP``.
Each investor also gets Poisson(``STATIC_PARTNERS_MEAN`` (1 + 0.5 log1p(relative size))) static partners
(overlapping sectors, stages and active windows, same region x3, weighted by sqrt size): seeds of syndicates.

Deals. Rounds are processed in date order. With probability ``P_UNDISCLOSED[label]`` a round's investors are
not disclosed (the round is written, with no ``investments`` rows). Otherwise the syndicate size is
1 + NegBin(mean ``SYNDICATE_MEAN[label]`` - 1, dispersion ``SYNDICATE_DISPERSION``), capped at
``MAX_SYNDICATE``. Participants are, in order:
1. follow-on: each earlier investor of the company rejoins with probability ``FOLLOW_BASE[kind]`` x
   ``FOLLOW_DECAY ** (company rounds since its last participation)`` x (0.3 + 0.7 stage fit) x (1 if still
   active else ``FOLLOW_INACTIVE``);
2. a new lead (always when there is no insider, else with p ``P_NEW_MONEY_WITH_INSIDERS``), drawn from the
   market with weight activity(t) x sector fit(t) x stage fit x home bias x lead propensity;
3. the remaining slots, around an anchor (the lead, or an insider): with p ``P_REPEAT`` a past co-investor
   of the anchor (weight = (number of past co-investments) ** ``REPEAT_EXP`` x activity x stage fit), with
   p ``P_STATIC`` one of its static partners, otherwise a market draw without the lead propensity. Every pair
   in the round then counts one co-investment more, so syndicates reinforce themselves.
Finally every investor left without any deal joins one round as a follower, drawn over the disclosed rounds
by its sector fit x stage fit x home bias x activity (the 1-deal tail of real data).

Text. ``industries``: the sector's broad tag (p ``P_PARENT_TAG``), 1-2 sub-sector tags drawn from synonym
lists (p ``P_SUB_TAG``; English variants and typos included), the occasional tag of a neighbouring sector
(``P_CROSS_TAG``) and time-dependent buzzwords (``BUZZWORDS``: 区块链 in 2017-2018, 元宇宙 in 2021-2022,
AIGC/大模型 in 2023-2024, AI throughout); empty with p ``P_EMPTY_TAGS``. Descriptions: one templated
sentence (Chinese, English with p ``P_EN_DESC``), empty with p ``P_EMPTY_COMPANY_DESC`` /
``P_EMPTY_INVESTOR_DESC``. Names are masked (``公司_000123``, ``投资机构_0042``).

Calibration (defaults, seeds 0-2): ~56-58k investments, ~37k rounds (~27.5k with investors), ~3.2k rounds with
investors in 2023-2024, top 1% of investors ~30% of investments, mean syndicate ~2.1, a previous investor
rejoins in ~39% of later rounds, NDCG@10 on the 2023-2024 window ~0.05-0.06 (global popularity) and ~0.07-0.08
(popularity within the round label): the range typical of real Chinese VC data. ``--stats`` prints them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# -- calendar -----------------------------------------------------------------------------------------
START = dt.date(2015, 1, 1)
END = dt.date(2024, 12, 31)
YEARS = list(range(2015, 2025))
N_YEARS = len(YEARS)
N_QUARTERS = 4 * N_YEARS

# -- round labels ---------------------------------------------------------------------------------------
LABELS = ["seed", "angel", "pre_a", "a", "a_plus", "b", "c_plus", "strategic", "pe", "ipo", "crowdfunding", "other"]
L = {name: i for i, name in enumerate(LABELS)}
# Position on the financing ladder (strategic / other take the company's current level, see _label_level).
LADDER = {"seed": 0.0, "angel": 1.0, "pre_a": 2.0, "a": 3.0, "a_plus": 4.0, "b": 5.0, "c_plus": 6.0,
          "pe": 7.0, "ipo": 8.0, "crowdfunding": 0.5}
# Level used for the investors' stage fit of the label-only rounds.
FIT_LEVEL = {**LADDER, "strategic": 5.0, "other": 4.0}

ENTRY_LABEL_P = {"seed": 0.17, "angel": 0.40, "pre_a": 0.09, "a": 0.17, "a_plus": 0.03, "b": 0.05,
                 "c_plus": 0.025, "strategic": 0.035, "pe": 0.006, "ipo": 0.004, "crowdfunding": 0.008,
                 "other": 0.022}
# Next label given the company's ladder label (strategic / other are added on top, see P_SIDE_ROUND).
NEXT_LABEL = {
    "seed": {"angel": 0.55, "pre_a": 0.2, "a": 0.25},
    "crowdfunding": {"angel": 0.6, "pre_a": 0.2, "a": 0.2},
    "angel": {"pre_a": 0.35, "a": 0.55, "a_plus": 0.05, "b": 0.05},
    "pre_a": {"a": 0.8, "a_plus": 0.12, "b": 0.08},
    "a": {"a_plus": 0.4, "b": 0.55, "c_plus": 0.05},
    "a_plus": {"b": 0.85, "c_plus": 0.15},
    "b": {"c_plus": 0.8, "pe": 0.12, "ipo": 0.08},
    "c_plus": {"c_plus": 0.5, "pe": 0.27, "ipo": 0.23},
    "pe": {"c_plus": 0.3, "pe": 0.3, "ipo": 0.4},
    "ipo": {"ipo": 1.0},
}
# Probability that a next round is a side round that keeps the ladder level, by the current ladder label.
P_SIDE_ROUND = {"seed": 0.03, "crowdfunding": 0.05, "angel": 0.05, "pre_a": 0.07, "a": 0.12, "a_plus": 0.15,
                "b": 0.2, "c_plus": 0.22, "pe": 0.25, "ipo": 0.6}
P_SIDE_STRATEGIC = 0.78          # share of side rounds labelled strategic (the rest: other)
CONTINUE_LOGIT = {"seed": -0.1, "crowdfunding": -1.1, "angel": -0.35, "pre_a": -0.15, "a": -0.25,
                  "a_plus": -0.15, "b": -0.4, "c_plus": -0.75, "pe": -1.1, "ipo": -2.0}
Q_SURVIVAL = 0.9                 # logit gain per sd of latent company quality
HOT_SURVIVAL = 0.6               # logit gain per unit of log hotness
GAP_MEDIAN_Y = {"seed": 0.9, "crowdfunding": 1.0, "angel": 1.1, "pre_a": 1.0, "a": 1.2, "a_plus": 1.1,
                "b": 1.4, "c_plus": 1.5, "pe": 1.6, "ipo": 1.8}
GAP_SIGMA = 0.55
HOT_SPEEDUP = 0.5                # gap divided by hot ** HOT_SPEEDUP
Q_SPEEDUP = 0.15                 # gap divided by exp(Q_SPEEDUP q)

# First-round year weights (2015..2024) and month weights.
ENTRY_YEAR_W = [1.45, 1.4, 1.25, 1.05, 0.75, 0.7, 0.8, 0.55, 0.33, 0.26]
MONTH_W = [0.7, 0.6, 1.0, 1.0, 1.0, 1.05, 1.0, 1.0, 1.05, 0.95, 1.05, 1.25]

P_UNDISCLOSED = {"seed": 0.35, "angel": 0.3, "pre_a": 0.25, "a": 0.2, "a_plus": 0.2, "b": 0.18,
                 "c_plus": 0.18, "strategic": 0.3, "pe": 0.25, "ipo": 0.3, "crowdfunding": 0.4, "other": 0.45}
SYNDICATE_MEAN = {"seed": 1.35, "angel": 1.5, "pre_a": 1.8, "a": 2.1, "a_plus": 2.2, "b": 2.6, "c_plus": 2.9,
                  "strategic": 1.35, "pe": 2.4, "ipo": 2.2, "crowdfunding": 1.4, "other": 1.4}
SYNDICATE_DISPERSION = 0.9       # negative-binomial shape of (size - 1): smaller = heavier tail
MAX_SYNDICATE = 12

# -- investors ------------------------------------------------------------------------------------------
KINDS = ["angel", "vc", "cvc", "government_fund", "bank_credit"]
K = {name: i for i, name in enumerate(KINDS)}
KIND_P = [0.24, 0.56, 0.1, 0.08, 0.02]
KIND_SIZE = [0.45, 1.0, 0.8, 0.7, 0.5]
SIZE_SIGMA = 1.4
SIZE_CAP = 120.0                 # size capped at SIZE_CAP x the median size
KIND_STAGE = {  # [(mixture weight, centre mean, centre sd)], (width low, width high) on the ladder
    "angel": ([(1.0, 0.9, 0.5)], (0.6, 1.2)),
    "vc": ([(0.45, 1.8, 0.7), (0.35, 3.8, 0.7), (0.2, 5.8, 0.8)], (0.8, 1.6)),  # early / A-B / growth funds
    "cvc": ([(1.0, 4.5, 1.0)], (1.2, 2.0)),
    "government_fund": ([(1.0, 4.0, 1.0)], (1.3, 2.2)),
    "bank_credit": ([(1.0, 6.3, 0.8)], (1.0, 1.6)),
}
STAGE_WIDTH_SIZE = 0.1           # width x (1 + STAGE_WIDTH_SIZE log1p(relative size)): big funds span more stages
STAGE_FLOOR = 0.02
LABEL_KIND_BOOST = {"strategic": {"cvc": 10.0, "vc": 0.5, "bank_credit": 1.5, "angel": 0.3},
                    "crowdfunding": {"angel": 4.0, "vc": 0.3},
                    "other": {"bank_credit": 4.0, "government_fund": 1.5},
                    "ipo": {"bank_credit": 2.0, "government_fund": 1.5},
                    "pe": {"bank_credit": 2.0}}
N_FOCUS = {"angel": (1, 0.4), "vc": (1, 1.0), "cvc": (1, 0.3), "government_fund": (2, 1.0),
           "bank_credit": (3, 1.5)}  # (minimum, Poisson mean of extra sectors, scaled up by size for VCs)
SECTOR_FLOOR = {"angel": 0.03, "vc": 0.06, "cvc": 0.02, "government_fund": 0.05, "bank_credit": 0.15}
GENERALIST_SIZE = 1.5            # generalist share g = floor x (1 + GENERALIST_SIZE log1p(relative size))
GENERALIST_MAX = 0.6
FOCUS_CONCENTRATION = 1.5        # Dirichlet alpha of the weights among focus sectors
TREND_MAX = 1.2
HOME_BIAS = {"angel": 2.0, "vc": 0.9, "cvc": 0.6, "government_fund": 3.6, "bank_credit": 1.8}
LEAD_PROP = {"angel": 0.5, "vc": 1.0, "cvc": 0.6, "government_fund": 0.35, "bank_credit": 0.2}
LEAD_SIZE_EXP = 0.4
START_YEAR_W = {**{y: 0.25 for y in range(2003, 2015)}, 2015: 0.9, 2016: 0.9, 2017: 0.75, 2018: 0.55,
                2019: 0.35, 2020: 0.35, 2021: 0.45, 2022: 0.3, 2023: 0.22, 2024: 0.15}
DURATION_MEDIAN_Y = 5.5
DURATION_SIGMA = 0.55
DURATION_SIZE_EXP = 0.25         # duration x size ** exp
EVERGREEN_SLOPE = 0.25           # P(platform that keeps raising funds, active past 2024) = slope x log1p(size)
EVERGREEN_MAX = 0.85             # ... capped: some big funds do stop (e.g. USD funds retreating after 2022)
RAMP_UP_Y = 0.6
RAMP_DOWN_Y = 1.2
YEAR_DRIFT_SIGMA = 0.25
STATIC_PARTNERS_MEAN = 2.0       # Poisson mean, x (1 + log1p(size))

# -- deals ----------------------------------------------------------------------------------------------
FOLLOW_BASE = {"angel": 0.15, "vc": 0.34, "cvc": 0.3, "government_fund": 0.25, "bank_credit": 0.15}
FOLLOW_DECAY = 0.45
FOLLOW_INACTIVE = 0.25
P_NEW_MONEY_WITH_INSIDERS = 0.75
P_REPEAT = 0.25
REPEAT_EXP = 0.7                 # weight of a past co-investor = (number of co-investments) ** REPEAT_EXP
P_STATIC = 0.15

# -- text -----------------------------------------------------------------------------------------------
P_EMPTY_TAGS = 0.03
P_PARENT_TAG = 0.7
P_SUB_TAG = 0.85
P_SECOND_SUB_TAG = 0.3
P_CROSS_TAG = 0.1
P_EMPTY_COMPANY_DESC = 0.64
P_EMPTY_INVESTOR_DESC = 0.7
P_EN_DESC = 0.12
P_EMPTY_FOUNDED = 0.12
P_EMPTY_REGION = 0.02
P_EMPTY_CITY = 0.05


@dataclass(frozen=True)
class Sector:
    code: str
    parents: Sequence[str]                    # broad tags, first is the most common
    subs: Sequence[tuple[Sequence[str], str, str]]  # (tag synonyms, zh product phrase, en product phrase)
    share: float
    hot: Sequence[float]                      # 2015..2024


SECTORS: list[Sector] = [
    Sector("enterprise", ["企业服务", "企业服务", "To B", "企业级服务", "Enterprise Services"], [
        (["SaaS", "SaaS", "Saas", "SAAS", "软件服务"], "面向中小企业的SaaS软件", "SaaS software for SMEs"),
        (["协同办公", "办公软件", "OA"], "协同办公平台", "a collaboration and office suite"),
        (["营销科技", "数字营销", "MarTech", "CRM"], "数字营销与客户管理工具", "marketing and CRM tools"),
        (["云计算", "云服务", "IT基础设施", "Cloud"], "云计算基础设施服务", "cloud infrastructure services"),
        (["网络安全", "信息安全", "数据安全"], "企业网络安全产品", "enterprise cyber-security products"),
        (["人力资源", "HR SaaS", "招聘"], "人力资源管理与招聘服务", "HR and recruiting software"),
    ], 1.3, [1.0, 1.05, 1.15, 1.25, 1.3, 1.3, 1.3, 1.1, 0.9, 0.8]),
    Sector("ai", ["人工智能", "人工智能", "AI", "人工只能"], [
        (["计算机视觉", "机器视觉", "图像识别", "CV"], "计算机视觉算法与解决方案", "computer-vision solutions"),
        (["自然语言处理", "NLP", "智能客服"], "自然语言处理与智能客服", "NLP and conversational AI"),
        (["语音识别", "智能语音"], "智能语音交互技术", "speech recognition technology"),
        (["大模型", "AIGC", "生成式AI", "LLM"], "大模型与生成式AI应用", "generative AI applications"),
        (["机器学习", "深度学习", "AI平台"], "机器学习平台", "a machine-learning platform"),
    ], 1.0, [0.6, 1.0, 1.3, 1.4, 1.2, 1.1, 1.2, 1.1, 1.6, 1.9]),
    Sector("semis", ["集成电路", "半导体", "芯片", "硬科技"], [
        (["芯片设计", "IC设计", "Fabless"], "高性能芯片设计", "high-performance chip design"),
        (["功率半导体", "IGBT", "碳化硅", "SiC"], "功率半导体器件", "power semiconductor devices"),
        (["半导体设备", "半导体装备"], "半导体制造设备", "semiconductor equipment"),
        (["半导体材料", "光刻胶", "电子材料"], "半导体关键材料", "semiconductor materials"),
        (["EDA", "EDA工具"], "芯片设计EDA软件", "EDA software"),
    ], 0.7, [0.3, 0.4, 0.5, 0.7, 1.2, 1.8, 2.2, 2.2, 1.6, 1.3]),
    Sector("meddevice", ["医疗健康", "医疗器械", "医疗"], [
        (["体外诊断", "IVD", "POCT"], "体外诊断试剂与设备", "in-vitro diagnostics"),
        (["医学影像", "影像设备"], "医学影像设备", "medical imaging equipment"),
        (["高值耗材", "介入器械", "心血管器械"], "高值医用耗材", "high-value medical consumables"),
        (["手术机器人", "医疗机器人"], "手术机器人系统", "surgical robots"),
    ], 0.8, [0.6, 0.7, 0.8, 1.0, 1.1, 1.4, 1.6, 1.5, 1.3, 1.1]),
    Sector("biopharma", ["医疗健康", "生物医药", "生物科技", "Biotech"], [
        (["创新药", "生物药", "小分子药物"], "创新药物研发", "novel drug discovery"),
        (["细胞治疗", "基因治疗", "CAR-T"], "细胞与基因治疗", "cell and gene therapy"),
        (["CXO", "CRO", "CDMO"], "医药研发外包服务", "pharma R&D outsourcing"),
        (["疫苗", "抗体"], "疫苗与抗体研发", "vaccines and antibodies"),
    ], 0.8, [0.6, 0.7, 0.9, 1.2, 1.3, 1.6, 1.8, 1.4, 1.0, 0.9]),
    Sector("digital_health", ["医疗健康", "互联网医疗", "数字医疗", "Healthcare"], [
        (["在线问诊", "互联网医院"], "在线问诊平台", "an online consultation platform"),
        (["医疗信息化", "医疗IT", "HIT"], "医院信息化系统", "hospital information systems"),
        (["健康管理", "慢病管理"], "慢病与健康管理服务", "chronic-disease management"),
        (["医美", "口腔", "消费医疗"], "消费医疗连锁服务", "consumer healthcare clinics"),
    ], 0.7, [1.3, 1.4, 1.1, 1.0, 0.9, 1.2, 1.0, 0.7, 0.6, 0.6]),
    Sector("nev", ["新能源汽车", "汽车交通", "汽车", "新能源"], [
        (["整车", "造车新势力", "电动汽车"], "智能电动汽车", "smart electric vehicles"),
        (["动力电池", "锂电池", "固态电池"], "动力电池及电池材料", "EV batteries and materials"),
        (["充电桩", "换电", "充换电"], "充换电基础设施", "EV charging infrastructure"),
        (["汽车电子", "智能座舱", "汽车零部件"], "汽车电子与智能座舱", "automotive electronics"),
    ], 0.6, [0.5, 0.6, 0.8, 0.9, 0.7, 1.2, 2.0, 1.9, 1.5, 1.3]),
    Sector("cleantech", ["新能源", "碳中和", "清洁能源", "双碳", "新能原"], [
        (["光伏", "太阳能", "钙钛矿"], "新型光伏组件", "next-generation solar modules"),
        (["储能", "储能系统", "电化学储能"], "储能系统集成", "energy storage systems"),
        (["氢能", "燃料电池", "氢燃料电池"], "氢能与燃料电池", "hydrogen and fuel cells"),
        (["节能环保", "环保", "碳管理"], "节能环保与碳管理服务", "energy efficiency and carbon management"),
    ], 0.6, [0.5, 0.5, 0.5, 0.5, 0.5, 0.7, 1.3, 1.9, 1.8, 1.6]),
    Sector("consumer", ["消费", "新消费", "消费升级", "Consumer"], [
        (["食品饮料", "饮品", "新茶饮", "咖啡"], "新式饮品品牌", "a beverage brand"),
        (["美妆", "个护", "化妆品"], "国货美妆品牌", "a domestic cosmetics brand"),
        (["潮玩", "宠物", "宠物经济"], "潮玩与宠物消费品牌", "a pet and toys brand"),
        (["餐饮", "连锁餐饮", "预制菜"], "连锁餐饮品牌", "a restaurant chain"),
        (["服装", "鞋服", "运动户外"], "服饰与运动户外品牌", "an apparel and outdoor brand"),
    ], 1.1, [1.2, 1.1, 1.0, 1.0, 1.0, 1.3, 1.6, 0.9, 0.7, 0.7]),
    Sector("ecommerce", ["电子商务", "电商", "零售", "E-commerce"], [
        (["社交电商", "社区团购"], "社交电商平台", "a social commerce platform"),
        (["跨境电商", "出海"], "跨境电商平台", "a cross-border e-commerce platform"),
        (["直播电商", "MCN"], "直播电商与MCN服务", "live-stream commerce"),
        (["供应链", "B2B电商", "供应链服务"], "B2B供应链服务", "B2B supply-chain services"),
    ], 1.0, [1.6, 1.4, 1.3, 1.1, 1.0, 1.0, 0.8, 0.6, 0.5, 0.5]),
    Sector("fintech", ["金融", "金融科技", "Fintech"], [
        (["支付", "移动支付"], "移动支付服务", "mobile payment services"),
        (["消费金融", "互联网金融", "P2P"], "消费金融服务", "consumer lending"),
        (["区块链", "数字货币", "区快链"], "区块链技术服务", "blockchain services"),
        (["保险科技", "互联网保险"], "保险科技平台", "an insurtech platform"),
        (["财富管理", "智能投顾"], "智能投顾与财富管理", "robo-advisory and wealth management"),
    ], 0.9, [1.8, 1.6, 1.2, 1.0, 0.6, 0.5, 0.4, 0.4, 0.4, 0.4]),
    Sector("education", ["教育", "在线教育", "Education"], [
        (["K12", "K12教育", "课外辅导"], "K12在线辅导", "K-12 online tutoring"),
        (["职业教育", "职业培训"], "职业技能培训", "vocational training"),
        (["素质教育", "STEAM", "少儿编程"], "少儿素质教育", "enrichment education for children"),
        (["教育信息化", "智慧教育"], "教育信息化解决方案", "education IT solutions"),
    ], 0.8, [1.4, 1.5, 1.4, 1.3, 1.1, 1.2, 0.8, 0.3, 0.3, 0.3]),
    Sector("media", ["文娱传媒", "文化娱乐", "内容", "Media"], [
        (["游戏", "手游", "游戏开发"], "移动游戏研发", "mobile game development"),
        (["短视频", "内容创作", "新媒体"], "短视频内容制作", "short-video content"),
        (["动漫", "二次元", "IP"], "动漫IP开发", "animation IP development"),
        (["影视", "影视制作"], "影视内容制作", "film and TV production"),
        (["音乐", "在线音乐", "直播"], "音乐与直播娱乐", "music and live entertainment"),
    ], 0.9, [1.6, 1.5, 1.3, 1.1, 0.9, 0.8, 0.8, 0.6, 0.6, 0.6]),
    Sector("local", ["本地生活", "O2O", "生活服务"], [
        (["O2O", "到家服务", "家政"], "到家生活服务", "on-demand home services"),
        (["旅游", "在线旅游", "OTA"], "在线旅游服务", "online travel services"),
        (["房产服务", "家居", "长租公寓"], "房产与家居服务", "housing and home services"),
        (["体育", "健身", "运动健身"], "健身与体育服务", "fitness services"),
    ], 0.9, [2.0, 1.6, 1.2, 1.0, 0.8, 0.6, 0.5, 0.4, 0.4, 0.4]),
    Sector("intelligent_mfg", ["智能制造", "先进制造", "硬科技", "工业"], [
        (["工业机器人", "协作机器人", "机器人"], "工业机器人", "industrial robots"),
        (["服务机器人", "机器人"], "商用服务机器人", "service robots"),
        (["工业互联网", "工业软件", "智能工厂"], "工业互联网平台", "an industrial-internet platform"),
        (["3D打印", "增材制造"], "增材制造设备", "additive manufacturing equipment"),
        (["激光", "精密仪器", "传感器"], "精密仪器与传感器", "precision instruments and sensors"),
    ], 0.9, [0.6, 0.7, 0.9, 1.0, 1.0, 1.1, 1.4, 1.6, 1.6, 1.7]),
    Sector("hardware", ["智能硬件", "硬件", "物联网", "IoT"], [
        (["可穿戴设备", "智能穿戴"], "智能穿戴设备", "wearable devices"),
        (["智能家居", "IOT", "物联网"], "智能家居产品", "smart-home products"),
        (["消费电子", "3C", "AR/VR"], "消费电子与AR/VR设备", "consumer electronics and AR/VR"),
    ], 0.8, [1.4, 1.3, 1.2, 1.0, 0.9, 0.8, 0.8, 0.7, 0.7, 0.7]),
    Sector("logistics", ["物流", "物流运输", "Logistics"], [
        (["即时配送", "同城配送"], "即时配送服务", "on-demand delivery"),
        (["仓储", "智能仓储", "物流科技"], "智能仓储解决方案", "smart warehousing"),
        (["货运平台", "数字货运", "冷链"], "数字货运与冷链平台", "digital freight and cold chain"),
    ], 0.5, [1.1, 1.1, 1.0, 1.0, 0.9, 0.8, 0.9, 0.7, 0.6, 0.5]),
    Sector("autotech", ["自动驾驶", "智能交通", "汽车交通", "出行"], [
        (["自动驾驶", "无人驾驶", "L4"], "自动驾驶解决方案", "autonomous driving"),
        (["激光雷达", "毫米波雷达", "LiDAR"], "车载激光雷达", "automotive LiDAR"),
        (["车联网", "V2X", "智能网联"], "车联网与智能网联系统", "connected-vehicle systems"),
        (["出行服务", "共享出行", "共享单车"], "共享出行服务", "shared mobility"),
    ], 0.5, [0.7, 0.9, 1.0, 1.1, 1.0, 1.0, 1.3, 1.2, 1.0, 0.9]),
    Sector("agri", ["农业", "现代农业", "农业科技", "AgriTech"], [
        (["智慧农业", "数字农业"], "智慧农业解决方案", "smart-farming solutions"),
        (["生鲜", "生鲜电商", "农产品"], "生鲜农产品供应链", "fresh-produce supply chain"),
        (["种业", "生物育种", "合成生物"], "生物育种技术", "biotech seed breeding"),
    ], 0.35, [0.8, 0.8, 0.8, 0.7, 0.7, 0.9, 0.8, 0.7, 0.7, 0.6]),
    Sector("materials", ["新材料", "化工", "先进材料"], [
        (["高分子材料", "化工新材料"], "高性能高分子材料", "high-performance polymers"),
        (["碳纤维", "复合材料"], "碳纤维复合材料", "carbon-fibre composites"),
        (["生物基材料", "合成生物", "可降解材料"], "生物基可降解材料", "bio-based materials"),
    ], 0.45, [0.4, 0.4, 0.5, 0.6, 0.7, 0.9, 1.2, 1.4, 1.3, 1.3]),
    Sector("aerospace", ["航空航天", "商业航天", "硬科技", "低空经济"], [
        (["商业航天", "火箭", "运载火箭"], "商业运载火箭", "commercial launch vehicles"),
        (["卫星", "卫星互联网", "遥感"], "卫星与卫星互联网", "satellites and satellite internet"),
        (["无人机", "eVTOL", "低空飞行器"], "工业无人机与eVTOL", "drones and eVTOL aircraft"),
    ], 0.3, [0.3, 0.35, 0.45, 0.55, 0.65, 0.75, 0.95, 1.15, 1.5, 1.9]),
]
S = len(SECTORS)
SEC = {s.code: i for i, s in enumerate(SECTORS)}
HARD_TECH = ["semis", "meddevice", "biopharma", "nev", "cleantech", "intelligent_mfg", "materials", "aerospace"]
CVC_SECTORS = ["enterprise", "ai", "semis", "nev", "consumer", "ecommerce", "media", "autotech", "hardware"]
# Neighbouring sectors whose tags leak into a company's tags (P_CROSS_TAG).
NEIGHBOURS = {"enterprise": ["ai", "fintech"], "ai": ["enterprise", "intelligent_mfg", "autotech"],
              "semis": ["hardware", "materials"], "meddevice": ["biopharma", "digital_health"],
              "biopharma": ["meddevice", "digital_health"], "digital_health": ["meddevice", "ai"],
              "nev": ["cleantech", "autotech"], "cleantech": ["nev", "materials"],
              "consumer": ["ecommerce", "local"], "ecommerce": ["consumer", "logistics"],
              "fintech": ["enterprise"], "education": ["media", "ai"], "media": ["education", "consumer"],
              "local": ["consumer", "ecommerce"], "intelligent_mfg": ["ai", "hardware"],
              "hardware": ["ai", "semis"], "logistics": ["ecommerce", "enterprise"],
              "autotech": ["nev", "ai"], "agri": ["ecommerce", "consumer"], "materials": ["cleantech", "semis"],
              "aerospace": ["intelligent_mfg", "hardware"]}
# Buzzword tags added across sectors: tag -> probability per year 2015..2024.
BUZZWORDS = {
    "人工智能": [0.02, 0.04, 0.07, 0.08, 0.07, 0.06, 0.06, 0.06, 0.1, 0.12],
    "AI": [0.01, 0.02, 0.03, 0.04, 0.04, 0.04, 0.04, 0.04, 0.07, 0.09],
    "大数据": [0.06, 0.06, 0.05, 0.04, 0.03, 0.03, 0.02, 0.02, 0.02, 0.02],
    "区块链": [0.0, 0.005, 0.03, 0.05, 0.015, 0.01, 0.008, 0.005, 0.003, 0.003],
    "元宇宙": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.03, 0.03, 0.008, 0.004],
    "AIGC": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.005, 0.04, 0.05],
    "物联网": [0.03, 0.03, 0.03, 0.02, 0.02, 0.02, 0.015, 0.01, 0.01, 0.01],
    "SaaS": [0.0, 0.01, 0.01, 0.015, 0.02, 0.02, 0.015, 0.01, 0.008, 0.008],
}

REGIONS: list[tuple[str, float, list[tuple[str, float]]]] = [
    ("北京", 0.19, [("北京", 1.0)]),
    ("上海", 0.145, [("上海", 1.0)]),
    ("广东", 0.16, [("深圳", 0.6), ("广州", 0.27), ("东莞", 0.04), ("佛山", 0.04), ("珠海", 0.05)]),
    ("浙江", 0.1, [("杭州", 0.74), ("宁波", 0.1), ("嘉兴", 0.05), ("温州", 0.05), ("绍兴", 0.06)]),
    ("江苏", 0.1, [("苏州", 0.4), ("南京", 0.3), ("无锡", 0.12), ("常州", 0.1), ("南通", 0.08)]),
    ("四川", 0.03, [("成都", 0.95), ("绵阳", 0.05)]),
    ("湖北", 0.028, [("武汉", 1.0)]),
    ("安徽", 0.022, [("合肥", 0.9), ("芜湖", 0.1)]),
    ("山东", 0.025, [("济南", 0.45), ("青岛", 0.4), ("烟台", 0.15)]),
    ("福建", 0.02, [("厦门", 0.5), ("福州", 0.4), ("泉州", 0.1)]),
    ("陕西", 0.015, [("西安", 1.0)]),
    ("湖南", 0.015, [("长沙", 1.0)]),
    ("天津", 0.012, [("天津", 1.0)]),
    ("重庆", 0.01, [("重庆", 1.0)]),
    ("河南", 0.01, [("郑州", 0.9), ("洛阳", 0.1)]),
    ("辽宁", 0.007, [("大连", 0.5), ("沈阳", 0.5)]),
    ("江西", 0.005, [("南昌", 1.0)]),
    ("河北", 0.005, [("石家庄", 0.6), ("廊坊", 0.4)]),
    ("云南", 0.003, [("昆明", 1.0)]),
    ("贵州", 0.003, [("贵阳", 1.0)]),
    ("广西", 0.003, [("南宁", 1.0)]),
    ("海南", 0.003, [("海口", 1.0)]),
    ("黑龙江", 0.003, [("哈尔滨", 1.0)]),
    ("山西", 0.002, [("太原", 1.0)]),
    ("香港", 0.01, [("香港", 1.0)]),
    ("海外", 0.035, [("新加坡", 0.25), ("旧金山", 0.15), ("硅谷", 0.15), ("纽约", 0.1), ("伦敦", 0.1),
                   ("东京", 0.1), ("雅加达", 0.08), ("Singapore", 0.07)]),
]
R = len(REGIONS)
REG = {name: i for i, (name, _, _) in enumerate(REGIONS)}
SECTOR_REGION_BOOST = {
    "semis": {"上海": 2.0, "江苏": 2.0, "广东": 1.3, "安徽": 1.8},
    "biopharma": {"上海": 2.0, "江苏": 2.0, "浙江": 1.3},
    "meddevice": {"上海": 1.6, "江苏": 1.6, "广东": 1.4},
    "nev": {"安徽": 3.0, "江苏": 1.5, "上海": 1.3, "广东": 1.3},
    "cleantech": {"江苏": 1.8, "浙江": 1.3, "四川": 1.5},
    "hardware": {"广东": 2.5},
    "intelligent_mfg": {"广东": 1.6, "江苏": 1.6, "浙江": 1.3},
    "ecommerce": {"浙江": 2.2, "广东": 1.4},
    "consumer": {"上海": 1.3, "广东": 1.3, "浙江": 1.3},
    "enterprise": {"北京": 1.5, "上海": 1.2},
    "ai": {"北京": 1.8, "上海": 1.2},
    "fintech": {"北京": 1.5, "上海": 1.5, "香港": 2.0},
    "education": {"北京": 1.8},
    "media": {"北京": 1.5, "上海": 1.2},
    "aerospace": {"北京": 2.0, "陕西": 2.5},
    "agri": {"北京": 0.6, "上海": 0.6},
}
# Investor home regions by kind (government funds spread across provinces).
INVESTOR_REGION_W = {
    "angel": {"北京": 0.25, "上海": 0.18, "广东": 0.2, "浙江": 0.12, "江苏": 0.07},
    "vc": {"北京": 0.34, "上海": 0.26, "广东": 0.18, "浙江": 0.08, "江苏": 0.04, "香港": 0.04, "海外": 0.03},
    "cvc": {"北京": 0.3, "上海": 0.2, "广东": 0.25, "浙江": 0.12, "江苏": 0.04},
    "government_fund": {},  # all regions by company share, see _make_investors
    "bank_credit": {"北京": 0.3, "上海": 0.25, "广东": 0.15},
}

STAGE_ZH = {0: "种子期", 1: "天使期", 2: "早期", 3: "早期", 4: "成长期", 5: "成长期", 6: "中后期", 7: "中后期",
            8: "Pre-IPO"}
STAGE_EN = {0: "seed", 1: "angel", 2: "early-stage", 3: "early-stage", 4: "growth", 5: "growth",
            6: "late-stage", 7: "late-stage", 8: "pre-IPO"}
KIND_ZH = {"angel": "天使投资人", "vc": "创投机构", "cvc": "产业资本", "government_fund": "政府引导基金",
           "bank_credit": "金融机构"}


# -- helpers --------------------------------------------------------------------------------------------
def _p(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    out: np.ndarray = w / w.sum()
    return out


def _year_index(day: int) -> int:
    y = dt.date.fromordinal(day).year
    return min(max(y - YEARS[0], 0), N_YEARS - 1)


def _quarter_index(day: int) -> int:
    d = dt.date.fromordinal(day)
    q = (d.year - YEARS[0]) * 4 + (d.month - 1) // 3
    return min(max(q, 0), N_QUARTERS - 1)


def _year_float(day: int) -> float:
    d = dt.date.fromordinal(day)
    return d.year + (d.timetuple().tm_yday - 0.5) / 366.0


HOT = np.array([s.hot for s in SECTORS], dtype=float)  # S x years


# -- investors ------------------------------------------------------------------------------------------
@dataclass
class Investors:
    kind: np.ndarray         # int, index into KINDS
    size: np.ndarray         # activity weight
    start: np.ndarray        # fractional year
    end: np.ndarray
    drift: np.ndarray        # n x years multiplicative activity drift
    pref: np.ndarray         # n x S focus-sector weights (rows sum to 1)
    generalist: np.ndarray   # share of the investor's appetite that follows the market mix of the year
    trend: np.ndarray        # exponent on hotness
    stage_fit: np.ndarray    # n x labels
    region: np.ndarray       # home region index
    region_mult: np.ndarray  # n x R
    lead: np.ndarray         # lead propensity
    partners: list[list[int]]
    stage_centre: np.ndarray

    def activity(self, t: float | np.ndarray) -> np.ndarray:
        """Ramp of every investor's activity at fractional year ``t`` (without size and drift)."""
        up = np.clip((t - self.start) / RAMP_UP_Y, 0.0, 1.0)
        down = np.clip((self.end - t) / RAMP_DOWN_Y, 0.0, 1.0)
        return up * down


def _make_investors(rng: np.random.Generator, n: int) -> Investors:
    kind = rng.choice(len(KINDS), size=n, p=_p(KIND_P))
    size = np.exp(rng.normal(0.0, SIZE_SIGMA, n)) * np.asarray(KIND_SIZE)[kind]
    size = np.minimum(size, SIZE_CAP * np.median(size))
    rel = size / np.median(size)

    years = sorted(START_YEAR_W)
    start = rng.choice(years, size=n, p=_p([START_YEAR_W[y] for y in years])) + rng.random(n)
    duration = DURATION_MEDIAN_Y * np.exp(rng.normal(0.0, DURATION_SIGMA, n)) * rel ** DURATION_SIZE_EXP
    end = start + np.maximum(duration, 0.8)
    evergreen = rng.random(n) < np.minimum(EVERGREEN_MAX, EVERGREEN_SLOPE * np.log1p(rel))
    end[evergreen] = np.maximum(end[evergreen], 2026.0 + rng.random(int(evergreen.sum())) * 5)
    # Everyone who started before 2015 but would have stopped before it: shift the window into the data.
    late = end < 2015.5
    start[late] = 2015.0 - rng.random(late.sum()) * 3
    end[late] = start[late] + np.maximum(duration[late], 1.5) + 2
    drift = np.exp(rng.normal(0.0, YEAR_DRIFT_SIGMA, (n, N_YEARS)))

    share = np.array([s.share for s in SECTORS])
    pref = np.zeros((n, S))
    hard = np.zeros(S)
    hard[[SEC[c] for c in HARD_TECH]] = 1.0
    cvc_mask = np.zeros(S)
    cvc_mask[[SEC[c] for c in CVC_SECTORS]] = 1.0
    for i in range(n):
        kname = KINDS[kind[i]]
        vint = int(min(max(math.floor(start[i]), YEARS[0]), YEARS[-1])) - YEARS[0]
        w = share * HOT[:, vint]
        if kname == "government_fund":
            w = w * (0.3 + 2.5 * hard)
        elif kname == "cvc":
            w = w * (0.2 + cvc_mask)
        lo, extra = N_FOCUS[kname]
        if kname == "vc":
            extra = extra * (1.0 + 1.2 * math.log1p(rel[i]))
        m = min(S, lo + int(rng.poisson(extra)))
        focus = rng.choice(S, size=m, replace=False, p=w / w.sum())
        pref[i, focus] = rng.dirichlet(np.full(m, FOCUS_CONCENTRATION))
    pref /= pref.sum(axis=1, keepdims=True)
    floor = np.array([SECTOR_FLOOR[KINDS[k]] for k in kind])
    generalist = np.minimum(GENERALIST_MAX, floor * (1.0 + GENERALIST_SIZE * np.log1p(rel)))
    trend = rng.random(n) * TREND_MAX

    centre = np.zeros(n)
    width = np.zeros(n)
    for k, kname in enumerate(KINDS):
        idx = np.flatnonzero(kind == k)
        modes, (wlo, whi) = KIND_STAGE[kname]
        pick = rng.choice(len(modes), size=idx.size, p=_p([m[0] for m in modes]))
        mu = np.array([m[1] for m in modes])[pick]
        sd = np.array([m[2] for m in modes])[pick]
        centre[idx] = np.clip(rng.normal(mu, sd), 0.0, 8.0)
        width[idx] = rng.uniform(wlo, whi, idx.size)
    # Bigger VCs cover more stages.
    width *= 1.0 + STAGE_WIDTH_SIZE * np.log1p(rel)
    stage_fit = np.zeros((n, len(LABELS)))
    for j, lab in enumerate(LABELS):
        fit = np.exp(-0.5 * ((FIT_LEVEL[lab] - centre) / width) ** 2) + STAGE_FLOOR
        if lab == "other":
            fit = 0.5 + 0.5 * fit
        for kname, mult in LABEL_KIND_BOOST.get(lab, {}).items():
            fit[kind == K[kname]] *= mult
        stage_fit[:, j] = fit

    company_region_w = _p([w for _, w, _ in REGIONS])
    region = np.zeros(n, dtype=int)
    for k, kname in enumerate(KINDS):
        idx = np.flatnonzero(kind == k)
        named = INVESTOR_REGION_W[kname]
        if named:
            w = np.array([named.get(name, 0.0) for name, _, _ in REGIONS])
            rest = 1.0 - w.sum()
            w = w + rest * company_region_w * (w == 0)
        else:  # government funds: provinces by company share, flattened
            w = company_region_w ** 0.5
        region[idx] = rng.choice(R, size=idx.size, p=w / w.sum())
    bias = np.array([HOME_BIAS[KINDS[k]] for k in kind]) * rng.uniform(0.6, 1.4, n)
    bias /= 1.0 + 0.3 * np.log1p(rel)  # big platforms invest nationally
    region_mult = np.ones((n, R))
    region_mult[np.arange(n), region] = np.exp(bias)

    lead = np.array([LEAD_PROP[KINDS[k]] for k in kind]) * rel ** LEAD_SIZE_EXP

    # Static partners: similar sectors, same region more likely, weighted by size.
    partners: list[list[int]] = []
    sqrt_size = np.sqrt(size)
    for i in range(n):
        m = int(rng.poisson(STATIC_PARTNERS_MEAN * (1.0 + 0.5 * math.log1p(rel[i]))))
        if m == 0:
            partners.append([])
            continue
        w = (pref @ pref[i]) * sqrt_size * np.where(region == region[i], 3.0, 1.0)
        w *= np.exp(-0.5 * ((centre - centre[i]) / 2.0) ** 2)
        # Overlapping active windows.
        overlap = np.minimum(end, end[i]) - np.maximum(start, start[i])
        w *= overlap > 0.5
        w[i] = 0.0
        total = w.sum()
        if total <= 0:
            partners.append([])
            continue
        m = min(m, int((w > 0).sum()))
        partners.append([int(x) for x in rng.choice(n, size=m, replace=False, p=w / total)])

    return Investors(kind=kind, size=size, start=start, end=end, drift=drift, pref=pref,
                     generalist=generalist, trend=trend,
                     stage_fit=stage_fit, region=region, region_mult=region_mult, lead=lead,
                     partners=partners, stage_centre=centre)


# -- companies and their rounds --------------------------------------------------------------------------
@dataclass
class Companies:
    sector: np.ndarray
    sub: np.ndarray
    region: np.ndarray
    city: list[str]
    quality: np.ndarray
    founded: list[int | None]  # ordinal days


@dataclass
class Rounds:
    company: np.ndarray  # company index
    label: np.ndarray    # index into LABELS
    day: np.ndarray      # ordinal
    disclosed: np.ndarray


def _sample_day(rng: np.random.Generator, year: int) -> int:
    month = int(rng.choice(12, p=_p(MONTH_W))) + 1
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first.toordinal() + int(rng.integers(0, (nxt - first).days))


def _make_companies(rng: np.random.Generator, n: int) -> tuple[Companies, Rounds]:
    entry_year = rng.choice(N_YEARS, size=n, p=_p(ENTRY_YEAR_W))
    share = np.array([s.share for s in SECTORS])
    sector = np.zeros(n, dtype=int)
    for y in range(N_YEARS):
        idx = np.flatnonzero(entry_year == y)
        w = share * HOT[:, y]
        sector[idx] = rng.choice(S, size=idx.size, p=w / w.sum())
    sub = np.array([int(rng.integers(0, len(SECTORS[s].subs))) for s in sector])
    base_rw = np.array([w for _, w, _ in REGIONS])
    region = np.zeros(n, dtype=int)
    for s in range(S):
        idx = np.flatnonzero(sector == s)
        boost = SECTOR_REGION_BOOST.get(SECTORS[s].code, {})
        w = base_rw * np.array([boost.get(name, 1.0) for name, _, _ in REGIONS])
        region[idx] = rng.choice(R, size=idx.size, p=w / w.sum())
    city = []
    for r in region:
        names = [c for c, _ in REGIONS[r][2]]
        city.append(names[int(rng.choice(len(names), p=_p([w for _, w in REGIONS[r][2]])))])
    quality = rng.normal(0.0, 1.0, n)

    entry_labels = list(ENTRY_LABEL_P)
    entry_p = _p([ENTRY_LABEL_P[x] for x in entry_labels])
    end_day = END.toordinal()
    r_company: list[int] = []
    r_label: list[int] = []
    r_day: list[int] = []
    founded: list[int | None] = []
    for c in range(n):
        day = _sample_day(rng, YEARS[int(entry_year[c])])
        lab = entry_labels[int(rng.choice(len(entry_labels), p=entry_p))]
        # Ladder state: side rounds (strategic / other) enter at a random level.
        ladder = lab if lab in LADDER else str(rng.choice(["angel", "a", "b", "c_plus"], p=[0.2, 0.35, 0.3, 0.15]))
        level = LADDER[ladder]
        lag_y = 0.6 * math.exp(0.35 * level) * math.exp(float(rng.normal(0.0, 0.5)))
        founded.append(None if rng.random() < P_EMPTY_FOUNDED else day - int(lag_y * 365.25))
        while day <= end_day:
            r_company.append(c)
            r_label.append(L[lab])
            r_day.append(day)
            yi = _year_index(day)
            hot = HOT[sector[c], yi]
            logit = CONTINUE_LOGIT[ladder] + Q_SURVIVAL * quality[c] + HOT_SURVIVAL * math.log(hot)
            if rng.random() >= 1.0 / (1.0 + math.exp(-logit)):
                break
            gap = GAP_MEDIAN_Y[ladder] * math.exp(float(rng.normal(0.0, GAP_SIGMA)))
            gap /= hot ** HOT_SPEEDUP * math.exp(Q_SPEEDUP * quality[c])
            day += max(45, int(gap * 365.25))
            if rng.random() < P_SIDE_ROUND[ladder]:
                lab = "strategic" if rng.random() < P_SIDE_STRATEGIC else "other"
            else:
                nxt = NEXT_LABEL[ladder]
                keys = list(nxt)
                ladder = keys[int(rng.choice(len(keys), p=_p([nxt[k] for k in keys])))]
                lab = ladder
    company = np.array(r_company)
    label = np.array(r_label)
    day_arr = np.array(r_day)
    undisclosed_p = np.array([P_UNDISCLOSED[x] for x in LABELS])[label]
    disclosed = rng.random(company.size) >= undisclosed_p
    return (Companies(sector=sector, sub=sub, region=region, city=city, quality=quality, founded=founded),
            Rounds(company=company, label=label, day=day_arr, disclosed=disclosed))


# -- deals ----------------------------------------------------------------------------------------------
def _draw(rng: np.random.Generator, w: np.ndarray, exclude: list[int]) -> int | None:
    cs = np.cumsum(w)
    total = cs[-1]
    if not total > 0:
        return None
    for _ in range(12):
        i = int(np.searchsorted(cs, rng.random() * total, side="right"))
        i = min(i, w.size - 1)
        if i not in exclude and w[i] > 0:
            return i
    return None


def _pick_weighted(rng: np.random.Generator, ids: list[int], w: np.ndarray, exclude: list[int]) -> int | None:
    w = w.copy()
    for k, j in enumerate(ids):
        if j in exclude:
            w[k] = 0.0
    total = w.sum()
    if not total > 0:
        return None
    return ids[int(rng.choice(len(ids), p=w / total))]


def _syndicate_size(rng: np.random.Generator, label: str) -> int:
    mean_extra = SYNDICATE_MEAN[label] - 1.0
    r = SYNDICATE_DISPERSION
    extra = rng.negative_binomial(r, r / (r + mean_extra))
    return int(min(1 + extra, MAX_SYNDICATE))


def _assign(rng: np.random.Generator, inv: Investors, comp: Companies, rounds: Rounds) -> list[list[int]]:
    n = inv.kind.size
    order = np.lexsort((np.arange(rounds.day.size), rounds.day))
    participants: list[list[int]] = [[] for _ in range(rounds.day.size)]
    company_history: dict[int, list[tuple[int, int]]] = {}  # company -> [(investor, company round number)]
    company_round_no: dict[int, int] = {}
    co: list[dict[int, int]] = [{} for _ in range(n)]
    follow_base = np.array([FOLLOW_BASE[k] for k in KINDS])[inv.kind]
    # Sector fit per year: (1 - g) x focus reweighted by hot ** trend + g x the year's market mix.
    hot_pow = np.exp(np.log(HOT.T)[:, None, :] * inv.trend[None, :, None])  # years x n x S
    focus = inv.pref[None, :, :] * hot_pow
    focus /= focus.sum(axis=2, keepdims=True)
    market = np.array([s.share for s in SECTORS])[None, :] * HOT.T  # years x S
    market /= market.sum(axis=1, keepdims=True)
    g = inv.generalist[None, :, None]
    sector_fit = (1.0 - g) * focus + g * market[:, None, :]
    sector_fit /= sector_fit.mean(axis=2, keepdims=True)
    del hot_pow, focus
    sector_fit_t = np.ascontiguousarray(sector_fit.transpose(0, 2, 1))  # years x S x n
    quarter_t = np.array([YEARS[0] + (q + 0.5) / 4 for q in range(N_QUARTERS)])
    ramp_q = np.stack([inv.activity(t) for t in quarter_t])  # quarters x n
    act_q = ramp_q * inv.size[None, :] * inv.drift[:, np.arange(N_QUARTERS) // 4].T
    stage_fit_t = np.ascontiguousarray(inv.stage_fit.T)
    region_mult_t = np.ascontiguousarray(inv.region_mult.T)

    for r in order:
        c = int(rounds.company[r])
        rno = company_round_no.get(c, 0)
        company_round_no[c] = rno + 1
        if not rounds.disclosed[r]:
            continue
        label = LABELS[int(rounds.label[r])]
        day = int(rounds.day[r])
        yi = _year_index(day)
        q = _quarter_index(day)
        lab_i = int(rounds.label[r])
        ramp = ramp_q[q]
        k = _syndicate_size(rng, label)
        chosen: list[int] = []

        # 1. follow-on by earlier investors of the company.
        last_seen: dict[int, int] = {}
        for j, no in company_history.get(c, []):
            last_seen[j] = no
        for j, no in last_seen.items():
            p = follow_base[j] * FOLLOW_DECAY ** (rno - 1 - no)
            p *= 0.3 + 0.7 * min(1.0, inv.stage_fit[j, lab_i])
            p *= 1.0 if ramp[j] > 0 else FOLLOW_INACTIVE
            if rng.random() < p:
                chosen.append(j)
        if len(chosen) > k:
            k = len(chosen)
        n_new = k - len(chosen)
        if chosen and n_new == 0 and rng.random() < P_NEW_MONEY_WITH_INSIDERS * 0.5:
            n_new = 1
        elif chosen and n_new > 0 and rng.random() >= P_NEW_MONEY_WITH_INSIDERS:
            n_new = 0

        base = act_q[q] * sector_fit_t[yi, comp.sector[c]] * stage_fit_t[lab_i] * region_mult_t[comp.region[c]]
        anchor: int | None = chosen[0] if chosen else None
        # 2. a new lead.
        if n_new > 0:
            lead = _draw(rng, base * inv.lead, chosen)
            if lead is not None:
                chosen.append(lead)
                anchor = lead
                n_new -= 1
        # 3. followers around the anchor.
        for _ in range(n_new):
            pick: int | None = None
            u = rng.random()
            if anchor is not None and u < P_REPEAT and co[anchor]:
                ids = list(co[anchor])
                cnt = np.array([co[anchor][j] for j in ids], dtype=float)
                w = cnt ** REPEAT_EXP * ramp[ids] * (0.2 + np.minimum(1.0, inv.stage_fit[ids, lab_i]))
                pick = _pick_weighted(rng, ids, w, chosen)
            elif anchor is not None and u < P_REPEAT + P_STATIC and inv.partners[anchor]:
                ids = inv.partners[anchor]
                w = ramp[ids] * inv.size[ids] ** 0.5 * (0.2 + np.minimum(1.0, inv.stage_fit[ids, lab_i]))
                pick = _pick_weighted(rng, ids, w, chosen)
            if pick is None:
                pick = _draw(rng, base, chosen)
            if pick is not None:
                chosen.append(pick)
                if anchor is None:
                    anchor = pick
        participants[r] = chosen
        hist = company_history.setdefault(c, [])
        for j in chosen:
            hist.append((j, rno))
        for a in chosen:
            for b in chosen:
                if a != b:
                    co[a][b] = co[a].get(b, 0) + 1

    # Investors without any deal join one disclosed round as a follower.
    counts = np.zeros(n, dtype=int)
    for ps in participants:
        for j in ps:
            counts[j] += 1
    disclosed = np.flatnonzero(rounds.disclosed & np.array([len(p) > 0 for p in participants]))
    disclosed = disclosed[np.lexsort((disclosed, rounds.day[disclosed]))]
    d_t = np.array([_year_float(int(d)) for d in rounds.day[disclosed]])
    d_year = np.array([_year_index(int(d)) for d in rounds.day[disclosed]])
    d_sector = comp.sector[rounds.company[disclosed]]
    d_region = comp.region[rounds.company[disclosed]]
    d_label = rounds.label[disclosed]
    for j in (int(x) for x in np.flatnonzero(counts == 0)) if disclosed.size else ():
        lo, hi = (int(x) for x in np.searchsorted(d_t, [inv.start[j], inv.end[j]]))
        sl = slice(lo, hi)
        ramp_j = np.clip((d_t[sl] - inv.start[j]) / RAMP_UP_Y, 0, 1)
        ramp_j = ramp_j * np.clip((inv.end[j] - d_t[sl]) / RAMP_DOWN_Y, 0, 1)
        w = ramp_j * sector_fit[d_year[sl], j, d_sector[sl]] * inv.stage_fit[j, d_label[sl]]
        w = w * inv.region_mult[j, d_region[sl]]
        if not w.sum() > 0:  # active window entirely outside the data: anything that fits
            sl = slice(0, d_t.size)
            w = sector_fit[d_year, j, d_sector] * inv.stage_fit[j, d_label]
        if not w.sum() > 0:
            w = np.ones(w.size)
        pos = sl.start + int(rng.choice(w.size, p=w / w.sum()))
        participants[int(disclosed[pos])].append(int(j))
    return participants


# -- text -----------------------------------------------------------------------------------------------
def _pick(rng: np.random.Generator, options: Sequence[str], decay: float = 0.6) -> str:
    """A synonym, the first ones more common."""
    w = decay ** np.arange(len(options))
    return options[int(rng.choice(len(options), p=w / w.sum()))]


def _tags(rng: np.random.Generator, sector: int, sub: int, year: int) -> str:
    if rng.random() < P_EMPTY_TAGS:
        return ""
    sec = SECTORS[sector]
    tags: list[str] = []
    if rng.random() < P_PARENT_TAG:
        tags.append(_pick(rng, sec.parents, 0.45))
    if rng.random() < P_SUB_TAG or not tags:
        syn = sec.subs[sub][0]
        tags.append(_pick(rng, syn))
        if len(syn) > 1 and rng.random() < P_SECOND_SUB_TAG:
            tags.append(_pick(rng, syn[1:]))
    if rng.random() < P_CROSS_TAG:
        other = SECTORS[SEC[str(rng.choice(NEIGHBOURS[sec.code]))]]
        tags.append(_pick(rng, other.subs[int(rng.integers(0, len(other.subs)))][0]) if rng.random() < 0.6
                    else _pick(rng, other.parents, 0.45))
    for word, probs in BUZZWORDS.items():
        if rng.random() < probs[year]:
            tags.append(word)
    if len(tags) > 1 and rng.random() < 0.25:
        tags = [tags[i] for i in rng.permutation(len(tags))]
    out: list[str] = []
    for t in tags:
        if t not in out:
            out.append(t)
    return "|".join(out)


ZH_COMPANY_TEMPLATES = [
    "{city}一家{product}提供商",
    "专注于{product}的科技公司",
    "致力于为客户提供{product}",
    "{product}研发商",
    "一家以{product}为核心业务的创新企业",
    "{product}",
]
EN_COMPANY_TEMPLATES = [
    "A {city_en}startup building {product}.",
    "Provider of {product}.",
    "Develops {product} for customers in China and abroad.",
]


def _company_description(rng: np.random.Generator, sector: int, sub: int, city: str) -> str:
    if rng.random() < P_EMPTY_COMPANY_DESC:
        return ""
    _, zh, en = SECTORS[sector].subs[sub]
    if rng.random() < P_EN_DESC:
        tpl = EN_COMPANY_TEMPLATES[int(rng.integers(0, len(EN_COMPANY_TEMPLATES)))]
        return tpl.format(product=en, city_en="")
    tpl = ZH_COMPANY_TEMPLATES[int(rng.integers(0, len(ZH_COMPANY_TEMPLATES)))]
    return tpl.format(product=zh, city=city or "国内")


def _investor_description(rng: np.random.Generator, inv: Investors, i: int) -> str:
    if rng.random() < P_EMPTY_INVESTOR_DESC:
        return ""
    kname = KINDS[inv.kind[i]]
    top = np.argsort(-inv.pref[i], kind="stable")[:2]
    secs_zh = [SECTORS[s].parents[0] for s in top]
    if secs_zh[0] == secs_zh[1]:
        secs_zh = [SECTORS[top[0]].parents[0]]
    lvl = int(round(float(inv.stage_centre[i])))
    region = REGIONS[inv.region[i]][0]
    if rng.random() < P_EN_DESC:
        secs_en = [SECTORS[s].subs[0][2] for s in top]
        return f"Invests in {STAGE_EN[lvl]} companies in {' and '.join(secs_en)}."
    tpl = int(rng.integers(0, 4))
    if tpl == 0:
        return f"专注于{'、'.join(secs_zh)}领域的{STAGE_ZH[lvl]}投资"
    if tpl == 1:
        return f"{region}的{KIND_ZH[kname]}，重点关注{secs_zh[0]}"
    if tpl == 2:
        return f"主要投资{STAGE_ZH[lvl]}的{'、'.join(secs_zh)}项目"
    return f"{KIND_ZH[kname]}，投资阶段以{STAGE_ZH[lvl]}为主"


# -- output ---------------------------------------------------------------------------------------------
def generate(out: Path, investors: int = 7000, companies: int = 20000, seed: int = 0) -> dict[str, int]:
    ss = np.random.SeedSequence(seed)
    rng_inv, rng_comp, rng_deal, rng_text = (np.random.default_rng(s) for s in ss.spawn(4))
    inv = _make_investors(rng_inv, investors)
    comp, rounds = _make_companies(rng_comp, companies)
    parts = _assign(rng_deal, inv, comp, rounds)

    # Ids follow the order of the first round; rounds are written in date order.
    order = np.lexsort((np.arange(rounds.day.size), rounds.day))
    first_round: dict[int, int] = {}
    for r in order:
        first_round.setdefault(int(rounds.company[r]), len(first_round))
    cid = {c: f"C{no + 1:06d}" for c, no in first_round.items()}

    out.mkdir(parents=True, exist_ok=True)
    n_inv_rows = 0
    first_day: dict[int, int] = {}
    for r in order:
        first_day.setdefault(int(rounds.company[r]), int(rounds.day[r]))
    with open(out / "companies.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["company_id", "name", "industries", "region", "city", "founded_on", "description"])
        for c, no in first_round.items():
            s, sb = int(comp.sector[c]), int(comp.sub[c])
            region = "" if rng_text.random() < P_EMPTY_REGION else REGIONS[comp.region[c]][0]
            city = "" if rng_text.random() < P_EMPTY_CITY else comp.city[c]
            f = comp.founded[c]
            w.writerow([cid[c], f"公司_{no + 1:06d}", _tags(rng_text, s, sb, _year_index(first_day[c])), region,
                        city, dt.date.fromordinal(f).isoformat() if f is not None else "",
                        _company_description(rng_text, s, sb, comp.city[c])])
    with open(out / "rounds.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["round_id", "company_id", "round", "date"])
        for no, r in enumerate(order):
            w.writerow([f"R{no + 1:06d}", cid[int(rounds.company[r])], LABELS[int(rounds.label[r])],
                        dt.date.fromordinal(int(rounds.day[r])).isoformat()])
    with open(out / "investments.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["round_id", "investor_id"])
        for no, r in enumerate(order):
            for j in parts[r]:
                w.writerow([f"R{no + 1:06d}", f"I{j + 1:05d}"])
                n_inv_rows += 1
    with open(out / "investors.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["investor_id", "name", "kind", "description"])
        for j in range(investors):
            w.writerow([f"I{j + 1:05d}", f"投资机构_{j + 1:04d}", KINDS[inv.kind[j]],
                        _investor_description(rng_text, inv, j)])
    return {"companies": len(first_round), "rounds": int(rounds.day.size), "investments": n_inv_rows,
            "investors": investors}


# -- statistics and naive baselines -----------------------------------------------------------------------
def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _ndcg_at(ranked: Sequence[int], truth: set[int], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, j in enumerate(ranked[:k]) if j in truth)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(truth), k)))
    return dcg / ideal if ideal > 0 else 0.0


def summarize(data: Path, cutoff: str = "2023-01-01", until: str = "2025-01-01") -> dict[str, object]:
    """Statistics of a directory in the backtest format, and NDCG@10 of naive baselines on the window.

    History = investments in rounds dated before ``cutoff``; candidates = investors with >= 1 history
    investment; queries = rounds dated in [cutoff, until) with >= 1 investment; truth = the round's
    investors (including ones without history); binary gain, ideal DCG over min(|truth|, 10), macro mean.
    """
    companies = {r["company_id"]: r for r in _read(data / "companies.csv")}
    rounds = _read(data / "rounds.csv")
    invest = _read(data / "investments.csv")
    inv_path = data / "investors.csv"
    investors = _read(inv_path) if inv_path.exists() else []

    by_round: dict[str, list[str]] = {}
    for row in invest:
        by_round.setdefault(row["round_id"], []).append(row["investor_id"])
    label_counts: dict[str, int] = {}
    for r in rounds:
        label_counts[r["round"]] = label_counts.get(r["round"], 0) + 1

    per_investor: dict[str, int] = {}
    for row in invest:
        per_investor[row["investor_id"]] = per_investor.get(row["investor_id"], 0) + 1
    counts = np.sort(np.array(list(per_investor.values())))[::-1]
    top1 = max(1, int(round(0.01 * counts.size)))

    # Follow-on: rounds with investors whose company had an earlier round with investors.
    by_company: dict[str, list[dict[str, str]]] = {}
    for r in sorted(rounds, key=lambda r: (r["date"], r["round_id"])):
        by_company.setdefault(r["company_id"], []).append(r)
    eligible = repeat = 0
    for rs in by_company.values():
        seen: set[str] = set()
        for r in rs:
            ps = by_round.get(r["round_id"], [])
            if not ps:
                continue
            if seen:
                eligible += 1
                repeat += any(p in seen for p in ps)
            seen.update(ps)

    hist_rounds = [r for r in rounds if r["date"] < cutoff and r["round_id"] in by_round]
    window = [r for r in rounds if cutoff <= r["date"] < until and r["round_id"] in by_round]
    hist_count: dict[str, int] = {}
    hist_label: dict[str, dict[str, int]] = {}
    hist_tag: dict[str, dict[str, int]] = {}
    hist_pairs: set[tuple[str, str]] = set()
    for r in hist_rounds:
        ps = by_round[r["round_id"]]
        tags = [t for t in companies[r["company_id"]]["industries"].split("|") if t]
        for p in ps:
            hist_count[p] = hist_count.get(p, 0) + 1
            lab_counts = hist_label.setdefault(r["round"], {})
            lab_counts[p] = lab_counts.get(p, 0) + 1
            for t in tags:
                tc = hist_tag.setdefault(t, {})
                tc[p] = tc.get(p, 0) + 1
        for a in ps:
            for b in ps:
                if a < b:
                    hist_pairs.add((a, b))
    cand = sorted(hist_count, key=lambda p: (-hist_count[p], p))
    cidx = {p: i for i, p in enumerate(cand)}
    pop = np.array([hist_count[p] for p in cand], dtype=float)
    global_top = list(range(min(10, len(cand))))

    def top10(score: np.ndarray) -> list[int]:
        # Ties broken by global popularity (candidates are sorted by it).
        return [int(i) for i in np.lexsort((np.arange(score.size), -score))[:10]]

    label_top: dict[str, list[int]] = {}
    for lab, cnt in hist_label.items():
        sc = np.zeros(len(cand))
        for p, v in cnt.items():
            sc[cidx[p]] = v
        label_top[lab] = top10(sc)
    company_hist: dict[str, list[str]] = {}
    for r in hist_rounds:
        company_hist.setdefault(r["company_id"], []).extend(by_round[r["round_id"]])

    scores: dict[str, list[float]] = {"global_popularity": [], "round_popularity": [],
                                      "tag_popularity": [], "prior_investors_then_popularity": []}
    no_history = in_window_total = repeat_pair_rounds = multi = 0
    for r in window:
        truth_ids = by_round[r["round_id"]]
        in_window_total += len(truth_ids)
        no_history += sum(p not in cidx for p in truth_ids)
        truth = {cidx.get(p, -1 - k) for k, p in enumerate(truth_ids)}
        scores["global_popularity"].append(_ndcg_at(global_top, truth))
        scores["round_popularity"].append(_ndcg_at(label_top.get(r["round"], global_top), truth))
        sc = np.zeros(len(cand))
        for t in companies[r["company_id"]]["industries"].split("|"):
            for p, v in hist_tag.get(t, {}).items():
                sc[cidx[p]] += v
        scores["tag_popularity"].append(_ndcg_at(top10(sc + 1e-6 * pop), truth))
        prior = [cidx[p] for p in company_hist.get(r["company_id"], []) if p in cidx]
        sc = pop / pop.max()
        sc = sc.copy()
        sc[prior] += 1.0
        scores["prior_investors_then_popularity"].append(_ndcg_at(top10(sc), truth))
        if len(truth_ids) > 1:
            multi += 1
            repeat_pair_rounds += any((a, b) in hist_pairs for a in truth_ids for b in truth_ids if a < b)

    n_disclosed = len(by_round)
    return {
        "companies": len(companies),
        "rounds": len(rounds),
        "rounds_with_investments": n_disclosed,
        "investments": len(invest),
        "investors_listed": len(investors),
        "investors_with_investments": len(per_investor),
        "investors_with_history_before_cutoff": len(cand),
        "window_rounds_with_investments": len(window),
        "window_investments": in_window_total,
        "window_investments_by_investors_without_history": round(no_history / max(1, in_window_total), 3),
        "top1pct_investor_share": round(float(counts[:top1].sum() / counts.sum()), 3),
        "top10_investor_share": round(float(counts[:10].sum() / counts.sum()), 3),
        "max_investments_per_investor": int(counts[0]),
        "median_investments_per_investor": float(np.median(counts)),
        "investors_with_1_to_3": round(float((counts <= 3).mean()), 3),
        "avg_syndicate_size": round(len(invest) / max(1, n_disclosed), 3),
        "rounds_with_5plus_investors": round(sum(len(v) >= 5 for v in by_round.values()) / max(1, n_disclosed), 3),
        "follow_on_share": round(repeat / max(1, eligible), 3),
        "follow_on_eligible_rounds": eligible,
        "window_multi_investor_rounds_with_a_repeat_pair": round(repeat_pair_rounds / max(1, multi), 3),
        "empty_company_descriptions": round(sum(not c["description"] for c in companies.values())
                                            / max(1, len(companies)), 3),
        "empty_investor_descriptions": round(sum(not i["description"] for i in investors) / max(1, len(investors)), 3)
        if investors else None,
        "empty_industries": round(sum(not c["industries"] for c in companies.values()) / max(1, len(companies)), 3),
        "distinct_tags": len({t for c in companies.values() for t in c["industries"].split("|") if t}),
        "round_labels": {lab: round(label_counts.get(lab, 0) / max(1, len(rounds)), 3) for lab in LABELS},
        "rounds_per_year": {str(y): sum(r["date"][:4] == str(y) for r in rounds) for y in YEARS},
        "ndcg@10": {k: round(float(np.mean(v)), 4) if v else None for k, v in scores.items()},
    }


def _print_summary(stats: dict[str, object]) -> None:
    for key, val in stats.items():
        print(f"{key}: {val}")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.backtest_data", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="directory for the 4 CSV files")
    ap.add_argument("--investors", type=int, default=7000)
    ap.add_argument("--companies", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stats", action="store_true", help="print statistics and naive baselines afterwards")
    ap.add_argument("--summarize", type=Path, help="only print the statistics of an existing directory")
    ap.add_argument("--cutoff", default="2023-01-01")
    ap.add_argument("--until", default="2025-01-01")
    args = ap.parse_args(argv)
    if args.summarize is not None:
        _print_summary(summarize(args.summarize, args.cutoff, args.until))
        return
    if args.out is None:
        ap.error("--out is required (or --summarize DIR)")
    if args.investors < 1 or args.companies < 1:
        ap.error("--investors and --companies must be at least 1")
    t0 = time.perf_counter()
    counts = generate(args.out, investors=args.investors, companies=args.companies, seed=args.seed)
    print(f"wrote {args.out}: {counts} in {time.perf_counter() - t0:.1f}s")
    if args.stats:
        _print_summary(summarize(args.out, args.cutoff, args.until))


if __name__ == "__main__":
    main()
