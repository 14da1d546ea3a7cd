"""The 青融通 catalogue at its real scale: 57 financial institutions, 546 branches, 300+ products.

    institutions() -> [{"id", "name_zh", "name_en", "short_zh", "kind", "district", "hotline", "branches": [...]}]
    products(institutions()) -> [{"id", "institution_id", "name_zh", "name_en", "category", "guarantee", ...}]

A hand-written core (the institutions themselves, their branch counts, and the flagship products in
`CORE_PRODUCTS`, named as Qingdao's banks name them) and a generated bulk: each institution's further
products are drawn from the templates its kind offers, and its branches are spread over the districts,
with one `random.Random` per institution seeded by its id. Deterministic (no clock, no I/O, standard
library only): the same catalogue on every run and every machine, so tests can count it.

Money is integer fen, terms whole months, rates basis points a year (LPR-based indicative rates).
"""
from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

WAN = 1_000_000  # 1万元 in fen

# GB/T 2260 codes (functions/refdata/divisions.py), with places (streets, towns, business areas) where
# branches stand, and how many of a city-wide institution's branches a district draws (by population
# and business).
DISTRICTS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "370202": ("市南区", 12, ("香港中路", "东海西路", "中山路", "江西路", "宁夏路", "金门路", "燕儿岛路", "南京路",
                             "山东路", "延安三路", "漳州路", "云霄路", "湛山", "八大峡")),
    "370203": ("市北区", 12, ("台东", "辽宁路", "延吉路", "敦化路", "浮山后", "四方", "海伦路", "小港", "合肥路",
                             "错埠岭", "洛阳路", "鞍山路", "水清沟", "大港")),
    "370211": ("黄岛区", 13, ("长江路", "薛家岛", "灵山卫", "隐珠", "王台", "张家楼", "六汪", "泊里", "大场",
                             "辛安", "红石崖", "井冈山路", "海王路", "琅琊")),
    "370212": ("崂山区", 9, ("海尔路", "株洲路", "松岭路", "中韩", "沙子口", "北宅", "王哥庄", "科苑纬四路",
                            "深圳路", "苗岭路", "银川东路", "劲松七路")),
    "370213": ("李沧区", 8, ("京口路", "振华路", "九水路", "李村", "沧口", "虎山路", "湘潭路", "书院路",
                            "楼山", "浮山路", "世园", "黑龙江中路")),
    "370214": ("城阳区", 10, ("正阳路", "春阳路", "棘洪滩", "夏庄", "流亭", "惜福镇", "上马", "河套", "红岛",
                             "城阳街道", "黑龙江路", "青大工业园")),
    "370215": ("即墨区", 10, ("蓝鳌路", "鹤山路", "通济", "龙山", "蓝村", "灵山", "段泊岚", "移风", "金口",
                             "田横", "鳌山卫", "环秀")),
    "370281": ("胶州市", 8, ("福州路", "三里河", "中云", "李哥庄", "胶莱", "胶东", "铺集", "里岔", "洋河",
                            "九龙", "阜安", "胶西")),
    "370283": ("平度市", 8, ("红旗路", "南村", "蓼兰", "崔家集", "明村", "田庄", "新河", "店子", "大泽山",
                            "同和", "凤台", "古岘")),
    "370285": ("莱西市", 6, ("烟台路", "水集", "望城", "姜山", "店埠", "马连庄", "院上", "夏格庄", "河头店",
                            "南墅", "日庄", "沽河")),
}
RURAL = ("370211", "370214", "370215", "370281", "370283", "370285")

# id, name_zh, name_en, short_zh (branch names start with it), kind, where its Qingdao head office is,
# hotline, branches in Qingdao, products it lists.
KINDS = ("policy", "state_owned", "joint_stock", "city_commercial", "rural_commercial", "village_bank", "foreign",
         "guarantee", "microcredit", "leasing", "factoring", "insurance")
