"""Hand-assigned grades of the third match set: {project: {kind: {candidate: grade}}}.

Every grade comes from reading the project text next to the candidate text (no ranker, encoder or similarity
score was run). Grades of 0 are omitted. MOVING_TO lists the provinces a project says it is setting up in,
which lifts the own-province rule for local-only (policy and registration) providers.
"""

MOVING_TO = {
    "Hearthwise": {"330000"},        # sourcing office / trading company in Ningbo, Zhejiang
    "Auralis Robotics": {"320000"},  # joint venture in Suzhou, Jiangsu
}

GRADES = {
    "寒莓酒庄": {
        "mentor": {"吕春燕": 3, "关雪": 3, "朱丰年": 2, "方建华": 1},
        "investor": {"龙江寒地产业天使基金": 3, "万象天使基金": 1},
        "provider": {"龙港食品认证": 3, "黑土品牌策划": 3},
    },
    "稻蟹通": {
        "mentor": {"关雪": 3, "朱丰年": 3, "戴明": 1, "方建华": 1},
        "investor": {"青禾早期基金": 3, "万象天使基金": 2, "谭晴": 1},
        "provider": {"辽河政策服务中心": 3, "黑土品牌策划": 2},
    },
    "晋铸增材": {
        "mentor": {"郝建军": 3, "卢敏": 3, "魏东升": 1},
        "investor": {"深蓝材料创投": 3},
        "provider": {"汇质认证咨询": 3, "睿才寻访": 1},
    },
    "苗岭本草": {
        "mentor": {"龙秀英": 3, "邓佳": 3, "蔡文静": 3, "许嘉": 1, "方建华": 1},
        "investor": {"柯志刚": 3, "万象天使基金": 2, "青禾早期基金": 1},
        "provider": {"蓉法创业律师事务所": 3, "妆规通": 3, "穗衡商标事务所": 1},
    },
    "滇花速达": {
        "mentor": {"陈卓": 3, "朱丰年": 1},
        "investor": {"味来食品创投": 1, "远岸出海基金": 1},
        "provider": {"滇货出海服务": 3},
    },
    "牦绒记": {
        "mentor": {"林若溪": 3, "许嘉": 3, "朱丰年": 1, "方建华": 1},
        "investor": {"青禾早期基金": 3, "万象天使基金": 2},
        "provider": {"穗衡商标事务所": 3, "高原手作品牌工作室": 3},
    },
    "棉田回收": {
        "mentor": {"王磊": 3, "马晓军": 3, "方建华": 1},
        "investor": {"深蓝材料创投": 3, "万象天使基金": 1},
        "provider": {"宿迁新材料中试基地": 3, "西域人才服务": 3},
    },
    "秦光芯封": {
        "mentor": {"郑光明": 3, "何志远": 3, "马晓军": 2},
        "investor": {"陕西硬科技种子基金": 3, "芯源半导体基金": 3},
        "provider": {"秦创技术转移中心": 3, "睿才寻访": 3},
    },
    "步康外骨骼": {
        "mentor": {"罗静": 3, "冉秋": 3, "戴明": 1, "方建华": 1},
        "investor": {"四川科创天使引导基金": 3, "仁心医疗器械基金": 3, "万象天使基金": 1},
        "provider": {"蜀康医械检测": 3, "汇质认证咨询": 1, "硬核工业设计": 1},
    },
    "渝面出海": {
        "mentor": {"韩冬": 3, "沈悦": 3, "易晨": 2, "陶然": 1, "吕春燕": 1},
        "investor": {"远岸出海基金": 3, "味来食品创投": 3},
        "provider": {"信衡会计师事务所": 3, "出海DTC营销": 3, "龙港食品认证": 1},
    },
    "株轨慧检": {
        "mentor": {"邹毅": 3, "戴明": 1},
        "investor": {"湘轨产业投资基金": 3},
        "provider": {"湘轨认证检测": 3},
    },
    "橙选智能": {
        "mentor": {"刘禾": 3, "范一鸣": 3, "戴明": 3, "朱丰年": 2, "方建华": 1},
        "investor": {"赣南乡村振兴天使基金": 3, "谭晴": 3, "万象天使基金": 2, "青禾早期基金": 1},
        "provider": {"硬核工业设计": 3},
    },
    "徽墨新作": {
        "mentor": {"程雪": 3, "许嘉": 1},
        "provider": {"徽州非遗文旅申报": 3, "研学文旅与多语种本地化": 3, "穗衡商标事务所": 2,
                     "高原手作品牌工作室": 2},
    },
    "渔排光储": {
        "mentor": {"吴海": 3, "黎振华": 3, "戴明": 1, "方建华": 1},
        "investor": {"闽海海洋经济创投基金": 3, "海峡储能创投": 3, "万象天使基金": 1},
        "provider": {"闽海船用产品检验": 3, "闽海政策通": 3, "湘轨认证检测": 1},
    },
    "澄海积木": {
        "mentor": {"Sarah Lin": 3, "郭彬": 3, "易晨": 1},
        "provider": {"海岸跨境专利": 3, "欧陆通出海": 3, "出海DTC营销": 1},
    },
    "漓江声导": {
        "mentor": {"Emma Rossi": 3, "覃海": 3, "程雪": 2},
        "provider": {"研学文旅与多语种本地化": 3},
    },
    "南繁数育": {
        "mentor": {"钟立民": 3, "白琳": 3, "何志远": 3, "朱丰年": 1},
        "investor": {"海南种业与自贸港基金": 3},
        "provider": {"农科成果转化中心": 3, "数安律师事务所": 3},
    },
    "稀磁动力": {
        "mentor": {"沈悦": 3, "曹毅": 3},
        "investor": {"大成长期基金": 3},
        "provider": {"信衡会计师事务所": 3, "睿才寻访": 3},
    },
    "沙坡暖棚": {
        "mentor": {"贺文涛": 3, "朱丰年": 2, "方建华": 1},
        "investor": {"宁夏科技成果转化引导基金": 3, "青禾早期基金": 2, "万象天使基金": 1},
        "provider": {"塞上项目申报": 3, "西北暖通设计院": 3},
    },
    "兰面机器人": {
        "mentor": {"包振东": 3, "戴明": 2, "范一鸣": 2, "方建华": 1},
        "investor": {"谭晴": 2, "万象天使基金": 1},
        "provider": {"硬核工业设计": 3},
    },
    "许发出海": {
        "mentor": {"易晨": 3, "周建邦": 3, "Jennifer Wu": 3, "韩冬": 1},
        "investor": {"远岸出海基金": 3},
        "provider": {"出海DTC营销": 3, "Stateside EOR": 3},
    },
    "沂链物流": {
        "mentor": {"秦楠": 3},
        "investor": {"山东新动能天使引导基金": 3, "港航数智创投": 2, "智行AI早期基金": 2},
        "provider": {"鲁信安等保测评": 3, "睿才寻访": 3},
    },
    "安眠护": {
        "mentor": {"丁慧": 3, "罗静": 2, "戴明": 1, "方建华": 1},
        "investor": {"万象天使基金": 1},
        "provider": {"苏养通政策咨询": 3, "蜀康医械检测": 2},
    },
    "义图AI": {
        "mentor": {"郁晨": 3, "楼佳": 3, "邓佳": 3, "方建华": 1},
        "investor": {"智行AI早期基金": 3, "万象天使基金": 2},
        "provider": {"蓉法创业律师事务所": 3, "睿才寻访": 1},
    },
    "磷石新材": {
        "mentor": {"聂远": 3, "魏东升": 3},
        "investor": {"三峡科创贷": 3, "科创信用贷": 2},
        "provider": {"楚天建材检测": 3, "宿迁新材料中试基地": 2},
    },
    "县域快充": {
        "mentor": {"冯涛": 3, "魏东升": 3},
        "investor": {"冀农商设备贷": 3},
        "provider": {"冀企政策申报": 3},
    },
    "Lattice Dental": {
        "mentor": {"Dr. Priya Nair": 3, "罗静": 3},
        "investor": {"仁心医疗器械基金": 3, "Harbour Bridge Bio": 2},
        "provider": {"MedBridge Regulatory": 3, "Harbourline Law": 1, "Sino-Mark IP": 1},
    },
    "Hearthwise": {
        "mentor": {"Oliver Grant": 3, "Thomas Keller": 1},
        "provider": {"甬商外资登记服务": 3, "EuroCert Asia": 3, "Harbourline Law": 1, "Sino-Mark IP": 1},
    },
    "Auralis Robotics": {
        "mentor": {"Thomas Keller": 3, "Oliver Grant": 1},
        "provider": {"园区企业登记服务": 3, "Harbourline Law": 3, "Sino-Mark IP": 3, "睿才寻访": 3},
    },
    "HalalTrace": {
        "mentor": {"马丽": 3, "吕春燕": 1, "方建华": 1},
        "investor": {"Crosswater Ventures": 3, "万象天使基金": 1},
        "provider": {"清真出海服务中心": 3, "睿才寻访": 2},
    },
    "Fennel Therapeutics": {
        "mentor": {"Dr. Wei Chen": 3},
        "investor": {"华康药业创投": 3, "Harbour Bridge Bio": 3},
        "provider": {"启苏生物CDMO": 3, "Sino-Mark IP": 2, "Harbourline Law": 1},
    },
    "Wattle & Ember": {
        "mentor": {"Chloe Zhang": 3, "蔡文静": 3, "许嘉": 3},
        "investor": {"植萃美妆产业投资": 3},
        "provider": {"Bridge Beauty": 3, "妆规通": 3, "Sino-Mark IP": 3},
    },
    "Slowstay": {
        "mentor": {"Lucas Meyer": 3, "Emma Rossi": 2, "方建华": 1},
        "investor": {"Daniel Whitford": 3, "万象天使基金": 2, "青禾早期基金": 1},
        "provider": {"彩云外企服务": 3, "Harbourline Law": 2, "研学文旅与多语种本地化": 1},
    },
    "Brinewater": {
        "mentor": {"林海峰": 3, "何志远": 3, "方建华": 1},
        "investor": {"山东新动能天使引导基金": 3, "深蓝材料创投": 3, "万象天使基金": 1},
        "provider": {"膜材料中试平台": 3, "海大技术转移中心": 3, "秦创技术转移中心": 1, "Harbourline Law": 1},
    },
    "Tandem Speak": {
        "mentor": {"曾晓": 3, "邓佳": 3, "方建华": 1},
        "investor": {"智行AI早期基金": 3, "Daniel Whitford": 2, "万象天使基金": 1},
        "provider": {"Harbourline Law": 3, "蓉法创业律师事务所": 3},
    },
    "PortPulse": {
        "mentor": {"James Hartley": 3, "秦楠": 1},
        "investor": {"港航数智创投": 3},
        "provider": {"SEA Port Connect": 3, "鲁信安等保测评": 1},
    },
}
