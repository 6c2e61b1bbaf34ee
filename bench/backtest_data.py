"""Synthetic historical deal records for the investor-recommendation backtest.

    python -m bench.backtest_data --out DIR [--investors 7000] [--companies 20000] [--seed 0] [--stats]
    python -m bench.backtest_data --out DIR --preset us|cn [--scale 1.0] [--seed 0]   # see "Presets" below
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

Presets
-------
Every parameter above lives in a ``World`` (a frozen dataclass); ``DEFAULT`` is built from the module constants
and writes the same files as before this section existed, byte for byte (a test compares it with
``bench/data/backtest_sample``). ``--preset us`` and ``--preset cn`` are two other worlds, calibrated so that
``python -m bench.deal_stats DIR --compare us|cn`` lies within +-20 % of the statistics measured on two real deal
sets (kept outside the repository; the targets are ``bench.deal_stats.TARGETS``) and that their backtest
windows have the real sets' query and candidate counts (+-25 %). ``--investors`` / ``--companies`` size the
simulated market (default: the preset's), ``--scale F`` multiplies both (e.g. 0.1 for a quick sample). The
world parameters the default leaves off: ``Sector.sub_w`` (sub-sector weights), ``partner_home_exp`` (repeat and
static-partner followers weighted by their home bias on the company too), ``home_bias_size_damp`` (0.3 in the
default) and ``company_share`` (1 in the default).

``us``: US venture deals 2000-2013 (a Crunchbase-like export), backtest window 2012 (``--cutoff 2012-01-01
--until 2013-01-01``). A market of 9,000 investors x 15,000 companies: ~60k investments, ~45k before the
cutoff; ~7.5 s. ``US_SECTORS``: 15 latent sectors with their own history (the dot-com bust, web 2.0 from 2005,
the cleantech boom of 2007-2010 and its bust, mobile from 2008, health IT and education rising), each company
tagged with exactly one Crunchbase category code (``web``, ``software``, ``biotech``, ``mobile``, ...) drawn
from its sector (``sub_w``); 5 % untagged; no descriptions; masked English names. ``US_REGIONS``: states (CA
40 %, NY 9 %, MA 8.5 %, ...) and a few countries (GBR, ISR, CAN, ...) with their cities; sector clusters
``US_SECTOR_REGION_BOOST`` (biotech in MA/NJ/MD/NC, medtech in MN, adtech and fintech in NY, ...). Labels
seed, angel, a, b, c_plus, other (venture of unknown series, the only side round), pe, ipo, crowdfunding;
kinds angel, vc, cvc, accelerator, pe. Changed from the default world, and why:
- a strong home bias not damped by size (vc 2.4, angel 2.8; ``home_bias_size_damp`` 0), also on co-investor
  picks (``partner_home_exp`` 1): the real active investors do a median 57 % of their deals in one state,
  and region x round popularity is the best naive baseline there;
- steadier big investors (yearly drift 0.12, evergreen slope 0.5 up to 0.95, generalist share up to 0.8,
  trend 0.5), so that history popularity predicts the window as well as on the real set;
- syndicates of ~2.8 (``syndicate_mean``), narrower stage widths, few new investors after 2011.
Seed 0 against the targets: top 1 % / 10 % 0.309 / 0.711 (0.29 / 0.68), one-deal investors 0.643 (0.60), top
region 0.556 (0.57), top round 0.45 (0.48), investors per round 2.79 (2.77), co-invested new investors 0.297
(0.31), 1 tag, no descriptions; 6,960 candidates and 2,830 queries with ``--exclude-prior-investors`` (7,177 /
2,816); NDCG@10 region x round popularity 0.099, round 0.080, global 0.068 (real: best 0.097). Seeds 0-5 stay
within +-20 % except the co-investment share of seed 3 (0.236); region x round NDCG@10 0.068-0.115.

``cn``: Chinese venture deals 2010-2018 (a small export), window 2017-2018 (``--cutoff 2017-01-01 --until
2019-01-01``). The simulated market has 1,850 investors x 5,100 companies, but only a random 15 % of its
companies are written (``company_share``, drawn from a fifth RNG child), investors without a written deal are
left out and the others renumbered: ~790 companies, ~1.7k investments, ~670 investors; < 1 s. Why: in the
real set only 5 % of the new investors of follow-on rounds had co-invested with an earlier investor of the
company, a network as sparse as an export that covers a slice of the market; a complete 500-investor market
gave ~20 % whatever the syndicate rules. The default's sectors and tags with hotness for 2010-2018
(``CN_HOT``: local services and fintech peak in 2014-2015, e-commerce cools, AI rises from 2016) and that
decade's buzzwords (``CN_BUZZWORDS``: 移动互联网, O2O, 共享经济, 新零售, 区块链, ...); median 2 tags; every
company has a Chinese description, half of the investors one; regions as the default but Beijing 45 % and
Shanghai 20 % (``CN_REGION_W``). Changed from the default world, and why:
- flat activity (size sigma 1.3 capped at 12x the median; no size effect on leading, duration or generalism;
  few evergreen funds) and ~4-year windows with a yearly drift of 0.5: the real top 1 % hold 9 % and round
  popularity reaches only NDCG@10 0.035;
- generalists (``sector_floor`` 0.15-0.35) with a home bias not damped by size: 60 % of an active investor's
  deals in one province without closed local syndicates;
- syndicates of ~2 with a thin tail (dispersion 5, at most 6), no repeat or static-partner followers.
Seed 0 against the targets: top 1 % / 10 % 0.076 / 0.387 (0.09 / 0.40), one-deal investors 0.573 (0.57), top
region 0.60, top round 0.40, investors per round 1.98, co-invested new investors 0.055 (0.05), 2 tags, all
descriptions; 467 candidates and 386 queries (476 / 381); NDCG@10 round popularity 0.039, region x round
0.046, global 0.037 (real: round popularity 0.035). Over seeds 0-5 the co-investment share (~400 slots)
ranges 0.035-0.071 and the top 1 % share 0.070-0.093.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
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
    hot: Sequence[float]                      # one multiplier per year of the world (2015..2024 here)
    sub_w: Sequence[float] = ()               # weights of the sub-sectors (empty: uniform)


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



# -- worlds: the default one above and the presets -------------------------------------------------------
@dataclass(frozen=True)
class World:
    """Every parameter of the generative model. The generator reads its parameters from here only.

    ``DEFAULT`` is built from the module constants above, so it writes the files it always wrote (byte for byte);
    a preset is another ``World`` (``PRESETS``), calibrated on the statistics of a real deal set.
    """

    name: str
    years: Sequence[int]                      # calendar years; rounds after the last one are never written
    sectors: Sequence[Sector]                 # ``hot`` has one entry per year of ``years``
    neighbours: Mapping[str, Sequence[str]]
    buzzwords: Mapping[str, Sequence[float]]  # tag -> probability per year
    regions: Sequence[tuple[str, float, Sequence[tuple[str, float]]]]
    sector_region_boost: Mapping[str, Mapping[str, float]]
    # rounds
    entry_label_p: Mapping[str, float]
    next_label: Mapping[str, Mapping[str, float]]
    p_side_round: Mapping[str, float]
    p_side_strategic: float
    side_entry: Mapping[str, float]           # ladder position of companies that enter with a side round
    continue_logit: Mapping[str, float]
    q_survival: float
    hot_survival: float
    gap_median_y: Mapping[str, float]
    gap_sigma: float
    hot_speedup: float
    q_speedup: float
    entry_year_w: Sequence[float]
    month_w: Sequence[float]
    p_undisclosed: Mapping[str, float]
    syndicate_mean: Mapping[str, float]
    syndicate_dispersion: float
    max_syndicate: int
    # investors
    kinds: Sequence[str]
    kind_p: Sequence[float]
    kind_size: Sequence[float]
    size_sigma: float
    size_cap: float
    kind_stage: Mapping[str, tuple[Sequence[tuple[float, float, float]], tuple[float, float]]]
    stage_width_size: float
    stage_floor: float
    label_kind_boost: Mapping[str, Mapping[str, float]]
    n_focus: Mapping[str, tuple[int, float]]
    focus_size_kinds: Sequence[str]           # kinds whose number of focus sectors grows with size
    kind_sectors: Mapping[str, tuple[Sequence[str], float, float]]  # kind -> (sectors, base, boost) focus weights
    sector_floor: Mapping[str, float]
    generalist_size: float
    generalist_max: float
    focus_concentration: float
    trend_max: float
    home_bias: Mapping[str, float]
    home_bias_size_damp: float                # home bias / (1 + this x log1p(relative size))
    lead_prop: Mapping[str, float]
    lead_size_exp: float
    start_year_w: Mapping[int, float]
    duration_median_y: float
    duration_sigma: float
    duration_size_exp: float
    evergreen_slope: float
    evergreen_max: float
    ramp_up_y: float
    ramp_down_y: float
    year_drift_sigma: float
    static_partners_mean: float
    investor_region_w: Mapping[str, Mapping[str, float]]  # empty: all regions by company share, flattened
    # deals
    follow_base: Mapping[str, float]
    follow_decay: float
    follow_inactive: float
    p_new_money_with_insiders: float
    p_repeat: float
    repeat_exp: float
    p_static: float
    partner_home_exp: float                   # co-investor picks x (home bias on the company) ** this
    # text
    p_empty_tags: float
    p_parent_tag: float
    p_sub_tag: float
    p_second_sub_tag: float
    p_cross_tag: float
    p_empty_company_desc: float
    p_empty_investor_desc: float
    p_en_desc: float
    p_empty_founded: float
    p_empty_region: float
    p_empty_city: float
    stage_zh: Mapping[int, str]
    stage_en: Mapping[int, str]
    kind_zh: Mapping[str, str]
    zh_company_templates: Sequence[str]
    en_company_templates: Sequence[str]
    company_name: str                         # format with ``no`` (1-based)
    investor_name: str
    company_share: float                      # share of the simulated market's companies that is written
    # command-line defaults
    investors: int
    companies: int
    cutoff: str
    until: str

    @cached_property
    def n_years(self) -> int:
        return len(self.years)

    @cached_property
    def n_quarters(self) -> int:
        return 4 * len(self.years)

    @cached_property
    def hot(self) -> np.ndarray:
        """Sector hotness, S x years."""
        return np.array([s.hot for s in self.sectors], dtype=float)

    @cached_property
    def sec(self) -> dict[str, int]:
        return {s.code: i for i, s in enumerate(self.sectors)}

    @cached_property
    def kind_index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.kinds)}

    def year_index(self, day: int) -> int:
        y = dt.date.fromordinal(day).year
        return min(max(y - self.years[0], 0), self.n_years - 1)

    def quarter_index(self, day: int) -> int:
        d = dt.date.fromordinal(day)
        q = (d.year - self.years[0]) * 4 + (d.month - 1) // 3
        return min(max(q, 0), self.n_quarters - 1)


DEFAULT = World(
    name="default", years=YEARS, sectors=SECTORS, neighbours=NEIGHBOURS, buzzwords=BUZZWORDS, regions=REGIONS,
    sector_region_boost=SECTOR_REGION_BOOST,
    entry_label_p=ENTRY_LABEL_P, next_label=NEXT_LABEL, p_side_round=P_SIDE_ROUND, p_side_strategic=P_SIDE_STRATEGIC,
    side_entry={"angel": 0.2, "a": 0.35, "b": 0.3, "c_plus": 0.15}, continue_logit=CONTINUE_LOGIT,
    q_survival=Q_SURVIVAL, hot_survival=HOT_SURVIVAL, gap_median_y=GAP_MEDIAN_Y, gap_sigma=GAP_SIGMA,
    hot_speedup=HOT_SPEEDUP, q_speedup=Q_SPEEDUP, entry_year_w=ENTRY_YEAR_W, month_w=MONTH_W,
    p_undisclosed=P_UNDISCLOSED, syndicate_mean=SYNDICATE_MEAN, syndicate_dispersion=SYNDICATE_DISPERSION,
    max_syndicate=MAX_SYNDICATE,
    kinds=KINDS, kind_p=KIND_P, kind_size=KIND_SIZE, size_sigma=SIZE_SIGMA, size_cap=SIZE_CAP, kind_stage=KIND_STAGE,
    stage_width_size=STAGE_WIDTH_SIZE, stage_floor=STAGE_FLOOR, label_kind_boost=LABEL_KIND_BOOST, n_focus=N_FOCUS,
    focus_size_kinds=["vc"], kind_sectors={"government_fund": (HARD_TECH, 0.3, 2.5), "cvc": (CVC_SECTORS, 0.2, 1.0)},
    sector_floor=SECTOR_FLOOR, generalist_size=GENERALIST_SIZE, generalist_max=GENERALIST_MAX,
    focus_concentration=FOCUS_CONCENTRATION, trend_max=TREND_MAX, home_bias=HOME_BIAS, home_bias_size_damp=0.3,
    lead_prop=LEAD_PROP,
    lead_size_exp=LEAD_SIZE_EXP, start_year_w=START_YEAR_W, duration_median_y=DURATION_MEDIAN_Y,
    duration_sigma=DURATION_SIGMA, duration_size_exp=DURATION_SIZE_EXP, evergreen_slope=EVERGREEN_SLOPE,
    evergreen_max=EVERGREEN_MAX, ramp_up_y=RAMP_UP_Y, ramp_down_y=RAMP_DOWN_Y, year_drift_sigma=YEAR_DRIFT_SIGMA,
    static_partners_mean=STATIC_PARTNERS_MEAN, investor_region_w=INVESTOR_REGION_W,
    follow_base=FOLLOW_BASE, follow_decay=FOLLOW_DECAY, follow_inactive=FOLLOW_INACTIVE,
    p_new_money_with_insiders=P_NEW_MONEY_WITH_INSIDERS, p_repeat=P_REPEAT, repeat_exp=REPEAT_EXP, p_static=P_STATIC,
    partner_home_exp=0.0,
    p_empty_tags=P_EMPTY_TAGS, p_parent_tag=P_PARENT_TAG, p_sub_tag=P_SUB_TAG, p_second_sub_tag=P_SECOND_SUB_TAG,
    p_cross_tag=P_CROSS_TAG, p_empty_company_desc=P_EMPTY_COMPANY_DESC, p_empty_investor_desc=P_EMPTY_INVESTOR_DESC,
    p_en_desc=P_EN_DESC, p_empty_founded=P_EMPTY_FOUNDED, p_empty_region=P_EMPTY_REGION, p_empty_city=P_EMPTY_CITY,
    stage_zh=STAGE_ZH, stage_en=STAGE_EN, kind_zh=KIND_ZH, zh_company_templates=ZH_COMPANY_TEMPLATES,
    en_company_templates=EN_COMPANY_TEMPLATES, company_name="公司_{no:06d}", investor_name="投资机构_{no:04d}",
    company_share=1.0, investors=7000, companies=20000, cutoff="2023-01-01", until="2025-01-01",
)



# -- preset "us": US venture deals 2000-2013 (a Crunchbase-like export) ------------------------------------
US_YEARS = list(range(2000, 2014))


def _us_sector(code: str, tags: Mapping[str, float], share: float, hot: Sequence[float]) -> Sector:
    """A latent US sector: every company carries exactly one category code, drawn from ``tags``."""
    return Sector(code, [next(iter(tags))], [([t], t, t) for t in tags], share, hot, list(tags.values()))


US_SECTORS: list[Sector] = [
    # dot-com peak in 2000, the bust, then web 2.0 from 2005
    _us_sector("internet", {"web": 0.5, "social": 0.12, "search": 0.05, "news": 0.07, "photo_video": 0.05,
                            "music": 0.04, "messaging": 0.03, "travel": 0.04, "public_relations": 0.04, "other": 0.06},
               1.4, [1.8, 0.9, 0.6, 0.6, 0.7, 0.95, 1.2, 1.35, 1.25, 1.05, 1.1, 1.1, 1.0, 0.95]),
    _us_sector("mobile", {"mobile": 0.72, "messaging": 0.1, "games_video": 0.08, "social": 0.1},
               0.7, [0.6, 0.5, 0.4, 0.4, 0.45, 0.5, 0.6, 0.8, 1.0, 1.3, 1.7, 1.95, 2.0, 1.9]),
    _us_sector("enterprise", {"software": 0.52, "enterprise": 0.3, "analytics": 0.1, "consulting": 0.03,
                              "other": 0.05},
               1.5, [1.1, 1.0, 0.9, 0.9, 0.95, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.25, 1.35, 1.4]),
    _us_sector("infrastructure", {"network_hosting": 0.42, "security": 0.33, "software": 0.15, "hardware": 0.1},
               0.6, [1.9, 1.3, 1.0, 0.95, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.95, 1.0, 1.05, 1.05]),
    _us_sector("ecommerce", {"ecommerce": 0.72, "fashion": 0.13, "travel": 0.08, "other": 0.07},
               0.6, [1.4, 0.5, 0.4, 0.45, 0.55, 0.7, 0.8, 0.9, 0.9, 1.0, 1.3, 1.6, 1.65, 1.5]),
    _us_sector("media_games", {"games_video": 0.7, "music": 0.1, "photo_video": 0.1, "news": 0.1},
               0.5, [0.9, 0.5, 0.4, 0.5, 0.6, 0.9, 1.3, 1.5, 1.4, 1.2, 1.3, 1.3, 1.1, 0.9]),
    _us_sector("adtech", {"advertising": 0.75, "analytics": 0.15, "public_relations": 0.1},
               0.45, [1.2, 0.6, 0.5, 0.55, 0.7, 0.9, 1.1, 1.3, 1.2, 1.1, 1.2, 1.25, 1.15, 1.0]),
    _us_sector("biotech", {"biotech": 0.95, "health": 0.05},
               1.1, [1.1, 1.1, 1.0, 1.0, 1.05, 1.05, 1.05, 1.05, 1.0, 0.9, 0.9, 0.9, 0.9, 0.95]),
    _us_sector("medtech", {"medical": 0.75, "health": 0.25},
               0.6, [0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 1.1, 1.1, 1.05, 0.95, 0.9, 0.85, 0.85, 0.85]),
    _us_sector("health_it", {"health": 0.6, "software": 0.2, "analytics": 0.2},
               0.3, [0.5, 0.5, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.3, 1.5, 1.7, 1.8]),
    # the cleantech boom and bust
    _us_sector("cleantech", {"cleantech": 0.86, "semiconductor": 0.05, "hardware": 0.04, "manufacturing": 0.05},
               0.6, [0.2, 0.2, 0.25, 0.3, 0.45, 0.7, 1.1, 1.8, 2.0, 1.7, 1.5, 1.2, 0.85, 0.65]),
    _us_sector("semis_hardware", {"semiconductor": 0.5, "hardware": 0.4, "network_hosting": 0.1},
               0.7, [2.1, 1.6, 1.3, 1.2, 1.1, 1.0, 0.95, 0.9, 0.8, 0.7, 0.7, 0.65, 0.6, 0.6]),
    _us_sector("fintech", {"finance": 0.85, "analytics": 0.07, "ecommerce": 0.08},
               0.3, [0.9, 0.6, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.8, 0.8, 1.0, 1.2, 1.35, 1.5]),
    _us_sector("education", {"education": 1.0},
               0.2, [0.6, 0.5, 0.5, 0.5, 0.55, 0.6, 0.7, 0.8, 0.8, 0.9, 1.1, 1.4, 1.8, 1.9]),
    _us_sector("other", {"other": 0.4, "consulting": 0.08, "real_estate": 0.08, "transportation": 0.1,
                         "manufacturing": 0.1, "hospitality": 0.05, "sports": 0.05, "legal": 0.04, "automotive": 0.06,
                         "nonprofit": 0.04},
               0.45, [0.8, 0.7, 0.7, 0.7, 0.75, 0.8, 0.9, 1.0, 1.0, 1.0, 1.1, 1.2, 1.25, 1.3]),
]
US_REGIONS: list[tuple[str, float, list[tuple[str, float]]]] = [
    ("CA", 0.40, [("San Francisco", 0.32), ("Palo Alto", 0.07), ("Mountain View", 0.06), ("San Jose", 0.05),
                  ("Sunnyvale", 0.05), ("Menlo Park", 0.04), ("Redwood City", 0.05), ("San Mateo", 0.04),
                  ("Santa Clara", 0.04), ("Los Angeles", 0.08), ("San Diego", 0.07), ("Santa Monica", 0.03),
                  ("Irvine", 0.03), ("Berkeley", 0.01), ("Oakland", 0.02), ("Emeryville", 0.01),
                  ("South San Francisco", 0.03)]),
    ("NY", 0.09, [("New York", 0.9), ("Brooklyn", 0.07), ("Rochester", 0.03)]),
    ("MA", 0.085, [("Boston", 0.34), ("Cambridge", 0.3), ("Waltham", 0.12), ("Burlington", 0.06),
                   ("Lexington", 0.05), ("Woburn", 0.04), ("Bedford", 0.04), ("Newton", 0.05)]),
    ("WA", 0.03, [("Seattle", 0.7), ("Bellevue", 0.15), ("Redmond", 0.1), ("Kirkland", 0.05)]),
    ("TX", 0.035, [("Austin", 0.5), ("Dallas", 0.2), ("Houston", 0.2), ("San Antonio", 0.1)]),
    ("CO", 0.02, [("Boulder", 0.45), ("Denver", 0.45), ("Colorado Springs", 0.1)]),
    ("IL", 0.02, [("Chicago", 0.9), ("Evanston", 0.1)]),
    ("PA", 0.02, [("Philadelphia", 0.5), ("Pittsburgh", 0.4), ("Malvern", 0.1)]),
    ("NJ", 0.014, [("Princeton", 0.4), ("Newark", 0.3), ("Hoboken", 0.3)]),
    ("VA", 0.015, [("Reston", 0.3), ("Arlington", 0.25), ("McLean", 0.2), ("Herndon", 0.25)]),
    ("MD", 0.01, [("Baltimore", 0.5), ("Rockville", 0.3), ("Bethesda", 0.2)]),
    ("NC", 0.012, [("Durham", 0.4), ("Raleigh", 0.4), ("Research Triangle Park", 0.2)]),
    ("GA", 0.012, [("Atlanta", 1.0)]),
    ("FL", 0.014, [("Miami", 0.4), ("Tampa", 0.2), ("Orlando", 0.2), ("Boca Raton", 0.2)]),
    ("UT", 0.01, [("Salt Lake City", 0.6), ("Provo", 0.2), ("Lehi", 0.2)]),
    ("OR", 0.008, [("Portland", 1.0)]),
    ("MN", 0.008, [("Minneapolis", 0.7), ("Saint Paul", 0.3)]),
    ("OH", 0.009, [("Columbus", 0.4), ("Cincinnati", 0.3), ("Cleveland", 0.3)]),
    ("CT", 0.007, [("Stamford", 0.5), ("New Haven", 0.5)]),
    ("MI", 0.006, [("Ann Arbor", 0.6), ("Detroit", 0.4)]),
    ("AZ", 0.006, [("Scottsdale", 0.5), ("Phoenix", 0.5)]),
    ("DC", 0.006, [("Washington", 1.0)]),
    ("MO", 0.004, [("St. Louis", 0.6), ("Kansas City", 0.4)]),
    ("TN", 0.004, [("Nashville", 1.0)]),
    ("NH", 0.003, [("Nashua", 0.5), ("Portsmouth", 0.5)]),
    ("WI", 0.003, [("Madison", 0.6), ("Milwaukee", 0.4)]),
    ("GBR", 0.02, [("London", 0.85), ("Cambridge", 0.1), ("Oxford", 0.05)]),
    ("ISR", 0.015, [("Tel Aviv", 0.6), ("Herzliya", 0.25), ("Jerusalem", 0.15)]),
    ("CAN", 0.015, [("Toronto", 0.45), ("Vancouver", 0.3), ("Montreal", 0.25)]),
    ("IND", 0.006, [("Bangalore", 0.6), ("Mumbai", 0.4)]),
    ("CHN", 0.006, [("Beijing", 0.6), ("Shanghai", 0.4)]),
    ("DEU", 0.004, [("Berlin", 0.7), ("Munich", 0.3)]),
    ("FRA", 0.004, [("Paris", 1.0)]),
]
US_SECTOR_REGION_BOOST = {
    "biotech": {"MA": 2.0, "NJ": 2.5, "MD": 2.0, "NC": 2.0, "PA": 1.5, "WA": 1.3},
    "medtech": {"MN": 4.0, "MA": 1.5, "CA": 1.1},
    "cleantech": {"CO": 2.5, "TX": 1.4, "MA": 1.3},
    "internet": {"NY": 1.6, "CA": 1.1},
    "adtech": {"NY": 2.2},
    "fintech": {"NY": 2.2},
    "ecommerce": {"NY": 1.4, "WA": 1.3},
    "semis_hardware": {"CA": 1.3, "TX": 1.6, "ISR": 1.8},
    "infrastructure": {"VA": 2.5, "MA": 1.3, "ISR": 1.8},
    "media_games": {"WA": 1.4, "CA": 1.2},
    "education": {"NY": 1.3, "DC": 1.8},
}
US_KINDS = ["angel", "vc", "cvc", "accelerator", "pe"]

US = World(
    name="us", years=US_YEARS, sectors=US_SECTORS, neighbours={}, buzzwords={}, regions=US_REGIONS,
    sector_region_boost=US_SECTOR_REGION_BOOST,
    # Rounds: seed / angel / a / b / c_plus (C and later series), other (venture of unknown series and
    # unattributed money), pe, ipo (post-IPO), crowdfunding: no pre_a, a_plus or strategic in this world.
    entry_label_p={"seed": 0.24, "angel": 0.18, "a": 0.3, "b": 0.07, "c_plus": 0.03, "other": 0.1, "pe": 0.015,
                   "crowdfunding": 0.005},
    next_label={"seed": {"angel": 0.15, "a": 0.85}, "crowdfunding": {"seed": 0.5, "a": 0.5},
                "angel": {"a": 0.85, "b": 0.15}, "a": {"b": 0.9, "c_plus": 0.1},
                "b": {"c_plus": 0.85, "pe": 0.1, "ipo": 0.05}, "c_plus": {"c_plus": 0.7, "pe": 0.15, "ipo": 0.15},
                "pe": {"pe": 0.5, "ipo": 0.5}, "ipo": {"ipo": 1.0}},
    p_side_round={"seed": 0.06, "crowdfunding": 0.05, "angel": 0.07, "a": 0.14, "b": 0.15, "c_plus": 0.18, "pe": 0.2,
                  "ipo": 0.5},
    p_side_strategic=0.0, side_entry={"seed": 0.3, "a": 0.35, "b": 0.25, "c_plus": 0.1},
    continue_logit={"seed": 0.2, "crowdfunding": -1.0, "angel": 0.0, "a": 0.2, "b": -0.1, "c_plus": -0.5,
                    "pe": -1.0, "ipo": -1.8},
    q_survival=0.9, hot_survival=0.6,
    gap_median_y={"seed": 0.9, "crowdfunding": 1.0, "angel": 1.0, "a": 1.2, "b": 1.3, "c_plus": 1.4, "pe": 1.5,
                  "ipo": 1.6},
    gap_sigma=0.55, hot_speedup=0.5, q_speedup=0.15,
    entry_year_w=[0.35, 0.2, 0.15, 0.17, 0.25, 0.45, 0.7, 0.9, 0.95, 0.85, 1.1, 1.35, 1.4, 1.5],
    month_w=[0.95, 0.95, 1.0, 1.0, 1.0, 1.05, 1.05, 0.95, 1.0, 1.05, 1.0, 0.95],
    p_undisclosed={"seed": 0.3, "angel": 0.35, "a": 0.15, "b": 0.12, "c_plus": 0.12, "other": 0.3, "pe": 0.3,
                   "ipo": 0.5, "crowdfunding": 0.5},
    syndicate_mean={"seed": 2.1, "angel": 2.3, "a": 2.5, "b": 3.0, "c_plus": 3.2, "other": 2.1, "pe": 1.8,
                    "ipo": 1.5, "crowdfunding": 1.5},
    syndicate_dispersion=0.9, max_syndicate=15,
    kinds=US_KINDS, kind_p=[0.25, 0.55, 0.09, 0.03, 0.08], kind_size=[0.45, 1.0, 0.7, 1.5, 0.6],
    size_sigma=1.35, size_cap=150.0,
    kind_stage={
        "angel": ([(1.0, 0.9, 0.5)], (0.7, 1.2)),
        "vc": ([(0.4, 2.0, 0.8), (0.4, 4.0, 0.7), (0.2, 5.8, 0.7)], (0.8, 1.4)),
        "cvc": ([(1.0, 4.5, 1.0)], (1.2, 2.0)),
        "accelerator": ([(1.0, 0.2, 0.3)], (0.5, 0.9)),
        "pe": ([(1.0, 6.5, 0.7)], (0.9, 1.5)),
    },
    stage_width_size=0.1, stage_floor=0.02,
    label_kind_boost={"crowdfunding": {"angel": 4.0, "vc": 0.3}, "pe": {"pe": 3.0}, "ipo": {"pe": 2.0, "cvc": 1.5}},
    n_focus={"angel": (1, 0.5), "vc": (1, 1.0), "cvc": (1, 0.3), "accelerator": (3, 2.0), "pe": (2, 1.5)},
    focus_size_kinds=["vc"], kind_sectors={},
    sector_floor={"angel": 0.05, "vc": 0.06, "cvc": 0.02, "accelerator": 0.3, "pe": 0.15},
    # Big investors are generalists that follow the market and keep investing (steady popularity), and local
    # whatever their size (home_bias_size_damp 0; co-investors too, partner_home_exp below).
    generalist_size=3.0, generalist_max=0.8, focus_concentration=1.5, trend_max=0.5,
    home_bias={"angel": 2.8, "vc": 2.4, "cvc": 1.5, "accelerator": 1.0, "pe": 1.2}, home_bias_size_damp=0.0,
    lead_prop={"angel": 0.4, "vc": 1.0, "cvc": 0.5, "accelerator": 0.6, "pe": 0.8}, lead_size_exp=0.4,
    start_year_w={**{y: 0.3 for y in range(1985, 2000)}, 2000: 0.6, 2001: 0.25, 2002: 0.2, 2003: 0.2, 2004: 0.3,
                  2005: 0.45, 2006: 0.6, 2007: 0.7, 2008: 0.7, 2009: 0.65, 2010: 0.85, 2011: 0.8, 2012: 0.6,
                  2013: 0.4},
    duration_median_y=6.0, duration_sigma=0.55, duration_size_exp=0.25, evergreen_slope=0.5, evergreen_max=0.95,
    ramp_up_y=0.6, ramp_down_y=1.2, year_drift_sigma=0.12, static_partners_mean=2.0,
    investor_region_w={
        "angel": {"CA": 0.42, "NY": 0.12, "MA": 0.08},
        "vc": {"CA": 0.46, "NY": 0.14, "MA": 0.13},
        "cvc": {"CA": 0.5, "NY": 0.1, "WA": 0.05, "MA": 0.05},
        "accelerator": {},
        "pe": {"NY": 0.35, "CA": 0.25, "MA": 0.15, "IL": 0.05, "CT": 0.05},
    },
    follow_base={"angel": 0.2, "vc": 0.45, "cvc": 0.35, "accelerator": 0.15, "pe": 0.3},
    follow_decay=0.5, follow_inactive=0.25, p_new_money_with_insiders=0.75, p_repeat=0.3, repeat_exp=0.7,
    p_static=0.15, partner_home_exp=1.0,
    # Text: exactly one category code per company (a few without), no descriptions, a fifth without founding date.
    p_empty_tags=0.05, p_parent_tag=0.0, p_sub_tag=1.0, p_second_sub_tag=0.0, p_cross_tag=0.0,
    p_empty_company_desc=1.0, p_empty_investor_desc=1.0, p_en_desc=1.0, p_empty_founded=0.2, p_empty_region=0.02,
    p_empty_city=0.03, stage_zh=STAGE_ZH, stage_en=STAGE_EN, kind_zh={k: k for k in US_KINDS},
    zh_company_templates=EN_COMPANY_TEMPLATES, en_company_templates=EN_COMPANY_TEMPLATES,
    company_name="Company_{no:06d}", investor_name="Investor_{no:05d}",
    company_share=1.0, investors=9000, companies=15000, cutoff="2012-01-01", until="2013-01-01",
)


# -- preset "cn": Chinese venture deals 2010-2018 (a small IT-Juzi-like export) ------------------------------
CN_YEARS = list(range(2010, 2019))
CN_HOT = {  # 2010..2018
    "enterprise": [0.7, 0.7, 0.8, 0.9, 1.0, 1.0, 1.05, 1.15, 1.25],
    "ai": [0.2, 0.2, 0.25, 0.3, 0.4, 0.6, 1.0, 1.3, 1.4],
    "semis": [0.4, 0.35, 0.3, 0.3, 0.3, 0.3, 0.4, 0.5, 0.7],
    "meddevice": [0.5, 0.5, 0.5, 0.55, 0.6, 0.6, 0.7, 0.8, 1.0],
    "biopharma": [0.5, 0.5, 0.5, 0.5, 0.55, 0.6, 0.7, 0.9, 1.2],
    "digital_health": [0.4, 0.5, 0.6, 0.8, 1.2, 1.3, 1.4, 1.1, 1.0],
    "nev": [0.3, 0.3, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 0.9],
    "cleantech": [1.0, 0.9, 0.7, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5],
    "consumer": [1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.1, 1.0, 1.0],
    "ecommerce": [1.8, 1.6, 1.4, 1.4, 1.5, 1.6, 1.4, 1.3, 1.1],
    "fintech": [0.5, 0.6, 0.8, 1.2, 1.7, 1.8, 1.6, 1.2, 1.0],
    "education": [0.8, 0.8, 0.9, 1.1, 1.3, 1.4, 1.5, 1.4, 1.3],
    "media": [1.2, 1.3, 1.4, 1.5, 1.6, 1.6, 1.5, 1.3, 1.1],
    "local": [0.8, 1.0, 1.2, 1.6, 2.0, 2.0, 1.6, 1.2, 1.0],
    "intelligent_mfg": [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.9, 1.0],
    "hardware": [0.6, 0.7, 0.9, 1.2, 1.5, 1.4, 1.3, 1.2, 1.0],
    "logistics": [0.8, 0.8, 0.9, 1.0, 1.1, 1.1, 1.1, 1.0, 1.0],
    "autotech": [0.3, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 1.0, 1.1],
    "agri": [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7],
    "materials": [0.6, 0.6, 0.5, 0.5, 0.4, 0.4, 0.4, 0.5, 0.6],
    "aerospace": [0.2, 0.2, 0.2, 0.2, 0.25, 0.3, 0.35, 0.45, 0.55],
}
CN_SECTORS = [Sector(s.code, s.parents, s.subs, s.share, CN_HOT[s.code]) for s in SECTORS]
CN_BUZZWORDS = {  # 2010..2018
    "人工智能": [0.005, 0.005, 0.005, 0.01, 0.01, 0.02, 0.04, 0.07, 0.08],
    "AI": [0.0, 0.0, 0.0, 0.0, 0.005, 0.01, 0.02, 0.03, 0.04],
    "移动互联网": [0.02, 0.04, 0.06, 0.06, 0.05, 0.04, 0.03, 0.02, 0.02],
    "大数据": [0.0, 0.0, 0.01, 0.04, 0.06, 0.06, 0.06, 0.05, 0.04],
    "O2O": [0.0, 0.0, 0.0, 0.02, 0.05, 0.05, 0.02, 0.01, 0.005],
    "共享经济": [0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.04, 0.03, 0.01],
    "新零售": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.005, 0.03, 0.03],
    "区块链": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.005, 0.03, 0.05],
    "物联网": [0.02, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.02],
    "SaaS": [0.0, 0.0, 0.0, 0.0, 0.005, 0.01, 0.01, 0.015, 0.02],
}

# Startups of that decade cluster more in Beijing and Shanghai than the default world's.
CN_REGION_W = {"北京": 0.45, "上海": 0.2, "广东": 0.12, "浙江": 0.06, "江苏": 0.04}
CN_REGIONS = [(name, CN_REGION_W.get(name, w), cities) for name, w, cities in REGIONS]

# Only what differs from the default world (see "Presets" in the module docstring for why).
CN = replace(
    DEFAULT, name="cn", years=CN_YEARS, sectors=CN_SECTORS, buzzwords=CN_BUZZWORDS, regions=CN_REGIONS,
    entry_year_w=[0.15, 0.2, 0.25, 0.35, 0.6, 0.9, 1.1, 1.2, 1.2],
    # syndicates of ~2 with a thin tail: few co-investment ties
    syndicate_dispersion=5.0, max_syndicate=6, p_repeat=0.0, p_static=0.0,
    # flat activity, short windows, yearly drift: popularity predicts little
    size_sigma=1.3, size_cap=12.0, lead_size_exp=0.0, duration_median_y=4.0, duration_size_exp=0.0,
    evergreen_slope=0.05, year_drift_sigma=0.5,
    start_year_w={**{y: 0.3 for y in range(2000, 2010)}, 2010: 0.5, 2011: 0.6, 2012: 0.5, 2013: 0.6, 2014: 0.9,
                  2015: 1.1, 2016: 0.9, 2017: 0.6, 2018: 0.4},
    # generalists, but local ones
    sector_floor={"angel": 0.25, "vc": 0.25, "cvc": 0.15, "government_fund": 0.25, "bank_credit": 0.35},
    generalist_size=0.0,
    home_bias={"angel": 2.5, "vc": 1.6, "cvc": 1.4, "government_fund": 3.5, "bank_credit": 2.0},
    home_bias_size_damp=0.0,
    # every company described (in Chinese), every company tagged
    p_empty_tags=0.0, p_empty_company_desc=0.0, p_empty_investor_desc=0.5, p_en_desc=0.0,
    # a 15 % slice of a 1,850-investor x 5,100-company market
    company_share=0.15, investors=1850, companies=5100, cutoff="2017-01-01", until="2019-01-01",
)

PRESETS: dict[str, World] = {"us": US, "cn": CN}


# -- helpers --------------------------------------------------------------------------------------------
def _p(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    out: np.ndarray = w / w.sum()
    return out


def _year_float(day: int) -> float:
    d = dt.date.fromordinal(day)
    return d.year + (d.timetuple().tm_yday - 0.5) / 366.0


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
    ramp_up_y: float
    ramp_down_y: float

    def activity(self, t: float | np.ndarray) -> np.ndarray:
        """Ramp of every investor's activity at fractional year ``t`` (without size and drift)."""
        up = np.clip((t - self.start) / self.ramp_up_y, 0.0, 1.0)
        down = np.clip((self.end - t) / self.ramp_down_y, 0.0, 1.0)
        return up * down