BANK_KINDS = ("policy", "state_owned", "joint_stock", "city_commercial", "rural_commercial", "village_bank", "foreign")
_INSTITUTIONS: tuple[tuple[str, str, str, str, str, str, str, int, int], ...] = (
    # policy banks
    ("bank-cdb-qd", "国家开发银行青岛市分行", "China Development Bank, Qingdao Branch", "国家开发银行青岛", "policy", "370202", "0532-85911000", 1, 4),
    ("bank-eximbank-qd", "中国进出口银行青岛分行", "Export-Import Bank of China, Qingdao Branch", "中国进出口银行青岛", "policy", "370202", "0532-85029999", 1, 4),
    ("bank-adbc-qd", "中国农业发展银行青岛市分行", "Agricultural Development Bank of China, Qingdao Branch", "农发行", "policy", "370202", "0532-85762001", 6, 4),
    # large state-owned commercial banks
    ("bank-icbc-qd", "中国工商银行青岛市分行", "Industrial and Commercial Bank of China, Qingdao Branch", "工商银行青岛", "state_owned", "370202", "95588", 44, 13),
    ("bank-abc-qd", "中国农业银行青岛分行", "Agricultural Bank of China, Qingdao Branch", "农业银行青岛", "state_owned", "370202", "95599", 44, 13),
    ("bank-boc-qd", "中国银行青岛市分行", "Bank of China, Qingdao Branch", "中国银行青岛", "state_owned", "370202", "95566", 36, 13),
    ("bank-ccb-qd", "中国建设银行青岛市分行", "China Construction Bank, Qingdao Branch", "建设银行青岛", "state_owned", "370202", "95533", 40, 13),
    ("bank-bocom-qd", "交通银行青岛分行", "Bank of Communications, Qingdao Branch", "交通银行青岛", "state_owned", "370202", "95559", 18, 13),
    ("bank-psbc-qd", "中国邮政储蓄银行青岛分行", "Postal Savings Bank of China, Qingdao Branch", "邮储银行青岛", "state_owned", "370203", "95580", 40, 13),
    # joint-stock commercial banks
    ("bank-citic-qd", "中信银行青岛分行", "China CITIC Bank, Qingdao Branch", "中信银行青岛", "joint_stock", "370202", "95558", 10, 6),
    ("bank-ceb-qd", "中国光大银行青岛分行", "China Everbright Bank, Qingdao Branch", "光大银行青岛", "joint_stock", "370202", "95595", 9, 6),
    ("bank-hxb-qd", "华夏银行青岛分行", "Hua Xia Bank, Qingdao Branch", "华夏银行青岛", "joint_stock", "370202", "95577", 8, 6),
    ("bank-cmbc-qd", "中国民生银行青岛分行", "China Minsheng Bank, Qingdao Branch", "民生银行青岛", "joint_stock", "370202", "95568", 9, 6),
    ("bank-cmb-qd", "招商银行青岛分行", "China Merchants Bank, Qingdao Branch", "招商银行青岛", "joint_stock", "370202", "95555", 12, 6),
    ("bank-cib-qd", "兴业银行青岛分行", "Industrial Bank, Qingdao Branch", "兴业银行青岛", "joint_stock", "370202", "95561", 10, 6),
    ("bank-cgb-qd", "广发银行青岛分行", "China Guangfa Bank, Qingdao Branch", "广发银行青岛", "joint_stock", "370202", "95508", 7, 6),
    ("bank-pab-qd", "平安银行青岛分行", "Ping An Bank, Qingdao Branch", "平安银行青岛", "joint_stock", "370202", "95511", 8, 6),
    ("bank-spdb-qd", "上海浦东发展银行青岛分行", "Shanghai Pudong Development Bank, Qingdao Branch", "浦发银行青岛", "joint_stock", "370202", "95528", 8, 6),
    ("bank-czb-qd", "浙商银行青岛分行", "China Zheshang Bank, Qingdao Branch", "浙商银行青岛", "joint_stock", "370202", "95527", 6, 6),
    ("bank-hfb-qd", "恒丰银行青岛分行", "Evergrowing Bank, Qingdao Branch", "恒丰银行青岛", "joint_stock", "370202", "95395", 8, 6),
    ("bank-cbhb-qd", "渤海银行青岛分行", "China Bohai Bank, Qingdao Branch", "渤海银行青岛", "joint_stock", "370202", "95541", 5, 6),
    # city commercial banks
    ("bank-qdccb", "青岛银行", "Bank of Qingdao", "青岛银行", "city_commercial", "370212", "96588", 55, 16),
    ("bank-qlb-qd", "齐鲁银行青岛分行", "Qilu Bank, Qingdao Branch", "齐鲁银行青岛", "city_commercial", "370202", "95352", 6, 6),
    ("bank-whccb-qd", "威海银行青岛分行", "Weihai City Commercial Bank, Qingdao Branch", "威海银行青岛", "city_commercial", "370212", "96636", 7, 6),
    ("bank-rzb-qd", "日照银行青岛分行", "Bank of Rizhao, Qingdao Branch", "日照银行青岛", "city_commercial", "370211", "96588", 6, 6),
    ("bank-wfccb-qd", "潍坊银行青岛分行", "Bank of Weifang, Qingdao Branch", "潍坊银行青岛", "city_commercial", "370203", "96588", 5, 6),
    ("bank-lsb-qd", "莱商银行青岛分行", "Laishang Bank, Qingdao Branch", "莱商银行青岛", "city_commercial", "370213", "96588", 4, 6),
    ("bank-dyccb-qd", "东营银行青岛分行", "Dongying Bank, Qingdao Branch", "东营银行青岛", "city_commercial", "370211", "96588", 4, 6),
    # rural commercial bank and village banks
    ("bank-qrcb", "青岛农商银行", "Qingdao Rural Commercial Bank", "青岛农商银行", "rural_commercial", "370212", "96668", 80, 16),
    ("bank-jmjd", "青岛即墨京都村镇银行", "Qingdao Jimo Jingdu Village Bank", "即墨京都村镇银行", "village_bank", "370215", "0532-88519666", 4, 3),
    ("bank-cyzj", "青岛城阳珠江村镇银行", "Qingdao Chengyang Zhujiang Village Bank", "城阳珠江村镇银行", "village_bank", "370214", "0532-87711888", 4, 3),
    ("bank-jzzc", "青岛胶州中成村镇银行", "Qingdao Jiaozhou Zhongcheng Village Bank", "胶州中成村镇银行", "village_bank", "370281", "0532-82290666", 3, 3),
    ("bank-lxyt", "青岛莱西元泰村镇银行", "Qingdao Laixi Yuantai Village Bank", "莱西元泰村镇银行", "village_bank", "370285", "0532-88488999", 3, 3),
    ("bank-pdhm", "青岛平度惠民村镇银行", "Qingdao Pingdu Huimin Village Bank", "平度惠民村镇银行", "village_bank", "370283", "0532-87362222", 3, 3),
    ("bank-lsjy", "青岛崂山交银村镇银行", "Qingdao Laoshan Bocom Village Bank", "崂山交银村镇银行", "village_bank", "370212", "0532-88992100", 3, 3),
    # foreign banks
    ("bank-hsbc-qd", "汇丰银行（中国）有限公司青岛分行", "HSBC Bank (China), Qingdao Branch", "汇丰银行青岛", "foreign", "370202", "400-820-8828", 2, 2),
    ("bank-hana-qd", "韩亚银行（中国）有限公司青岛分行", "Hana Bank (China), Qingdao Branch", "韩亚银行青岛", "foreign", "370202", "400-650-0123", 2, 2),
    ("bank-shinhan-qd", "新韩银行（中国）有限公司青岛分行", "Shinhan Bank (China), Qingdao Branch", "新韩银行青岛", "foreign", "370212", "400-810-9966", 2, 2),
    # government financing guarantee companies
    ("guar-qdfgc", "青岛市融资担保中心有限公司", "Qingdao Financing Guarantee Center", "青岛市融资担保中心", "guarantee", "370202", "0532-66750900", 1, 5),
    ("guar-sdnd-qd", "山东省农业发展信贷担保有限责任公司青岛分公司", "Shandong Agricultural Credit Guarantee Co., Qingdao Branch", "山东农担青岛", "guarantee", "370203", "0532-85712306", 3, 4),
    ("guar-qdgc", "青岛高创科技融资担保有限公司", "Qingdao Gaochuang Technology Financing Guarantee Co.", "高创科技担保", "guarantee", "370212", "0532-88697577", 1, 4),
    ("guar-xhafg", "青岛西海岸新区融资担保有限公司", "Qingdao West Coast New Area Financing Guarantee Co.", "西海岸融资担保", "guarantee", "370211", "0532-86997899", 1, 4),
    ("guar-qdcx", "青岛城乡建设融资担保有限公司", "Qingdao Urban-Rural Construction Financing Guarantee Co.", "城乡建设融资担保", "guarantee", "370203", "0532-55576601", 1, 4),
    ("guar-jmfg", "青岛市即墨区融资担保有限公司", "Qingdao Jimo Financing Guarantee Co.", "即墨融资担保", "guarantee", "370215", "0532-88551230", 1, 3),
    # microcredit companies
    ("mcc-qdjk", "青岛金控小额贷款有限公司", "Qingdao Financial Holdings Microcredit Co.", "金控小贷", "microcredit", "370202", "0532-66887711", 1, 2),
    ("mcc-lskj", "青岛崂山科技小额贷款有限公司", "Qingdao Laoshan Technology Microcredit Co.", "崂山科技小贷", "microcredit", "370212", "0532-88906633", 1, 2),
    ("mcc-xhafx", "青岛西海岸新区海发小额贷款有限公司", "Qingdao West Coast Haifa Microcredit Co.", "海发小贷", "microcredit", "370211", "0532-86881122", 1, 2),
    ("mcc-cyxy", "青岛城阳区信元小额贷款有限公司", "Qingdao Chengyang Xinyuan Microcredit Co.", "信元小贷", "microcredit", "370214", "0532-87866612", 1, 2),
    ("mcc-pdny", "青岛平度市农银小额贷款有限公司", "Qingdao Pingdu Nongyin Microcredit Co.", "平度农银小贷", "microcredit", "370283", "0532-88352177", 1, 2),
    # leasing
    ("lease-qyfl", "青银金融租赁有限公司", "Qingyin Financial Leasing Co.", "青银金融租赁", "leasing", "370212", "0532-68628888", 1, 2),
    ("lease-hefl", "海尔融资租赁股份有限公司青岛分公司", "Haier Financial Leasing Co., Qingdao Branch", "海尔融资租赁", "leasing", "370212", "0532-88938600", 1, 2),
    ("lease-gxfl", "青岛国信融资租赁有限公司", "Qingdao Guoxin Financial Leasing Co.", "国信融资租赁", "leasing", "370202", "0532-68865001", 1, 2),
    ("lease-ctfl", "青岛城投融资租赁有限公司", "Qingdao City Investment Financial Leasing Co.", "城投融资租赁", "leasing", "370203", "0532-85793801", 1, 2),
    # factoring
    ("fact-jkbl", "青岛金控商业保理有限公司", "Qingdao Financial Holdings Commercial Factoring Co.", "金控保理", "factoring", "370202", "0532-66887722", 1, 2),
    ("fact-hrbl", "海尔商业保理（青岛）有限公司", "Haier Commercial Factoring (Qingdao) Co.", "海尔保理", "factoring", "370212", "0532-88937011", 1, 2),
    # credit insurance
    ("ins-sinosure-qd", "中国出口信用保险公司青岛分公司", "China Export & Credit Insurance Corp., Qingdao Branch", "中国信保青岛", "insurance", "370202", "95312", 1, 2),
    ("ins-picc-qd", "中国人民财产保险股份有限公司青岛市分公司", "PICC Property and Casualty, Qingdao Branch", "人保财险青岛", "insurance", "370202", "95518", 3, 2),
)

