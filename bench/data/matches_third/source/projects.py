"""Projects of the third match set, written by hand in the founders' own words.

Columns (P_COLS of make.py): name, one_liner, needs_statement, description, stage, round_sought, industries,
needs, city, languages, team_size, funding_sought (CNY; 0 and an empty round when not raising).
"""

PROJECTS = [
    ("寒莓酒庄",
     "用黑龙江寒地野生蓝莓酿低度果酒和冰酒，做东北本地果酒品牌",
     "想融一轮Pre-A扩产能、做品牌；想把线上渠道做起来，现在主要靠牡丹江本地餐饮和旅游店。",
     "我们在牡丹江林口县有两个合作社共600亩蓝莓基地，2021年开始自己酿酒，现在年产8万瓶，去年营收620万，"
     "七成是本地餐馆和镜泊湖景区的旅游店。产品口碑不错，但出了黑龙江几乎没人知道，抖音和天猫店一个月才卖两三百单。"
     "今年韩国一家进口商要了样品，想每年订两个货柜，但对方要求我们有HACCP体系认证和出口食品生产企业备案，"
     "这两样我们都没有，也不知道找谁办、要多久。这轮想融600万，一半扩发酵罐和冷库，一半做品牌和线上渠道。",
     "early", "pre_a", "ecommerce_consumer|agriculture_rural", "financing|marketing_branding|sales_channels",
     "牡丹江", "zh", 23, 6000000),
    ("稻蟹通",
     "盘锦稻田养蟹的全程溯源和订单平台，让稻蟹米和河蟹按品质卖出好价钱",
     "需要天使轮资金做产品，需要打通大米和河蟹的销售渠道。",
     "盘锦几乎家家稻田里养河蟹，但蟹和米都按斤卖给收购商，好坏一个价。我们给合作的42户农户装了水质传感器和田间摄像头，"
     "每只蟹扣上溯源扣，消费者扫码能看到稻田、投喂和检测记录。去年试卖了3000盒礼盒蟹、20吨稻蟹米，价格比收购价高40%。"
     "现在团队5个人，两个是本地返乡大学生。最头疼的是：市里和省里都有数字农业、智慧农业的补贴，"
     "农业农村局给了我们一份申报表，项目预算表、绩效目标表我们填了三遍都被退回，实在看不懂要怎么写。"
     "这轮想融200万，用在小程序和供应链上。",
     "seed", "angel", "agriculture_rural|iot", "financing|product|sales_channels",
     "盘锦", "zh", 5, 2000000),
    ("晋铸增材",
     "用砂型3D打印做泵阀、液压件的复杂铸件，小批量订单交期从45天缩到12天",
     "A轮融3000万扩打印设备和铸造产线，开拓工程机械和汽车客户。",
     "晋城是老铸造基地，我们三个合伙人都是在本地铸造厂干了十几年的，2020年开始用国产砂型打印机做无模铸造，"
     "现在有6台打印机、一条中频炉产线，去年营收4800万，客户主要是山西、河北的泵阀厂。"
     "今年一家工程机械主机厂和一家汽车零部件企业想把我们纳入供应商，对方审厂时要求有IATF 16949质量体系，"
     "我们现在只有ISO 9001，不知道从哪下手。另外打印参数和铸造工艺都靠老师傅，想找能把工艺标准化的专家。"
     "这轮3000万，主要买8台大幅面打印机、扩一个热处理车间。",
     "early", "a", "advanced_manufacturing|new_materials", "financing|pilot_production|go_to_market",
     "晋城", "zh", 68, 30000000),
    ("苗岭本草",
     "用黔东南苗族传统草药配方做外用舒缓膏和泡浴包",
     "需要天使轮融资，需要做合规，产品准备上线销售。",
     "我是凯里人，外婆是寨子里的草医。我们把她用了几十年的几个外用方子整理出来，和贵州一家中药饮片厂合作，"
     "做了跌打舒缓膏和产后泡浴包，在本地药店和旅游商店卖了一年，复购很好，月销8万元左右。"
     "现在的问题：一是不清楚这些产品应该按化妆品、消毒产品还是中药来备案，怕一上电商就被下架；"
     "二是最早一起创业的药剂师合伙人今年要退出，他手里有30%股份，配方改良的记录也在他电脑里，没签过任何协议，"
     "我们不知道怎么谈股权回购，也担心配方的权属。这轮想融300万。",
     "seed", "angel", "biotech_health|agriculture_rural", "financing|legal|go_to_market",
     "凯里", "zh", 6, 3000000),
    ("滇花速达",
     "从玉溪、斗南直发鲜切花到华东花店的产地冷链和订花平台",
     "A轮2000万扩冷链车队和预冷库，拓展花店客户。",
     "云南鲜切花从采摘到花店平均要4-5天，损耗20%以上。我们在玉溪通海和昆明斗南建了两个预冷中心，"
     "用自有冷链车和航空件把花48小时送到上海、杭州、南京的花店，花店在小程序上下单。"
     "现在签约花店2100家，去年GMV 1.6亿，损耗降到7%。今年迪拜和吉隆坡的两个花卉批发商来找我们，"
     "想每周空运玫瑰和绣球，但我们没做过出口，植物检疫证书、航空公司舱位、海外收款都不懂，也不知道海外客户的信用怎么把控。",
     "early", "a", "ecommerce_consumer|agriculture_rural|smart_mobility", "financing|sales_channels|go_to_market",
     "玉溪", "zh", 86, 20000000),
    ("牦绒记",
     "青海牧区牦牛绒的围巾、毛衣品牌，和牧民合作社按绒价分成",
     "需要天使轮融资，需要做品牌和设计，需要渠道。",
     "牦牛绒比羊绒还少，但牧民卖原绒一斤才几十块。我们和海南州两个合作社签了收绒协议，在西宁找了一家小工厂代加工，"
     "去年卖了1100条围巾、300件毛衣，主要是朋友圈和西宁的两家店。设计还比较土，想找设计师做一个系列。"
     "最糟心的是：我们准备开天猫店时才发现，“牦绒记”这个商标去年被广东一个人抢先注册了，第25类和第24类都注了，"
     "对方开价20万转让，我们不知道该买、该异议还是换名字。这轮想融150万。",
     "seed", "angel", "ecommerce_consumer|culture_creative", "financing|marketing_branding|product",
     "西宁", "zh", 4, 1500000),
    ("棉田回收",
     "回收新疆棉田残膜，清洗造粒做成再生塑料颗粒和滴灌带",
     "Pre-A融1000万上第二条清洗造粒线；需要中试，需要申请政策。",
     "新疆每年覆膜的棉田几千万亩，残膜回收率低，很多最后烧掉或者留在地里。我们在石河子建了一条年处理8000吨的回收线，"
     "残膜含土含沙多，清洗是最难的一环，我们自己改了三代清洗工艺，现在颗粒卖给本地滴灌带厂。"
     "去年营收2100万，基本打平。想上第二条线做高品质颗粒，需要做一次中试验证新的浮选工艺。"
     "另外很头疼的是招人：工艺工程师和设备维修的人都不愿意来石河子，招了三个走了两个，内地来的待不过一个冬天。",
     "early", "pre_a", "new_energy|agriculture_rural|new_materials", "financing|pilot_production|policy_application",
     "石河子", "zh", 45, 10000000),
    ("秦光芯封",
     "硅光芯片的晶圆级耦合封装和测试，服务国产800G光模块",
     "A轮融5000万建封装测试线，需要做车规/电信级可靠性认证，需要招工艺工程师。",
     "我们团队来自西安一家研究所和一家海外光通信公司，做硅光芯片与光纤阵列的自动耦合封装，良率比人工高15个点。"
     "已给三家光模块厂送样，一家小批量下单，去年收入900万。这轮融5000万在高新区建一条封装测试线，"
     "需要做Telcordia GR-468可靠性测试，也要招20个封装工艺工程师。"
     "有件事一直没解决：我们最核心的两件耦合对准专利是我在研究所时申请的，现在还在研究所名下，"
     "投资人尽调时都问这个，研究所说可以转让或许可，但我们不知道作价和流程怎么走。",
     "early", "a", "semiconductors|advanced_manufacturing", "financing|testing_certification|hr_recruiting",
     "西安", "zh|en", 32, 50000000),
    ("步康外骨骼",
     "给脑卒中患者做下肢康复训练的可穿戴外骨骼，先进康复科和康复医院",
     "Pre-A融1500万做二类医疗器械注册，需要检测，需要医院渠道。",
     "我们从绵阳一家军工电机企业出来，做了三代下肢外骨骼样机，在绵阳和成都的两家康复医院做了80例试用，"
     "治疗师反馈训练强度比传统方法高一倍。产品按二类医疗器械管理，要做注册检验（电气安全、电磁兼容）和临床评价，"
     "我们对注册路径不熟，样机已经送了一次检，EMC没通过。医院采购也需要进当地的医疗服务价格目录，我们完全没经验。"
     "这轮融1500万，用于注册、第四代样机和10家医院的推广。",
     "early", "pre_a", "robotics|biotech_health", "financing|testing_certification|sales_channels",
     "绵阳", "zh", 21, 15000000),
    ("渝面出海",
     "重庆小面、酸辣粉的方便速食品牌，准备把海外华人市场做成第二增长曲线",
     "B轮融6000万扩产和出海；需要海外渠道和品牌。",
     "我们2018年做非油炸重庆小面，现在国内年营收3.2亿，天猫和抖音速食类目前五。"
     "去年通过贸易商卖到美国、加拿大、澳大利亚的华人超市，一年出口1500万，想自己做海外渠道和海外品牌，"
     "包括亚马逊和东南亚的Shopee。上一轮有一家基金尽调时发现我们早年有一部分收入走个人卡、成本票据不全，最后没投，"
     "这件事现在还没整改完，我们知道这次再融之前必须把账理清楚、做一次规范的审计。",
     "growth", "b", "ecommerce_consumer", "financing|internationalisation|marketing_branding",
     "重庆", "zh", 260, 60000000),
    ("株轨慧检",
     "用线阵相机和AI识别地铁列车走行部和车底的故障，替代人工钻地沟检查",
     "A轮融2500万；需要地铁公司的渠道，需要产品的安全认证。",
     "我们在株洲，团队主要来自轨道交通装备企业。在车辆段入库线上装一套轨边图像采集设备，列车以5公里时速通过，"
     "3分钟出检测报告，能识别螺栓松脱、异物、油渗等62类故障。已经在两个城市的地铁车辆段试用，一家签了正式合同。"
     "地铁公司招标要求设备通过SIL2安全完整性认证和轨道交通电磁兼容测试，我们正在准备。"
     "这轮2500万，主要用于认证、交付和再进三个城市。",
     "early", "a", "ai|smart_mobility", "financing|sales_channels|testing_certification",
     "株洲", "zh", 40, 25000000),
    ("橙选智能",
     "给赣南脐橙合作社用的小型光学分选机，按糖度、大小、外观自动分级",
     "天使轮融300万；需要把样机做成能量产的产品。",
     "赣州的脐橙合作社大多用人工或简单的按大小分级，大厂的进口分选线要三四百万，合作社买不起。"
     "我们做了一台一小时分选3吨、售价28万的分选机，用近红外测糖，样机在信丰县一个合作社跑了一个采摘季。"
     "现在最大的问题是样机是我们自己在车间焊的，外观和结构都很粗糙，想找人做结构和外观设计，"
     "再找工厂小批量试产20台。团队4个人，两个做算法，一个做机械，一个跑市场。",
     "seed", "angel", "agriculture_rural|advanced_manufacturing|ai", "financing|rd_design|product",
     "赣州", "zh", 4, 3000000),
    ("徽墨新作",
     "把徽墨制作技艺做成研学课程和文创礼品，带孩子和游客体验制墨",
     "想做品牌和市场，现在不需要融资。",
     "我家三代做徽墨，在歙县有一个老作坊。现在买墨的人越来越少，我想把作坊改成研学基地，"
     "设计半天的制墨、描金课程，同时开发墨条、墨香书签这类文创小礼物。今年接待了十几个学校团和几批游客，反响很好，"
     "但还只是一个想法加几次试运营，没有正式的课程体系和品牌。"
     "听说徽墨制作技艺属于国家级非遗，安徽省和黄山市对非遗工坊、研学基地有补贴，但是申报需要什么材料、"
     "我们的作坊够不够条件，都不清楚。另外我们设计的墨锭图案已经被网上店铺仿了。",
     "idea", "", "culture_creative|education", "marketing_branding|go_to_market",
     "黄山", "zh", 3, 0),
    ("渔排光储",
     "给海上渔排和养殖平台做光伏加储能的离网电源，替代柴油发电机",
     "Pre-A融800万；需要检测认证和政策支持。",
     "宁德三都澳有上万口渔排，养大黄鱼的增氧机、照明都靠柴油发电机，一度电成本两块多。"
     "我们做了漂浮式光伏板加磷酸铁锂储能柜的离网系统，已经在42个渔排上装了，一年能给渔民省30%以上的电费。"
     "现在想做成标准产品卖给大型养殖平台，但海上设备要过中国船级社的产品检验，储能柜还要做盐雾和防水测试，"
     "这些我们都没做过。另外听说福建对海上养殖装备升级有补贴，想了解能不能申请。这轮融800万。",
     "early", "pre_a", "new_energy|agriculture_rural", "financing|testing_certification|policy_application",
     "宁德", "zh", 18, 8000000),
    ("澄海积木",
     "汕头澄海的编程积木机器人工厂，自有品牌卖到美国和欧洲",
     "需要国际化和知识产权帮助，目前不融资。",
     "We are a toy factory in 澄海 that moved from OEM to our own brand. 我们的编程积木机器人在亚马逊美国站卖了两年，"
     "去年海外营收8000万。今年有两个问题：一是美国一个卖家仿了我们的外观，还反过来投诉我们侵犯他的外观设计专利，"
     "链接被下架了三周；我们在美国没有申请任何外观专利，需要懂美国专利和亚马逊投诉的律师。"
     "二是想进欧洲的线下玩具连锁，对方要求EN71和欧盟新的玩具安全法规下的检测报告。公司现金流健康，目前不打算融资。",
     "growth", "", "education|advanced_manufacturing|ecommerce_consumer", "internationalisation|ip|testing_certification",
     "汕头", "zh|en", 150, 0),
    ("漓江声导",
     "桂林山水的多语种AI语音导览小程序，按游客位置自动讲解",
     "目前不融资；需要打磨产品、找景区和旅行社渠道。",
     "我们是桂林本地三个做导游出身的人，用两年时间录了漓江、阳朔、龙脊等120个点位的讲解，"
     "现在用大模型生成中英日韩四种语言版本，游客扫码后按GPS位置自动播放。去年卖出4.6万单，每单19.9元，自己能养活自己。"
     "问题是：外国游客的讲解内容是机器翻译的，常被吐槽不地道；景区和旅行社的合作一直谈不下来，"
     "他们要分成，我们也不知道怎么定价。我们暂时不想融资。",
     "seed", "", "culture_creative|ai", "product|sales_channels",
     "桂林", "zh", 3, 0),
    ("南繁数育",
     "给南繁育种基地做田间表型采集和育种数据管理的平台",
     "A轮融2000万；需要和科研院所合作做技术转移，拓展种业公司客户。",
     "每年冬天全国几百家育种单位到三亚南繁基地加代。我们用无人机和田间表型车采集株高、穗型、抽穗期等数据，"
     "配合育种数据管理软件，帮育种家把看地记本子变成数据库。现在有11家种业公司和3家科研院所用我们的系统。"
     "我们想把一家农科院的玉米表型识别算法转化过来，需要谈技术许可。"
     "还有一个麻烦：一家外资种业公司想用我们的平台，并要求把田间数据传到他们海外总部，"
     "我们听说种质资源和农业数据出境有规定，不确定能不能做、怎么做合规。",
     "early", "a", "agriculture_rural|big_data|ai", "financing|tech_transfer|sales_channels",
     "三亚", "zh", 35, 20000000),
    ("稀磁动力",
     "包头的稀土永磁电机企业，给工业无人机和物流无人机做高功率密度电机",
     "C轮融1.5亿扩建电机产线；准备上市，需要战略和财务规范。",
     "我们在包头稀土高新区，依托本地的钕铁硼材料做电机，2016年成立，现在年营收4.2亿，"
     "主要客户是国内几家工业无人机和物流无人机厂，也给两家机器人企业供关节电机。"
     "这轮融1.5亿建第二个工厂，同时开始上市辅导。我们的财务负责人是创业时的会计，对上市的财务规范不熟，"
     "券商建议我们尽快找一位有上市经验的CFO，但一直没找到合适的人。也想找人帮我们想清楚要不要往人形机器人关节延伸。",
     "expansion", "c_plus", "advanced_manufacturing|new_materials|robotics", "financing|strategy|finance_accounting",
     "包头", "zh", 520, 150000000),
    ("沙坡暖棚",
     "用中卫数据中心的余热给沙漠温室供暖，冬天种叶菜和草莓",
     "需要种子轮资金做示范棚；需要政策和技术合作。",
     "中卫有好几个大型数据中心，冷却水常年30多度，白白排掉。我们想从一个数据中心接余热管道，"
     "建一个5亩的示范温室，冬天不用烧煤就能种叶菜和草莓。现在只有方案和一份和数据中心的合作意向书，"
     "两个人：我做过温室工程，合伙人是宁夏大学的农学博士。需要80万建示范棚。"
     "听说宁夏对科技成果转化和设施农业都有补贴，但项目申报书我们不会写；"
     "另外换热和管道工程我们需要一个懂暖通的专家把关。",
     "idea", "seed", "agriculture_rural|new_energy", "financing|policy_application|rd_design",
     "中卫", "zh", 2, 800000),
    ("兰面机器人",
     "兰州牛肉面的自动拉面和煮面设备，给连锁面馆和团餐食堂用",
     "Pre-A融1000万；需要把设备做稳定，需要进入连锁餐饮客户。",
     "兰州拉面师傅越来越难招，一个好师傅月薪一万二还留不住。我们做了能自动揉面、拉面（毛细到大宽七种面型）和煮面的设备，"
     "一台一小时出面300碗，在兰州三家面馆和一个高校食堂跑了半年。现在的问题是设备故障率高，"
     "平均一周停机一次，需要懂食品机械可靠性的人帮我们；连锁品牌也想要，但要求先在他们一家门店试三个月。"
     "这轮融1000万，用于改进设备和铺20家门店。",
     "early", "pre_a", "robotics|ecommerce_consumer", "financing|product|sales_channels",
     "兰州", "zh", 17, 10000000),
    ("许发出海",
     "许昌的假发企业，做非洲和北美黑人女性的假发DTC品牌",
     "A+轮融4000万；需要海外品牌和渠道，需要海外团队。",
     "许昌是全球最大的假发产地，我们家做了二十年外贸代工。2021年开始做自有品牌，"
     "在尼日利亚拉各斯开了两家体验店，在美国做独立站和TikTok，去年品牌营收1.9亿。"
     "这轮融4000万，做美国线下美妆店渠道和西非的分销。最大的难处是人：我们需要懂美国市场的运营和本地达人合作的人，"
     "在许昌招不到，在美国招又不知道怎么管、用什么用工方式合规。尼日利亚的收款和汇兑也一直是大问题。",
     "growth", "a_plus", "ecommerce_consumer", "financing|internationalisation|marketing_branding",
     "许昌", "zh", 310, 40000000),
    ("沂链物流",
     "临沂商贸城的零担专线撮合和在途管理SaaS",
     "A轮融1500万；需要销售渠道和招人。",
     "临沂有两千多条物流专线，货主找专线靠打电话、专线找货靠信息部。我们做了一个撮合和在途管理的SaaS，"
     "接入了620条专线和1.3万货主，去年交易额11亿，我们按单收费，收入2600万。"
     "现在要往省外的商贸城复制，需要能带地推团队的销售负责人。另外几家大货主招标时要求系统通过网络安全等级保护三级测评，"
     "我们还没做过。这轮1500万。",
     "early", "a", "enterprise_services|smart_mobility", "financing|sales_channels|hr_recruiting",
     "临沂", "zh", 58, 15000000),
    ("安眠护",
     "放在床垫下的非接触式生命体征监测带，给养老院做夜间离床和呼吸异常预警",
     "Pre-A融800万；需要养老院渠道和政策支持。",
     "我们是南通的一支硬件团队，用压电薄膜测心率、呼吸和离床，夜里老人离床超过15分钟或呼吸暂停就通知护工。"
     "已经在南通和苏州的14家养老院装了900张床，护工夜间巡房次数减少一半。"
     "养老院自己没钱，很多是靠民政的智慧养老补贴采购设备，我们听说江苏有智慧健康养老应用试点、省级补贴，"
     "但材料怎么准备、要不要先进产品目录都不清楚。产品目前不作为医疗器械卖，但有医院也来问，我们不确定要不要做医疗器械注册。",
     "early", "pre_a", "iot|biotech_health|social_innovation", "financing|sales_channels|policy_application",
     "南通", "zh", 16, 8000000),
    ("义图AI",
     "给义乌小商品外贸商用的AI商品图和多语种listing生成工具",
     "天使轮融300万；需要产品打磨和销售渠道。",
     "义乌的小商品外贸商一个店铺有几千个SKU，每个都要拍图、写英文和西语描述。我们用AI把一张白底图生成场景图，"
     "一键出多语种标题和卖点，已经有1800个付费商户，月收入40万。"
     "技术合伙人是我们三个创始人里唯一懂模型的，他上个月说要去大厂，股份怎么处理还没谈，我们也要赶紧招一个能接手的算法负责人。"
     "这轮融300万。",
     "seed", "angel", "ai|enterprise_services|ecommerce_consumer", "financing|product|sales_channels",
     "义乌", "zh", 9, 3000000),
    ("磷石新材",
     "把磷化工副产的磷石膏做成建筑石膏板和路基材料",
     "需要一笔2000万的设备贷款扩产，需要中试新配方。",
     "宜昌是磷化工大市，磷石膏堆了几亿吨。我们用改性工艺把磷石膏做成纸面石膏板和路基填料，"
     "2019年投产，去年卖了9000万，利润率不高但稳定。现在想贷款2000万上一条年产1000万平方米的石膏板线，"
     "不想稀释股权。新配方的路基材料需要中试验证。另外，交通部门要求路基材料有放射性和浸出毒性的检测报告，"
     "我们之前的报告已经过期了。",
     "growth", "other", "new_materials|new_energy", "financing|pilot_production",
     "宜昌", "zh", 130, 20000000),
    ("县域快充",
     "在保定下面的县城和乡镇建电动汽车快充站",
     "需要500万设备贷款建20个站；需要了解补贴政策。",
     "县城里电动车越来越多，但快充站很少。我们在保定的清苑、满城、定兴建了12个快充站，每站4到8个枪，"
     "平均利用率18%，已经能盈利。想再建20个站，需要500万买充电桩和变压器，希望做设备贷款或者融资租赁，不想卖股份。"
     "河北对县域充电基础设施有建设补贴，我们去年申请了一次，因为验收材料不全没拿到。",
     "early", "other", "new_energy|smart_mobility", "financing|policy_application",
     "保定", "zh", 14, 5000000),
    # --- English ---
    ("Lattice Dental",
     "AI treatment planning software and clear aligners for orthodontists in Southeast Asia, now entering China",
     "Raising a CNY 35m Series A; need help with China market entry and NMPA registration.",
     "We are a Singapore company founded by two orthodontists and a machine-learning engineer. Our planning "
     "software turns an intraoral scan into a staged aligner plan in minutes, and we sell aligners through 640 "
     "clinics in Singapore, Malaysia and Thailand. Revenue last year was SGD 9m. China is the largest aligner "
     "market and we want to enter it through a partner clinic group in 2026. We know aligners are a Class II "
     "device in China and the software may need separate registration, but we do not know which tests, clinical "
     "evidence or local legal agent we need. We are raising CNY 35m, partly to fund the China entry.",
     "early", "a", "biotech_health|ai", "financing|internationalisation|testing_certification",
     "新加坡", "en", 48, 35000000),
    ("Hearthwise",
     "A London heat-pump installer network that wants to source its own-brand units from Chinese manufacturers",
     "Need to set up a sourcing office in Ningbo and get Chinese-made units UK-certified. Not raising now.",
     "Hearthwise runs a network of 90 certified heat-pump installers across England. Installers struggle with "
     "the price of European units, so we plan an own-brand air-to-water heat pump made by an OEM in Zhejiang. "
     "We have shortlisted three factories near Ningbo. We need a small representative or trading company in "
     "Ningbo to handle supplier quality and payments, and the units must pass UKCA and the UK MCS product "
     "certification before installers can claim the government grant. None of our team has worked in China or "
     "speaks Chinese. We are profitable and not raising.",
     "growth", "", "new_energy|enterprise_services", "internationalisation|registration|testing_certification",
     "伦敦", "en", 35, 0),
    ("Auralis Robotics",
     "Adaptive robot grippers for warehouse picking, made in Munich, setting up a joint venture in Suzhou",
     "Need help with a JV in Suzhou, Chinese legal advice and hiring engineers in China. Not raising.",
     "Auralis makes soft adaptive grippers that let warehouse robots pick mixed items. We sell to European "
     "logistics integrators and had EUR 14m revenue last year. A Chinese integrator has proposed a joint venture "
     "in Suzhou to produce grippers for the Chinese and Asian market. We need to understand the JV structure, how "
     "to protect our patents and know-how in China, and how to register the company. We will also need to hire "
     "about 15 mechanical and controls engineers in Suzhou. Our team speaks English and German.",
     "growth", "", "robotics|advanced_manufacturing", "legal|registration|hr_recruiting",
     "慕尼黑", "en", 120, 0),
    ("HalalTrace",
     "Halal compliance and traceability software for Chinese food exporters selling to Malaysia and Indonesia",
     "Raising a CNY 2.5m angel round; need Chinese exporter customers and channels in China.",
     "Malaysian and Indonesian importers increasingly require halal certificates that can be traced batch by "
     "batch. Chinese exporters of snacks, sauces and frozen food often fail audits because their ingredient "
     "records are on paper. HalalTrace, founded in Kuala Lumpur by a Malaysian Chinese founder, links a "
     "factory's ingredient records to the certifying body and the importer. We have 30 Malaysian importers on "
     "the platform and 12 Chinese factories in pilots. We need introductions to food export clusters in China "
     "(Fujian, Shandong, Guangdong) and a Chinese sales lead. 我会说中文，但合同和产品是英文的。",
     "seed", "angel", "enterprise_services|agriculture_rural", "financing|sales_channels|go_to_market",
     "吉隆坡", "en|zh", 7, 2500000),
    ("Fennel Therapeutics",
     "A Boston biotech developing a bispecific antibody for autoimmune disease, looking for a Chinese CDMO and investors",
     "Raising a CNY 30m tranche of its Series A from China-focused investors; need a pilot-batch CDMO and IP advice.",
     "Fennel's lead bispecific antibody is in late preclinical work. We need a GMP pilot batch for toxicology "
     "studies and are comparing CDMOs in Suzhou and Shanghai with US ones on price and timelines. We want to "
     "understand how to protect our cell line and process know-how in a Chinese CDMO contract, and whether the "
     "US BIOSECURE debate affects the choice. We are also raising a CNY 30m tranche of our Series A from "
     "investors with China biotech experience.",
     "early", "a", "biotech_health", "financing|pilot_production|ip",
     "波士顿", "en", 14, 30000000),
    ("Wattle & Ember",
     "An Australian native-botanical skincare brand that wants a Chinese strategic partner to enter China",
     "Looking for a strategic investor in China's beauty industry; need China go-to-market and compliance.",
     "Wattle & Ember makes skincare from Kakadu plum and other Australian native botanicals, sold in 1,800 "
     "pharmacies in Australia and New Zealand. Chinese tourists and daigou are already 15 % of our sales. We "
     "want to enter China via cross-border e-commerce first and then general trade, and we are looking for a "
     "CNY 20m strategic investment from a Chinese beauty company. Two problems: we do not know the cosmetics "
     "registration (NMPA filing) rules for general trade, and a Chinese company registered our brand name in "
     "Chinese characters as a trademark in 2023.",
     "growth", "strategic", "ecommerce_consumer|biotech_health", "financing|go_to_market|marketing_branding",
     "悉尼", "en", 40, 20000000),
    ("Slowstay",
     "Co-living and remote-work stays for foreign digital nomads in an old courtyard house in Dali",
     "Raising a small angel round; need to register a foreign-invested company and market abroad.",
     "I am a Dutch founder who has lived in Dali for four years. With a local partner I rent a 14-room courtyard "
     "house in the old town and run month-long stays with coworking, language exchange and hikes for remote "
     "workers. We ran three pilot months with 31 guests from 12 countries. We are now operating under my "
     "partner's individual business licence, which is not sustainable: I need a proper foreign-invested company "
     "and a legal way to be paid and to employ two foreign community hosts. We are raising CNY 1.5m.",
     "seed", "angel", "culture_creative|social_innovation", "financing|registration|marketing_branding",
     "大理", "en|zh", 4, 1500000),
    ("Brinewater",
     "Fouling-resistant nanofiltration membranes for seawater desalination, founded by a foreign scientist in Qingdao",
     "Raising a CNY 12m Pre-A; need a pilot membrane line and help licensing a university patent.",
     "I moved from Spain to Qingdao six years ago as a postdoc at a local university. Our graphene-oxide coated "
     "membrane keeps 90 % of its flux after six months in seawater, where standard membranes lose 30 %. We have "
     "tested modules at two desalination plants on the Shandong coast. To supply plants we need a pilot line that "
     "rolls 8-inch modules, and we need to license the core coating patent from the university, which owns it. "
     "Our Chinese co-founder handles government relations; I write in English.",
     "early", "pre_a", "new_materials|new_energy", "financing|pilot_production|tech_transfer",
     "青岛", "en|zh", 12, 12000000),
    ("Tandem Speak",
     "AI speaking practice for English majors and aviation students in vocational colleges",
     "Raising a CNY 6m Pre-A; need college sales channels.",
     "Tandem Speak was founded in Xiamen by an American teacher and a Chinese software engineer. Students hold "
     "spoken role-plays with an AI examiner that scores pronunciation and fluency against the vocational "
     "college English test. 23 colleges in Fujian and Jiangxi use it, with 40,000 students. Colleges buy "
     "through annual tenders, and we need people who know that process. We also have a team problem: my "
     "Chinese co-founder, who owns 40 % and holds the company's legal-representative role, wants to leave this "
     "year, and we have no shareholder agreement.",
     "early", "pre_a", "education|ai", "financing|sales_channels|product",
     "厦门", "en|zh", 19, 6000000),
    ("PortPulse",
     "IoT sensors and yard-management software for container terminals and inland ports",
     "Raising a CNY 60m Series B; need port operator customers and strategic partners.",
     "PortPulse was started in Tianjin by a British port engineer and two Chinese IoT engineers. Our sensors on "
     "reach stackers and yard cranes track every container move, and our software plans yard slots to cut "
     "truck waiting time. We are installed at four terminals in Tianjin, Hebei and Shandong and at two inland "
     "dry ports. Revenue last year was CNY 48m. The B round of CNY 60m funds expansion to southern ports and "
     "Southeast Asia.",
     "growth", "b", "smart_mobility|iot|enterprise_services", "financing|sales_channels|internationalisation",
     "天津", "en|zh", 95, 60000000),
]
