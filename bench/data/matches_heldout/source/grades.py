# Hand-assigned grades (1-3), written after reading each project next to each candidate text. Zeros omitted.
GRADES = {
"黔茶链": {
  "mentor": {"陈永福": 3, "杨晓岚": 3, "曹晶": 2, "张颖": 1},
  "investor": {"黔兴数智农业引导基金": 3, "青禾消费基金": 2, "远山早期基金": 2},
  "provider": {"黔检农产品检测中心": 3, "山野品牌实验室": 3},
},
"皖芯测": {
  "mentor": {"周启明": 3, "孙海涛": 3, "张颖": 1},
  "investor": {"皖芯产业引导基金": 3, "远山早期基金": 1},
  "provider": {"合肥科创政策服务中心": 3},
},
"陇上光巡": {
  "mentor": {"马文斌": 3, "王岚": 2, "张颖": 1},
  "investor": {"陇原新能源产业基金": 3},
  "provider": {"西部蓝领人才": 3},
},
"榕护云": {
  "mentor": {"林美华": 3, "郑凯": 1, "张颖": 1},
  "investor": {"远山早期基金": 2},
  "provider": {"闽康养老政策通": 3, "闽护家政人才": 2},
},
"锂循环": {
  "mentor": {"刘红梅": 3},
  "investor": {"赣江银行绿色科创贷": 3},
  "provider": {"赣财通税务": 3},
},
"变脸工坊": {
  "mentor": {"邓小川": 3, "张颖": 1},
  "investor": {"天府文创引导基金": 3, "远山早期基金": 2},
  "provider": {"锦官版权代理": 3},
},
"黑河寒测": {
  "mentor": {"韩冬": 3, "梁振宇": 1},
  "investor": {},
  "provider": {"北疆实验室认可咨询": 3},
},
"芒果飞防": {
  "mentor": {"覃桂芳": 3, "蒙立": 3, "张颖": 1, "王岚": 1},
  "investor": {"八桂乡村振兴基金": 3, "远山早期基金": 2},
  "provider": {"八桂农机政策服务": 3},
},
"洛纳耐材": {
  "mentor": {"高振华": 3, "范明": 3, "张颖": 1},
  "investor": {"中原新材料引导基金": 3},
  "provider": {"中原新材料中试基地": 3, "河南科技大学技术转移中心": 3, "洛耐检测": 3, "申知专利代理": 1},
},
"醋小坊": {
  "mentor": {"乔卫东": 3, "曹晶": 3, "杨晓岚": 2, "蒋秋": 1, "张颖": 1},
  "investor": {"青禾消费基金": 3, "远山早期基金": 1},
  "provider": {"山野品牌实验室": 3},
},
"楚文AI批改": {
  "mentor": {"吴昊": 3, "张颖": 1},
  "investor": {"荆楚教育产业投资": 3},
  "provider": {"楚天律师事务所教育数据合规组": 3},
},
"珊瑚苗圃": {
  "mentor": {"陶敏": 3},
  "investor": {},
  "provider": {"琼州企业服务": 3, "海南自贸港政策申报中心": 3},
},
"秦巡机器人": {
  "mentor": {"路建军": 3, "秦川": 3, "王岚": 1, "张颖": 1},
  "investor": {"秦创原天使引导基金": 3, "远山早期基金": 1},
  "provider": {"华中防爆电气检验站": 3, "秦创政策申报": 3},
},
"海鲜仓单通": {
  "mentor": {"于海波": 3, "姜宁": 3, "张颖": 1},
  "investor": {"链融资本": 3},
  "provider": {"辽海律师事务所金融合规组": 3},
},
"类器官方舟": {
  "mentor": {"沈佳": 3, "张颖": 1},
  "investor": {"华济医药创投": 3},
  "provider": {"申知专利代理": 3},
},
"创客芯板": {
  "mentor": {"叶青": 3, "Tom Becker": 3, "张颖": 1},
  "investor": {"刘振东": 3, "远山早期基金": 2},
  "provider": {"鹏城认证服务": 3, "出海通": 3},
},
"Harbor Lingo": {
  "mentor": {"刘思雨": 3, "张颖": 1, "Helen Park": 1},
  "investor": {"苏州天使母基金": 3, "远山早期基金": 2, "Maple Angels Beijing": 1},
  "provider": {"苏州园区外企登记服务": 3, "长三角涉外律师事务所": 3, "楚天律师事务所教育数据合规组": 1},
},
"Quiet Hours": {
  "mentor": {"Helen Park": 3, "刘思雨": 1},
  "investor": {"Maple Angels Beijing": 3},
  "provider": {"京医械注册咨询": 3},
},
"VoltSprout": {
  "mentor": {"欧阳帆": 3, "张颖": 1},
  "investor": {"驰远汽车创投": 2, "远山早期基金": 1},
  "provider": {"南海船检咨询": 3, "造物工业设计": 2, "鹏城认证服务": 1},
},
"Pallet Loop": {
  "mentor": {"段志勇": 3, "于海波": 1, "刘红梅": 1},
  "investor": {"彩云农商行外贸周转贷": 3},
  "provider": {"滇财会计": 3},
},
"Tesselate": {
  "mentor": {"周嘉": 3, "Sarah Whitfield": 1},
  "investor": {},
  "provider": {"沪上外资登记": 3, "出海通": 2, "长三角涉外律师事务所": 1},
},
"Cellvine": {
  "mentor": {"Anna Kowalski": 3, "李伟": 3},
  "investor": {"Daniel Fischer": 3},
  "provider": {"无锡食品生物中试平台": 3, "EuroBridge China Entry": 2},
},
"Mangrove Ledger": {
  "mentor": {"Rajesh Menon": 3},
  "investor": {"Tidewater Climate Ventures": 3},
  "provider": {"Verdant Assurance": 3},
},
"Loomstack": {
  "mentor": {"Mark Chen": 3},
  "investor": {"Pacific Thread Ventures": 3},
  "provider": {"柯桥外企服务": 3, "长三角涉外律师事务所": 2},
},
}
# Projects that say they are moving to / setting up in another province: local-only providers of that
# province are allowed (not put in must_not_appear).
MOVING_TO = {"Tesselate": {"310000"}, "Loomstack": {"330000"}}