CATEGORIES = ("credit", "mortgage", "guarantee", "ip_pledge", "supply_chain", "agricultural", "trade", "green", "leasing")
GUARANTEES = ("credit", "mortgage", "guarantee", "pledge")
CHANNELS = ("xinyidai", "rongzitong", "jinnongtong", "platform")
TARGETS = ("small_micro", "tech", "agri", "foreign_trade", "self_employed", "specialized", "green", "manufacturing",
           "marine", "startup")


# A product template: zh name, en name, category, guarantee, amount (min, max 万元), term (min, max months),
# rate (min, max bp), targets, description ({inst} = the institution's short name).
T = tuple
BANK_TEMPLATES: tuple[T, ...] = (
    ("经营快贷", "Business Express Loan", "credit", "credit", (5, 300), (1, 12), (320, 430), ("small_micro", "self_employed"),
     "{inst}面向小微企业及个体工商户的纯信用线上经营贷款，依据企业纳税、结算等数据自动审批，随借随还，按日计息。"),
    ("纳税信用贷", "Tax Credit Loan", "credit", "credit", (10, 300), (1, 12), (330, 450), ("small_micro",),
     "以企业纳税信用等级（A、B、M级）和纳税额为主要授信依据的纯信用贷款，线上申请，无需抵押担保。"),
    ("科创信用贷", "Tech Innovation Credit Loan", "credit", "credit", (50, 1000), (6, 36), (300, 420), ("tech", "specialized"),
     "为科技型中小企业、高新技术企业和专精特新企业提供的信用贷款，参考研发投入、知识产权和人才团队综合授信。"),
    ("人才贷", "Talent Loan", "credit", "credit", (50, 1000), (12, 36), (310, 400), ("tech", "startup"),
     "支持高层次人才创办或领办的企业，依据人才层级核定授信额度，可享受市级贷款贴息政策。"),
    ("专精特新贷", "Specialised-and-Innovative SME Loan", "credit", "credit", (100, 3000), (12, 36), (290, 390), ("specialized", "manufacturing"),
     "面向省市级专精特新中小企业和“小巨人”企业的专属信贷产品，额度高、利率优，可信用、可组合担保。"),
    ("厂房抵押贷", "Factory Mortgage Loan", "mortgage", "mortgage", (100, 5000), (12, 120), (330, 470), ("manufacturing", "small_micro"),
     "以企业自有厂房、土地使用权作抵押的中长期经营贷款，抵押率最高可达评估价值的七成，支持分期还款。"),
    ("房产抵押经营贷", "Property-Secured Business Loan", "mortgage", "mortgage", (30, 2000), (12, 120), (320, 450), ("small_micro", "self_employed"),
     "以企业主或企业名下住房、商铺作抵押的经营贷款，一次授信、循环使用，满足日常经营周转需要。"),
    ("设备抵押贷", "Equipment Mortgage Loan", "mortgage", "mortgage", (50, 1500), (12, 60), (360, 500), ("manufacturing",),
     "以企业生产设备作抵押，支持技术改造与产能扩张，设备价值经第三方评估后核定额度。"),
    ("政银保", "Government-Bank-Insurer Loan", "guarantee", "guarantee", (20, 500), (6, 12), (350, 450), ("small_micro", "startup"),
     "由政府风险补偿基金、保险公司和银行共担风险的贷款，适合缺少抵押物的小微企业。"),
    ("担保增信贷", "Guarantee-Enhanced Loan", "guarantee", "guarantee", (50, 1000), (6, 36), (340, 480), ("small_micro", "manufacturing"),
     "与政府性融资担保机构合作，由担保公司提供保证，担保费率不高于1%，缓解小微企业抵押不足问题。"),
    ("创业担保贷款", "Start-up Guaranteed Loan", "guarantee", "guarantee", (20, 300), (12, 36), (250, 350), ("startup", "self_employed"),
     "按照创业担保贷款政策发放，个人最高30万元、小微企业最高300万元，符合条件的享受财政贴息。"),
    ("知识产权质押贷", "IP Pledge Loan", "ip_pledge", "pledge", (50, 1000), (12, 36), (310, 420), ("tech", "specialized"),
     "以企业合法拥有的专利权、商标权作质押，经评估后发放贷款，可叠加市级知识产权质押融资贴息和风险补偿。"),
    ("专利权质押融资", "Patent Pledge Financing", "ip_pledge", "pledge", (100, 2000), (12, 36), (300, 410), ("tech",),
     "面向拥有核心发明专利的科技型企业，以专利权质押为主要担保方式，额度根据专利评估价值核定。"),
    ("订单贷", "Purchase Order Loan", "supply_chain", "pledge", (20, 1000), (3, 12), (340, 460), ("manufacturing", "small_micro"),
     "以核心企业真实采购订单为依据发放的贷款，回款自动还款，解决中小供应商备货资金需求。"),
    ("应收账款质押融资", "Receivables Pledge Financing", "supply_chain", "pledge", (50, 3000), (3, 12), (330, 450), ("manufacturing",),
     "以企业对核心企业的应收账款作质押，通过中征应收账款融资服务平台确权登记，快速放款。"),
    ("供应链票据融资", "Supply Chain Bill Financing", "supply_chain", "pledge", (10, 5000), (1, 12), (180, 300), ("manufacturing", "small_micro"),
     "依托核心企业签发的供应链票据办理贴现、质押融资，利率参照票据市场价格，秒级到账。"),
    ("仓单质押贷", "Warehouse Receipt Loan", "supply_chain", "pledge", (100, 3000), (3, 12), (350, 480), ("foreign_trade", "manufacturing"),
     "以港口、保税仓储出具的标准仓单作质押，适合大宗商品贸易企业盘活库存。"),
    ("乡村振兴贷", "Rural Revitalisation Loan", "agricultural", "credit", (5, 300), (6, 36), (310, 420), ("agri",),
     "服务家庭农场、农民专业合作社和农业产业化龙头企业，依托金农通数据授信，支持春耕备耕和农产品加工。"),
    ("农机贷", "Farm Machinery Loan", "agricultural", "mortgage", (5, 200), (12, 36), (330, 450), ("agri",),
     "用于购置农业机械设备，以所购农机作抵押，可叠加农机购置补贴。"),
    ("土地经营权抵押贷", "Land Management Rights Loan", "agricultural", "mortgage", (10, 500), (12, 60), (340, 460), ("agri",),
     "以依法流转取得的农村土地经营权作抵押，支持适度规模经营主体发展现代农业。"),
    ("海洋牧场贷", "Marine Ranching Loan", "agricultural", "pledge", (50, 2000), (12, 60), (320, 440), ("marine", "agri"),
     "面向海洋牧场、水产养殖和远洋渔业企业，可用海域使用权、渔船作抵质押，支持海洋经济发展。"),
    ("出口退税贷", "Export Tax Rebate Loan", "trade", "pledge", (20, 1000), (1, 12), (300, 420), ("foreign_trade",),
     "以企业应收出口退税款作还款来源，退税账户监管，提前回笼资金。"),
    ("信保融资", "Credit-Insured Trade Financing", "trade", "pledge", (20, 2000), (1, 12), (280, 400), ("foreign_trade", "small_micro"),
     "出口企业投保中国信保短期出口信用保险后，以保单项下赔款权益转让获得融资，无需额外担保。"),
    ("绿色技改贷", "Green Upgrade Loan", "green", "guarantee", (100, 5000), (12, 60), (290, 400), ("green", "manufacturing"),
     "支持企业节能降碳、清洁生产技术改造，可申请人民银行碳减排支持工具资金，利率优惠。"),
    ("碳排放权质押贷", "Carbon Allowance Pledge Loan", "green", "pledge", (50, 2000), (12, 36), (300, 410), ("green",),
     "以企业持有的碳排放配额或核证自愿减排量作质押，盘活碳资产，助力绿色低碳转型。"),
)
GUARANTOR_TEMPLATES: tuple[T, ...] = (
    ("科技担保贷", "Tech Guarantee Loan", "guarantee", "guarantee", (100, 1000), (12, 36), (380, 500), ("tech", "specialized"),
     "{inst}为科技型中小企业向合作银行借款提供保证，担保费率不高于1%，纳入市级再担保体系。"),
    ("小微担保贷", "Small Business Guarantee Loan", "guarantee", "guarantee", (10, 500), (6, 12), (400, 520), ("small_micro",),
     "{inst}联合合作银行为小微企业提供的批量担保贷款，单户1000万元以下，担保费率不高于1%。"),
    ("惠农担保贷", "Farm Guarantee Loan", "agricultural", "guarantee", (10, 300), (12, 36), (380, 480), ("agri",),
     "{inst}为家庭农场、合作社等农业经营主体提供的政策性担保贷款，财政补贴担保费。"),
    ("应急转贷", "Bridge Refinancing", "guarantee", "guarantee", (50, 2000), (1, 3), (350, 450), ("small_micro", "manufacturing"),
     "为贷款即将到期、续贷资金周转困难的企业提供应急转贷服务，资金使用费低，一般不超过15天。"),
    ("知识产权担保贷", "IP-Backed Guarantee Loan", "ip_pledge", "pledge", (100, 1000), (12, 36), (380, 480), ("tech",),
     "{inst}以企业知识产权作反担保，为轻资产科技企业提供保证。"),
    ("外贸担保贷", "Trade Guarantee Loan", "trade", "guarantee", (50, 1000), (3, 12), (380, 500), ("foreign_trade",),
     "{inst}为外贸企业开立保函和贷款提供保证，支持接单履约。"),
)
LENDER_TEMPLATES: tuple[T, ...] = (
    ("经营周转贷", "Working Capital Loan", "credit", "credit", (5, 100), (1, 12), (800, 1500), ("small_micro", "self_employed"),
     "{inst}面向小微企业和个体工商户的短期经营贷款，手续简便，三个工作日内放款。"),
    ("房产抵押贷", "Property Loan", "mortgage", "mortgage", (20, 500), (3, 24), (700, 1200), ("small_micro",),
     "{inst}以房产作抵押的经营贷款，额度灵活，适合短期资金周转。"),
    ("设备直租", "Direct Equipment Lease", "leasing", "mortgage", (100, 10000), (12, 60), (450, 700), ("manufacturing", "green"),
     "{inst}按企业选定的设备出资购买后出租，企业分期支付租金，租期届满可留购。"),
    ("售后回租", "Sale-and-Leaseback", "leasing", "mortgage", (200, 20000), (12, 60), (480, 750), ("manufacturing", "marine"),
     "{inst}购买企业自有设备后再租回给企业使用，盘活存量资产，补充营运资金。"),
    ("应收账款保理", "Receivables Factoring", "supply_chain", "pledge", (20, 5000), (1, 12), (500, 800), ("manufacturing", "small_micro"),
     "{inst}受让供应商对核心企业的应收账款并提供融资，线上确权，T+1放款。"),
    ("反向保理", "Reverse Factoring", "supply_chain", "pledge", (50, 5000), (1, 12), (450, 700), ("manufacturing",),
     "由核心企业发起、以其付款承诺为基础的保理融资，上游中小供应商按核心企业信用获得资金。"),
    ("出口信保保单融资", "Export Policy Financing", "trade", "guarantee", (20, 3000), (1, 12), (280, 400), ("foreign_trade",),
     "{inst}与合作银行推出的保单融资，出口企业投保短期险后凭保单获得银行贷款，保费享受财政补贴。"),
    ("贷款保证保险", "Loan Guarantee Insurance", "guarantee", "guarantee", (10, 500), (6, 12), (420, 550), ("small_micro", "startup"),
     "{inst}为小微企业向银行借款提供保证保险，政府风险补偿资金共担风险，无需抵押。"),
)
KIND_TEMPLATES: dict[str, tuple[T, ...]] = {
    "guarantee": GUARANTOR_TEMPLATES,
    "microcredit": LENDER_TEMPLATES[:2],
    "leasing": LENDER_TEMPLATES[2:4],
    "factoring": LENDER_TEMPLATES[4:6],
    "insurance": LENDER_TEMPLATES[6:8],
    "policy": tuple(t for t in BANK_TEMPLATES if t[2] in ("agricultural", "trade", "green", "supply_chain")),
    "foreign": tuple(t for t in BANK_TEMPLATES if t[2] in ("trade", "supply_chain", "credit")),
    "village_bank": tuple(t for t in BANK_TEMPLATES if t[2] in ("agricultural", "credit", "mortgage")),
}

