"""Deterministic generator of varied Chinese profile text for the seed data.

Approach
--------
Every text is rendered from *phrase banks* through a tiny template language, compiled once at import:

* ``[a|b|c]`` picks one alternative at random (nestable; ``[x|]`` makes ``x`` optional),
* ``{slot}`` inserts a slot value; a slot is a string or a zero-argument callable evaluated lazily the
  first time a template uses it (then memoised for the rest of that call, so one text stays coherent),
* a top-level ``|`` in a bank entry splits it into several bank entries.

The banks hold, per industry, synonyms, generic products, value propositions and typical roles; per
latent sub-topic (18 industries x 4, see :mod:`seed_data.topics`) synonyms of the label, concrete product
or technology nouns and typical customers; per need code noun phrases and clauses written from the
founder's side ("we need ..."), the mentor's side ("I can help with ...") and the provider's side (service
offerings); and, per field, a dozen or more sentence frames with optional clauses and varied joiners.
Short fields are rendered under a length budget (re-drawn a few times, then a compact frame that still
names every requested need), and about one time in five a short field stays vague about the sub-topic.

Every random choice goes through the caller's ``numpy.random.Generator`` (``rng.integers`` to index
Python sequences, ``rng.random`` for coin flips), iteration is only over lists and tuples, so the same
generator state always yields the same text. Only ``str`` values are returned. A call takes well under a
millisecond.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from matcher.geography import LEGACY_CODES
from matcher.taxonomy import PROVIDER_SERVES, REGIONS
from seed_data.topics import SUBTOPICS

__all__ = [
    "investor_texts",
    "mentor_texts",
    "person_name",
    "project_texts",
    "provider_texts",
    "space_texts",
]

# =====================================================================================================
# Template engine
# =====================================================================================================

_SLOT = 0
_ALT = 1
_Item = TypeVar("_Item")

# A compiled template: a plain string, or a tuple of parts (str, (_SLOT, name) or (_ALT, (Tpl, ...))).
Tpl = str | tuple[Any, ...]
SlotValue = str | Callable[[], str]
Slots = dict[str, SlotValue]


def _freeze(parts: list[Any]) -> Tpl:
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if not merged:
        return ""
    if len(merged) == 1 and isinstance(merged[0], str):
        return merged[0]
    return tuple(merged)


def _parse(src: str, i: int, nested: bool) -> tuple[list[Tpl], int]:
    """Parse alternatives up to the closing ``]`` (nested) or the end of ``src``."""
    alts: list[list[Any]] = [[]]
    buf: list[str] = []

    def flush() -> None:
        if buf:
            alts[-1].append("".join(buf))
            buf.clear()

    n = len(src)
    while i < n:
        ch = src[i]
        if ch == "[":
            flush()
            sub, i = _parse(src, i + 1, True)
            alts[-1].append((_ALT, tuple(sub)))
            continue
        if ch == "]":
            if not nested:
                raise ValueError(f"unbalanced ']' in template: {src!r}")
            flush()
            return [_freeze(a) for a in alts], i + 1
        if ch == "|":
            flush()
            alts.append([])
        elif ch == "{":
            j = src.index("}", i)
            flush()
            alts[-1].append((_SLOT, src[i + 1:j]))
            i = j
        else:
            buf.append(ch)
        i += 1
    if nested:
        raise ValueError(f"unbalanced '[' in template: {src!r}")
    flush()
    return [_freeze(a) for a in alts], i


def _T(*sources: str) -> list[Tpl]:
    """Compile template sources; a top-level ``|`` splits a source into several templates."""
    out: list[Tpl] = []
    for src in sources:
        out.extend(_parse(src, 0, False)[0])
    return out


def _render(rng: np.random.Generator, tpl: Tpl, slots: Slots) -> str:
    if type(tpl) is str:
        return tpl
    out: list[str] = []
    for part in tpl:
        if type(part) is str:
            out.append(part)
        elif part[0] == _SLOT:
            value = slots[part[1]]
            if not isinstance(value, str):
                value = value()
                slots[part[1]] = value
            out.append(value)
        else:
            alts = part[1]
            out.append(_render(rng, alts[int(rng.integers(len(alts)))], slots))
    return "".join(out)



def _pick(rng: np.random.Generator, seq: Sequence[_Item]) -> _Item:
    return seq[int(rng.integers(len(seq)))]


def _say(rng: np.random.Generator, bank: Sequence[Tpl], slots: Slots) -> str:
    """Render one randomly chosen template of ``bank``."""
    return _render(rng, bank[int(rng.integers(len(bank)))], slots)


def _chance(rng: np.random.Generator, p: float) -> bool:
    return float(rng.random()) < p


def _shuffled(rng: np.random.Generator, items: Sequence[_Item]) -> list[_Item]:
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = int(rng.integers(i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def _sample(rng: np.random.Generator, items: Sequence[_Item], k: int) -> list[_Item]:
    """``k`` distinct items of ``items`` in random order (all of them when ``k >= len``)."""
    return _shuffled(rng, items)[:k]


_AND2 = ("和", "与", "以及", "、", "及", "和")
_ANDN = ("和", "以及", "及", "、", "和")


def _join(rng: np.random.Generator, items: Sequence[str]) -> str:
    """Join noun phrases: A / A和B / A、B以及C ..."""
    n = len(items)
    if n == 0:
        return ""
    if n == 1:
        return items[0]
    if n == 2:
        return items[0] + _pick(rng, _AND2) + items[1]
    return "、".join(items[:-1]) + _pick(rng, _ANDN) + items[-1]


_NO_REPEAT = ("希望", "急需", "另外", "同时", "此外", "能帮", "可以", "擅长", "熟悉", "提供")


def _first_fit(make: Callable[[], str], limit: int, tries: int = 5) -> str | None:
    """Return the first rendering of ``make`` within ``limit`` characters that does not repeat a
    connective word (希望 ... 希望), or None."""
    fallback = None
    for _ in range(tries):
        text = make()
        if len(text) <= limit:
            if not any(text.count(word) > 1 for word in _NO_REPEAT):
                return text
            fallback = fallback or text
    return fallback


def _int(rng: np.random.Generator, lo: int, hi: int) -> int:
    """Uniform integer in [lo, hi]."""
    return lo + int(rng.integers(hi - lo + 1))


def _wan(amount_yuan: float) -> str:
    """Format an amount of yuan the way founders write it: 300万元, 1.2亿元."""
    wan = amount_yuan / 1e4
    if wan >= 10000:
        yi = round(wan / 10000, 1)
        return (f"{yi:.1f}".rstrip("0").rstrip(".")) + "亿元"
    if wan >= 1000:
        return f"{int(round(wan, -2))}万元"
    if wan >= 100:
        return f"{int(round(wan / 50) * 50)}万元"
    return f"{max(10, int(round(wan, -1)))}万元"


# =====================================================================================================
# Person names
# =====================================================================================================

# Roughly in order of frequency; the sampler favours the front of the list.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "慕容", "东方", "皇甫", "令狐", "夏侯", "尉迟", "公孙",
                      "端木", "司徒", "长孙", "宇文", "澹台")
_GIVEN_M = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳晨博文昊然轩睿哲瀚铭泽宏志远航翔毅峰彬"
    "逸凡诚嘉翰弘晟骏炜昕霖恺煜琛锐晖卓皓朗昱楷致恒立松柏嵩岩坤亮"
)
_GIVEN_F = (
    "芳娜敏静丽艳娟霞婷雪慧莹颖琳倩洁蕾萍玲丹璐瑶怡欣悦涵琪雯晴菲梦诗雅璇婧妍蓉薇露瑾萱馨宁月岚思彤语"
    "佳心蕊婉清韵茜茹媛珊竹晓嘉婕楠可一青"
)
_GIVEN_N = "子思文嘉宇晓一安家明海天之心若奕书云佳雨亦志新承泽"
_REDUP_F = ("婷婷", "莹莹", "思思", "菲菲", "晶晶", "佳佳", "欣欣", "璐璐", "丹丹", "悦悦")


def person_name(rng: np.random.Generator) -> str:
    """A realistic Chinese full name: common surnames more often, 2- and 3-character names, a few
    compound surnames and reduplicated given names."""
    if _chance(rng, 0.025):
        surname = _pick(rng, _COMPOUND_SURNAMES)
    else:
        u = float(rng.random())
        surname = _SURNAMES[int(len(_SURNAMES) * u * u)]
    female = _chance(rng, 0.45)
    pool = _GIVEN_F if female else _GIVEN_M
    if female and _chance(rng, 0.04):
        return surname + _pick(rng, _REDUP_F)
    if _chance(rng, 0.24):
        return surname + _pick(rng, pool)
    first = _pick(rng, _GIVEN_N) if _chance(rng, 0.25) else _pick(rng, pool)
    second = _pick(rng, pool)
    while second == first:
        second = _pick(rng, pool)
    return surname + first + second


# =====================================================================================================
# Brands and organisation names
# =====================================================================================================

_BRAND_A = (
    "智云青星启极灵深若知象微数易优元睿悦拓行禾森鲸蜂鹿澜曜熠衡格朗简维度源途驰迈卓领航光天海山川华恒博嘉聚"
    "合安达信诚创新明清远芯慧泽瀚宸墨乐"
)
_BRAND_B = (
    "智云图科联创芯视瞳数帆途行达禾森川澜曜石桥界维度源链盾翼擎锐迅捷衡动能谷语言声象鹰鲸蜂芽穗峰岩宇辰泉湾"
    "点方极睿"
)
_BRAND_FULL = (
    "小蜂", "青鹿", "小象", "白鲸", "知了", "蓝鲸", "萤火", "北极星", "向日葵", "蒲公英", "木棉", "青橙",
    "麦田",
    "飞鱼", "小熊", "灯塔", "极光", "松果", "橡树", "星火", "墨鱼", "鲲鹏", "千里马", "九章", "天枢", "北斗",
)


def _brand(rng: np.random.Generator) -> str:
    if _chance(rng, 0.18):
        return _pick(rng, _BRAND_FULL)
    a = _pick(rng, _BRAND_A)
    b = _pick(rng, _BRAND_B)
    while b == a:
        b = _pick(rng, _BRAND_B)
    return a + b


_FUND_A = "启明星鼎晖弘泰元禾嘉盛华信达君和同创瑞博远清涌金沙江德峰源松柏云海高领深蓝北辰东方青山"
_FUND_B = "明晖泰元德盛信和源峰辰川资瀚石桥禾远"


def _fund_brand(rng: np.random.Generator) -> str:
    a = _pick(rng, _FUND_A)
    b = _pick(rng, _FUND_B)
    while b == a:
        b = _pick(rng, _FUND_B)
    if _chance(rng, 0.2):
        return a + b + _pick(rng, ("星", "阳", "光", "海", "山", "谷"))
    return a + b


_UNIVERSITIES = (
    "清华大学", "北京大学", "浙江大学", "上海交通大学", "复旦大学", "华中科技大学", "中国科学技术大学",
    "南京大学", "西安交通大学", "哈尔滨工业大学", "电子科技大学", "中山大学", "武汉大学", "同济大学",
    "北京航空航天大学", "东南大学", "四川大学", "华南理工大学", "厦门大学", "山东大学", "大连理工大学",
    "中南大学", "天津大学", "重庆大学", "兰州大学", "东北大学", "吉林大学", "南开大学", "西北工业大学",
    "北京理工大学", "中国农业大学", "华东师范大学", "苏州大学", "深圳大学", "南方科技大学", "郑州大学",
)
_INSTITUTES = (
    "中科院自动化所", "中科院计算所", "中科院微电子所", "中科院半导体所", "中科院化学所",
    "中科院深圳先进技术研究院", "中科院苏州纳米所", "中科院上海硅酸盐所", "中科院宁波材料所",
    "中科院大连化物所", "中国农科院", "中国医学科学院", "鹏城实验室", "之江实验室", "上海人工智能实验室",
)
_OVERSEAS_UNI = ("斯坦福大学", "麻省理工学院", "新加坡国立大学", "帝国理工学院", "慕尼黑工业大学",
                 "加州大学伯克利分校", "剑桥大学", "南洋理工大学", "卡内基梅隆大学", "多伦多大学")

# =====================================================================================================
# Industry banks
# =====================================================================================================


class _Industry:
    __slots__ = ("syn", "gen", "core", "suf", "value", "role", "theme", "bg")

    def __init__(self, syn: str, gen: str, core: str, suf: str, value: str, role: str, theme: str,
                 bg: str) -> None:
        self.syn = _T(syn)      # synonyms of the industry
        self.gen = _T(gen)      # generic product nouns (used when a text stays vague)
        self.core = _T(core)    # what would be patented / protected
        self.suf = _T(suf)      # company-name suffixes
        self.value = _T(value)  # what the customer gets ("让客户{value}")
        self.role = _T(role)    # roles a team in this industry hires
        self.theme = _T(theme)  # words for space names
        self.bg = _T(bg)        # where founders in this industry come from


_IND: dict[str, _Industry] = {
    "ai": _Industry(
        "人工智能|AI|智能算法|机器学习|深度学习|AI技术",
        "AI解决方案|智能算法平台|行业AI应用|AI软件|智能分析系统",
        "核心算法|模型训练方法|算法模型|推理加速方案",
        "智能|科技|智能科技|AI|智算",
        "降本增效|减少重复劳动|更快做出决策|提升准确率",
        "算法工程师|AI产品经理|数据科学家|机器学习工程师",
        "AI|智能|智谷|数智",
        "顶尖AI实验室|头部互联网公司的算法团队|知名高校计算机系",
    ),
    "big_data": _Industry(
        "大数据|数据智能|数据分析|数据服务|数据要素",
        "数据平台|数据分析产品|数据服务|数据治理工具|数据应用",
        "数据处理算法|核心软件|数据引擎",
        "数据|数据科技|信息技术|数智|数科",
        "用好数据|提升决策效率|打通数据孤岛|盘活数据资产",
        "数据工程师|大数据架构师|售前解决方案专家|数据分析师",
        "数据|数智|云",
        "头部云厂商|银行科技部门|互联网大厂数据中台团队",
    ),
    "iot": _Industry(
        "物联网|IoT|智能硬件|万物互联|物联网技术",
        "物联网终端|智能传感方案|联网设备管理平台|智能硬件|物联网解决方案",
        "通信协议栈|硬件方案|传感模组设计|嵌入式软件",
        "物联|智联|科技|智能|电子",
        "实现设备联网|降低运维成本|实时掌握设备状态|减少人工巡检",
        "嵌入式工程师|硬件工程师|物联网平台开发|射频工程师",
        "物联|智联|IoT",
        "通信设备企业|家电龙头|知名高校电子系",
    ),
    "open_hardware": _Industry(
        "开源硬件|创客硬件|智能硬件|硬件创新|开源电子",
        "开源硬件产品|智能硬件|创客工具|硬件开发套件|电子模块",
        "硬件设计|电路方案|结构设计|固件",
        "创客|电子|科技|智造|硬件",
        "更低门槛地做硬件|快速做出原型|动手学习科技|把创意变成产品",
        "硬件工程师|结构工程师|供应链经理|固件工程师",
        "创客|硬件|智造",
        "开源社区|消费电子企业|高校创客空间",
    ),
    "robotics": _Industry(
        "机器人|智能机器人|机器人技术|自动化装备|具身智能",
        "机器人整机|智能装备|运动控制系统|机器人解决方案|自动化设备",
        "运动控制算法|核心零部件|控制器|关节模组",
        "机器人|智能|自动化|科技|智控",
        "解决招工难|替代重复劳动|提升作业效率|降低人工成本",
        "运动控制工程师|机器人算法工程师|机械设计工程师|电气工程师",
        "机器人|智造|智能",
        "机器人龙头企业|高校机器人实验室|工业自动化企业",
    ),
    "advanced_manufacturing": _Industry(
        "先进制造|智能制造|高端装备|工业制造|制造业数字化",
        "智能装备|工业软件|制造工艺方案|高端装备|自动化产线",
        "工艺|设备结构|加工工艺|控制软件",
        "智造|精工|装备|科技|精密",
        "提升良率|降本增效|缩短交付周期|减少停机",
        "工艺工程师|机械设计工程师|工业软件开发|自动化工程师",
        "智造|工业|精工",
        "大型装备制造企业|汽车主机厂|工业软件公司",
    ),
    "semiconductors": _Industry(
        "集成电路|半导体|芯片|IC|芯片产业",
        "芯片产品|半导体器件|集成电路方案|芯片|半导体设备",
        "芯片架构|IP核|器件结构|版图设计",
        "微电子|半导体|芯|芯片|集成电路",
        "实现国产替代|降低功耗|降低BOM成本|提升性能",
        "芯片设计工程师|模拟电路工程师|验证工程师|工艺整合工程师",
        "芯|芯谷|集成电路",
        "国际芯片大厂|晶圆代工厂|高校微电子学院",
    ),
    "new_energy": _Industry(
        "新能源|绿色科技|清洁能源|双碳|低碳技术|绿色能源",
        "清洁能源方案|节能减排产品|绿色能源装备|新能源产品|低碳解决方案",
        "电化学体系|核心工艺|材料配方|系统控制策略",
        "能源|新能源|绿能|环境科技|储能",
        "降低用能成本|实现减碳目标|提升能源效率|用上绿电",
        "电化学工程师|电力电子工程师|项目开发经理|BMS工程师",
        "绿色|零碳|能源",
        "动力电池龙头|光伏企业|能源央企|高校能源学院",
    ),
    "biotech_health": _Industry(
        "生物医药|大健康|医疗健康|生命科学|医药|生物技术",
        "健康产品|医疗解决方案|生物技术产品|医疗产品|创新疗法",
        "候选分子|核心技术|检测方法|制剂工艺",
        "生物|医疗|健康|医药|生命科技",
        "更早发现疾病|降低诊疗成本|提升诊疗效率|获得更好的治疗",
        "临床注册专员|研发科学家|医学事务经理|质量负责人",
        "生命|健康|医谷",
        "跨国药企|三甲医院|医学院与研究所",
    ),
    "new_materials": _Industry(
        "新材料|先进材料|功能材料|材料科学|新型材料",
        "功能材料|高性能材料|新型复合材料|特种材料|材料产品",
        "材料配方|制备工艺|合成路线|改性技术",
        "材料|新材料|新材|科技|材料科技",
        "替代进口材料|减轻重量|提升产品性能|降低材料成本",
        "材料研发工程师|工艺工程师|应用工程师|分析测试工程师",
        "材料|新材",
        "材料研究所|化工龙头企业|高校材料学院",
    ),
    "ecommerce_consumer": _Industry(
        "电商|消费|新零售|消费品|零售|电商与消费",
        "消费品牌|电商平台|零售产品|消费产品|线上店铺",
        "品牌商标|产品配方|包装设计|外观设计",
        "电子商务|品牌|商贸|网络科技|优选",
        "买到好产品|提升复购|降低获客成本|提升客单价",
        "电商运营|供应链经理|品牌经理|直播运营",
        "电商|新消费|直播",
        "头部电商平台|快消品公司|知名消费品牌",
    ),
    "culture_creative": _Industry(
        "文创|文化创意|内容创作|数字文化|文化产业",
        "文创产品|原创内容|IP衍生品|文化产品|数字内容",
        "原创IP|作品版权|形象设计|美术资产",
        "文化|文创|传媒|影业|创意",
        "讲好文化故事|获得新鲜体验|提升品牌影响力|留住年轻用户",
        "原画师|内容编导|IP运营|动画师",
        "文创|创意|数字文化",
        "美术学院|游戏公司|内容平台",
    ),
    "education": _Industry(
        "教育|教育科技|在线教育|培训|教育服务",
        "课程产品|学习平台|教育服务|教学工具|培训项目",
        "课程体系|教学方法|教研内容|题库",
        "教育|教育科技|学堂|学苑|课堂",
        "学得更高效|提升就业竞争力|减轻教学负担|个性化学习",
        "教研老师|课程设计师|校园渠道销售|学习顾问",
        "教育|学堂|青年",
        "师范院校|教育集团|在线教育平台",
    ),
    "agriculture_rural": _Industry(
        "农业|乡村振兴|三农|现代农业|农业农村",
        "农业解决方案|特色农产品|乡村产业项目|农业服务|涉农产品",
        "品种|种植技术|加工工艺|栽培方法",
        "农业|农业科技|生态|农创|农品",
        "增产增收|卖出好价钱|省工节水|提高产量",
        "农艺师|农产品运营|县域市场经理|植保技术员",
        "乡创|农创|田园",
        "农业大学|农科院|返乡创业青年",
    ),
    "fintech": _Industry(
        "金融科技|科技金融|数字金融|金融IT|Fintech",
        "金融科技平台|金融风控产品|数字金融服务|金融软件|金融SaaS",
        "风控模型|核心系统|算法|交易引擎",
        "金融科技|数科|信息科技|科技",
        "控制风险|提升资金效率|降低融资成本|提高审批效率",
        "风控建模专家|金融产品经理|合规负责人|后端工程师",
        "金融科技|数字金融",
        "银行科技子公司|头部券商|互联网金融平台",
    ),
    "enterprise_services": _Industry(
        "企业服务|SaaS|ToB软件|企业软件|数字化服务",
        "SaaS产品|企业数字化工具|ToB软件|管理软件|云服务",
        "核心软件|系统架构|源代码|核心模块",
        "软件|信息技术|网络科技|云|数字科技",
        "提升协作效率|降低IT成本|实现数字化管理|少加班",
        "全栈工程师|SaaS销售|客户成功经理|产品经理",
        "云|软件|数字",
        "头部SaaS公司|外企软件部门|大型互联网企业",
    ),
    "smart_mobility": _Industry(
        "智能交通|智慧出行|交通科技|出行|智能网联",
        "出行解决方案|交通科技产品|智能网联方案|出行服务|交通管理系统",
        "感知算法|核心部件|调度算法|控制系统",
        "出行|智行|交通科技|科技|驾驶",
        "降低运营成本|提升通行效率|实现安全出行|减少空驶",
        "感知算法工程师|汽车电子工程师|运营经理|功能安全工程师",
        "智行|出行",
        "整车厂|自动驾驶公司|交通规划院",
    ),
    "social_innovation": _Industry(
        "社会创新|公益科技|民生服务|社区公益|社会创新与公益",
        "社区公益项目|民生服务产品|社会创新项目|公益服务|便民服务",
        "服务模式|平台软件|品牌|运营方法",
        "公益|社会服务|科技|社创",
        "获得便利服务|提升服务可及性|改善社区生活|少跑腿",
        "社工|项目运营|志愿者管理|社区运营",
        "公益|社创|社区",
        "公益基金会|社工机构|互联网公司公益部门",
    ),
}

# A generic stand-in used when a provider has no industry focus.
_GENERIC = _Industry(
    "科技|科技创新|硬科技|创新创业", "科技产品|创新产品|技术服务", "核心技术|关键工艺", "科技|创新",
    "降本增效|提升效率", "技术骨干|销售负责人", "创新|青年|梦想", "高校|大企业",
)


class _Sub:
    __slots__ = ("syn", "prod", "cust")

    def __init__(self, syn: str, prod: str, cust: str) -> None:
        self.syn = _T(syn)    # synonyms of the sub-topic label
        self.prod = _T(prod)  # concrete products / technologies
        self.cust = _T(cust)  # typical customers


_SUB: dict[str, list[_Sub]] = {
    "ai": [
        _Sub("计算机视觉|机器视觉|视觉识别|图像识别|视觉AI",
             "工业视觉质检系统|智能安防摄像头算法|零售货架识别方案|视觉缺陷检测平台|人脸与行为分析引擎",
             "制造企业|安防集成商|连锁零售商|园区物业"),
        _Sub("自然语言处理|大模型应用|大语言模型|AIGC|NLP",
             "企业知识库问答助手|智能客服机器人|合同智能审阅工具|垂直行业大模型|营销文案生成平台",
             "中大型企业|律所|电商商家|政务热线"),
        _Sub("语音识别|语音合成|智能语音|语音交互|声学AI",
             "离线语音识别模组|智能语音外呼系统|会议转写工具|方言语音识别引擎|车载语音助手",
             "呼叫中心|家电厂商|车企|会议服务商"),
        _Sub("推荐算法|决策优化|运筹优化|智能决策|推荐系统",
             "个性化推荐引擎|智能排产优化系统|动态定价工具|物流路径规划平台|库存预测模型",
             "电商平台|工厂|物流公司|内容平台"),
    ],
    "big_data": [
        _Sub("数据治理|数据中台|数据资产管理|主数据管理",
             "主数据管理平台|数据质量监控工具|一站式数据中台|数据血缘分析系统|数据资产目录",
             "国企|银行|政务部门|集团企业"),
        _Sub("商业智能|数据可视化|BI|自助分析|经营分析",
             "自助式BI工具|经营驾驶舱|数据可视化大屏|报表分析SaaS|指标管理平台",
             "零售企业|中小企业|连锁品牌|政府部门"),
        _Sub("隐私计算|联邦学习|多方安全计算|数据安全流通|可信数据空间",
             "联邦学习平台|隐私求交组件|数据可信流通平台|可信执行环境方案|隐私计算一体机",
             "银行|保险公司|医院|数据交易所"),
        _Sub("工业大数据|工业数据分析|设备数据分析|工业互联网数据",
             "设备预测性维护系统|能耗分析平台|工艺参数优化软件|产线数据采集网关|质量追溯系统",
             "制造工厂|电厂|钢铁企业|化工园区"),
    ],
    "iot": [
        _Sub("智能家居|全屋智能|家庭物联网|智慧家庭",
             "智能门锁|全屋智能中控屏|智能照明系统|家用环境传感器|智能窗帘电机",
             "家装公司|地产开发商|家庭用户|酒店"),
        _Sub("工业物联网|工业传感器|工业互联网|智能传感|设备物联",
             "无线振动传感器|边缘采集网关|设备状态监测终端|MEMS压力传感器|工业无线模组",
             "工厂|能源企业|设备厂商|水务公司"),
        _Sub("车联网|智能网联|V2X|车路协同",
             "车载T-Box|V2X路侧单元|车队管理平台|车载智能终端|车路协同感知设备",
             "车企|物流车队|交通管理部门|网约车平台"),
        _Sub("智慧城市|城市感知|城市物联网|数字孪生城市|城市生命线",
             "城市管网监测终端|智能井盖|环境监测微站|智慧路灯|燃气泄漏监测仪",
             "城投公司|市政部门|街道社区|园区管委会"),
    ],
    "open_hardware": [
        _Sub("创客教育|STEAM教具|编程硬件|创客教育套件",
             "图形化编程机器人套件|Arduino兼容教学套件|AI视觉实验箱|电子积木|创客实验室整体方案",
             "中小学|培训机构|高校实验室|家长"),
        _Sub("开源芯片|开发板|RISC-V|嵌入式开发|开源芯片与开发板",
             "RISC-V开发板|边缘AI开发板|单板计算机|开源MCU模组|开源调试器",
             "硬件开发者|高校|方案商|创客"),
        _Sub("3D打印|桌面级3D打印|快速成型|3D打印技术",
             "桌面级3D打印机|光固化打印设备|3D打印耗材|打印切片软件|多色打印系统",
             "设计工作室|学校|手板厂|个人创客"),
        _Sub("可穿戴设备|智能穿戴|穿戴式健康设备|可穿戴",
             "智能手环|健康监测手表|智能眼镜|儿童定位手表|骨传导运动耳机",
             "消费者|运动人群|老年人|保险公司"),
    ],
    "robotics": [
        _Sub("服务机器人|商用服务机器人|配送机器人|商用机器人",
             "餐厅送餐机器人|商用清洁机器人|酒店配送机器人|导览接待机器人|陪伴机器人",
             "餐饮连锁|酒店|商场|医院"),
        _Sub("工业机械臂|协作机器人|工业机器人|机械臂",
             "六轴协作机械臂|视觉引导分拣工作站|焊接机器人|上下料机器人|码垛机器人",
             "汽车零部件厂|3C工厂|系统集成商|食品企业"),
        _Sub("无人机|无人飞行器|低空经济|工业无人机",
             "植保无人机|电力巡检无人机|物流配送无人机|测绘无人机|无人机机场",
             "农户与合作社|电网公司|测绘单位|应急管理部门"),
        _Sub("手术机器人|医疗机器人|康复机器人|医疗手术机器人",
             "骨科手术导航机器人|腔镜手术机器人|康复外骨骼|穿刺定位机器人|口腔种植机器人",
             "三甲医院|康复中心|医疗器械经销商"),
    ],
    "advanced_manufacturing": [
        _Sub("精密加工|超精密制造|精密零部件|精密制造",
             "五轴数控加工中心|超精密模具|精密光学元件|微细加工服务|精密轴承",
             "航空航天企业|医疗器械厂|光学企业|汽车零部件厂"),
        _Sub("智能工厂|数字孪生|工业软件|MES|智能工厂与数字孪生",
             "制造执行系统MES|产线数字孪生平台|设备联网与OEE看板|智能排产软件|工厂仿真软件",
             "离散制造企业|汽车工厂|电子厂|工业园区"),
        _Sub("增材制造|金属3D打印|激光成形|增材制造技术",
             "金属粉末床熔融设备|增材制造专用粉末|随形冷却模具|大尺寸电弧增材装备|打印后处理设备",
             "航空发动机企业|模具厂|骨科植入物企业|军工院所"),
        _Sub("工业检测|无损检测|在线检测|工业检测设备|质量检测装备",
             "X射线在线检测设备|超声探伤仪|激光轮廓测量仪|AOI光学检测设备|涡流检测系统",
             "锂电厂|半导体封测厂|钢铁企业|汽车厂"),
    ],
    "semiconductors": [
        _Sub("芯片设计|IC设计|Fabless|数字芯片设计",
             "低功耗MCU|AI加速芯片|射频前端芯片|电源管理芯片|图像传感器芯片",
             "消费电子厂商|汽车电子企业|模组厂|安防企业"),
        _Sub("功率半导体|功率器件|碳化硅|第三代半导体",
             "SiC MOSFET|IGBT模块|GaN快充芯片|功率模块封装|车规级二极管",
             "新能源车企|光伏逆变器厂|充电桩企业|电源厂商"),
        _Sub("封装测试|先进封装|芯片测试|封测",
             "晶圆级封装|SiP系统级封装|芯片测试座|测试程序开发服务|Chiplet封装方案",
             "芯片设计公司|晶圆厂|IDM企业"),
        _Sub("EDA|EDA工具|芯片设计软件|国产EDA",
             "版图验证工具|电路仿真器|时序分析软件|国产化EDA平台|芯片良率分析软件",
             "芯片设计公司|晶圆代工厂|高校微电子学院"),
    ],
    "new_energy": [
        _Sub("储能|储能电池|电化学储能|锂电|新型储能",
             "户用储能系统|工商业储能柜|电池管理系统BMS|钠离子电池|退役电池梯次利用方案",
             "工商业园区|电网公司|家庭用户|新能源车企"),
        _Sub("光伏|太阳能|分布式光伏|光伏发电",
             "钙钛矿电池组件|分布式光伏电站|光伏清洗机器人|光伏运维平台|光伏支架跟踪系统",
             "工商业屋顶业主|电站投资商|农村家庭|地方能源公司"),
        _Sub("氢能|燃料电池|绿氢|氢燃料",
             "氢燃料电池电堆|电解水制氢设备|高压储氢瓶|加氢站系统|膜电极",
             "商用车企业|化工企业|能源集团|港口"),
        _Sub("碳管理|节能|碳中和|能效管理|碳管理与节能",
             "企业碳核算SaaS|工业余热回收装置|楼宇能耗管理系统|碳足迹认证服务|空压站节能改造",
             "出口制造企业|公共建筑|工业园区|上市公司"),
    ],
    "biotech_health": [
        _Sub("创新药|新药研发|生物药|创新药研发",
             "小分子靶向药|抗体药物|mRNA疫苗|细胞治疗产品|AI药物筛选平台",
             "药企|CRO公司|医院|患者"),
        _Sub("医疗器械|医疗设备|医用耗材|高端医疗器械",
             "便携式超声|心电监护设备|介入导管|骨科植入物|康复理疗设备",
             "医院|基层卫生院|养老机构|经销商"),
        _Sub("数字医疗|互联网医疗|医疗信息化|智慧医疗",
             "慢病管理APP|AI辅助诊断系统|互联网医院平台|医院数据平台|远程问诊系统",
             "医院|患者|药企|保险公司"),
        _Sub("体外诊断|IVD|分子诊断|POCT",
             "POCT快速检测仪|化学发光试剂|基因测序检测|微流控芯片|核酸检测试剂盒",
             "医院检验科|第三方检测机构|疾控中心|基层诊所"),
    ],
    "new_materials": [
        _Sub("高分子材料|特种工程塑料|功能高分子|高分子",
             "耐高温工程塑料|医用高分子|特种涂料|高性能胶粘剂|改性尼龙",
             "汽车厂|电子厂|医疗器械企业|包装企业"),
        _Sub("石墨烯|碳材料|碳纤维|碳纳米管|石墨烯与碳材料",
             "石墨烯导热膜|碳纳米管导电浆料|碳纤维复合材料|石墨烯防腐涂料|硅碳负极材料",
             "电池企业|手机厂商|航空企业|船舶企业"),
        _Sub("可降解材料|生物基材料|绿色材料|生物基可降解材料",
             "PLA可降解餐盒|PBAT薄膜|生物基纤维|可降解快递袋|秸秆基复合材料",
             "餐饮企业|快递物流公司|商超|纺织企业"),
        _Sub("先进陶瓷|特种陶瓷|结构陶瓷|精密陶瓷",
             "氮化硅陶瓷基板|氧化锆陶瓷部件|陶瓷轴承球|压电陶瓷|陶瓷3D打印件",
             "半导体设备厂|新能源车企|医疗器械企业|电子元器件厂"),
    ],
    "ecommerce_consumer": [
        _Sub("跨境电商|出海电商|外贸电商|跨境零售",
             "独立站品牌|亚马逊店铺运营|跨境ERP系统|海外仓服务|TikTok跨境店",
             "海外消费者|外贸工厂|跨境卖家"),
        _Sub("新消费|消费品牌|DTC品牌|国潮品牌|新消费品牌",
             "新式茶饮品牌|功能性零食|国潮美妆|宠物食品|精酿啤酒",
             "年轻消费者|白领|宝妈|Z世代"),
        _Sub("直播电商|社交电商|兴趣电商|私域电商|社交电商与直播",
             "直播基地|主播孵化|社群团购小程序|私域运营SaaS|短视频带货",
             "品牌商|工厂|农户|中小商家"),
        _Sub("零售数字化|餐饮数字化|智慧门店|新零售|餐饮零售数字化",
             "餐饮SaaS收银系统|智能货柜|门店会员营销系统|供应链订货平台|扫码点餐小程序",
             "连锁餐饮|便利店|商超|社区小店"),
    ],
    "culture_creative": [
        _Sub("数字艺术|数字藏品|数字人|数字艺术与NFT|沉浸式艺术",
             "数字藏品平台|虚拟数字人|沉浸式数字展|AI艺术创作工具|数字美术馆",
             "博物馆|品牌方|艺术家|文旅景区"),
        _Sub("游戏|动漫|二次元|游戏动漫|游戏与动漫",
             "独立游戏|国风动画短片|二次元手游|原创漫画IP|游戏美术外包",
             "玩家|二次元用户|发行商|视频平台"),
        _Sub("非遗|非遗文创|传统手工艺|国潮文创",
             "非遗手作礼盒|刺绣文创产品|博物馆文创|传统工艺研学课程|非遗主题盲盒",
             "游客|博物馆|企业礼品采购|年轻消费者"),
        _Sub("短视频|内容创作|MCN|新媒体|短视频内容",
             "短视频MCN|品牌微短剧|知识类账号矩阵|视频剪辑工具|文旅宣传片",
             "品牌方|内容平台|地方文旅|中小企业"),
    ],
    "education": [
        _Sub("职业教育|职业技能培训|职业培训|技能培训",
             "数控技能实训课程|新职业在线课程|直播电商培训|技能认证题库|虚拟仿真实训平台",
             "职业院校|企业|求职者|蓝领工人"),
        _Sub("素质教育|K12素质教育|青少年素质教育|课后服务",
             "少儿编程课|科学实验课|美育课程|研学营地|课后托管服务",
             "中小学|家长|少年宫|社区"),
        _Sub("教育信息化|智慧校园|教育数字化|智慧教育",
             "智慧课堂系统|AI作业批改|校园管理平台|教学资源库|学情分析系统",
             "中小学|教育局|高校|职业院校"),
        _Sub("语言学习|外语学习|国际中文教育|外语培训",
             "AI口语陪练APP|少儿英语绘本|中文国际教育平台|小语种在线课|翻译练习工具",
             "学生|职场人士|海外华人|留学生"),
    ],
    "agriculture_rural": [
        _Sub("智慧农业|数字农业|精准农业|设施农业",
             "温室环境控制系统|水肥一体化设备|农田遥感监测平台|智能灌溉系统|畜禽养殖监测系统",
             "种植大户|农业合作社|家庭农场|农业园区"),
        _Sub("农产品电商|生鲜电商|农产品上行|农产品直播",
             "产地直播|农产品溯源系统|社区团购供应链|地标农产品品牌|冷链前置仓",
             "农户|合作社|城市家庭|商超"),
        _Sub("乡村旅游|乡村文旅|民宿|农文旅融合",
             "精品民宿集群|田园综合体|乡村研学基地|露营营地|非遗村落游线",
             "城市游客|亲子家庭|村集体|文旅公司"),
        _Sub("种业|生物育种|分子育种|良种繁育",
             "分子标记育种平台|抗病新品种|种苗组培|基因编辑育种|蔬菜杂交种",
             "种子公司|农科院|种植基地"),
    ],
    "fintech": [
        _Sub("供应链金融|产业金融|应收账款融资|供应链融资",
             "应收账款融资平台|电子债权凭证|仓单质押系统|核心企业供应链金融平台|票据服务平台",
             "核心企业|中小供应商|银行|保理公司"),
        _Sub("智能风控|风险管理|反欺诈|信用评估|风控",
             "反欺诈引擎|信贷风控模型|企业信用评分|贷后预警系统|交易监测系统",
             "银行|消费金融公司|小贷公司|互联网平台"),
        _Sub("支付|清结算|跨境支付|聚合支付|支付与清结算",
             "聚合支付系统|跨境收款平台|分账清结算系统|数字人民币受理方案|对账SaaS",
             "商户|电商平台|跨境卖家|连锁企业"),
        _Sub("保险科技|数字保险|智能保险|互联网保险",
             "智能核保系统|理赔自动化平台|UBI车险|保险比价平台|健康险控费系统",
             "保险公司|保险经纪|车主|医疗机构"),
    ],
    "enterprise_services": [
        _Sub("协同办公|在线协作|OA|团队协作|协同办公SaaS",
             "项目管理SaaS|在线文档|企业即时通讯|审批流工具|会议管理系统",
             "中小企业|互联网团队|制造企业|政府机关"),
        _Sub("财税SaaS|财税数字化|智能财税|财务软件",
             "智能记账软件|电子发票管理|费用报销系统|税务风险检测|业财一体化平台",
             "中小企业|代账公司|集团财务部"),
        _Sub("低代码|无代码|应用开发平台|aPaaS|低代码平台",
             "低代码开发平台|表单流程引擎|业务应用搭建工具|RPA机器人|数据报表搭建工具",
             "企业IT部门|软件服务商|国企"),
        _Sub("网络安全|信息安全|数据安全|安全服务",
             "零信任访问网关|态势感知平台|渗透测试服务|代码安全审计工具|数据防泄漏系统",
             "政企客户|金融机构|医院|运营商"),
    ],
    "smart_mobility": [
        _Sub("自动驾驶|无人驾驶|智能驾驶|高阶智驾",
             "L4无人配送车|自动驾驶感知系统|高精地图|矿区无人驾驶|自动泊车方案",
             "车企|物流公司|矿山|港口"),
        _Sub("新能源汽车零部件|三电系统|汽车电子|电动车零部件",
             "电驱总成|车载充电机|热管理系统|域控制器|电池包结构件",
             "整车厂|一级供应商|改装厂"),
        _Sub("智慧物流|物流科技|仓储自动化|数字物流",
             "智能仓储AGV|运输管理系统TMS|无人分拣线|冷链监控平台|网络货运平台",
             "快递公司|电商仓|制造企业|冷链企业"),
        _Sub("共享出行|网约车|两轮共享|出行服务",
             "共享电单车|网约车聚合平台|定制公交|汽车分时租赁|景区接驳车",
             "城市通勤者|公交集团|景区|高校"),
    ],
    "social_innovation": [
        _Sub("养老服务|智慧养老|居家养老|银发经济",
             "居家养老呼叫设备|社区助餐平台|适老化改造|养老机构管理系统|老年人防跌倒监测",
             "老年人及家属|民政部门|养老机构|社区"),
        _Sub("无障碍|公益科技|助残科技|信息无障碍|无障碍与公益科技",
             "视障导航APP|手语翻译工具|无障碍网站改造|公益项目管理平台|助听辅具",
             "残障人士|公益组织|政府部门|互联网企业"),
        _Sub("社区服务|社区治理|邻里服务|社区商业",
             "社区便民服务站|物业服务小程序|社区托育|网格化治理平台|邻里互助平台",
             "街道社区|物业公司|居民|社工机构"),
        _Sub("环保回收|循环经济|再生资源|垃圾分类",
             "智能回收箱|废旧纺织品回收|塑料再生颗粒|垃圾分类督导平台|旧衣物再生产品",
             "社区|环卫部门|品牌方|回收企业"),
    ],
}


def _check_banks() -> None:
    for code, subs in SUBTOPICS.items():
        if code not in _IND or len(_SUB.get(code, ())) != len(subs):
            raise RuntimeError(f"text_zh: phrase banks out of sync with SUBTOPICS for {code!r}")


_check_banks()

# =====================================================================================================
# Places, rounds, stages
# =====================================================================================================

_CITY_ZH: dict[str, str] = {p.code: p.zh for p in REGIONS if p.level in ("macro", "nationwide")} | {
    c: REGIONS.get(code).short_zh for c, code in LEGACY_CODES.items()}  # the seed texts' cities by short code
_DOMESTIC = tuple(code for code in ("beijing", "tianjin", "shijiazhuang", "shanghai", "hangzhou", "nanjing",
                                    "suzhou", "hefei", "xiamen", "qingdao", "shenzhen", "guangzhou",
                                    "dongguan", "wuhan", "changsha", "zhengzhou", "chengdu", "chongqing",
                                    "kunming", "xian", "lanzhou", "shenyang", "harbin"))
_OVERSEAS = ("singapore", "london", "berlin", "san_francisco")
_MUNICIPALITIES = ("beijing", "tianjin", "shanghai", "chongqing")

_PLACES: dict[str, tuple[str, ...]] = {
    "beijing": ("中关村", "望京", "亦庄", "海淀", "朝阳", "798", "未来科学城", "回龙观", "北京"),
    "tianjin": ("滨海", "泰达", "海河", "南开", "武清", "天津"),
    "shijiazhuang": ("正定", "鹿泉", "裕华", "石家庄", "滹沱河"),
    "shanghai": ("张江", "漕河泾", "杨浦", "徐汇滨江", "临港", "五角场", "长宁", "紫竹", "上海"),
    "hangzhou": ("西溪", "滨江", "梦想小镇", "未来科技城", "钱塘", "之江", "紫金港", "杭州"),
    "nanjing": ("江北新区", "徐庄", "麒麟", "紫金山", "鼓楼", "江宁", "南京"),
    "suzhou": ("独墅湖", "金鸡湖", "苏州工业园", "相城", "太湖", "苏州"),
    "hefei": ("蜀山", "滨湖", "合肥高新", "包河", "庐阳", "合肥"),
    "xiamen": ("软件园", "火炬", "集美", "海沧", "厦门", "鹭岛"),
    "qingdao": ("崂山", "西海岸", "市南", "胶州湾", "红岛", "青岛"),
    "shenzhen": ("深圳湾", "南山", "前海", "福田", "龙岗", "坂田", "西丽", "光明", "深圳"),
    "guangzhou": ("天河", "黄埔", "琶洲", "番禺", "南沙", "越秀", "广州"),
    "dongguan": ("松山湖", "长安", "滨海湾", "东莞"),
    "wuhan": ("光谷", "东湖", "汉口", "武昌", "车谷", "武汉"),
    "changsha": ("麓谷", "岳麓山", "湘江", "马栏山", "星沙", "长沙"),
    "zhengzhou": ("郑东", "金水", "中原", "郑州", "龙子湖"),
    "chengdu": ("天府", "菁蓉", "锦江", "成都科学城", "高新西区", "成都"),
    "chongqing": ("两江", "解放碑", "西永", "渝北", "大学城", "重庆"),
    "kunming": ("滇池", "呈贡", "五华", "春城", "昆明"),
    "xian": ("高新", "曲江", "西咸", "长安", "丝路", "西安"),
    "lanzhou": ("兰州新区", "黄河", "城关", "安宁", "兰州"),
    "shenyang": ("浑南", "沈北", "铁西", "盛京", "沈阳"),
    "harbin": ("松北", "冰城", "南岗", "哈尔滨新区", "哈尔滨"),
    "singapore": ("狮城", "纬壹", "滨海湾", "新加坡"),
    "london": ("伦敦", "泰晤士", "金丝雀码头"),
    "berlin": ("柏林", "施普雷"),
    "san_francisco": ("湾区", "硅谷", "旧金山"),
}
_PROVINCE: dict[str, str] = {
    "shijiazhuang": "河北", "hangzhou": "浙江", "nanjing": "江苏", "suzhou": "江苏", "hefei": "安徽",
    "xiamen": "福建", "qingdao": "山东", "shenzhen": "广东", "guangzhou": "广东", "dongguan": "广东",
    "wuhan": "湖北", "changsha": "湖南", "zhengzhou": "河南", "chengdu": "四川", "kunming": "云南",
    "xian": "陕西", "lanzhou": "甘肃", "shenyang": "辽宁", "harbin": "黑龙江",
}
_MACRO_ZH = {"north": "华北", "east": "华东", "south": "华南", "central": "华中", "southwest": "西南",
             "northwest": "西北", "northeast": "东北", "overseas": "海外"}
_MACRO_ALT = {"east": ("长三角", "华东地区"), "south": ("粤港澳大湾区", "华南地区"),
              "north": ("京津冀", "华北地区"),
              "central": ("华中地区", "中部地区"), "southwest": ("成渝地区", "西南地区"),
              "northwest": ("西北地区",), "northeast": ("东北地区",), "overseas": ("海外", "东南亚及欧美")}

_ROUND_WORD = {  # the round as it is written before 融资 / 资金
    "seed": "种子轮", "angel": "天使轮", "pre_a": "Pre-A轮", "a": "A轮", "a_plus": "A+轮", "b": "B轮",
    "c_plus": "C轮", "strategic": "战略", "pe": "PE轮", "ipo": "Pre-IPO轮",
    "crowdfunding": "股权众筹",
    "other": "新一轮",
}
_ROUND_LIST = {  # the round as an item in an investor's list
    "seed": "种子轮", "angel": "天使轮", "pre_a": "Pre-A轮", "a": "A轮", "a_plus": "A+轮", "b": "B轮",
    "c_plus": "C轮及以后", "strategic": "战略投资", "pe": "PE阶段", "ipo": "Pre-IPO",
    "crowdfunding": "股权众筹",
    "other": "其他轮次",
}
_ROUND_ORDER = ("seed", "angel", "pre_a", "a", "a_plus", "b", "c_plus")
_ROUND_MEDIAN = {"seed": 1e6, "angel": 3e6, "pre_a": 8e6, "a": 2e7, "a_plus": 4e7, "b": 8e7, "c_plus": 2e8,
                 "strategic": 5e7, "pe": 3e8, "ipo": 5e8, "crowdfunding": 5e5, "other": 1e7}

_STAGE_ZH = {"idea": "创意期", "seed": "种子期", "early": "初创期", "growth": "成长期", "expansion": "扩张期"}
_STAGE_ORDER = ("idea", "seed", "early", "growth", "expansion")


def _city_zh(code: str) -> str:
    return _CITY_ZH.get(code, code)


def _amount_fn(rng: np.random.Generator, round_code: str, funding: int | None) -> Callable[[], str]:
    """The amount a text quotes: the project's own figure when known, else a plausible one for the round."""
    if funding:
        return lambda: _wan(funding)
    return lambda: _amount(rng, round_code)


