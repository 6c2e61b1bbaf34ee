"""Latent sub-topics per industry, used by the seed generator.

A profile's sub-topic is a hidden trait: it shapes the words of its text (so embeddings can pick up part
of it) and the hidden ground-truth affinity, but it is never stored in a profile column.
Each entry is (zh, en).
"""

from __future__ import annotations

SUBTOPICS: dict[str, list[tuple[str, str]]] = {
    "ai": [
        ("计算机视觉", "computer vision"),
        ("自然语言处理与大模型应用", "NLP and LLM applications"),
        ("语音识别与合成", "speech recognition and synthesis"),
        ("推荐与决策优化", "recommendation and decision optimisation"),
    ],
    "big_data": [
        ("数据治理与中台", "data governance and data platforms"),
        ("商业智能与可视化", "business intelligence and visualisation"),
        ("隐私计算", "privacy-preserving computation"),
        ("工业数据分析", "industrial data analytics"),
    ],
    "iot": [
        ("智能家居", "smart home"),
        ("工业物联网与传感器", "industrial IoT and sensors"),
        ("车联网", "connected vehicles"),
        ("智慧城市感知", "smart-city sensing"),
    ],
    "open_hardware": [
        ("创客教育套件", "maker education kits"),
        ("开源芯片与开发板", "open-source chips and dev boards"),
        ("3D打印", "3D printing"),
        ("可穿戴设备", "wearables"),
    ],
    "robotics": [
        ("服务机器人", "service robots"),
        ("工业机械臂", "industrial robot arms"),
        ("无人机", "drones"),
        ("医疗手术机器人", "surgical robots"),
    ],
    "advanced_manufacturing": [
        ("精密加工", "precision machining"),
        ("智能工厂与数字孪生", "smart factories and digital twins"),
        ("增材制造", "additive manufacturing"),
        ("工业检测设备", "industrial inspection equipment"),
    ],
    "semiconductors": [
        ("芯片设计", "chip design"),
        ("功率半导体", "power semiconductors"),
        ("封装测试", "packaging and testing"),
        ("EDA工具", "EDA tools"),
    ],
    "new_energy": [
        ("储能电池", "energy storage batteries"),
        ("光伏", "solar photovoltaics"),
        ("氢能", "hydrogen energy"),
        ("碳管理与节能", "carbon management and energy efficiency"),
    ],
    "biotech_health": [
        ("创新药研发", "novel drug discovery"),
        ("医疗器械", "medical devices"),
        ("数字医疗", "digital health"),
        ("体外诊断", "in-vitro diagnostics"),
    ],
    "new_materials": [
        ("高分子材料", "polymer materials"),
        ("石墨烯与碳材料", "graphene and carbon materials"),
        ("生物基可降解材料", "bio-based degradable materials"),
        ("先进陶瓷", "advanced ceramics"),
    ],
    "ecommerce_consumer": [
        ("跨境电商", "cross-border e-commerce"),
        ("新消费品牌", "direct-to-consumer brands"),
        ("社交电商与直播", "social commerce and live streaming"),
        ("餐饮零售数字化", "digital retail and catering"),
    ],
    "culture_creative": [
        ("数字艺术与NFT", "digital art"),
        ("游戏与动漫", "games and animation"),
        ("非遗文创", "intangible-heritage crafts"),
        ("短视频内容", "short-video content"),
    ],
    "education": [
        ("职业技能培训", "vocational skills training"),
        ("K12素质教育", "K-12 enrichment"),
        ("教育信息化", "education IT"),
        ("语言学习", "language learning"),
    ],
    "agriculture_rural": [
        ("智慧农业", "smart farming"),
        ("农产品电商", "agricultural e-commerce"),
        ("乡村文旅", "rural tourism"),
        ("种业与生物育种", "seed breeding"),
    ],
    "fintech": [
        ("供应链金融", "supply-chain finance"),
        ("智能风控", "credit risk modelling"),
        ("支付与清结算", "payments and settlement"),
        ("保险科技", "insurtech"),
    ],
    "enterprise_services": [
        ("协同办公SaaS", "collaboration SaaS"),
        ("财税SaaS", "finance and tax SaaS"),
        ("低代码平台", "low-code platforms"),
        ("网络安全", "cybersecurity"),
    ],
    "smart_mobility": [
        ("自动驾驶", "autonomous driving"),
        ("新能源汽车零部件", "EV components"),
        ("智慧物流", "smart logistics"),
        ("共享出行", "shared mobility"),
    ],
    "social_innovation": [
        ("养老服务", "elderly care"),
        ("无障碍与公益科技", "accessibility and civic tech"),
        ("社区服务", "community services"),
        ("环保回收", "recycling and circular economy"),
    ],
}