# The flagship products, as the institutions publish them: (institution, zh, en, category, guarantee, amount 万元,
# term months, rate bp, channel, targets, description).
CORE_PRODUCTS: tuple[tuple[Any, ...], ...] = (
    ("bank-qdccb", "青银科创贷", "Qingyin Tech Innovation Loan", "credit", "credit", (100, 3000), (12, 36), (295, 395), "xinyidai",
     ("tech", "specialized"), "青岛银行为科技型中小企业打造的信用贷款，依据企业研发投入、知识产权、股权融资等“科技画像”核定额度，最高3000万元。"),
    ("bank-qdccb", "海科贷", "Marine Tech Loan", "agricultural", "pledge", (100, 2000), (12, 60), (310, 420), "jinnongtong",
     ("marine", "tech"), "支持海洋生物医药、海洋装备和现代渔业企业，可以海域使用权、在建船舶作抵质押。"),
    ("bank-qdccb", "青银税e贷", "Qingyin Tax e-Loan", "credit", "credit", (5, 300), (1, 12), (340, 450), "xinyidai",
     ("small_micro",), "基于企业纳税数据的线上信用贷款，手机银行申请，最快当日放款。"),
    ("bank-qrcb", "鑫e贷", "Xin e-Loan", "credit", "credit", (5, 300), (1, 36), (330, 480), "xinyidai",
     ("small_micro", "self_employed"), "青岛农商银行面向小微企业主和个体工商户的线上信用贷款，一次授信、三年有效、随借随还。"),
    ("bank-qrcb", "金农贷", "Golden Farm Loan", "agricultural", "credit", (3, 300), (6, 36), (320, 450), "jinnongtong",
     ("agri",), "依托金农通平台的农业经营主体数据，为种养大户、家庭农场和合作社提供的信用贷款。"),
    ("bank-qrcb", "鲁担惠农贷", "Shandong Farm Guarantee Loan", "agricultural", "guarantee", (10, 1000), (12, 36), (350, 450), "jinnongtong",
     ("agri",), "与山东省农业发展信贷担保公司合作，农担公司提供保证，财政给予担保费补助和贴息。"),
    ("bank-icbc-qd", "经营快贷", "e-Business Express Loan", "credit", "credit", (5, 1000), (1, 12), (320, 420), "xinyidai",
     ("small_micro",), "工商银行基于企业结算、纳税、政府采购等数据的线上信用贷款，全流程线上办理。"),
    ("bank-icbc-qd", "科创贷", "Tech Innovation Loan", "ip_pledge", "pledge", (100, 5000), (12, 60), (290, 390), "rongzitong",
     ("tech", "specialized"), "以知识产权、股权等作质押，支持科技企业研发和成果转化。"),
    ("bank-ccb-qd", "云税贷", "Cloud Tax Loan", "credit", "credit", (5, 300), (1, 12), (340, 430), "xinyidai",
     ("small_micro",), "建设银行“惠懂你”平台办理的纳税信用贷款，按纳税额核定额度，随借随还。"),
    ("bank-ccb-qd", "善新贷", "Shanxin Loan", "ip_pledge", "pledge", (100, 3000), (12, 36), (300, 400), "rongzitong",
     ("tech",), "面向科技企业的知识产权质押贷款，建设银行“技术流”评价结果作授信依据。"),
    ("bank-abc-qd", "纳税e贷", "Tax e-Loan", "credit", "credit", (5, 300), (1, 12), (340, 440), "xinyidai",
     ("small_micro",), "农业银行基于纳税数据的线上信用贷款，系统自动审批。"),
    ("bank-abc-qd", "惠农e贷", "Farm e-Loan", "agricultural", "credit", (1, 100), (6, 36), (330, 450), "jinnongtong",
     ("agri", "self_employed"), "面向农户和新型农业经营主体的线上信用贷款，覆盖种植、养殖和农产品加工。"),
    ("bank-boc-qd", "中银企E贷", "BOC Enterprise e-Loan", "credit", "credit", (10, 500), (1, 12), (320, 430), "xinyidai",
     ("small_micro",), "中国银行线上小微信用贷款，依据纳税、发票、结算等数据核定额度。"),
    ("bank-boc-qd", "信保融资·出口易", "Export Credit-Insured Financing", "trade", "pledge", (20, 3000), (1, 12), (270, 390), "rongzitong",
     ("foreign_trade",), "中国银行与中国信保合作，出口企业凭短期险保单及赔款权益转让获得融资。"),
    ("bank-psbc-qd", "小微易贷", "Small Business Easy Loan", "credit", "credit", (5, 300), (1, 12), (340, 460), "xinyidai",
     ("small_micro",), "邮储银行线上小微企业贷款，可纯信用或抵押，支持随借随还。"),
    ("bank-adbc-qd", "粮食收购贷款", "Grain Purchase Loan", "agricultural", "guarantee", (500, 50000), (3, 12), (260, 330), "jinnongtong",
     ("agri",), "农业发展银行支持粮棉油收购企业的政策性贷款，保障粮食安全。"),
    ("guar-qdfgc", "青岛政府性融资担保“见贷即担”", "See-Loan-Then-Guarantee", "guarantee", "guarantee", (10, 1000), (6, 12), (360, 460), "platform",
     ("small_micro", "startup"), "合作银行审批通过的小微企业贷款，担保中心不再重复审查、直接提供担保，担保费率0.8%。"),
    ("guar-sdnd-qd", "农担·金农通专项", "Farm Guarantee via Jinnongtong", "agricultural", "guarantee", (10, 300), (12, 36), (350, 450), "jinnongtong",
     ("agri",), "通过金农通平台申请，为家庭农场、合作社提供担保，政策性担保费率0.5%。"),
    ("ins-sinosure-qd", "小微出口信保融资", "Small Exporter Credit Insurance Financing", "trade", "guarantee", (10, 1000), (1, 12), (270, 380), "rongzitong",
     ("foreign_trade", "small_micro"), "青岛市统保平台项下的小微出口企业保单融资，保费由财政承担，合作银行见单放款。"),
    ("lease-qyfl", "青银绿色租赁", "Qingyin Green Leasing", "leasing", "mortgage", (500, 30000), (24, 84), (420, 620), "platform",
     ("green", "manufacturing"), "支持光伏、储能、节能设备等绿色项目的直租和回租，租金按季支付。"),
)