def _amount(rng: np.random.Generator, round_code: str) -> str:
    median = _ROUND_MEDIAN.get(round_code, 1e7)
    return _wan(median * float(np.exp((float(rng.random()) - 0.5) * 1.4)))


def _ordinal_span(rng: np.random.Generator, codes: Sequence[str], order: Sequence[str],
                  label: dict[str, str]) -> str:
    """"A至C" for a contiguous run of three or more ordinal codes, else a joined list."""
    idx = [order.index(c) for c in codes if c in order]
    if len(idx) >= 3 and len(idx) == len(codes) and idx == list(range(idx[0], idx[0] + len(idx))):
        a, b = label[order[idx[0]]], label[order[idx[-1]]]
        return _pick(rng, (f"{a}至{b}", f"{a}到{b}", f"{a}至{b}"))
    return _join(rng, [label[c] for c in codes])


def _stages_phrase(rng: np.random.Generator, stages: Sequence[str]) -> str:
    if not stages:
        return "早期"
    return _ordinal_span(rng, list(stages), _STAGE_ORDER, _STAGE_ZH)


def _rounds_phrase(rng: np.random.Generator, rounds: Sequence[str]) -> str:
    if not rounds:
        return "早期轮次"
    short = {**_ROUND_LIST, "c_plus": "C轮"}
    ordinal = [r for r in rounds if r in _ROUND_ORDER]
    if len(ordinal) == len(rounds):
        return _ordinal_span(rng, list(rounds), _ROUND_ORDER, short if len(rounds) >= 3 else _ROUND_LIST)
    return _join(rng, [_ROUND_LIST.get(r, r) for r in rounds])