def _make_investors(rng: np.random.Generator, n: int, wd: World = DEFAULT) -> Investors:
    kind = rng.choice(len(wd.kinds), size=n, p=_p(wd.kind_p))
    size = np.exp(rng.normal(0.0, wd.size_sigma, n)) * np.asarray(wd.kind_size)[kind]
    size = np.minimum(size, wd.size_cap * np.median(size))
    rel = size / np.median(size)
    S = len(wd.sectors)
    y0, y1 = wd.years[0], wd.years[-1]

    years = sorted(wd.start_year_w)
    start = rng.choice(years, size=n, p=_p([wd.start_year_w[y] for y in years])) + rng.random(n)
    duration = wd.duration_median_y * np.exp(rng.normal(0.0, wd.duration_sigma, n)) * rel ** wd.duration_size_exp
    end = start + np.maximum(duration, 0.8)
    evergreen = rng.random(n) < np.minimum(wd.evergreen_max, wd.evergreen_slope * np.log1p(rel))
    end[evergreen] = np.maximum(end[evergreen], y1 + 2.0 + rng.random(int(evergreen.sum())) * 5)
    # Everyone who started before the data but would have stopped early in it: shift the window into the data.
    late = end < y0 + 0.5
    start[late] = float(y0) - rng.random(late.sum()) * 3
    end[late] = start[late] + np.maximum(duration[late], 1.5) + 2
    drift = np.exp(rng.normal(0.0, wd.year_drift_sigma, (n, wd.n_years)))

    share = np.array([s.share for s in wd.sectors])
    pref = np.zeros((n, S))
    kind_mask: dict[str, tuple[np.ndarray, float, float]] = {}
    for kname, (codes, base, boost) in wd.kind_sectors.items():
        mask = np.zeros(S)
        mask[[wd.sec[c] for c in codes]] = 1.0
        kind_mask[kname] = (mask, base, boost)
    for i in range(n):
        kname = wd.kinds[kind[i]]
        vint = int(min(max(math.floor(start[i]), y0), y1)) - y0
        w = share * wd.hot[:, vint]
        if kname in kind_mask:
            mask, base, boost = kind_mask[kname]
            w = w * (base + boost * mask)
        lo, extra = wd.n_focus[kname]
        if kname in wd.focus_size_kinds:
            extra = extra * (1.0 + 1.2 * math.log1p(rel[i]))
        m = min(S, lo + int(rng.poisson(extra)))
        focus = rng.choice(S, size=m, replace=False, p=w / w.sum())
        pref[i, focus] = rng.dirichlet(np.full(m, wd.focus_concentration))
    pref /= pref.sum(axis=1, keepdims=True)
    floor = np.array([wd.sector_floor[wd.kinds[k]] for k in kind])
    generalist = np.minimum(wd.generalist_max, floor * (1.0 + wd.generalist_size * np.log1p(rel)))
    trend = rng.random(n) * wd.trend_max

    centre = np.zeros(n)
    width = np.zeros(n)
    for k, kname in enumerate(wd.kinds):
        idx = np.flatnonzero(kind == k)
        modes, (wlo, whi) = wd.kind_stage[kname]
        pick = rng.choice(len(modes), size=idx.size, p=_p([m[0] for m in modes]))
        mu = np.array([m[1] for m in modes])[pick]
        sd = np.array([m[2] for m in modes])[pick]
        centre[idx] = np.clip(rng.normal(mu, sd), 0.0, 8.0)
        width[idx] = rng.uniform(wlo, whi, idx.size)
    # Bigger VCs cover more stages.
    width *= 1.0 + wd.stage_width_size * np.log1p(rel)
    stage_fit = np.zeros((n, len(LABELS)))
    for j, lab in enumerate(LABELS):
        fit = np.exp(-0.5 * ((FIT_LEVEL[lab] - centre) / width) ** 2) + wd.stage_floor
        if lab == "other":
            fit = 0.5 + 0.5 * fit
        for kname, mult in wd.label_kind_boost.get(lab, {}).items():
            if kname in wd.kind_index:
                fit[kind == wd.kind_index[kname]] *= mult
        stage_fit[:, j] = fit

    R = len(wd.regions)
    company_region_w = _p([w for _, w, _ in wd.regions])
    region = np.zeros(n, dtype=int)
    for k, kname in enumerate(wd.kinds):
        idx = np.flatnonzero(kind == k)
        named = wd.investor_region_w[kname]
        if named:
            w = np.array([named.get(name, 0.0) for name, _, _ in wd.regions])
            rest = 1.0 - w.sum()
            w = w + rest * company_region_w * (w == 0)
        else:  # e.g. government funds: provinces by company share, flattened
            w = company_region_w ** 0.5
        region[idx] = rng.choice(R, size=idx.size, p=w / w.sum())
    bias = np.array([wd.home_bias[wd.kinds[k]] for k in kind]) * rng.uniform(0.6, 1.4, n)
    bias /= 1.0 + wd.home_bias_size_damp * np.log1p(rel)  # big platforms invest nationally
    region_mult = np.ones((n, R))
    region_mult[np.arange(n), region] = np.exp(bias)

    lead = np.array([wd.lead_prop[wd.kinds[k]] for k in kind]) * rel ** wd.lead_size_exp

    # Static partners: similar sectors, same region more likely, weighted by size.
    partners: list[list[int]] = []
    sqrt_size = np.sqrt(size)
    for i in range(n):
        m = int(rng.poisson(wd.static_partners_mean * (1.0 + 0.5 * math.log1p(rel[i]))))
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
                     partners=partners, stage_centre=centre, ramp_up_y=wd.ramp_up_y, ramp_down_y=wd.ramp_down_y)


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