def _institution_rng(institution_id: str, purpose: str) -> random.Random:
    return random.Random(f"{institution_id}/{purpose}")


def _branches(row: tuple) -> list[dict[str, Any]]:
    institution_id, _, _, short, kind, home, _, count, _ = row
    rng = _institution_rng(institution_id, "branches")
    codes = list(DISTRICTS)
    if kind in ("rural_commercial", "village_bank"):
        weights = [DISTRICTS[c][1] * (3 if c in RURAL else 1) for c in codes]
    else:
        weights = [DISTRICTS[c][1] for c in codes]
    if kind == "village_bank":  # a village bank stays in its own district
        places = [home] * count
    else:
        places = [home] + (codes if count >= 30 else []) + rng.choices(codes, weights, k=max(0, count - 1 - (len(codes) if count >= 30 else 0)))
    used: dict[str, set[str]] = {}
    branches = []
    for number, code in enumerate(places[:count], start=1):
        district_zh, _, streets = DISTRICTS[code]
        if number == 1:
            name = f"{short}营业部" if kind not in ("guarantee", "microcredit", "leasing", "factoring", "insurance") else f"{short}总部"
            street = streets[0]
        else:
            taken = used.setdefault(code, set())
            free = [s for s in streets if s not in taken]
            street = rng.choice(free) if free else rng.choice(streets)
            office = kind in ("guarantee", "microcredit", "leasing", "factoring", "insurance")
            suffixes = ("业务部", "服务点", "第二服务点", "第三服务点") if office else ("支行", "社区支行", "第二支行", "第三支行", "第四支行")
            names = {b["name_zh"] for b in branches}
            name = next(f"{short}{street}{s}" for s in suffixes if f"{short}{street}{s}" not in names)
            taken.add(street)
        branches.append({
            "id": f"{institution_id}-b{number:03d}", "name_zh": name, "district": code,
            "address_zh": f"青岛市{district_zh}{street}{'' if street.endswith(('路', '街道')) else '街道'}{rng.randint(1, 399)}号",
            "phone": f"0532-8{rng.randint(1000000, 9999999)}",
        })
    return branches