def _region_word(rng: np.random.Generator, code: str) -> str:
    if code == "nationwide":
        return "全国"
    if code in _MACRO_ALT:
        return _pick(rng, _MACRO_ALT[code])
    return _city_zh(code)


def _regions_phrase(rng: np.random.Generator, regions: Sequence[str]) -> str:
    if not regions or "nationwide" in regions:
        return _pick(rng, ("全国", "全国范围", "全国"))
    words: list[str] = []
    for code in regions:
        w = _region_word(rng, code)
        if w not in words:
            words.append(w)
    return _join(rng, words)


def _local_city(rng: np.random.Generator, regions: Sequence[str]) -> str:
    """A domestic city code from ``regions`` (or a random domestic city)."""
    for code in regions:
        if code in _DOMESTIC:
            return code
    return _pick(rng, _DOMESTIC)


# =====================================================================================================
# Need banks
# =====================================================================================================


class _Need:
    __slots__ = ("np", "want", "help_np", "give", "svc")

    def __init__(self, np_: str, want: str, help_np: str, give: str, svc: str) -> None:
        self.np = _T(np_)            # founder side, noun phrase ("需要{np}")
        self.want = _T(want)         # founder side, full clause
        self.help_np = _T(help_np)   # mentor side, noun phrase; the first entry is the shortest
        self.give = _T(give)         # mentor side, full clause
        self.svc = _T(svc)           # provider side, a service offering