def _sample_day(rng: np.random.Generator, year: int, month_w: Sequence[float]) -> int:
    month = int(rng.choice(12, p=_p(month_w))) + 1
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first.toordinal() + int(rng.integers(0, (nxt - first).days))


def _make_companies(rng: np.random.Generator, n: int, wd: World = DEFAULT) -> tuple[Companies, Rounds]:
    S, R = len(wd.sectors), len(wd.regions)
    entry_year = rng.choice(wd.n_years, size=n, p=_p(wd.entry_year_w))
    share = np.array([s.share for s in wd.sectors])
    sector = np.zeros(n, dtype=int)
    for y in range(wd.n_years):
        idx = np.flatnonzero(entry_year == y)
        w = share * wd.hot[:, y]
        sector[idx] = rng.choice(S, size=idx.size, p=w / w.sum())
    sub = np.array([int(rng.integers(0, len(wd.sectors[s].subs))) if not wd.sectors[s].sub_w
                    else int(rng.choice(len(wd.sectors[s].subs), p=_p(wd.sectors[s].sub_w))) for s in sector])
    base_rw = np.array([w for _, w, _ in wd.regions])
    region = np.zeros(n, dtype=int)
    for s in range(S):
        idx = np.flatnonzero(sector == s)
        boost = wd.sector_region_boost.get(wd.sectors[s].code, {})
        w = base_rw * np.array([boost.get(name, 1.0) for name, _, _ in wd.regions])
        region[idx] = rng.choice(R, size=idx.size, p=w / w.sum())
    city = []
    for r in region:
        names = [c for c, _ in wd.regions[r][2]]
        city.append(names[int(rng.choice(len(names), p=_p([w for _, w in wd.regions[r][2]])))])
    quality = rng.normal(0.0, 1.0, n)

    entry_labels = list(wd.entry_label_p)
    entry_p = _p([wd.entry_label_p[x] for x in entry_labels])
    side_entry = list(wd.side_entry)
    side_entry_p = [wd.side_entry[x] for x in side_entry]
    end_day = dt.date(wd.years[-1], 12, 31).toordinal()
    r_company: list[int] = []
    r_label: list[int] = []
    r_day: list[int] = []
    founded: list[int | None] = []
    for c in range(n):
        day = _sample_day(rng, wd.years[int(entry_year[c])], wd.month_w)
        lab = entry_labels[int(rng.choice(len(entry_labels), p=entry_p))]
        # Ladder state: side rounds (strategic / other) enter at a random level.
        ladder = lab if lab in LADDER else str(rng.choice(side_entry, p=side_entry_p))
        level = LADDER[ladder]
        lag_y = 0.6 * math.exp(0.35 * level) * math.exp(float(rng.normal(0.0, 0.5)))
        founded.append(None if rng.random() < wd.p_empty_founded else day - int(lag_y * 365.25))
        while day <= end_day:
            r_company.append(c)
            r_label.append(L[lab])
            r_day.append(day)
            yi = wd.year_index(day)
            hot = wd.hot[sector[c], yi]
            logit = wd.continue_logit[ladder] + wd.q_survival * quality[c] + wd.hot_survival * math.log(hot)
            if rng.random() >= 1.0 / (1.0 + math.exp(-logit)):
                break
            gap = wd.gap_median_y[ladder] * math.exp(float(rng.normal(0.0, wd.gap_sigma)))
            gap /= hot ** wd.hot_speedup * math.exp(wd.q_speedup * quality[c])
            day += max(45, int(gap * 365.25))
            if rng.random() < wd.p_side_round[ladder]:
                lab = "strategic" if rng.random() < wd.p_side_strategic else "other"
            else:
                nxt = wd.next_label[ladder]
                keys = list(nxt)
                ladder = keys[int(rng.choice(len(keys), p=_p([nxt[k] for k in keys])))]
                lab = ladder
    company = np.array(r_company)
    label = np.array(r_label)
    day_arr = np.array(r_day)
    undisclosed_p = np.array([wd.p_undisclosed.get(x, 0.0) for x in LABELS])[label]
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