@lru_cache(maxsize=1)
def _institutions() -> tuple[dict[str, Any], ...]:
    found = []
    for row in _INSTITUTIONS:
        institution_id, name_zh, name_en, short, kind, home, hotline, _, _ = row
        found.append({"id": institution_id, "name_zh": name_zh, "name_en": name_en, "short_zh": short, "kind": kind,
                      "district": home, "hotline": hotline, "branches": _branches(row)})
    return tuple(found)


def institutions() -> list[dict[str, Any]]:
    """Every institution with its branches (a fresh copy to change freely)."""
    import copy

    return copy.deepcopy(list(_institutions()))


def _channel(rng: random.Random, category: str, guarantee: str) -> str:
    if category == "agricultural":
        return "jinnongtong"
    if category == "credit" and guarantee == "credit":
        return rng.choice(("xinyidai", "xinyidai", "xinyidai", "platform"))
    return rng.choice(("rongzitong", "rongzitong", "platform"))


def _product(institution: dict[str, Any], number: int, zh: str, en: str, category: str, guarantee: str,
             amount: tuple[int, int], term: tuple[int, int], rate: tuple[int, int], channel: str,
             targets: tuple[str, ...], description: str) -> dict[str, Any]:
    districts = sorted({b["district"] for b in institution["branches"]})
    if institution["kind"] in ("guarantee", "leasing", "factoring", "insurance", "policy"):
        districts = list(DISTRICTS)  # they serve the whole city from one office
    if category == "agricultural" and institution["kind"] not in ("guarantee", "policy"):
        districts = [d for d in districts if d in RURAL] or districts
    return {
        "id": f"prod-{institution['id'].split('-', 1)[1]}-{number:02d}", "institution_id": institution["id"],
        "name_zh": zh, "name_en": en, "category": category, "guarantee": guarantee,
        "amount_min_fen": amount[0] * WAN, "amount_max_fen": amount[1] * WAN,
        "term_min_months": term[0], "term_max_months": term[1],
        "annual_rate_min_bp": rate[0], "annual_rate_max_bp": rate[1], "channel": channel, "targets": list(targets),
        "districts": districts, "description_zh": description.replace("{inst}", institution["short_zh"].removesuffix("青岛")),
    }