_NEEDS: dict[str, _Need] = {
    "financing": _Need(
        "{rw}融资|{rw}资金|约{amt}的{rw}融资|{rw}投资人对接|{rw}融资（约{amt}）",
        "正在寻找{rw}资金，约需{amt}|计划启动{rw}融资，目标{amt}|希望尽快完成{amt}左右的{rw}融资"
        "|想对接[愿意|能]投{rw}的投资人，[预计|计划]融资{amt}|{rw}融资已经启动，还差约{amt}的额度"
        "|现金流[只够|仅够]支撑半年，急需{rw}融资|想找懂{ind}的机构领投本轮{rw}"
        "|[准备|打算]开启{rw}融资，[拟|计划]出让10%左右股权|希望[拿到|获得]{rw}投资，[用于扩产|用于产品研发|"
        "用于扩充团队]",
        "融资对接|BP打磨与路演辅导|估值与条款谈判|投资人引荐|融资节奏规划|融资策略",
        "能帮团队梳理融资节奏、对接投资人|可以帮忙打磨BP、演练路演|熟悉估值谈判和投资条款"
        "|可[直接投资|跟投]早期项目或帮忙引荐机构|手上有不少天使和VC资源可以介绍|能陪创始人做好融资准备",
        "融资顾问|投融资对接|BP与财务模型搭建|融资尽调准备|股权融资财务辅导",
    ),
    "testing_certification": _Need(
        "检验检测|第三方检测|产品认证|可靠性测试|送检与认证|型式试验",
        "{prod}需要做第三方检测和认证|样机要送检，想找有资质的检测机构|正在准备产品认证，缺少检测资源"
        "|需要做型式检验和可靠性测试|投标急需一份CMA检测报告|[出口|进入海外市场]前需要拿到CE、FCC等认证"
        "|需要[找实验室|找检测机构]做环境与可靠性试验",
        "检测认证|认证路径规划|实验室资源对接|送检辅导|标准解读|检测认证指导",
        "熟悉检测认证流程，能指导送检|可以帮忙对接有资质的检测实验室|能帮团队规划认证路径、少走弯路"
        "|懂CE、FCC等出口认证要求|能协调实验室资源做可靠性测试|可以解读行业标准和检测要求",
        "CMA/CNAS资质检测|CE、FCC、CCC认证咨询|可靠性与环境试验|电磁兼容测试|材料成分分析|型式检验报告出具",
    ),
    "rd_design": _Need(
        "研发设计|工业设计|联合研发|结构设计|原型开发|研发外包",
        "需要外部设计力量完善{prod}的工业设计|研发人手不足，希望找研发外包或联合研发"
        "|想请专业团队做结构和外观设计|核心模块还需要联合研发|缺少硬件工程师，电路设计[想|需要]外包"
        "|需要有经验的团队帮忙做原型迭代|[下一代|新一代]产品的研发设计需要外部支持",
        "研发|技术路线把关|研发管理|架构评审|设计方案评审|联合研发对接",
        "可以指导技术路线和研发管理|能帮团队评审架构和设计方案|在产品研发流程上有很多经验可分享"
        "|可以帮忙把关技术方案|能对接高校实验室做联合研发|擅长解决研发中的[工程|技术]难题",
        "工业设计与外观设计|结构设计|电子硬件开发|软件外包开发|原型与手板制作|联合研发",
    ),
    "pilot_production": _Need(
        "小试中试|中试放大|小批量试产|中试线资源|工艺放大|试生产",
        "样品已出，需要找中试线做小批量验证|正在从实验室走向量产，缺中试平台|想找代工厂试产首批{prod}"
        "|工艺放大遇到瓶颈，急需中试资源|需要小批量试制，验证良率和成本|需要小试中试[场地和设备|平台]"
        "|[量产前|正式投产前]还要完成一轮中试",
        "中试|量产导入|中试对接|工艺放大|供应链与试制|良率提升",
        "懂量产导入，能帮团队做中试规划|可以帮忙对接中试基地和代工厂|在工艺放大和良率提升上有实操经验"
        "|能指导从样品到量产的过渡|熟悉供应链和小批量试制|能帮团队算清量产成本",
        "中试车间与设备共享|小批量试产|工艺放大验证|量产导入咨询|打样与试制|中试线租用",
    ),
    "tech_transfer": _Need(
        "技术转移|成果转化|专利技术引进|产学研合作|技术许可谈判",
        "想从高校引进一项专利技术|希望和科研院所合作做成果转化|正在谈一项实验室成果的授权，需要专业指导"
        "|需要对接高校技术资源|想把团队[在校期间|在研究所]的科研成果合规地转化出来|缺少高校和院所的技术源头"
        "|需要[理顺|处理好]职务成果作价入股的问题",
        "成果转化|产学研对接|技术许可谈判|作价入股方案|高校资源对接|技术转移",
        "在高校成果转化上有多年经验|能帮团队对接高校和科研院所|熟悉技术许可与作价入股的操作"
        "|可以帮忙设计产学研合作方案|懂职务科技成果转化政策|能帮忙评估技术的产业化前景",
        "科技成果评估|技术交易撮合|专利许可与转让|产学研合作对接|成果作价入股方案设计|技术经纪服务",
    ),
    "strategy": _Need(
        "战略规划|商业模式梳理|战略定位|发展路径规划|赛道选择",
        "需要有人帮忙理清商业模式和发展方向|想重新梳理战略定位|对下一步[做ToB还是ToC|先做哪个市场]还拿不准"
        "|希望有导师帮忙做三年规划|在赛道选择上需要外部视角|需要[规划|理清]业务优先级"
        "|[商业模式|盈利模式]还需要验证和调整",
        "战略|战略梳理|商业模式设计|战略复盘|业务规划|方向判断",
        "擅长帮早期团队理清商业模式|可以陪创始人做战略复盘|能从行业全局给出方向判断"
        "|帮团队找准定位、定好节奏|善于做业务规划与优先级取舍|能帮创始人想清楚先做什么、不做什么",
        "战略咨询|商业计划书撰写|企业发展规划|行业研究报告|商业模式诊断",
    ),
    "product": _Need(
        "产品打磨|产品迭代|用户体验优化|产品定义|PMF验证",
        "产品还比较粗糙，需要打磨用户体验|MVP已上线，想找人帮忙做产品迭代规划|需要验证产品与市场的匹配度"
        "|想优化{prod}的功能和交互|产品定义还不够清晰|需要资深产品经理指导|[用户反馈|客户反馈]多，"
        "需要理清迭代方向",
        "产品|产品打磨|产品定义|需求管理|用户研究|PMF验证",
        "能帮团队打磨产品、找到PMF|擅长产品定义和需求优先级|可以指导用户调研与产品迭代"
        "|对用户体验设计有心得|能帮忙做产品路线图规划|可以从用户视角帮团队挑产品的毛病",
        "产品原型设计|用户体验设计|交互与UI设计|产品定义咨询|可用性测试",
    ),
    "go_to_market": _Need(
        "市场进入|标杆客户拓展|市场开拓|试点客户|冷启动|市场验证",
        "需要找到第一批标杆客户|正在研究怎么进入{cust}市场|想打开{city}以外的市场|市场进入策略还不清晰"
        "|需要帮助把产品推向{cust}|急需首批试点客户|[希望|想]找到愿意先试用的{cust}",
        "市场|市场进入策略|冷启动|标杆客户对接|早期获客|试点资源对接",
        "能帮团队找到首批标杆客户|熟悉{ind}行业的市场进入打法|可以协助制定上市策略"
        "|擅长冷启动和早期获客|能介绍行业客户做试点|能帮团队选准第一个细分市场",
        "市场调研|上市策略咨询|目标市场分析|市场进入咨询|客户资源对接",
    ),
    "team_building": _Need(
        "团队建设|合伙人机制|股权激励|组织管理|团队搭建",
        "核心团队还不完整，需要在团队建设上得到指导|股权分配和合伙人机制需要理顺|团队扩张快，管理跟不上"
        "|想搭建激励机制留住骨干|需要建立团队管理制度|缺一位合适的联合创始人|[期权池|股权激励]方案还没设计",
        "团队|团队管理|股权激励设计|组织建设|领导力辅导|合伙人机制",
        "可以分享团队搭建和组织管理的经验|能帮创始人设计合伙人机制与期权池|擅长带团队、建文化"
        "|可以辅导创始人的领导力|在组织扩张上踩过不少坑，可以分享|能帮团队搭好管理框架",
        "组织诊断|股权激励方案|团队培训|绩效体系搭建|企业文化建设",
    ),
    "legal": _Need(
        "法律咨询|合同审查|股权架构设计|合规审查|法律顾问|法务支持",
        "需要律师帮忙审投资协议|合同模板和用户协议要[法务|律师]把关|股权架构需要法律意见"
        "|涉及数据合规，需要法律支持|遇到一起合同纠纷，急需律师|需要一位常年法律顾问"
        "|[融资前|签约前]想请律师做一次法律体检",
        "法务|法律风险把关|合同与条款审查|合规建议|股权设计|律师资源对接",
        "可以帮团队把关投资协议条款|熟悉创业公司常见法律风险|能提供合规方面的建议"
        "|可以帮忙看合同和股权设计|能介绍靠谱的律师资源|懂劳动用工和知识产权方面的法律问题",
        "常年法律顾问|投融资法律服务|合同审查与起草|股权架构设计|劳动用工合规|数据合规|诉讼与仲裁",
    ),
    "finance_accounting": _Need(
        "财务规范|代理记账|税务筹划|财务模型|审计|预算管理",
        "财务还是兼职在做，需要规范财务体系|要准备审计报告应对尽调|需要代理记账和税务筹划|想搭建一套财务模型"
        "|成本核算不清楚，需要财务指导|需要有人帮忙做预算和现金流管理|[研发费用|"
        "政府补贴]的账务处理需要专业支持",
        "财务|财务规划|现金流管理|税务筹划|财务规范化|预算管理",
        "能帮团队搭建财务模型和预算体系|可以指导规范财务、应对尽调|熟悉初创企业的税务筹划"
        "|擅长现金流管理|能帮忙看懂财报、管住成本|能帮创始人算清单位经济模型",
        "代理记账|审计与验资|税务筹划|财务尽调辅导|高新企业专项审计|财务外包",
    ),
    "ip": _Need(
        "知识产权布局|专利申请|商标注册|专利布局|软著登记|专利与商标保护",
        "想尽快把{core}申请发明专利|需要做商标与专利布局|{core}还没有专利保护|商标被抢注，需要处理"
        "|想在海外做PCT专利申请|需要一份专利检索和侵权分析|软件著作权还没登记|[想|"
        "需要]系统地做一次知识产权布局",
        "专利|专利布局|知识产权战略|专利挖掘|商标规划|专利维权",
        "能帮团队做专利布局和商标规划|熟悉专利申请和维权|可以指导知识产权战略|能帮忙评估专利价值"
        "|擅长从研发成果里挖掘专利|能帮团队避开专利侵权风险",
        "发明专利申请|商标注册|PCT国际专利|专利检索与分析|软件著作权登记|知识产权维权|专利评估",
    ),
    "marketing_branding": _Need(
        "品牌营销|品牌策划|内容营销|市场推广|品牌升级|新媒体运营",
        "品牌认知度低，需要品牌策划|想做一次品牌升级|需要制定内容营销方案|想在小红书、抖音上做推广"
        "|需要提升品牌影响力|缺少懂营销的人|[品牌故事|品牌定位]还没想清楚",
        "品牌|品牌定位|内容营销|传播策划|新媒体运营|品牌建设",
        "擅长品牌定位和内容营销|可以帮团队策划传播方案|懂新媒体投放和品牌建设|能帮忙梳理品牌故事"
        "|有丰富的品牌打造经验|能用很少的预算帮团队做出声量",
        "品牌策划|VI设计|新媒体代运营|公关传播|广告投放|内容营销",
    ),
    "sales_channels": _Need(
        "销售渠道|渠道拓展|经销商网络|代理商资源|渠道合作",
        "需要拓展经销商渠道|想进入大型商超和连锁渠道|线上渠道还没打开|需要对接代理商|想找系统集成商合作"
        "|销售团队需要从零搭建|[希望|想]打通{cust}的采购渠道",
        "渠道|渠道拓展|销售体系搭建|大客户销售|代理商对接|渠道资源对接",
        "能帮团队打通销售渠道|在渠道拓展上有大量资源|可以介绍代理商和集成商|擅长搭建销售体系"
        "|熟悉大客户销售|能帮团队设计渠道政策",
        "渠道招商|电商代运营|经销商资源对接|销售外包|大客户资源对接",
    ),
    "policy_application": _Need(
        "政策申请|高企认定|项目申报|补贴申请|创新券申领|专精特新申报",
        "想申请高新技术企业认定|需要申报各级科技项目和补贴|想了解{city}的创业扶持政策|打算申请创新券"
        "|想申报专精特新|需要有人辅导政府项目申报|[人才计划|科技型中小企业评价]还没申报",
        "政策|政策解读|项目申报指导|补贴申请|高企认定辅导|人才计划申报",
        "熟悉各级科技政策|能指导高企认定和项目申报|可以帮忙梳理可申请的补贴|了解人才计划申报"
        "|清楚{city}的扶持政策|能帮团队用好创新券和税收优惠",
        "高新技术企业认定|科技项目申报|专精特新申报|人才计划申报|创新券申领|研发费用加计扣除辅导",
    ),
    "registration": _Need(
        "工商注册|公司设立|工商变更|注册地址|营业执照办理",
        "公司还没注册，需要办理工商登记|要在{city}注册新主体|需要变更股东和注册资本|想找地址挂靠注册"
        "|需要办理营业执照和银行开户|[准备|计划]设立子公司|需要搭建员工持股平台",
        "注册|公司设立|主体架构设计|工商流程指导|持股平台设立|注册地选择",
        "能指导公司注册和主体设立|熟悉工商注册和变更流程|可以帮忙选择注册地和主体形式|能帮团队设计持股平台"
        "|了解各地注册优惠政策",
        "公司注册|工商变更|注册地址|银行开户|税务登记|公司注销",
    ),
    "hr_recruiting": _Need(
        "人才招聘|核心人才引进|{role}招聘|猎头服务|关键岗位招聘",
        "急需招一名资深{role}|需要招聘{role}和销售|招人难，需要猎头支持|想建立招聘体系|缺少技术负责人"
        "|需要招几名骨干|[关键岗位|{role}岗位]一直招不到合适的人",
        "招聘|核心人才推荐|招聘体系搭建|人才引荐|面试把关|行业人脉引荐",
        "能帮团队招到关键人才|可以推荐合适的候选人|熟悉{ind}技术人才市场|能帮忙设计招聘流程"
        "|有丰富的行业人脉可以引荐|可以帮创始人面试把关",
        "中高端猎头|招聘流程外包|校园招聘|人事代理|社保代缴|灵活用工",
    ),
    "internationalisation": _Need(
        "国际化|出海|海外市场拓展|海外合作伙伴|海外布局",
        "计划出海，需要海外市场资源|想进入东南亚市场|需要对接海外合作伙伴|准备在海外设立分公司"
        "|希望获得海外资本|需要了解欧美市场准入|[产品|{prod}]想卖到[中东|欧洲|东南亚]，缺少当地资源",
        "出海|出海规划|海外资源对接|国际市场拓展|跨境合作|海外市场准入咨询",
        "有海外市场资源|能帮团队规划出海路径|可以对接东南亚和欧洲的合作伙伴|熟悉海外市场准入"
        "|在海外工作多年，了解当地商业环境|能帮团队找海外渠道和客户",
        "海外公司注册|出海咨询|海外市场调研|跨境合规|海外渠道对接|国际展会组团",
    ),
}

# Provider service offerings that depend on the provider's category.
_SVC_OVERRIDE: dict[tuple[str, str], list[Tpl]] = {
    ("policy_application", "financing"): _T("政府专项资金申报|科技贷款贴息申请|引导基金与贴息政策对接"),
    ("finance_accounting", "financing"): _T("融资财务顾问|财务尽调配合|财务模型与BP梳理"),
    ("ip", "legal"): _T("知识产权诉讼|侵权应对|商标异议与无效"),
    ("tech_transfer", "ip"): _T("专利评估与交易|高价值专利培育|专利池运营"),
    ("registration", "finance_accounting"): _T("代理记账|报税|财务外包"),
    ("internationalisation", "go_to_market"): _T("海外市场进入咨询|海外渠道对接|国际展会组团"),
    ("pilot_production", "rd_design"): _T("工艺开发|样品试制|工程化设计"),
    ("rd_design", "product"): _T("产品定义|用户体验设计|原型迭代"),
    ("marketing_branding", "go_to_market"): _T("市场进入策略|新品上市策划|目标市场调研"),
    ("marketing_branding", "sales_channels"): _T("渠道招商|电商代运营|直播带货对接"),
    ("hr", "team_building"): _T("组织发展咨询|股权激励方案|团队培训"),
    ("legal", "registration"): _T("公司设立|股权架构与工商登记|VIE架构搭建"),
}

# =====================================================================================================
# Shared slot context
# =====================================================================================================


def _industry(code: str | None) -> _Industry:
    return _IND.get(code, _GENERIC) if code else _GENERIC


def _context(rng: np.random.Generator, industries: Sequence[str], subtopic: int, city: str | None) -> Slots:
    """Lazily evaluated slots describing an actor's industries, sub-topic and city."""
    code = industries[0] if industries else None
    ind = _industry(code)
    subs = _SUB.get(code or "", None)
    sub = subs[subtopic % len(subs)] if subs and subtopic >= 0 else None
    others = [_IND[c] for c in industries[1:] if c in _IND]
    slots: Slots = {}

    def ind_syn() -> str:
        return _say(rng, ind.syn, slots)

    def ind2() -> str:
        if not others:
            return ind_syn()
        return _join(rng, [_say(rng, o.syn, slots) for o in others])

    def inds() -> str:
        first = slots["ind"]
        if callable(first):
            first = first()
            slots["ind"] = first
        return _join(rng, [first] + [_say(rng, o.syn, slots) for o in others])

    prod_bank = sub.prod if sub else ind.gen
    cust_bank = sub.cust if sub else _T("中小企业|行业客户|初创企业")
    slots.update({
        "ind": ind_syn,
        "ind2": ind2,
        "inds": inds,
        "sub": (lambda: _say(rng, sub.syn, slots)) if sub else ind_syn,
        "prod": lambda: _say(rng, prod_bank, slots),
        "prod2": _distinct(rng, slots, "prod", prod_bank),
        "cust": lambda: _say(rng, cust_bank, slots),
        "cust2": _distinct(rng, slots, "cust", cust_bank),
        "gen": lambda: _say(rng, ind.gen, slots),
        "core": lambda: _say(rng, ind.core, slots),
        "value": lambda: _say(rng, ind.value, slots),
        "role": lambda: _say(rng, ind.role, slots),
        "bg": lambda: _say(rng, ind.bg, slots),
        "city": _city_zh(city) if city else "本地",
        "univ": lambda: _pick(rng, _UNIVERSITIES),
        "pname": lambda: person_name(rng),
    })
    return slots