def _syndicate_size(rng: np.random.Generator, label: str, wd: World) -> int:
    mean_extra = wd.syndicate_mean[label] - 1.0
    r = wd.syndicate_dispersion
    extra = rng.negative_binomial(r, r / (r + mean_extra))
    return int(min(1 + extra, wd.max_syndicate))


def _assign(rng: np.random.Generator, inv: Investors, comp: Companies, rounds: Rounds,
            wd: World = DEFAULT) -> list[list[int]]:
    n = inv.kind.size
    order = np.lexsort((np.arange(rounds.day.size), rounds.day))
    participants: list[list[int]] = [[] for _ in range(rounds.day.size)]
    company_history: dict[int, list[tuple[int, int]]] = {}  # company -> [(investor, company round number)]
    company_round_no: dict[int, int] = {}
    co: list[dict[int, int]] = [{} for _ in range(n)]
    follow_base = np.array([wd.follow_base[k] for k in wd.kinds])[inv.kind]
    # Sector fit per year: (1 - g) x focus reweighted by hot ** trend + g x the year's market mix.
    hot_pow = np.exp(np.log(wd.hot.T)[:, None, :] * inv.trend[None, :, None])  # years x n x S
    focus = inv.pref[None, :, :] * hot_pow
    focus /= focus.sum(axis=2, keepdims=True)
    market = np.array([s.share for s in wd.sectors])[None, :] * wd.hot.T  # years x S
    market /= market.sum(axis=1, keepdims=True)
    g = inv.generalist[None, :, None]
    sector_fit = (1.0 - g) * focus + g * market[:, None, :]
    sector_fit /= sector_fit.mean(axis=2, keepdims=True)
    del hot_pow, focus
    sector_fit_t = np.ascontiguousarray(sector_fit.transpose(0, 2, 1))  # years x S x n
    quarter_t = np.array([wd.years[0] + (q + 0.5) / 4 for q in range(wd.n_quarters)])
    ramp_q = np.stack([inv.activity(t) for t in quarter_t])  # quarters x n
    act_q = ramp_q * inv.size[None, :] * inv.drift[:, np.arange(wd.n_quarters) // 4].T
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
        yi = wd.year_index(day)
        q = wd.quarter_index(day)
        lab_i = int(rounds.label[r])
        ramp = ramp_q[q]
        k = _syndicate_size(rng, label, wd)
        chosen: list[int] = []

        # 1. follow-on by earlier investors of the company.
        last_seen: dict[int, int] = {}
        for j, no in company_history.get(c, []):
            last_seen[j] = no
        for j, no in last_seen.items():
            p = follow_base[j] * wd.follow_decay ** (rno - 1 - no)
            p *= 0.3 + 0.7 * min(1.0, inv.stage_fit[j, lab_i])
            p *= 1.0 if ramp[j] > 0 else wd.follow_inactive
            if rng.random() < p:
                chosen.append(j)
        if len(chosen) > k:
            k = len(chosen)
        n_new = k - len(chosen)
        if chosen and n_new == 0 and rng.random() < wd.p_new_money_with_insiders * 0.5:
            n_new = 1
        elif chosen and n_new > 0 and rng.random() >= wd.p_new_money_with_insiders:
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
            if anchor is not None and u < wd.p_repeat and co[anchor]:
                ids = list(co[anchor])
                cnt = np.array([co[anchor][j] for j in ids], dtype=float)
                w = cnt ** wd.repeat_exp * ramp[ids] * (0.2 + np.minimum(1.0, inv.stage_fit[ids, lab_i]))
                if wd.partner_home_exp:
                    w = w * region_mult_t[comp.region[c], ids] ** wd.partner_home_exp
                pick = _pick_weighted(rng, ids, w, chosen)
            elif anchor is not None and u < wd.p_repeat + wd.p_static and inv.partners[anchor]:
                ids = inv.partners[anchor]
                w = ramp[ids] * inv.size[ids] ** 0.5 * (0.2 + np.minimum(1.0, inv.stage_fit[ids, lab_i]))
                if wd.partner_home_exp:
                    w = w * region_mult_t[comp.region[c], ids] ** wd.partner_home_exp
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
    d_year = np.array([wd.year_index(int(d)) for d in rounds.day[disclosed]])
    d_sector = comp.sector[rounds.company[disclosed]]
    d_region = comp.region[rounds.company[disclosed]]
    d_label = rounds.label[disclosed]
    for j in (int(x) for x in np.flatnonzero(counts == 0)) if disclosed.size else ():
        lo, hi = (int(x) for x in np.searchsorted(d_t, [inv.start[j], inv.end[j]]))
        sl = slice(lo, hi)
        ramp_j = np.clip((d_t[sl] - inv.start[j]) / wd.ramp_up_y, 0, 1)
        ramp_j = ramp_j * np.clip((inv.end[j] - d_t[sl]) / wd.ramp_down_y, 0, 1)
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


def _tags(rng: np.random.Generator, sector: int, sub: int, year: int, wd: World = DEFAULT) -> str:
    if rng.random() < wd.p_empty_tags:
        return ""
    sec = wd.sectors[sector]
    tags: list[str] = []
    if rng.random() < wd.p_parent_tag:
        tags.append(_pick(rng, sec.parents, 0.45))
    if rng.random() < wd.p_sub_tag or not tags:
        syn = sec.subs[sub][0]
        tags.append(_pick(rng, syn))
        if len(syn) > 1 and rng.random() < wd.p_second_sub_tag:
            tags.append(_pick(rng, syn[1:]))
    if rng.random() < wd.p_cross_tag:
        other = wd.sectors[wd.sec[str(rng.choice(wd.neighbours[sec.code]))]]
        tags.append(_pick(rng, other.subs[int(rng.integers(0, len(other.subs)))][0]) if rng.random() < 0.6
                    else _pick(rng, other.parents, 0.45))
    for word, probs in wd.buzzwords.items():
        if rng.random() < probs[year]:
            tags.append(word)
    if len(tags) > 1 and rng.random() < 0.25:
        tags = [tags[i] for i in rng.permutation(len(tags))]
    out: list[str] = []
    for t in tags:
        if t not in out:
            out.append(t)
    return "|".join(out)


def _company_description(rng: np.random.Generator, sector: int, sub: int, city: str, wd: World = DEFAULT) -> str:
    if rng.random() < wd.p_empty_company_desc:
        return ""
    _, zh, en = wd.sectors[sector].subs[sub]
    if rng.random() < wd.p_en_desc:
        tpl = wd.en_company_templates[int(rng.integers(0, len(wd.en_company_templates)))]
        return tpl.format(product=en, city_en="")
    tpl = wd.zh_company_templates[int(rng.integers(0, len(wd.zh_company_templates)))]
    return tpl.format(product=zh, city=city or "国内")


def _investor_description(rng: np.random.Generator, inv: Investors, i: int, wd: World = DEFAULT) -> str:
    if rng.random() < wd.p_empty_investor_desc:
        return ""
    kname = wd.kinds[inv.kind[i]]
    top = np.argsort(-inv.pref[i], kind="stable")[:2]
    secs_zh = [wd.sectors[s].parents[0] for s in top]
    if secs_zh[0] == secs_zh[1]:
        secs_zh = [wd.sectors[top[0]].parents[0]]
    lvl = int(round(float(inv.stage_centre[i])))
    region = wd.regions[inv.region[i]][0]
    if rng.random() < wd.p_en_desc:
        secs_en = [wd.sectors[s].subs[0][2] for s in top]
        return f"Invests in {wd.stage_en[lvl]} companies in {' and '.join(secs_en)}."
    tpl = int(rng.integers(0, 4))
    if tpl == 0:
        return f"专注于{'、'.join(secs_zh)}领域的{wd.stage_zh[lvl]}投资"
    if tpl == 1:
        return f"{region}的{wd.kind_zh[kname]}，重点关注{secs_zh[0]}"
    if tpl == 2:
        return f"主要投资{wd.stage_zh[lvl]}的{'、'.join(secs_zh)}项目"
    return f"{wd.kind_zh[kname]}，投资阶段以{wd.stage_zh[lvl]}为主"


# -- output ---------------------------------------------------------------------------------------------
def written_rounds(rounds: Rounds, parts: list[list[int]], companies: int, investors: int, wd: World,
                   ss: np.random.SeedSequence) -> tuple[np.ndarray, np.ndarray]:
    """(the rounds that are written, in date order; the investors that are, in numbering order).

    A world may write only a share of its market's companies (a data provider's coverage): the co-investment
    network in the files is then as sparse as in such an export. Investors left without a written investment
    are left out and the others numbered in their order. The coverage draw comes from a fifth child of
    ``ss`` (``bench.deal_oracle`` regenerates the same world through this function)."""
    order = np.lexsort((np.arange(rounds.day.size), rounds.day))
    investor_ids = np.arange(investors)
    if wd.company_share < 1.0:
        rng_cover = np.random.default_rng(ss.spawn(1)[0])
        covered = rng_cover.random(companies) < wd.company_share
        order = order[covered[rounds.company[order]]]
        investor_ids = np.unique(np.array([j for r in order for j in parts[r]], dtype=np.int64))
    return order, investor_ids


def generate(out: Path, investors: int | None = None, companies: int | None = None, seed: int = 0,
             preset: str | None = None) -> dict[str, int]:
    """Write the four CSV files of ``preset`` (None: the default world) into ``out``; returns the counts.

    ``investors`` / ``companies`` default to the world's own sizes (the default world: 7000 / 20000).
    """
    wd = PRESETS[preset] if preset is not None else DEFAULT
    investors = wd.investors if investors is None else investors
    companies = wd.companies if companies is None else companies
    ss = np.random.SeedSequence(seed)
    rng_inv, rng_comp, rng_deal, rng_text = (np.random.default_rng(s) for s in ss.spawn(4))
    inv = _make_investors(rng_inv, investors, wd)
    comp, rounds = _make_companies(rng_comp, companies, wd)
    parts = _assign(rng_deal, inv, comp, rounds, wd)

    # Ids follow the order of the first round; rounds are written in date order.
    order, investor_ids = written_rounds(rounds, parts, companies, investors, wd, ss)
    iid = {int(j): f"I{no + 1:05d}" for no, j in enumerate(investor_ids)}
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
            region = "" if rng_text.random() < wd.p_empty_region else wd.regions[comp.region[c]][0]
            city = "" if rng_text.random() < wd.p_empty_city else comp.city[c]
            f = comp.founded[c]
            w.writerow([cid[c], wd.company_name.format(no=no + 1),
                        _tags(rng_text, s, sb, wd.year_index(first_day[c]), wd), region,
                        city, dt.date.fromordinal(f).isoformat() if f is not None else "",
                        _company_description(rng_text, s, sb, comp.city[c], wd)])
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
                w.writerow([f"R{no + 1:06d}", iid[j]])
                n_inv_rows += 1
    with open(out / "investors.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["investor_id", "name", "kind", "description"])
        for no, j in enumerate(int(x) for x in investor_ids):
            w.writerow([iid[j], wd.investor_name.format(no=no + 1), wd.kinds[inv.kind[j]],
                        _investor_description(rng_text, inv, j, wd)])
    return {"companies": len(first_round), "rounds": int(order.size), "investments": n_inv_rows,
            "investors": int(investor_ids.size)}


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
    first_year = min((int(r["date"][:4]) for r in rounds), default=YEARS[0])
    last_year = max((int(r["date"][:4]) for r in rounds), default=YEARS[-1])
    years = range(first_year, last_year + 1)
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
        "rounds_per_year": {str(y): sum(r["date"][:4] == str(y) for r in rounds) for y in years},
        "ndcg@10": {k: round(float(np.mean(v)), 4) if v else None for k, v in scores.items()},
    }


def _print_summary(stats: dict[str, object]) -> None:
    for key, val in stats.items():
        print(f"{key}: {val}")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.backtest_data", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="directory for the 4 CSV files")
    ap.add_argument("--preset", choices=sorted(PRESETS), help="a world calibrated on a real deal set (see above)")
    ap.add_argument("--investors", type=int, help="default: the world's (7000 without --preset)")
    ap.add_argument("--companies", type=int, help="default: the world's (20000 without --preset)")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply the world's default --investors and --companies (e.g. 0.1 for a quick sample)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stats", action="store_true", help="print statistics and naive baselines afterwards")
    ap.add_argument("--summarize", type=Path, help="only print the statistics of an existing directory")
    ap.add_argument("--cutoff", help="window start of the statistics (default: the world's, 2023-01-01)")
    ap.add_argument("--until", help="window end of the statistics (default: the world's, 2025-01-01)")
    args = ap.parse_args(argv)
    wd = PRESETS[args.preset] if args.preset else DEFAULT
    cutoff = args.cutoff or wd.cutoff
    until = args.until or wd.until
    if args.summarize is not None:
        _print_summary(summarize(args.summarize, cutoff, until))
        return
    if args.out is None:
        ap.error("--out is required (or --summarize DIR)")
    if not args.scale > 0:
        ap.error("--scale must be positive")
    investors = args.investors if args.investors is not None else max(1, round(wd.investors * args.scale))
    companies = args.companies if args.companies is not None else max(1, round(wd.companies * args.scale))
    if investors < 1 or companies < 1:
        ap.error("--investors and --companies must be at least 1")
    t0 = time.perf_counter()
    counts = generate(args.out, investors=investors, companies=companies, seed=args.seed, preset=args.preset)
    print(f"wrote {args.out}: {counts} in {time.perf_counter() - t0:.1f}s")
    if args.stats:
        _print_summary(summarize(args.out, cutoff, until))


if __name__ == "__main__":
    main()