@lru_cache(maxsize=1)
def _products() -> tuple[dict[str, Any], ...]:
    by_id = {i["id"]: i for i in _institutions()}
    counts = {row[0]: row[8] for row in _INSTITUTIONS}
    found: list[dict[str, Any]] = []
    numbers: dict[str, int] = {}
    core_names: dict[str, set[str]] = {}
    for (institution_id, zh, en, category, guarantee, amount, term, rate, channel, targets, description) in CORE_PRODUCTS:
        numbers[institution_id] = numbers.get(institution_id, 0) + 1
        core_names.setdefault(institution_id, set()).add(zh)
        found.append(_product(by_id[institution_id], numbers[institution_id], zh, en, category, guarantee, amount, term,
                              rate, channel, targets, description))
    for institution in _institutions():
        rng = _institution_rng(institution["id"], "products")
        pool = [t for t in KIND_TEMPLATES.get(institution["kind"], BANK_TEMPLATES) if t[0] not in core_names.get(institution["id"], ())]
        wanted = counts[institution["id"]] - numbers.get(institution["id"], 0)
        for template in rng.sample(pool, min(wanted, len(pool))):
            zh, en, category, guarantee, amount, term, rate, targets, description = template
            numbers[institution["id"]] = numbers.get(institution["id"], 0) + 1
            # Each institution prices and sizes a little differently (a bank's own terms, not the template's).
            shift = rng.choice((-20, -10, 0, 0, 10, 20, 30))
            top = amount[1] if rng.random() < 0.6 else max(amount[0] * 2, amount[1] // 2)
            found.append(_product(institution, numbers[institution["id"]], zh, en, category, guarantee, (amount[0], top),
                                  term, (rate[0] + shift, rate[1] + shift), _channel(rng, category, guarantee), targets,
                                  description if "{inst}" in description else "{inst}" + description))
    return tuple(found)


def products() -> list[dict[str, Any]]:
    """Every product (a fresh copy)."""
    import copy

    return copy.deepcopy(list(_products()))


def totals() -> dict[str, int]:
    found = _institutions()
    return {"institutions": len(found), "branches": sum(len(i["branches"]) for i in found), "products": len(_products())}