def _distinct(rng: np.random.Generator, slots: Slots, key: str, bank: Sequence[Tpl]) -> Callable[[], str]:
    """A lazy slot rendering ``bank`` while avoiding the value of slot ``key`` (e.g. a second product)."""
    def make() -> str:
        prev = slots.get(key)
        if callable(prev):
            prev = prev()
            slots[key] = prev
        out = _say(rng, bank, slots)
        for _ in range(4):
            if out != prev:
                break
            out = _say(rng, bank, slots)
        return out
    return make


def _num(rng: np.random.Generator, lo: int, hi: int) -> Callable[[], str]:
    return lambda: str(_int(rng, lo, hi))


def _company(rng: np.random.Generator, ind: _Industry, city: str | None = None) -> str:
    brand = _brand(rng)
    suf = _say(rng, ind.suf, {})
    u = float(rng.random())
    if u < 0.45:
        return brand + suf
    if u < 0.7:
        return brand + suf + "有限公司"
    if u < 0.85:
        return brand + _pick(rng, ("集团", "控股", "股份"))
    prefix = _city_zh(city) if city in _DOMESTIC else _city_zh(_pick(rng, _DOMESTIC))
    return prefix + ("市" if not prefix.endswith("市") else "") + brand + suf + "有限公司"


def _np_list(rng: np.random.Generator, codes: Sequence[str], slots: Slots, attr: str,
             shortest: bool = False) -> list[str]:
    out = []
    for code in codes:
        bank = getattr(_NEEDS[code], attr)
        if shortest:
            out.append(_render(rng, bank[0], slots))
        else:
            out.append(_say(rng, bank[1:] if attr == "help_np" else bank, slots))
    return out


# =====================================================================================================
# Spaces
# =====================================================================================================

_SPACE_SUFFIX = ("创客汇", "创新工场", "众创空间", "创业营", "梦工厂", "创客空间", "双创基地", "创新中心",
                 "创业社区", "创业咖啡", "创享汇", "创谷", "创客工场", "创业苗圃", "加速营", "青年创业园",
                 "创新港", "众创空间", "创客中心", "创业工坊")
_SPACE_THEME_GENERIC = ("青年", "创新", "科创", "梦想", "未来", "双创", "数字", "星火", "启航", "")

_SPACE_DESC = [
    _T("{name}位于{loc}，面积约{area}平方米，[由{operator}运营|是{operator}发起的专业化众创空间]。",
       "{name}[成立于|创办于]{since}年，由{operator}[运营|发起]，场地约{area}平方米。",
       "[坐落在|扎根]{loc}的{name}，是一家[面向早期创业者|服务硬科技团队|专注青年创业]的众创空间。",
       "{name}是{city}[较早|首批]备案的众创空间之一，[位于|地处]{loc}。",
       "作为{operator}[打造|运营]的创新创业载体，{name}[为|向]早期团队提供约{area}平方米的[办公|共享]空间。",
       "{name}[地处|位于]{loc}，[周边|附近]聚集了[大量|众多]{ind}企业和高校资源。",
       "{name}是{loc}不少{ind}创业团队的第一站。",
       "{name}由{operator}[于{since}年|]设立，[目前|现有]工位{seats}个，入驻率约{occ}%。"),
    _T("[空间|这里][聚焦|重点服务]{inds}[方向|领域]的早期团队，提供[工位|开放工位]、路演、"
       "投融资对接和创业辅导[等服务|]。",
       "[主要|重点]面向{inds}[创业者|初创项目]，[配备|提供]共享实验室、会议室和路演厅。",
       "空间以{inds}为特色，[已经|]形成了从创意验证到融资对接的[服务链条|孵化体系]。",
       "[围绕|瞄准]{inds}，空间搭建了[公共技术平台|共享实验室]和[投融资对接|导师辅导]体系。"),
    _T("[已累计|累计]孵化项目{n}个，其中{k}个获得[融资|天使投资]，[在孵团队|入驻团队]{m}家。",
       "[引入|聘请]创业导师{mentors}位，[合作|签约]投资机构{k}家，[每月|每周]举办[项目路演|创业沙龙]。",
       "[成立|运营]{years}年来，已服务创业者{founders}余人，[带动就业{jobs}人|带动就业岗位{jobs}个]。"),
    _T("[是|为][国家级|省级|市级]备案众创空间[，连续{y2}年获评优秀|]。",
       "入驻团队可[享受|申请]房租减免、创新券和[人才公寓|创业补贴]等[扶持政策|支持]。",
       "[空间|我们]与[周边|本地]高校和龙头企业[共建|合作共建]了[联合实验室|中试平台|技术服务平台]。"),
]
_SPACE_WELCOME = _T("欢迎[{inds}方向的|有技术积累的]创业团队[申请入驻|前来交流]。",
                    "[目前|现在]仍有[少量|部分]工位开放申请[，优先{ind}方向|]。")


def space_texts(rng: np.random.Generator, *, city: str, industries: list[str]) -> dict[str, str]:
    """Name and short description of a 众创空间 in ``city`` focused on ``industries``."""
    code = industries[0] if industries else None
    ind = _industry(code)
    place = _pick(rng, _PLACES.get(city, (_city_zh(city),)))
    theme = _say(rng, ind.theme, {}) if _chance(rng, 0.55) else _pick(rng, _SPACE_THEME_GENERIC)
    suffix = _pick(rng, _SPACE_SUFFIX)
    if any(ch in suffix for ch in theme):
        theme = ""
    u = float(rng.random())
    if u < 0.7:
        name = place + theme + suffix
    elif u < 0.82:
        name = place + _pick(rng, ("大学生创业园", "科技园众创空间", "青年创新创业基地", "留学人员创业园"))
    elif u < 0.92:
        name = _brand(rng) + suffix
    else:
        name = place + _pick(rng, ("·", "")) + _brand(rng) + _pick(rng, ("创客空间", "众创空间", "创新社区"))
    slots = _context(rng, industries, 0, city)
    incubated = _int(rng, 30, 400)
    slots.update({
        "name": name, "loc": place if place.startswith(_city_zh(city)) else _city_zh(city) + place,
        "area": lambda: str(_int(rng, 8, 60) * 100),
        "operator": lambda: _pick(rng, ("区属国有平台公司", "本地高校科技园", "一家民营孵化机构",
                                         "龙头企业与投资机构", "区科技局指导的运营公司", "连续创业者团队",
                                         _brand(rng) + "产业服务集团")),
        "n": str(incubated), "k": _num(rng, 3, max(4, incubated // 4)), "m": _num(rng, 12, 90),
        "mentors": _num(rng, 10, 80),
        "years": _num(rng, 2, 10), "founders": lambda: str(_int(rng, 3, 60) * 50),
        "jobs": _num(rng, 200, 3000),
        "y2": _num(rng, 2, 4), "since": _num(rng, 2014, 2022), "seats": lambda: str(_int(rng, 6, 40) * 10),
        "occ": _num(rng, 70, 98),
    })
    sentences = [_say(rng, _SPACE_DESC[0], slots), _say(rng, _SPACE_DESC[1], slots)]
    extra = [bank for bank in _SPACE_DESC[2:] if _chance(rng, 0.6)]
    sentences += [_say(rng, bank, slots) for bank in extra[:2]]
    if len(sentences) > 2 and _chance(rng, 0.4):
        sentences[1], sentences[2] = sentences[2], sentences[1]
    if len(sentences) < 4 and _chance(rng, 0.3):
        sentences.append(_say(rng, _SPACE_WELCOME, slots))
    return {"name": str(name), "description": "".join(sentences)}


# =====================================================================================================
# Projects
# =====================================================================================================

_ONE_LINER = _T(
    "为{cust}提供{prod}[及配套服务|和整体解决方案|]",
    "[专注|聚焦]{sub}，[自主研发|主打|已推出]{prod}",
    "自主研发的{prod}，[面向|服务]{cust}",
    "[主打|核心产品是]{prod}[，服务{cust}|，面向{cust}|]",
    "{prod}[研发商|提供商|开发商]，主攻{cust}市场",
    "面向{cust}的{sub}[解决方案|产品与服务]",
    "一家做{prod}的{ind}[公司|创业团队]",
    "基于{ind}的{prod}，让{cust}{value}",
    "{prod}：帮助{cust}{value}",
    "专为{cust}打造的{prod}",
    "[聚焦|深耕]{sub}[赛道|方向]，已推出{prod}和{prod2}",
    "打造[新一代|更易用的|低成本的|国产化的]{prod}",
    "[在做|开发]{prod}，[目标客户是|先服务]{cust}",
    "以{prod}切入{sub}市场[，服务{cust}|]",
    "让{cust}用上[好用又不贵的|靠谱的|更智能的]{prod}",
    "{sub}方向的[硬科技|创新]项目，核心产品为{prod}",
    "{prod}+{prod2}，[一站式|打包]解决{cust}的{sub}需求",
)
_ONE_LINER_MULTI = _T(
    "融合{ind2}[能力|技术]的{prod}[，面向{cust}|]",
    "{sub}与{ind2}结合，[做|提供]{prod}",
)
_ONE_LINER_VAGUE = _T(
    "[一家|一个]{ind}[领域|方向]的[创业项目|初创团队]，[提供|开发]{gen}",
    "{ind}[创业|创新]项目，[做|提供]{gen}",
    "[帮|让]{cust}{value}的{ind}项目",
    "[专注|聚焦]{ind}，[开发|提供]{gen}",
    "面向{cust}的{gen}",
    "{gen}的[研发与销售|研发和运营]",
    "[做|打造]让客户{value}的{gen}",
)

_NS_JOIN = ("，", "；", "，同时", "，另外", "；此外", "，此外", "。另外", "。同时", "，其次")
_NS_LEAD = ("", "", "", "目前", "现阶段", "眼下", "当前")
_NS_TAIL = _T("", "", "", "", "，希望尽快对接", "，希望得到专业支持", "，欢迎有相关资源的[老师|朋友|"
                                                      "机构]联系")
_NS_LIST = _T(
    "目前最需要{list}[方面的支持|上的帮助|]。",
    "急需{list}[方面的资源|相关支持|]。",
    "当前的主要需求：{list}。",
    "现阶段需要[外部|专业]支持的是{list}。",
    "希望对接能提供{list}的[导师或机构|合作方|资源]。",
    "希望在{list}[等方面|上]得到[帮助|指导|支持]。",
    "需求[集中在|主要是]{list}。",
    "[寻求|寻找]{list}[方面的合作|相关资源]。",
    "{list}是眼下最迫切的[事|需求]。",
    "[下一步|接下来]的重点是{list}，[希望得到支持|需要外部资源]。",
    "眼下最缺的是{list}。",
)
_NS_MIXED = _T(
    "{c1}，另外[也|还]需要{rest}[方面的帮助|上的支持|]。",
    "{c1}；{rest}也需要[有人指点|外部支持]。",
    "{c1}，{rest}方面同样需要支持。",
    "{c1}。此外希望在{rest}上得到帮助。",
    "{c1}，并希望对接{rest}[资源|方面的专家]。",
    "{c1}；其次是{rest}[方面的需求|]。",
    "最急的是{c1}；[其次|再就是]{rest}。",
)
_NS_SINGLE = _T(
    "{c1}，希望[尽快|能]得到[专业|相关]支持。",
    "{c1}，欢迎有资源的[老师|朋友|机构]联系。",
    "主要需求：{c1}。",
    "当务之急是{np1}。",
    "最需要的是{np1}[方面的帮助|]。",
)
_NS_NONE = _T("暂无迫切需求，[希望|想]多认识[同行|行业里的朋友]。", "[目前|现阶段]以[自我打磨|"
                                              "埋头做产品]为主，欢迎交流。")


def _clause_chain(rng: np.random.Generator, clauses: Sequence[str]) -> str:
    out = clauses[0]
    for clause in clauses[1:]:
        out += _pick(rng, _NS_JOIN) + clause
    return out


def _needs_statement(rng: np.random.Generator, needs: Sequence[str], slots: Slots, limit: int = 90) -> str:
    if not needs:
        return _say(rng, _NS_NONE, slots)
    codes = _shuffled(rng, needs) if len(needs) > 1 and _chance(rng, 0.5) else list(needs)
    n = len(codes)

    def once() -> str:
        u = float(rng.random())
        if n == 1:
            if u < 0.45:
                return _pick(rng, _NS_LEAD) + _say(rng, _NEEDS[codes[0]].want, slots) \
                    + _say(rng, _NS_TAIL, slots) + "。"
            if u < 0.75:
                slots["c1"] = _say(rng, _NEEDS[codes[0]].want, slots)
                slots["np1"] = _say(rng, _NEEDS[codes[0]].np, slots)
                return _say(rng, _NS_SINGLE, slots)
            slots["list"] = _say(rng, _NEEDS[codes[0]].np, slots)
            return _say(rng, _NS_LIST, slots)
        if u < 0.3 and n <= 3:
            clauses = [_say(rng, _NEEDS[c].want, slots) for c in codes]
            return _pick(rng, _NS_LEAD) + _clause_chain(rng, clauses) + "。"
        if u < 0.65:
            slots["c1"] = _say(rng, _NEEDS[codes[0]].want, slots)
            slots["rest"] = _join(rng, _np_list(rng, codes[1:], slots, "np"))
            return _say(rng, _NS_MIXED, slots)
        slots["list"] = _join(rng, _np_list(rng, codes, slots, "np"))
        return _say(rng, _NS_LIST, slots)

    text = _first_fit(once, limit, tries=6)
    if text is None:
        lead = _pick(rng, ("急需", "目前需要", "需要"))
        text = lead + _join(rng, _np_list(rng, codes, slots, "np", True)) + "。"
    return text


_PROJ_SUFFIX_GENERIC = ("科技", "网络", "信息", "工作室", "实验室", "创新")


def _project_name(rng: np.random.Generator, ind: _Industry) -> str:
    brand = _brand(rng)
    u = float(rng.random())
    if u < 0.55:
        return brand + _say(rng, ind.suf, {})
    if u < 0.75:
        return brand
    if u < 0.92:
        return brand + _pick(rng, _PROJ_SUFFIX_GENERIC)
    return brand + _pick(rng, ("智能", "科技", "创新", "数字")) + _pick(rng, ("实验室", "工作室"))


_P_WHAT_N = _T("{prod}的研发与销售", "{sub}[相关产品|技术]的研发与应用", "{prod}[和|及]{prod2}的研发")
_P_WHAT = _T("{prod}的研发与销售", "为{cust}提供{prod}", "{sub}[相关产品|技术]的研发与应用", "{prod}[和|"
                                                                        "及]{prod2}的研发",
             "{sub}领域的{prod}")
_P_FOUNDER = _T("几位来自{bg}的[工程师|研究者|从业者]", "一位在{ind}行业[摸爬滚打|工作]了{yrs}年的[工程师|"
                                          "产品经理|销售老兵]",
                "{univ}的[博士|硕士]团队", "[海归博士|青年科学家|连续创业者]{pname}", "{bg}出身的{pname}")
_P_INTRO = _T(
    "{name}[成立于|创立于]{year}年，[总部位于|扎根|位于]{city}，[专注于|致力于]{what}。",
    "{name}是一家来自{city}的{ind}[初创企业|创业团队|科技公司]，主要从事{what_n}。",
    "[项目|我们]聚焦{sub}，核心产品是{prod}，[主要|目标]客户为{cust}。{name}[目前|现]落地{city}。",
    "{city}的{name}团队从{year}年开始[研发|打磨]{prod}，[希望|想]让{cust}{value}。",
    "针对{cust}在{sub}方面的[痛点|需求]，{name}推出了{prod}。",
    "{name}由{founder}[创办|发起]，[围绕|专注]{sub}开发{prod}等产品，[团队|公司]在{city}。",
    "{year}年，{founder}在{city}创立了{name}，[希望|立志]用{ind}技术帮{cust}{value}。",
    "{name}[立足|扎根]{city}，把{sub}技术[落地为|做成]{prod}。",
    "{name}的出发点很简单：让{cust}{value}。为此团队[研发|打造]了{prod}。",
    "{name}[主营|专注]{prod}的研发[与销售|和交付]，[产品|方案]已[适配|覆盖]{cust}等场景，总部设在{city}。",
)
_P_TEAM = _T(
    "团队[共|现有]{n}人，[其中研发人员占{pct}%|核心成员来自{bg}|硕博比例超过{pct}%]。",
    "创始团队[来自|出身]{bg}，目前全职成员{n}人。",
    "目前全职{n}人，创始人曾在{bg}工作{yrs}年[，对{cust}的需求非常了解|]。",
    "{n}人的团队[以技术背景为主|兼具技术与行业经验|年轻而务实]，[CEO|创始人]有{yrs}年{ind}行业经验。",
    "[公司|团队]现有员工{n}名，[技术|研发]负责人[毕业于|来自]{univ}。",
    "[我们|团队]一共{n}个人，[分工明确|技术和市场各有专人负责]，核心成员[共事|合作]超过{yrs2}年。",
)
_P_TEAM_SMALL = _T(
    "目前[只有|仅有]{n}名[创始成员|全职成员]，[正在寻找|计划招募][技术合伙人|更多伙伴]。",
    "团队还很小，{n}位创始人[分别负责|分头负责]技术和市场。",
    "[现阶段|目前]由{n}位联合创始人全职推进，创始人来自{bg}。",
)
_P_TEAM_SOLO = _T("目前由创始人一人全职推进，[兼职顾问|外部顾问]协助技术和财务。",
                  "[项目|团队]目前只有创始人一人全职，[正在物色|急需]合伙人。")
_P_TRACTION: dict[str, list[Tpl]] = {
    "idea": _T("已完成{k}次用户访谈和技术可行性验证。", "[核心技术|关键原理]已在实验室验证，[已申请|"
                                       "正在申请]专利{p}项。",
               "方案[曾获|获得过][创新创业大赛|“创客中国”大赛|"
               "“互联网+”大赛]{award}。", "已有{k}家{cust}表达了试用意向。"),
    "seed": _T("原型已在{k}家{cust}试用，反馈[良好|积极]。", "MVP上线{m}个月，积累种子用户{u}名。",
               "样机[已完成|已完成第二版]，[拿到|签下]了{k}份意向订单。", "[首个|"
                                                   "第一个]试点项目已在{city}落地。"),
    "early": _T("已签约付费客户{k}家，年收入约{rev}万元。", "产品已在{k}个{cust}项目中落地，复购率[较高|"
                                            "超过{pct}%]。",
                "去年营收{rev}万元，[毛利率|毛利]约{pct}%。", "[付费用户|客户]数量[每月|"
                                                "每季度]增长{g}%左右。"),
    "growth": _T("年营收约{rev2}万元，同比增长{g2}%。", "客户数超过{k2}家，[复购率|续约率]{pct}%。",
                 "已与{k}家头部{cust}建立长期合作，[连续两年|近两年]收入翻番。", "[已经|"
                                                         "已]实现单月盈亏平衡。"),
    "expansion": _T("业务覆盖{k}个城市，年营收超{rev3}亿元。", "已在{k}个省份设立办事处，员工规模仍在扩大。",
                    "[产品|服务]已进入{k}个国家和地区，[海外收入|海外业务]占比约{pct}%。",
                    "[正在|已启动]上市辅导，[年营收|收入规模]超过{rev3}亿元。"),
}
_STAGE_DESC: dict[str, list[Tpl]] = {
    "idea": _T("还在做概念验证|核心想法已经过初步验证|产品尚在设计中"),
    "seed": _T("原型已经做出来|MVP刚刚上线|正在打磨首版产品"),
    "early": _T("已有首批付费客户|产品已商业化落地|正在验证可复制的商业模式"),
    "growth": _T("收入[进入快速增长|稳步增长]|商业模式已经跑通|正在规模化复制"),
    "expansion": _T("正在跨区域扩张|进入规模化扩张阶段|开始布局新市场和新产品线"),
}
_P_STAGE = _T(
    "项目[目前|现在][处于|正处于]{stage_zh}，{stage_desc}。",
    "[从阶段上看|按发展阶段|就阶段而言]，{name}[属于|处在]{stage_zh}。",
    "{stage_desc}，[属于|是]典型的{stage_zh}项目。",
    "[目前|当前]处于{stage_zh}[，{stage_desc}|]。",
    "公司[正处在|处于]{stage_zh}，[{stage_desc}|团队节奏[很快|紧凑]]。",
)
_PLANS: dict[str, list[Tpl]] = {  # verb phrases
    "idea": _T("完成原型开发|验证核心技术|找到首批种子用户|组建完整团队"),
    "seed": _T("完成产品定型|开展小批量试点|打磨好MVP|拿下首批付费客户"),
    "early": _T("扩大销售团队|开拓{city}以外的市场|实现产品标准化|建好交付团队"),
    "growth": _T("拓展全国市场|扩充产能|研发新产品线|建设渠道体系"),
    "expansion": _T("布局海外市场|并购整合上下游|冲刺上市|建设第二生产基地"),
}
_P_PLAN = _T(
    "未来[一年|12个月|18个月]的重点是{plan}[，并{plan2}|]。",
    "[目标|愿景]是[在三年内|几年内]成为{sub}领域的[领先企业|头部品牌|标杆企业|隐形冠军]。",
    "[下一步|接下来][希望|计划]借助空间资源[解决|补上]{need_np}[的短板|这块短板|]。",
    "[团队|我们][计划|打算]在{year2}年[底前|]{plan}。",
    "接下来会把精力放在{plan}上[，同时继续打磨{prod}|]。",
)
_P_PLAN_FIN = _T(
    "本轮{rw}融资[将主要用于|主要用于]{plan}[和{plan2}|]。",
    "[接下来|下一步]计划用{rw}资金{plan}。",
)
_P_EXTRA = _T(
    "[公司|项目]曾获{city}[创新创业大赛|科技创新大赛]{award}。",
    "[公司|项目]已入选{city}科技型中小企业名单。",
    "[团队|公司]已[申请|获得]发明专利{p}项、软件著作权{k}项。",
    "[项目|团队]入驻众创空间以来，[得到了|获得了]导师在[产品|市场|融资]方面的辅导。",
    "[产品|方案]已通过{k}家{cust}的[验收|测试]。",
)

_YEAR_BY_STAGE = {"idea": (2024, 2025), "seed": (2022, 2025), "early": (2020, 2024), "growth": (2015, 2022),
                  "expansion": (2010, 2019)}


def project_texts(rng: np.random.Generator, *, industries: list[str], subtopic: int, needs: list[str],
                  stage: str, round_sought: str, city: str, team_size: int,
                  funding: int | None = None) -> dict[str, str]:
    """Name, one-liner, needs statement and description of an incubated project.

    ``funding`` (CNY), when given, is the amount the text quotes for the round sought."""
    ind = _industry(industries[0] if industries else None)
    slots = _context(rng, industries, subtopic, city)
    name = _project_name(rng, ind)
    lo, hi = _YEAR_BY_STAGE.get(stage, (2018, 2024))
    year = _int(rng, lo, hi)
    slots.update({
        "name": name, "year": str(year), "year2": str(max(year + 1, 2026)),
        "rw": _ROUND_WORD.get(round_sought, "新一轮"), "amt": _amount_fn(rng, round_sought, funding),
        "n": str(team_size), "pct": _num(rng, 35, 80), "yrs": _num(rng, 3, 15), "yrs2": _num(rng, 2, 8),
        "k": _num(rng, 3, 30), "k2": lambda: str(_int(rng, 2, 30) * 50), "p": _num(rng, 1, 12),
        "m": _num(rng, 2, 10), "u": lambda: str(_int(rng, 2, 60) * 50),
        "rev": lambda: str(_int(rng, 8, 120) * 10),
        "rev2": lambda: str(_int(rng, 20, 150) * 100), "rev3": _num(rng, 1, 15), "g": _num(rng, 8, 35),
        "g2": _num(rng, 40, 220),
        "award": lambda: _pick(rng, ("一等奖", "二等奖", "三等奖", "优秀奖", "金奖", "银奖")),
        "stage_zh": _STAGE_ZH.get(stage, "初创期"),
        "stage_desc": lambda: _say(rng, _STAGE_DESC.get(stage, _STAGE_DESC["early"]), slots),
        "plan": lambda: _say(rng, _PLANS.get(stage, _PLANS["early"]), slots),
        "plan2": _distinct(rng, slots, "plan", _PLANS.get(stage, _PLANS["early"])),
        "need_np": lambda: _join(rng, _np_list(rng, needs[:2], slots, "np")) if needs else "市场和融资",
    })
    slots["what"] = lambda: _say(rng, _P_WHAT, slots)
    slots["what_n"] = lambda: _say(rng, _P_WHAT_N, slots)
    slots["founder"] = lambda: _say(rng, _P_FOUNDER, slots)

    # one-liner (about one in five stays vague about the sub-topic)
    if _chance(rng, 0.2):
        bank = _ONE_LINER_VAGUE
    elif len(industries) > 1 and _chance(rng, 0.25):
        bank = _ONE_LINER_MULTI
    else:
        bank = _ONE_LINER
    one_liner = _first_fit(lambda: _say(rng, bank, slots), 50) or _say(rng, _ONE_LINER_VAGUE, slots)

    needs_statement = _needs_statement(rng, needs, slots)

    # description: intro, team / traction (either order), stage, plan, maybe an extra fact
    if team_size <= 1:
        team = _say(rng, _P_TEAM_SOLO, slots)
    elif team_size <= 3:
        team = _say(rng, _P_TEAM_SMALL, slots)
    else:
        team = _say(rng, _P_TEAM, slots)
    body = [team]
    if _chance(rng, 0.75):
        traction = _say(rng, _P_TRACTION.get(stage, _P_TRACTION["early"]), slots)
        body.insert(int(rng.integers(2)), traction)
    parts = [_say(rng, _P_INTRO, slots), *body, _say(rng, _P_STAGE, slots)]
    if _chance(rng, 0.8):
        plan_bank = _P_PLAN_FIN if "financing" in needs and _chance(rng, 0.5) else _P_PLAN
        parts.append(_say(rng, plan_bank, slots))
    if _chance(rng, 0.3) and sum(p.count("。") for p in parts) < 6:
        parts.insert(len(parts) - 1, _say(rng, _P_EXTRA, slots))
    return {"name": str(name), "one_liner": str(one_liner), "needs_statement": str(needs_statement),
            "description": "".join(parts)}



# =====================================================================================================
# Mentors
# =====================================================================================================

_M_TITLES: dict[str, list[Tpl]] = {
    "angel_investor": _T("创始合伙人|投资合伙人|管理合伙人|合伙人|董事总经理|天使投资人|执行合伙人"),
    "entrepreneur": _T("创始人兼CEO|联合创始人|董事长|创始人|董事长兼总经理|联合创始人、总裁|创始人、董事长"),
    "senior_manager": _T("副总裁|事业部总经理|首席运营官|高级副总裁|大区总经理|运营总监|首席财务官"
                         "|人力资源副总裁|总经理|战略发展部总监"),
    "technical_expert": _T("CTO|首席技术官|首席科学家|技术总监|研发副总裁|首席架构师|研究院院长"),
    "marketing_expert": _T("首席营销官|品牌总监|市场副总裁|创始人|增长负责人|市场总监|合伙人、策略总监"),
}
_M_TITLES_UNI = _T("教授、博士生导师|副教授|教授|特聘教授|博士生导师")
_M_TITLES_INST = _T("研究员|副研究员|课题组长|研究员、博士生导师|首席科学家")


def _mentor_identity(rng: np.random.Generator, mtype: str, ind: _Industry,
                     city: str) -> tuple[str, str, bool]:
    """(title, organisation, academic) consistent with the mentor type."""
    if mtype == "angel_investor":
        if _chance(rng, 0.2):
            org = _company(rng, ind, city)
            return _pick(rng, ("副总裁、天使投资人", "联合创始人、"
                                            "天使投资人", "董事、天使投资人")), org, False
        org = _fund_brand(rng) + _pick(rng, ("资本", "天使基金", "投资", "创投", "创业投资"))
        return _say(rng, _M_TITLES[mtype], {}), org, False
    if mtype == "technical_expert":
        u = float(rng.random())
        if u < 0.35:
            return _say(rng, _M_TITLES_UNI, {}), _pick(rng, _UNIVERSITIES), True
        if u < 0.55:
            return _say(rng, _M_TITLES_INST, {}), _pick(rng, _INSTITUTES), True
        return _say(rng, _M_TITLES[mtype], {}), _company(rng, ind, city), False
    if mtype == "marketing_expert" and _chance(rng, 0.4):
        org = _brand(rng) + _pick(rng, ("品牌咨询", "营销顾问", "传媒", "整合营销", "品牌管理"))
        return _pick(rng, ("创始人", "合伙人", "创始合伙人", "首席策略官")), org, False
    if mtype == "senior_manager" and _chance(rng, 0.2):
        return "前" + _say(rng, _M_TITLES[mtype], {}), _company(rng, ind, city), False
    return _say(rng, _M_TITLES.get(mtype, _M_TITLES["entrepreneur"]), {}), _company(rng, ind, city), False


_M_EXPERTISE = _T(
    "{ind}，[专长|专精|侧重]{sub}[，熟悉{prod}|]",
    "深耕{sub}[十余年|{yrs}年][，兼顾{ind2}|]",
    "{sub}、{prod}的[研发|产品化|商业化]",
    "{ind}行业[老兵|专家]，主攻{sub}",
    "熟悉{prod}和{prod2}[的技术路线|的市场格局|的产业链]",
    "{inds}；[细分方向|重点]为{sub}",
    "[擅长|精通]{sub}[技术|]与工程落地",
    "{sub}（{prod}、{prod2}）",
    "[长期|多年]从事{sub}，了解{cust}[的需求|的采购逻辑]",
    "{ind}+{sub}，[对{prod}很有心得|在{prod}方面经验丰富]",
)
_M_EXPERTISE_TYPE: dict[str, list[Tpl]] = {
    "angel_investor": _T("长期看{ind}赛道，投过多个{sub}项目", "{sub}早期投资[与投后管理|与产业资源整合]"),
    "entrepreneur": _T("在{sub}领域从0到1创业[并成功退出|，把公司做到行业前列]", "{ind}创业与经营，[主做|"
                                                           "做过]{prod}"),
    "senior_manager": _T("{ind}企业经营管理，[负责过|管过]{prod}业务线", "{sub}业务的[规模化运营|"
                                                          "组织管理与战略]"),
    "technical_expert": _T("{sub}核心技术研发[及产业化|与工程化]", "{prod}[关键技术|底层技术]，{sub}方向"),
    "marketing_expert": _T("{ind}领域品牌与增长，尤其是{prod}类产品", "{sub}产品的[市场推广|品牌建设|"
                                                        "渠道拓展]"),
}
_M_EXPERTISE_VAGUE = _T(
    "{inds}",
    "{ind}[行业|领域][经验丰富|资深从业者]",
    "[多年|长期][从事|深耕]{ind}[行业|领域]",
    "{ind}[方向的|领域的][技术|商业|产业]经验",
    "熟悉{ind}产业链[上下游|和市场]",
)

_O_LIST = _T(
    "可在{list}等方面提供帮助[，尤其适合{stages}团队|]。",
    "擅长{list}，[愿意|乐于]陪伴{stages}创业者成长。",
    "能为{stages}项目提供{list}[支持|方面的辅导]。",
    "主要帮创业团队做{list}。",
    "提供{list}等辅导[，每月可投入约{h}小时|]。",
    "如果你在{list}上遇到问题，可以找我聊聊。",
    "可以为团队提供：{list}。",
    "重点辅导{stages}项目的{list}。",
    "{list}，[都可以聊|欢迎约谈]。",
    "[乐于|愿意]分享{list}方面的经验[，更适合{stages}团队|]。",
)
_O_MIXED = _T(
    "{g1}；也能在{rest}上给[建议|一些建议]。",
    "{g1}，[此外|另外]可以[协助|帮忙]{rest}。",
    "{g1}。{rest}方面也[可以交流|能提供帮助]。",
    "{g1}，[同时|也]擅长{rest}[，更适合{stages}团队|]。",
)


def _offer(rng: np.random.Generator, serves: Sequence[str], slots: Slots, limit: int = 70) -> str:
    if not serves:
        return _say(rng, _T("[愿意|乐于]和{stages}创业者交流[行业经验|创业心得]。"), slots)
    codes = _shuffled(rng, serves)

    def once() -> str:
        u = float(rng.random())
        if len(codes) <= 2 and u < 0.35:
            clauses = [_say(rng, _NEEDS[c].give, slots) for c in codes]
            return _clause_chain(rng, clauses) + "。"
        if len(codes) >= 2 and u < 0.6:
            slots["g1"] = _say(rng, _NEEDS[codes[0]].give, slots)
            slots["rest"] = _join(rng, _np_list(rng, codes[1:], slots, "help_np"))
            return _say(rng, _O_MIXED, slots)
        slots["list"] = _join(rng, _np_list(rng, codes, slots, "help_np"))
        return _say(rng, _O_LIST, slots)

    text = _first_fit(once, limit, tries=6)
    if text is None:
        text = "可提供" + _join(rng, _np_list(rng, codes, slots, "help_np", True)) + "等方面的帮助。"
    return text


_BIO_OPEN: dict[str, list[Tpl]] = {
    "angel_investor": _T(
        "{name}[早年|最早]在{co}[负责|主管]{biz}，{y1}年[离开后|转型]开始做天使投资。",
        "作为{ind}领域的资深从业者，{name}先后在{co}和{co2}任职，对产业链[非常熟悉|有深入理解]。",
        "{name}现任{org}{title}，此前曾创办一家{ind}公司并[成功出售|实现并购退出]。",
        "{name}{y1}年开始做个人天使投资，[投资风格偏早期|只投早期项目]，[重点关注|主要看]{sub}方向。",
        "{name}是{city}[颇为活跃|知名]的天使投资人，[目前|现]任{org}{title}。",
        "在{co}做到{role2}之后，{name}[转身|转型]成为职业天使投资人，现任{org}{title}。",
    ),
    "entrepreneur": _T(
        "{name}于{y1}年创办{org}，用{ny}年时间把公司做到{scale}。",
        "{name}是一名连续创业者，先后创办过{kc}家公司，[涉及|覆盖]{inds}。",
        "[大学毕业后|硕士毕业后]，{name}加入{co}，{y1}年辞职创业，创立了{org}。",
        "{name}是{org}{title}，[创业|在{ind}行业创业]已有{n}年。",
        "{name}[白手起家|从零起步]创办了{org}，[如今|现在]公司已是{ind}领域的[知名企业|头部企业]。",
        "[做过|当过]{yrs}年工程师后，{name}在{y1}年[辞职创业|下海创业]，[创办|成立]了{org}。",
    ),
    "senior_manager": _T(
        "{name}在{co}工作[超过|]{n}年，[历任|先后担任]{role1}、{role2}等职。",
        "{name}现任{org}{title}，此前在{co}负责{biz}。",
        "{name}[职业生涯|从业]{n}年，[一直|始终]在{ind}行业的大型企业做管理。",
        "[从基层做起|从管培生做起]，{name}在{co}一路做到{role2}，[管理|带领]过{emp}人的团队。",
        "{name}是{ind}行业的职业经理人，[先后|曾]在{co}和{co2}担任{role2}。",
        "{name}有{n}年大型企业管理经验，[目前|现]任{org}{title}。",
    ),
    "technical_expert": _T(
        "{name}现任{org}{title}，[此前|之前]在{co}[担任|做]{techrole}，主导{prod}的[研发|项目]。",
        "{name}[博士毕业于|毕业于]{univ}，[加入{org}前|此前]在{co}[从事|负责]{sub}[研发|相关研发]。",
        "{name}是{org}{title}，[本科|硕士]就读于{univ}，后在{ouniv}获得博士学位。",
        "{name}是{org}{title}，[带领|领导]一支{k2}人的研发团队[攻关|专注]{sub}。",
        "{name}在{sub}领域[工作|深耕]了{yrs}年，[目前|现]任{org}{title}。",
    ),
    "academic": _T(
        "{name}博士毕业于{univ}，[现为|现任]{org}{title}，长期从事{sub}[研究|方向的研究与工程化]。",
        "{name}现为{org}{title}，[研究方向为|主攻]{sub}。",
        "{name}[本科|硕士]就读于{univ}，[后赴|后在]{ouniv}获得博士学位，[回国后|现]在{org}任{title}，"
        "专注{sub}。",
        "{name}是{org}{title}，[早年|曾]在{co}做过{techrole}，[对产业化很有经验|兼具学术和产业背景]。",
        "{name}[长期|多年]在{org}从事{sub}研究，现任{title}[，同时担任多家企业的技术顾问|]。",
    ),
    "marketing_expert": _T(
        "{name}拥有{n}年市场营销经验，[曾任|历任]{co}{mkrole}。",
        "{name}是{org}{title}，此前在{co}[负责|主管]品牌与市场。",
        "{name}[从广告公司起步|从4A广告公司起步|做过记者]，后来[转做|转向]{ind}行业的品牌营销。",
        "{name}[现任|是]{org}{title}，过去{n}年一直在做{ind}行业的品牌和增长。",
        "从{co}的市场部起步，{name}[一路|逐步]做到{mkrole}，现任{org}{title}。",
        "{name}[专注|擅长]{mskill}，现任{org}{title}。",
    ),
}
_BIO_MID: dict[str, list[Tpl]] = {
    "angel_investor": _T(
        "迄今已投资{k}个早期项目，[其中{e}个已经退出|其中{e}家完成了后续融资|包括多家{sub}企业]。",
        "先后投过{k}家公司，单笔通常在{ticket}。",
        "[看项目|投资时]最看重[创始人的学习能力|团队的执行力|技术壁垒和商业化速度|市场空间和团队匹配度]。",
        "[投资组合|被投企业]中已有{e}家成长为[细分行业龙头|专精特新“小巨人”]。",
    ),
    "entrepreneur": _T(
        "公司[主营|主打]{prod}，[服务|客户包括]{cust}等[上千家|数百家]客户。",
        "[经历过|走过]从0到1、从融资到[扩张|退出]的完整过程[，对早期公司的坑很熟悉|]。",
        "{y2}年公司[被上市公司并购|完成上市]后，{name}[转为|开始]担任[董事|顾问]，把更多时间投入到创业辅导。",
        "[创业期间|这些年]带领公司完成了{kr}轮融资，团队从{k2}人发展到{emp}人。",
    ),
    "senior_manager": _T(
        "[管理过|带领过]{emp}人的团队，主导过{biz}，业务规模达{rev}亿元。",
        "[熟悉|擅长]{skill}，[带领团队完成了|主导了]{achv}。",
        "[任职期间|在任期间]，负责的{prod}业务[收入翻了{x}倍|从零做到行业前三]。",
    ),
    "technical_expert": _T(
        "[发表论文|发表SCI论文]{papers}余篇，[授权发明专利|拥有发明专利]{p}项[，多项成果已实现产业化|]。",
        "[带领团队|牵头]承担过[国家重点研发计划|省部级科技]项目{k2}项。",
        "[主持|参与]的{prod}[项目|方案]已被{cust}[规模化采用|采用]。",
        "[擅长|乐于]帮创业团队[判断技术路线|评估技术可行性|解决工程化难题]。",
    ),
    "marketing_expert": _T(
        "[操盘|主导]过{k}个品牌从0到1的打造，其中包括一款年销售额过亿的{prod}。",
        "[擅长|精通]{mskill}，服务过的品牌[涵盖|覆盖]{inds}。",
        "[曾|先后]为{k}家{ind}企业做过品牌升级[，多个案例获得行业奖项|]。",
    ),
}
_BIO_CLOSE = _T(
    "[目前|现在]每月可拿出{h}小时辅导{stages}团队。",
    "希望把[自己|多年]的经验分享给[年轻|早期]创业者[，帮他们少走弯路|]。",
    "作为多家众创空间的创业导师，已辅导过{k3}个项目。",
    "[辅导风格|指导方式]偏[务实|直接]，[喜欢|习惯]和创始人一起[拆解问题|复盘]。",
    "[更愿意|倾向于]辅导{ind}方向的{stages}项目。",
    "[常驻|目前在]{city}，[可线下见面|线上线下均可]。",
    "[曾|多次]担任[创新创业大赛|“创客中国”大赛]评委。",
)
_BIZ = _T("战略投资|产品线|大客户业务|海外业务|新业务孵化|华东区销售|研发中心|供应链")
_SKILL = _T("组织管理和流程建设|精细化运营|供应链管理|财务管控与预算|跨区域团队管理|业务拆解与目标管理")
_ACHV = _T("公司的数字化转型|一次跨国并购整合|新业务从零到盈利|上市前的组织调整|全国渠道体系搭建")
_MSKILL = _T("品牌定位与内容营销|新媒体投放|社群与私域运营|B2B营销|整合传播|用户增长")
_SCALE = _T("行业前三|年营收{rev}亿元|员工{emp}人|科创板上市|被上市公司收购")
_ROLES = _T("产品总监|销售总监|区域总经理|事业部总经理|副总裁|运营总监|战略总监")


def mentor_texts(rng: np.random.Generator, *, mentor_type: str, industries: list[str], subtopic: int,
                 serves: list[str], stages: list[str], city: str) -> dict[str, str]:
    """Name, title, organisation, expertise, offer and bio of a 创业导师."""
    ind = _industry(industries[0] if industries else None)
    slots = _context(rng, industries, subtopic, city)
    name = person_name(rng)
    title, org, academic = _mentor_identity(rng, mentor_type, ind, city)
    y1 = _int(rng, 2005, 2016)
    ny = _int(rng, 4, min(12, 2023 - y1))
    slots.update({
        "name": name, "title": title, "org": org,
        "co": lambda: _company(rng, ind, city), "co2": lambda: _company(rng, _GENERIC, city),
        "ouniv": lambda: _pick(rng, _OVERSEAS_UNI),
        "stages": lambda: _stages_phrase(rng, stages),
        "y1": str(y1), "ny": str(ny), "y2": str(min(2024, y1 + ny + _int(rng, 0, 1))), "n": _num(rng, 8, 25),
        "yrs": _num(rng, 8, 20), "kr": _num(rng, 2, 6),
        "k": _num(rng, 3, 40), "k2": _num(rng, 5, 30), "k3": _num(rng, 10, 80), "e": _num(rng, 1, 4),
        "kc": _num(rng, 2, 5), "papers": lambda: str(_int(rng, 2, 12) * 10),
        "p": _num(rng, 5, 60), "emp": lambda: str(_int(rng, 2, 30) * 50), "rev": _num(rng, 2, 50),
        "x": _num(rng, 2, 5), "h": _num(rng, 4, 16),
        "ticket": lambda: _pick(rng, ("50万到200万元", "100万到300万元", "30万到100万元",
                                                                "200万到500万元")),
        "biz": lambda: _say(rng, _BIZ, slots), "skill": lambda: _say(rng, _SKILL, slots),
        "achv": lambda: _say(rng, _ACHV, slots), "mskill": lambda: _say(rng, _MSKILL, slots),
        "scale": lambda: _say(rng, _SCALE, slots), "role1": lambda: _say(rng, _ROLES, slots),
        "role2": lambda: _pick(rng, ("副总裁", "高级副总裁", "首席运营官", "总经理", "事业群总裁")),
        "techrole": lambda: _pick(rng, ("首席科学家", "研发总监", "CTO", "首席架构师", "技术副总裁")),
        "mkrole": lambda: _pick(rng, ("市场总监", "品牌总监", "首席营销官", "市场副总裁", "用户增长负责人")),
    })

    # expertise (one in five stays at the industry level)
    if _chance(rng, 0.2):
        banks = [_M_EXPERTISE_VAGUE]
    else:
        banks = [_M_EXPERTISE, _M_EXPERTISE_TYPE.get(mentor_type, _M_EXPERTISE)]
    def make_expertise() -> str:
        return _say(rng, banks[0] if len(banks) == 1 or _chance(rng, 0.7) else banks[1], slots)

    expertise = _first_fit(make_expertise, 50) or _say(rng, _M_EXPERTISE_VAGUE, slots)

    offer = _offer(rng, serves, slots)

    opens = _BIO_OPEN["academic" if academic else mentor_type if mentor_type in _BIO_OPEN else "entrepreneur"]
    mids = _BIO_MID.get(mentor_type, _BIO_MID["entrepreneur"])
    bio = [_say(rng, opens, slots)]
    for tpl in _sample(rng, mids, 1 + int(rng.integers(2))):
        bio.append(_render(rng, tpl, slots))
    for tpl in _sample(rng, _BIO_CLOSE, 1 + int(_chance(rng, 0.4))):
        bio.append(_render(rng, tpl, slots))
    return {"name": str(name), "title": str(title), "organisation": str(org), "expertise": str(expertise),
            "offer": str(offer), "bio": "".join(bio)}


# =====================================================================================================
# Investors
# =====================================================================================================


def _ticket(rounds: Sequence[str]) -> str:
    """Ticket range in words, consistent with the generator's ticket_min / ticket_max."""
    medians = [_ROUND_MEDIAN.get(r, 1e7) for r in rounds] or [1e7]
    lo, hi = min(medians) * 0.3, max(medians) * 3.0
    a, b = _wan(lo), _wan(hi)
    if a.endswith("万元") and b.endswith("万元"):
        a = a[:-2]
    elif a.endswith("亿元") and b.endswith("亿元"):
        a = a[:-2]
    return a + "至" + b


def _investor_name(rng: np.random.Generator, kind: str, ind: _Industry, code: str) -> tuple[str, str, str]:
    """(name, subject used in the description, parent company of a CVC)."""
    if kind == "angel":
        person = person_name(rng)
        return person + ("（个人天使）" if _chance(rng, 0.4) else ""), person, ""
    if kind == "cvc":
        company = _brand(rng) + _say(rng, ind.suf, {})
        parent = company + _pick(rng, ("集团", "股份", "", ""))
        unit = _pick(rng, ("战略投资部", "产业基金", "创新投资", "战投", "资本", "产业投资"))
        return company + unit, company + unit, parent
    name = _institution_name(rng, kind, ind, code)
    return name, name, ""


def _institution_name(rng: np.random.Generator, kind: str, ind: _Industry, code: str) -> str:
    if kind == "government_fund":
        city = _city_zh(code)
        u = float(rng.random())
        if u < 0.25:
            return city + "市科创引导基金"
        if u < 0.45:
            return city + "市天使投资引导基金"
        if u < 0.6 and code in _PROVINCE:
            fund = _pick(rng, ("新兴产业发展基金", "科技创新基金", "高新技术产业投资基金"))
            return _PROVINCE[code] + "省" + fund
        if u < 0.75:
            place = _pick(rng, _PLACES[code][:-1] or (city,))
            return city + place + _pick(rng, ("产业引导基金", "创业投资引导基金"))
        if u < 0.88:
            return city + "高新区科技创新母基金"
        return city + "市" + _say(rng, ind.theme, {}) + "产业基金"
    if kind == "bank_credit":
        city = _city_zh(code)
        u = float(rng.random())
        if u < 0.3:
            return city + "银行科技支行"
        if u < 0.5:
            return city + "农商银行科创支行"
        if u < 0.7:
            return _fund_brand(rng) + "银行" + city + "科技支行"
        if u < 0.85:
            return _fund_brand(rng) + "银行" + city + "分行科技金融部"
        return city + _pick(rng, ("科技小额贷款有限公司", "中小企业融资担保有限公司"))
    suffix = _pick(rng, ("创投", "资本", "投资", "创业投资", "基金", "创新投资", "资本", "创投"))
    if _chance(rng, 0.15):
        return _fund_brand(rng) + _say(rng, ind.theme, {}) + "产业基金"
    return _fund_brand(rng) + suffix


_TH_GENERIC = _T(
    "重点投资{inds}领域[，尤其是{sub}方向]的{stages}项目，主投{rounds}。",
    "聚焦{sub}[、{prod}]等细分赛道，单笔{ticket}，偏好{rounds}。",
    "关注{ind}赛道中的{sub}机会[，立足{regions}|]，投{rounds}。",
    "{rounds}为主，看好{sub}[和{ind2}|]，[优先考虑{regions}的团队|]。",
    "专注{stages}的{sub}企业[，投资区域以{regions}为主|]。",
    "[看好|长期看好]{prod}、{prod2}[等方向|这类产品]的商业化机会，投{rounds}。",
    "投{rounds}，赛道：{inds}（{sub}优先）。",
    "[只投|专投]{ind}，[特别是|尤其是]{sub}；轮次覆盖{rounds}。",
    "在{regions}寻找{sub}方向的{stages}团队，[领投|领投或跟投]{rounds}。",
    "[围绕|沿着]{sub}产业链[布局|投资]，关注{prod}等环节，主投{rounds}。",
    "以{rounds}为主，关注{sub}，[看重|重视]技术壁垒[和团队执行力|]。",
)
_TH_KIND: dict[str, list[Tpl]] = {
    "angel": _T(
        "个人天使，[主投|只投]{rounds}，关注{sub}[，{regions}优先|]。",
        "[用自己的钱|以个人身份]投{sub}方向的{stages}项目，单笔{ticket}。",
        "[喜欢|偏好]{sub}领域的技术型创始人，[投|主投]{rounds}。",
    ),
    "cvc": _T(
        "围绕集团{ind}产业布局，战略投资{sub}[上下游|相关]企业，主投{rounds}。",
        "[寻找|关注]能与主业协同的{sub}团队，[可提供|提供]订单和渠道支持，{rounds}。",
        "产业资本，聚焦{prod}、{prod2}等方向，[轮次|阶段]为{rounds}。",
    ),
    "government_fund": _T(
        "引导基金，[重点|主要]支持{inds}等战略性新兴产业，[要求|鼓励]项目落地{hq}。",
        "通过参股子基金和直投支持{stages}科技企业，[聚焦|优先]{sub}，[覆盖|服务]{regions}。",
        "[服务|支持]{hq}{ind}产业发展，[尤其是|重点是]{sub}，阶段覆盖{rounds}。",
    ),
    "bank_credit": _T(
        "面向{ind}[领域的|方向的|]科技型中小企业，提供[知识产权质押贷款|科技信用贷|人才贷]，额度{loan}。",
        "为{stages}企业提供[信用贷款|知识产权质押融资]，[优先支持|关注]{sub}方向。",
        "[与创投机构|与VC]投贷联动，支持{rounds}阶段的{ind}企业，单户最高{loan}。",
        "[聚焦|服务]{regions}的{inds}企业，看重订单和知识产权，[无需|不要求]抵押。",
    ),
}
_TH_VAGUE = _T(
    "重点投资{inds}领域的{stages}项目，主投{rounds}。",
    "[以|主投]{rounds}为主，关注{inds}[，立足{regions}|]。",
    "{ind}方向，{stages}项目，{rounds}。",
    "[看好|关注]{inds}的早期机会，单笔{ticket}。",
    "不限细分赛道，[偏好|主投]{ind}领域的{rounds}项目。",
)
_TH_VAGUE_BANK = _T("为{inds}领域的科技型中小企业提供{loanprod}，单户最高{loan}。",
                    "{loanprod}，[服务|面向]{regions}的{ind}企业。")

_DESC_INV: dict[str, list[list[Tpl]]] = {
    "vc": [
        _T("{name}成立于{y1}年，[管理资金规模|管理规模]约{aum}亿元[人民币|]。",
           "{name}是一家专注早期科技投资的[创投机构|风险投资机构]，[总部位于|扎根]{hq}。",
           "{name}由{kc}位连续创业者和产业老兵[联合创立|创办]，目前管理{fundn}期基金。",
           "{name}[专注|聚焦]早期科技投资，[目前|现]在管基金规模约{aum}亿元。",
           "{name}是{hq}本土[成长起来的|的]创投机构，成立以来已走过{age}年。"),
        _T("已投资{k}家企业，覆盖{inds}[，其中{e}家已上市|]。",
           "[代表性|典型]投资案例包括一家{sub}领域的[上市公司|独角兽企业]和多家{prod}企业。",
           "[投资组合|被投企业]以{sub}和{ind2}为主，[累计|共]{k}家。"),
        _T("单笔投资{ticket}，[通常领投|可领投可跟投|以领投为主]。",
           "[主要|重点]参与{rounds}，[偶尔|也会]跟投后续轮次。"),
        _T("投后团队可提供招聘、品牌和下一轮融资对接[等支持|]。",
           "投决周期约{w}周，投资经理会深度[参与|陪伴]被投企业成长。",
           "[看重|重视]创始团队的技术积累和商业化能力。"),
    ],
    "angel": [
        _T("{name}早年在{co}担任{role}，{y1}年开始做天使投资。",
           "{name}是{ind}行业的连续创业者，用自有资金做天使投资[已有|超过]{n}年。",
           "{name}[曾|此前]是{co}的{role}，[公司被并购后|退出后]转做个人天使。",
           "{name}是{hq}[颇为活跃|小有名气]的个人天使，[专投|主要投]{ind}方向。",
           "{name}[曾|早年]在{co}任职{n}年，[后来|之后]独立创业，公司被收购后开始做天使投资。"),
        _T("至今投过{ka}个项目，[其中{e}个已退出|多个项目拿到了后续融资]。",
           "投过的项目以{sub}为主，[包括|其中有]{prod}[方向|领域]的公司。"),
        _T("单笔金额{ticket}，偏好技术型、执行力强的创始团队。",
           "一般[只投|参与]{rounds}，[决策快|决策很快]，[通常|一般]{w}周内给出答复。"),
        _T("除了资金，还能[帮忙|帮助]对接[客户|产业|下一轮融资]资源。",
           "[愿意|乐于]在[产品|战略|团队]上给创始人[建议|出主意]。"),
    ],
    "cvc": [
        _T("{name}是{parent}旗下的[战略投资平台|产业投资部门]，成立于{y1}年。",
           "{name}[隶属|背靠]{parent}，[负责|承担]集团在{ind}领域的[战略投资|产业投资]。",
           "{name}[成立于|设立于]{y1}年，是{parent}[布局|投资]{ind}产业链的主要平台。",
           "[作为|身为]{parent}的产业投资平台，{name}[只投|专注]与主业相关的项目。"),
        _T("围绕集团在{ind}领域的[产业布局|主业]开展投资，[已投|累计投资]{k}家企业。",
           "[重点|主要]关注{sub}相关的技术和产品，[尤其是|比如]{prod}。"),
        _T("被投企业可获得{parent}的[订单|渠道|供应链|应用场景]资源支持。",
           "可为团队提供集团[内部场景试点|供应链和渠道]机会。"),
        _T("单笔{ticket}，[以战略投资为主|可独立投资或联合财务机构]。", "[主要|重点]参与{rounds}。"),
    ],
    "government_fund": [
        _T("{name}由{hqs}[政府|财政]出资设立，总规模{aum}亿元。",
           "{name}[成立于|设立于]{y1}年，[由|委托]专业管理机构市场化运作。",
           "{name}是{hqs}[设立|打造]的[政策性|市场化运作的]引导基金，[首期|总]规模{aum}亿元。",
           "为[推动|支持]{hq}科技创新和产业发展，{hqs}[设立|成立]了{name}。"),
        _T("通过参股子基金和直投方式支持{inds}等产业的科技型企业。",
           "[重点|主要]投向{sub}等方向的{stages}项目。"),
        _T("[原则上|一般]要求被投企业在{hq}注册或将研发、生产环节放在{hq}。",
           "[子基金|合作基金]投资{hq}企业的金额不低于一定比例。"),
        _T("对早期项目[可适度让利|容忍更长的回报周期]，还可协助申请人才政策和场地支持。",
           "[已|累计]参股子基金{fundn}支，[撬动|带动]社会资本超过{aum2}亿元。"),
    ],
    "bank_credit": [
        _T("{name}是[专门服务科技型中小企业的特色支行|当地首批科技金融专营机构]。",
           "{name}[成立于|设立于]{y1}年，专注[科技金融|科创企业金融服务]。",
           "{name}扎根{hq}高新区，是{hq}首批科技特色金融机构之一。",
           "作为{hq}的科技金融专营机构，{name}[已|累计]向科技企业发放贷款超过{loansum}亿元。"),
        _T("推出[知识产权质押贷|科技信用贷|人才贷|订单贷]等产品，单户最高{loan}。",
           "[针对|面向]轻资产的{ind}企业，[可凭|可以凭]专利和订单[申请|获得]信用贷款。"),
        _T("与{hq}[多家|{kv}家]创投机构开展投贷联动，[已服务|累计服务]科技企业{k2}家。",
           "对{rounds}阶段的企业可提供[配套贷款|投贷联动]。"),
        _T("[审批|放款]流程简化，[最快|一般]{w}个工作日完成审批。", "[贷款|融资]利率可享受政府贴息。"),
    ],
}


def investor_texts(rng: np.random.Generator, *, kind: str, industries: list[str], subtopic: int,
                   rounds: list[str], stages: list[str], regions: list[str]) -> dict[str, str]:
    """Name, thesis and description of an investor (angel, VC, CVC, guidance fund or bank)."""
    ind = _industry(industries[0] if industries else None)
    home = _local_city(rng, regions)
    slots = _context(rng, industries, subtopic, home)
    name, subject, parent = _investor_name(rng, kind, ind, home)
    aum = _int(rng, 3, 120)
    province = _PROVINCE.get(home, "")
    sponsor = province + "省" if province and name.startswith(province + "省") else _city_zh(home) + "市"
    slots.update({
        "name": subject, "parent": parent, "rounds": lambda: _rounds_phrase(rng, rounds),
        "stages": lambda: _stages_phrase(rng, stages),
        "regions": lambda: _regions_phrase(rng, regions), "ticket": _ticket(rounds),
        "hq": _city_zh(home), "hqs": sponsor,
        "loan": lambda: _pick(rng, ("1000万元", "500万元", "2000万元", "3000万元", "800万元")),
        "loanprod": lambda: _pick(rng, ("知识产权质押贷款", "科技信用贷", "投贷联动", "人才贷")),
        "y1": _num(rng, 2008, 2021), "aum": str(aum), "aum2": str(aum * _int(rng, 2, 5)),
        "kc": _num(rng, 2, 4), "fundn": _num(rng, 2, 8), "k": _num(rng, 12, 150), "k2": _num(rng, 50, 600),
        "e": _num(rng, 1, 8), "w": _num(rng, 2, 6), "n": _num(rng, 5, 15),
        "co": lambda: _company(rng, ind),
        "role": lambda: _pick(rng, ("副总裁", "CTO", "联合创始人", "事业部总经理")),
        "ka": _num(rng, 5, 60), "kv": _num(rng, 5, 40), "age": _num(rng, 5, 18),
        "loansum": _num(rng, 5, 200),
    })

    if _chance(rng, 0.2):
        vague = _TH_VAGUE_BANK if kind == "bank_credit" else _TH_VAGUE
        thesis = _first_fit(lambda: _say(rng, vague, slots), 80)
    else:
        special = _TH_KIND.get(kind)
        p_special = {"bank_credit": 1.0, "government_fund": 0.75}.get(kind, 0.35)

        def make() -> str:
            bank = special if special and _chance(rng, p_special) else _TH_GENERIC
            return _say(rng, bank, slots)
        thesis = _first_fit(make, 80)
    if thesis is None:
        thesis = _say(rng, _T("关注{ind}，主投{rounds}。"), slots)

    groups = _DESC_INV.get(kind, _DESC_INV["vc"])
    desc = [_say(rng, groups[0], slots)]
    middle = [g for g in groups[1:] if _chance(rng, 0.8)]
    if len(middle) < 2:
        middle = groups[1:3]
    desc += [_say(rng, g, slots) for g in middle]
    return {"name": str(name), "thesis": str(thesis), "description": "".join(desc)}


# =====================================================================================================
# Service providers
# =====================================================================================================

_PROV_NAME: dict[str, list[Tpl]] = {
    "legal": _T("{brand}律师事务所|{city}{brand}律师事务所|{brand}（{city}）律师事务所|"
                "{brand}律师事务所{city}分所"),
    "finance_accounting": _T("{brand}会计师事务所|{brand}财务咨询有限公司|{brand}财税服务有限公司|"
                             "{city}{brand}税务师事务所"),
    "ip": _T("{brand}知识产权代理有限公司|{brand}专利事务所|{brand}知识产权运营中心|"
             "{city}{brand}专利代理事务所"),
    "testing_certification": _T("{city}{brand}检测认证中心|{brand}检测技术有限公司|{brand}质量检验研究院"
                                "|{brand}检测认证有限公司|{city}{brand}计量检测研究院"),
    "rd_design": _T("{brand}工业设计有限公司|{brand}设计工作室|{brand}产品研发中心|{brand}创新设计|"
                    "{brand}研发服务有限公司"),
    "pilot_production": _T("{brand}中试基地|{city}{theme}中试平台|{brand}精密制造有限公司|"
                           "{city}{brand}小试中试服务中心"),
    "tech_transfer": _T("{city}技术转移中心|{univ}技术转移中心|{brand}科技成果转化服务有限公司|"
                        "{city}科技大市场"
                        "|{brand}技术转移服务有限公司"),
    "marketing_branding": _T("{brand}品牌策划|{brand}营销顾问有限公司|{brand}广告传媒|{brand}整合营销|"
                             "{brand}品牌管理有限公司"),
    "hr": _T("{brand}人力资源有限公司|{brand}猎头|{brand}人才服务有限公司|{city}{brand}人才发展中心"),
    "policy_application": _T("{brand}科技咨询有限公司|{brand}项目申报服务中心|{city}{brand}政策咨询|"
                             "{brand}企业管理咨询有限公司"),
    "registration": _T("{brand}企业服务有限公司|{brand}商务秘书有限公司|{brand}财税工商服务|"
                       "{city}{brand}企业服务中心"),
    "internationalisation": _T("{brand}国际咨询|{brand}出海服务|{brand}跨境商务咨询有限公司|{brand}国际商务"),
}
_PROV_CAT_ZH = {"legal": "法律", "finance_accounting": "财税", "ip": "知识产权",
                "testing_certification": "检测认证",
                "rd_design": "研发设计", "pilot_production": "中试", "tech_transfer": "技术转移",
                "marketing_branding": "品牌营销", "hr": "人力资源", "policy_application": "政策申报",
                "registration": "工商注册", "internationalisation": "出海"}
_PROV_QUAL: dict[str, list[Tpl]] = {  # full sentences about qualifications and facilities
    "legal": _T("[团队律师|核心律师]均具有执业资格，[多位|核心]合伙人有十年以上投融资经验。"),
    "finance_accounting": _T("团队成员具有注册会计师和税务师资质。",
                             "[团队|核心成员]持有CPA资质，熟悉高新企业的财税处理。"),
    "ip": _T("团队具有专利代理师资格，代理人覆盖电子、机械、生物、化学等技术领域。"),
    "testing_certification": _T("机构具备CMA和CNAS资质，实验室面积{area}平方米。",
                                "拥有CNAS认可实验室和{k}台套检测设备。"),
    "rd_design": _T("设计作品[多次|]获得红点、iF等设计奖项。", "拥有电子、结构和软件的完整研发团队。"),
    "pilot_production": _T("平台建有[千级|"
                           "万级]洁净车间和{kl}条中试产线。", "团队具有从公斤级到吨级的工艺放大经验。"),
    "tech_transfer": _T("团队成员具有技术经纪人资格，与{ku}所高校和院所建立了合作。"),
    "marketing_branding": _T("核心团队来自4A广告公司，服务过多个知名消费品牌。", "拥有内容、"
                                                          "投放和公关的全链路团队。"),
    "hr": _T("持有人力资源服务许可证，人才库超过{pool}万人。"),
    "policy_application": _T("团队有多年项目申报经验，熟悉各级科技部门的评审要求。"),
    "registration": _T("持有代理记账许可证，熟悉各区注册流程。"),
    "internationalisation": _T("在[新加坡、德国和美国|东南亚和欧洲]等地建立了合作伙伴网络。",
                               "与海外律所和会计师事务所长期合作。"),
}
_PROV_SVC = _T(
    "提供{list}等服务。",
    "主营{list}。",
    "{list}一站式服务[，按需报价|]。",
    "专注{list}[，服务{ind}企业|]。",
    "为初创企业提供{list}。",
    "业务涵盖{list}。",
    "可承接{list}[，初创团队享优惠|]。",
    "核心业务：{list}。",
    "面向{ind}团队的{list}服务。",
    "{list}；[支持线上办理|可上门服务|全程代办]。",
    "[擅长|专长]{list}[，熟悉{ind}行业|]。",
)
_PROV_DESC_OPEN = _T(
    "{name}成立于{year}年，[总部位于|位于]{city}，[现有|拥有]专业人员{n}名。",
    "{name}是{city}[较早|最早一批]专注服务创业企业的{cat}机构，成立于{year}年。",
    "{name}[扎根|立足]{city}，[专门|主要]为科技型中小企业提供{cat}服务，团队{n}人。",
    "{name}是{city}本地的{cat}服务机构，[深耕|专注]{cat}领域{yrs}年。",
    "[作为|身为]{city}多家众创空间的合作服务机构，{name}[长期|一直]为入驻团队提供{cat}支持。",
    "{name}[创立于|成立于]{year}年，核心团队来自[头部专业机构|大型企业|知名机构]，[现有|共有]{n}人。",
    "{name}专注为[早期创业团队|科技型初创企业]提供[高性价比的|专业、务实的]{cat}服务，[总部|"
    "办公室]设在{city}。",
)
_PROV_DESC = [
    _T("[已为|累计为]{k0}余家[初创企业|科技型中小企业]提供{cat}服务。", "[服务过|累计服务]的企业超过{k}家，"
                                                "其中不少是众创空间的入驻团队。"),
    _T("{qual}"),
    _T("[针对|对于]入驻众创空间的团队，{discount}。", "[收费|价格]方面，{discount}。"),
    _T("[响应快|交付周期短]，[通常|一般]{d}个工作日内[出具方案|给出反馈]。",
       "[工作日|平时]{d}天内[响应|给出初步意见]，[紧急事项|加急业务]可当天处理。",
       "[提供|支持]线上咨询和上门服务。", "[支持|可以]线上对接，[全程|"
                                                  "专人]跟进。"),
]
_PROV_IND = _T("[服务|业务]覆盖{inds}等行业[，尤其熟悉{ind}企业的需求|]。", "对{inds}[行业|领域]的[业务模式|"
                                                        "技术特点]比较熟悉。")
_DISCOUNT = _T("首次咨询免费|首年服务费八折|提供基础服务包优惠价|按件计费、价格透明|每月设有公益咨询时段"
               "|可按阶段分期付费|首单享受空间专属折扣")


def _services(rng: np.random.Generator, category: str, serves: Sequence[str], slots: Slots,
              limit: int = 70) -> str:
    codes = [c for c in serves if c in _NEEDS] or list(PROVIDER_SERVES.get(category, ("legal",)))

    def items(multi: bool) -> list[str]:
        out: list[str] = []
        for i, code in enumerate(codes):
            bank = _SVC_OVERRIDE.get((category, code)) or _NEEDS[code].svc
            k = 2 if multi and (i == 0 or _chance(rng, 0.3)) else 1
            for tpl in _sample(rng, bank, k):
                text = _render(rng, tpl, slots)
                if text not in out:
                    out.append(text)
        return out

    def once() -> str:
        slots["list"] = _join(rng, items(len(codes) <= 2))
        return _say(rng, _PROV_SVC, slots)

    text = _first_fit(once, limit, tries=5)
    if text is None:
        text = "提供" + "、".join(items(False)) + "等服务。"
    return text


def provider_texts(rng: np.random.Generator, *, category: str, serves: list[str], industries: list[str],
                   city: str) -> dict[str, str]:
    """Name, services and description of a professional service provider."""
    ind = _industry(industries[0] if industries else None)
    slots = _context(rng, industries, 0, city)
    slots.update({
        "brand": lambda: _brand(rng), "theme": lambda: _say(rng, ind.theme, {}),
        "univ": lambda: _pick(rng, _UNIVERSITIES), "cat": _PROV_CAT_ZH.get(category, "专业"),
        "year": _num(rng, 2005, 2022), "n": _num(rng, 6, 120), "yrs": _num(rng, 5, 20),
        "k": _num(rng, 20, 800), "d": _num(rng, 2, 7),
        "k0": lambda: str(_int(rng, 2, 80) * 10),
        "area": lambda: str(_int(rng, 5, 80) * 100), "pool": _num(rng, 5, 200), "ku": _num(rng, 5, 40),
        "kl": _num(rng, 2, 6),
        "discount": lambda: _say(rng, _DISCOUNT, slots),
    })
    slots["qual"] = lambda: _say(rng, _PROV_QUAL.get(category, _PROV_QUAL["policy_application"]), slots)
    if not industries:
        slots["inds"] = "各类科技企业"
        slots["ind"] = "科技创业"
    name = _say(rng, _PROV_NAME.get(category, _PROV_NAME["policy_application"]), slots)
    slots["name"] = name
    services = _services(rng, category, serves, slots)
    desc = [_say(rng, _PROV_DESC_OPEN, slots)]
    picked = [bank for bank in _PROV_DESC if _chance(rng, 0.65)]
    if industries and _chance(rng, 0.6):
        picked.insert(int(rng.integers(len(picked) + 1)), _PROV_IND)
    for bank in _PROV_DESC:
        if len(picked) >= 2:
            break
        if bank not in picked:
            picked.append(bank)
    desc += [_say(rng, bank, slots) for bank in picked[:4]]
    return {"name": str(name), "services": str(services), "description": "".join(desc)}
