"""Policy content at the real scale, in the format of `data/demo.json` (see README.md, "Content format").

    generate(documents=3000, projects=2000, news=26000, seed=2026)
        -> {"documents": [...], "projects": [...], "news": [...]}
    iter_content(...) yields ("documents" | "projects" | "news", item) one at a time, documents first
    (projects and news only refer to documents already yielded), for loading without holding it all.

Deterministic: one seeded `random.Random`, no clock, no I/O, standard library only. Independent of the
hand-written demo set: generated ids are `doc-gen-…`, `proj-gen-…`, `news-gen-…` and never collide with it,
so both can be loaded side by side. Items are recombined from realistic vocabularies (issuers per level,
文号 patterns, topic words, measures, sentence templates) so that a Chinese search index over them sees
varied titles, topics and bodies of roughly 300–1500 characters, like the real corpus.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Iterator

REFERENCE_DATE = date(2026, 11, 29)

# GB/T 2260 codes of Qingdao's districts and county-level cities, with the prefix of their 文号.
DISTRICTS = (
    ("370202", "市南区", "南"), ("370203", "市北区", "北"), ("370211", "黄岛区", "青西新"),
    ("370212", "崂山区", "崂"), ("370213", "李沧区", "李"), ("370214", "城阳区", "城"),
    ("370215", "即墨区", "即"), ("370281", "胶州市", "胶"), ("370283", "平度市", "平"), ("370285", "莱西市", "莱"),
)
DISTRICT_NAME = {code: name for code, name, _ in DISTRICTS}
ALL_DISTRICTS = [code for code, _, _ in DISTRICTS]

UNIT_ZH = {
    "unit-science-tech": "市科技局", "unit-hrss": "市人力资源社会保障局", "unit-private-economy": "市民营经济局",
    "unit-finance": "市财政局", "unit-agriculture": "市农业农村局", "unit-ocean": "市海洋发展局",
    "unit-culture-tourism": "市文化和旅游局", "unit-tax": "市税务局", "unit-big-data": "市大数据局",
    "unit-local-finance-regulation": "市地方金融监管局", "unit-customs": "青岛海关",
}
# How a district names the office doing the same work as a city unit (first review stage).
DISTRICT_OFFICE = {
    "unit-science-tech": "科技主管部门", "unit-hrss": "人力资源社会保障局", "unit-private-economy": "民营经济发展局",
    "unit-finance": "财政局", "unit-agriculture": "农业农村局", "unit-ocean": "海洋发展局",
    "unit-culture-tourism": "文化和旅游局", "unit-tax": "税务局", "unit-big-data": "大数据中心",
    "unit-local-finance-regulation": "金融工作部门", "unit-customs": "隶属海关",
}

# Issuers: key -> (name as printed, 文号 pattern with {y} and {n}, owning unit or None).
ISSUERS = {
    # national
    "gwy": ("国务院", "国发〔{y}〕{n}号", None),
    "gwyb": ("国务院办公厅", "国办发〔{y}〕{n}号", None),
    "miit": ("工业和信息化部", "工信部企业〔{y}〕{n}号", None),
    "miit-zz": ("工业和信息化部", "工信部重装〔{y}〕{n}号", None),
    "miit-most": ("工业和信息化部 科技部", "工信部联企业〔{y}〕{n}号", None),
    "mof-sat": ("财政部 税务总局", "财政部 税务总局公告{y}年第{n}号", None),
    "sat": ("国家税务总局", "国家税务总局公告{y}年第{n}号", None),
    "mof-jian": ("财政部 工业和信息化部", "财建〔{y}〕{n}号", None),
    "mof-jin": ("财政部 人力资源社会保障部 中国人民银行", "财金〔{y}〕{n}号", None),
    "mohrss": ("人力资源社会保障部", "人社部发〔{y}〕{n}号", None),
    "mohrss-mof": ("人力资源社会保障部 财政部", "人社部发〔{y}〕{n}号", None),
    "most": ("科技部", "国科发政〔{y}〕{n}号", None),
    "most-mof-sat": ("科技部 财政部 国家税务总局", "国科发火〔{y}〕{n}号", None),
    "mofcom": ("商务部", "商贸发〔{y}〕{n}号", None),
    "gacc": ("海关总署", "署企发〔{y}〕{n}号", None),
    "moa": ("农业农村部", "农产发〔{y}〕{n}号", None),
    "mnr": ("自然资源部", "自然资发〔{y}〕{n}号", None),
    "mct": ("文化和旅游部", "文旅产业发〔{y}〕{n}号", None),
    "cnipa": ("国家知识产权局", "国知发运字〔{y}〕{n}号", None),
    "ndrc": ("国家发展改革委", "发改环资〔{y}〕{n}号", None),
    "pboc": ("中国人民银行 国家金融监督管理总局", "银发〔{y}〕{n}号", None),
    # provincial
    "sd-gov": ("山东省人民政府", "鲁政发〔{y}〕{n}号", None),
    "sd-govb": ("山东省人民政府办公厅", "鲁政办字〔{y}〕{n}号", None),
    "sd-gxt": ("山东省工业和信息化厅", "鲁工信发〔{y}〕{n}号", None),
    "sd-gxt-zb": ("山东省工业和信息化厅", "鲁工信装〔{y}〕{n}号", None),
    "sd-kjt": ("山东省科学技术厅 山东省财政厅", "鲁科字〔{y}〕{n}号", None),
    "sd-czt": ("山东省财政厅", "鲁财企〔{y}〕{n}号", None),
    "sd-rst": ("山东省人力资源和社会保障厅 山东省财政厅", "鲁人社发〔{y}〕{n}号", None),
    "sd-swt": ("山东省商务厅 山东省财政厅", "鲁商字〔{y}〕{n}号", None),
    "sd-nyt": ("山东省农业农村厅", "鲁农计财字〔{y}〕{n}号", None),
    "sd-hyj": ("山东省海洋局", "鲁海发〔{y}〕{n}号", None),
    "sd-wlt": ("山东省文化和旅游厅", "鲁文旅发〔{y}〕{n}号", None),
    "sd-fgw": ("山东省发展和改革委员会", "鲁发改环资〔{y}〕{n}号", None),
    "sd-jrj": ("山东省地方金融管理局", "鲁金监发〔{y}〕{n}号", None),
    "sd-sjj": ("山东省市场监督管理局（山东省知识产权局）", "鲁市监知字〔{y}〕{n}号", None),
    "sd-tax": ("国家税务总局山东省税务局", "鲁税发〔{y}〕{n}号", None),
    # municipal
    "qd-gov": ("青岛市人民政府", "青政发〔{y}〕{n}号", None),
    "qd-govb": ("青岛市人民政府办公厅", "青政办字〔{y}〕{n}号", None),
    "qd-kj": ("青岛市科学技术局 青岛市财政局", "青科规〔{y}〕{n}号", "unit-science-tech"),
    "qd-kj-fa": ("青岛市科学技术局", "青科发〔{y}〕{n}号", "unit-science-tech"),
    "qd-rs": ("青岛市人力资源和社会保障局 青岛市财政局", "青人社规〔{y}〕{n}号", "unit-hrss"),
    "qd-rs-fa": ("青岛市人力资源和社会保障局", "青人社发〔{y}〕{n}号", "unit-hrss"),
    "qd-my": ("青岛市民营经济发展局", "青民营发〔{y}〕{n}号", "unit-private-economy"),
    "qd-gx": ("青岛市工业和信息化局 青岛市财政局", "青工信规〔{y}〕{n}号", None),
    "qd-cz": ("青岛市财政局", "青财企〔{y}〕{n}号", "unit-finance"),
    "qd-ny": ("青岛市农业农村局 青岛市财政局", "青农规〔{y}〕{n}号", "unit-agriculture"),
    "qd-hy": ("青岛市海洋发展局", "青海发〔{y}〕{n}号", "unit-ocean"),
    "qd-wl": ("青岛市文化和旅游局", "青文旅发〔{y}〕{n}号", "unit-culture-tourism"),
    "qd-tax": ("国家税务总局青岛市税务局", "青税发〔{y}〕{n}号", "unit-tax"),
    "qd-dsj": ("青岛市大数据发展管理局", "青大数据发〔{y}〕{n}号", "unit-big-data"),
    "qd-jr": ("青岛市地方金融监督管理局 青岛市财政局", "青金监发〔{y}〕{n}号", "unit-local-finance-regulation"),
    "qd-hg": ("青岛海关", "青关发〔{y}〕{n}号", "unit-customs"),
    "qd-sw": ("青岛市商务局 青岛市财政局", "青商发〔{y}〕{n}号", None),
    "qd-sj": ("青岛市市场监督管理局（青岛市知识产权局）", "青市监规〔{y}〕{n}号", None),
    "qd-fgw": ("青岛市发展和改革委员会", "青发改环资〔{y}〕{n}号", None),
}

MANUF = {"field": "industry_code", "op": "prefix", "value": ["C"],
         "label": {"zh": "企业须属于制造业", "en": "The enterprise must be in manufacturing"}}
SME = {"field": "size_class", "op": "in", "value": ["medium", "small", "micro"],
       "label": {"zh": "企业须为中小微企业", "en": "The enterprise must be a small, medium or micro enterprise"}}
SMALL_MICRO = {"field": "size_class", "op": "in", "value": ["small", "micro"],
               "label": {"zh": "企业须为小型或微型企业", "en": "The enterprise must be a small or micro enterprise"}}
CREDIT_AB = {"field": "tax_credit_rating", "op": "in", "value": ["A", "B"],
             "label": {"zh": "纳税信用等级须为A级或B级", "en": "The tax credit rating must be A or B"}}
NOT_CD = {"not": {"field": "tax_credit_rating", "op": "in", "value": ["C", "D"],
                  "label": {"zh": "纳税信用等级为C级或D级的企业不予支持",
                            "en": "Enterprises rated C or D for tax credit are not supported"}}}
CERT_LABEL = {
    "high_tech": ("高新技术企业", "a high-tech enterprise"),
    "specialized_sme": ("专精特新中小企业", "a specialised and sophisticated SME"),
    "little_giant": ("专精特新“小巨人”企业", "a specialised and sophisticated 'little giant'"),
    "tech_sme": ("科技型中小企业", "a technology-based SME"),
    "innovative_sme": ("创新型中小企业", "an innovative SME"),
}


def cert(value: str) -> dict:
    zh, en = CERT_LABEL[value]
    return {"field": "certifications", "op": "contains", "value": value,
            "label": {"zh": f"企业须为{zh}", "en": f"The enterprise must be {en}"}}


def industry(prefixes: list[str], zh: str, en: str) -> dict:
    return {"field": "industry_code", "op": "prefix", "value": prefixes,
            "label": {"zh": f"企业须从事{zh}", "en": f"The enterprise must be in {en}"}}


# Topics: what documents are about and which projects carry them out.
#   name, related topic words, national/provincial/municipal issuer keys, project unit(s), title subjects,
#   measures (sentences; {a} {b} amounts in 万元, {r} a percentage), project names, base conditions,
#   amount options (万元) and the ratio base if any, form property keys.
TOPICS = [
    dict(name="专精特新", related=["中小企业", "小巨人", "优质中小企业", "梯度培育", "创新型中小企业"],
         nat=["miit", "miit-most"], prov=["sd-gxt", "sd-govb"], muni=["qd-gov", "qd-my", "qd-govb"],
         units=["unit-private-economy"],
         subjects=["支持专精特新企业高质量发展", "优质中小企业梯度培育", "专精特新“小巨人”企业培育", "促进中小企业专精特新发展",
                   "创新型中小企业评价", "专精特新中小企业认定管理"],
         measures=["对新认定的国家级专精特新“小巨人”企业，给予一次性奖励{a}万元。",
                   "对新认定的省级专精特新中小企业，给予一次性奖励{b}万元。",
                   "对通过复核的专精特新“小巨人”企业，给予一次性奖励{b}万元。",
                   "建立专精特新企业培育库，对入库企业实施“一企一策”精准服务。",
                   "支持专精特新企业在北京证券交易所上市，对完成辅导备案的企业给予分阶段奖励。",
                   "专精特新中小企业应当从事特定细分市场时间达到2年以上，上年度研发费用总额不低于100万元。",
                   "对专精特新企业的技术改造项目优先给予资金支持。"],
         projects=["{y}年{p}专精特新“小巨人”企业奖励", "{y}年{p}省级专精特新中小企业奖励", "{y}年{p}创新型中小企业培育奖励",
                   "{y}年{p}专精特新企业上市辅导奖励"],
         base=[[cert("specialized_sme"), SME], [cert("little_giant")], [cert("innovative_sme"), SME]],
         amounts=[50, 30, 20, 10, 5], ratio=None, form=["contact", "phone", "cert_no", "cert_date", "description"]),
    dict(name="高新技术企业认定奖励", related=["高新技术企业", "科技创新", "高企培育"],
         nat=["most-mof-sat", "most"], prov=["sd-kjt"], muni=["qd-kj", "qd-kj-fa"], units=["unit-science-tech"],
         subjects=["高新技术企业认定奖励", "高新技术企业培育", "高新技术企业认定管理", "加快高新技术企业发展"],
         measures=["对首次认定的高新技术企业，给予一次性奖励{a}万元。", "对重新认定的高新技术企业，给予一次性奖励{b}万元。",
                   "对从外地整体迁入且资格在有效期内的高新技术企业，给予一次性奖励{a}万元。",
                   "建立高新技术企业培育库，对入库企业给予不低于{b}万元的培育补助。",
                   "高新技术企业减按15%的税率征收企业所得税。",
                   "申请认定的企业应当注册成立一年以上，近一年高新技术产品收入占同期总收入比例不低于60%。"],
         projects=["{y}年{p}高新技术企业首次认定奖励", "{y}年{p}高新技术企业重新认定奖励", "{y}年{p}高企培育库入库补助"],
         base=[[cert("high_tech"), CREDIT_AB], [cert("high_tech")]], amounts=[20, 10, 30, 15], ratio=None,
         form=["contact", "phone", "cert_no", "cert_date", "rd_expense"]),
    dict(name="研发费用补助", related=["研发投入", "科技创新", "研发费用加计扣除"],
         nat=["mof-sat", "most"], prov=["sd-kjt", "sd-czt"], muni=["qd-kj", "qd-kj-fa"], units=["unit-science-tech"],
         subjects=["企业研发投入奖励补助", "研发费用加计扣除", "鼓励企业加大研发投入", "企业研发投入后补助"],
         measures=["对上年度研发费用{a}万元以上且较前一年度增长的企业，按照研发费用增量的{r}%给予补助，单个企业最高{b}万元。",
                   "企业开展研发活动中实际发生的研发费用，在按规定据实扣除的基础上，再按照实际发生额的100%在税前加计扣除。",
                   "企业研发费用以税务部门出具的加计扣除数据为准。", "支持企业建设研发中心，对新认定的市级企业技术中心给予{b}万元奖励。"],
         projects=["{y}年{p}企业研发投入补助", "{y}年{p}企业研发投入后补助", "{y}年{p}企业技术中心奖励"],
         base=[[{"field": "rd_expense_fen", "op": ">=", "value": 100000000,
                 "label": {"zh": "上年度研发费用须达到100万元", "en": "Last year's R&D expense must be at least 1 million yuan"}}],
               [{"field": "rd_expense_fen", "op": ">=", "value": 50000000,
                 "label": {"zh": "上年度研发费用须达到50万元", "en": "Last year's R&D expense must be at least 500,000 yuan"}}]],
         amounts=[100, 50, 30], ratio="rd_expense_fen",
         form=["project_name", "contact", "phone", "rd_expense", "rd_expense_prev"]),
    dict(name="稳岗补贴", related=["社保补贴", "失业保险", "援企稳岗", "就业"],
         nat=["mohrss-mof", "mohrss"], prov=["sd-rst"], muni=["qd-rs-fa", "qd-rs"], units=["unit-hrss"],
         subjects=["失业保险稳岗返还", "援企稳岗", "稳就业若干措施", "失业保险支持企业稳定岗位"],
         measures=["上年度未裁员或裁员率不高于5.5%的参保企业，可享受失业保险稳岗返还。",
                   "中小微企业按上年度实际缴纳失业保险费的{r}%返还，大型企业按30%返还。",
                   "稳岗返还采取“免申即享”方式，由人力资源社会保障部门通过大数据比对确定名单。",
                   "对吸纳登记失业人员的企业，给予一次性扩岗补助，每人{c}元。",
                   "被列入严重失信主体名单的企业不予返还。"],
         projects=["{y}年{p}失业保险稳岗返还", "{y}年{p}一次性扩岗补助", "{y}年{p}以工代训补贴"],
         base=[[{"field": "employees", "op": ">=", "value": 1,
                 "label": {"zh": "企业须有参保职工", "en": "The enterprise must have insured employees"}}, NOT_CD]],
         amounts=[], ratio=None, form=["contact", "phone", "employees_hired"]),
    dict(name="社保补贴", related=["就业", "高校毕业生", "就业困难人员"],
         nat=["mohrss"], prov=["sd-rst"], muni=["qd-rs", "qd-rs-fa"], units=["unit-hrss"],
         subjects=["吸纳高校毕业生社会保险补贴", "就业困难人员社会保险补贴", "促进高校毕业生等青年就业", "重点群体就业支持"],
         measures=["企业吸纳离校2年内未就业高校毕业生并缴纳社会保险的，给予最长1年的社会保险补贴。",
                   "企业吸纳就业困难人员就业的，按实际缴纳的社会保险费给予补贴，最长不超过3年。",
                   "对招用毕业年度高校毕业生的小微企业，给予每人{c}元一次性吸纳就业补贴。",
                   "社会保险补贴不包括个人应缴纳的部分。"],
         projects=["{y}年{p}吸纳高校毕业生社会保险补贴", "{y}年{p}就业困难人员社会保险补贴", "{y}年{p}一次性吸纳就业补贴"],
         base=[[SME], [SMALL_MICRO]], amounts=[], ratio=None, form=["contact", "phone", "employees_hired"]),
    dict(name="首台套", related=["首台（套）重大技术装备", "技术装备", "关键核心零部件", "制造业"],
         nat=["miit-zz"], prov=["sd-gxt-zb"], muni=["qd-gx", "qd-kj-fa"], units=["unit-science-tech"],
         subjects=["首台（套）技术装备奖励", "首台（套）重大技术装备推广应用", "首台（套）技术装备及关键核心零部件认定"],
         measures=["对经认定的国家首台（套）重大技术装备，按照产品单价的{r}%给予奖励，最高{a}万元。",
                   "对购买使用首台（套）技术装备的企业，按照采购金额的10%给予补助，最高{b}万元。",
                   "首台（套）重大技术装备保险补偿政策按照目录执行，对投保企业给予保费补贴。",
                   "列入首台（套）技术装备目录的产品，在政府采购中予以支持。"],
         projects=["{y}年{p}首台（套）技术装备奖励", "{y}年{p}首台（套）技术装备采购使用补助", "{y}年{p}首台（套）保险补偿"],
         base=[[MANUF], [MANUF, CREDIT_AB]], amounts=[500, 300, 100], ratio=None,
         form=["product_name", "unit_price", "contact", "phone", "description"]),
    dict(name="技术改造", related=["设备更新", "智能制造", "制造业", "智能工厂"],
         nat=["gwy", "miit"], prov=["sd-govb", "sd-gxt"], muni=["qd-gx", "qd-gov"], units=["unit-private-economy"],
         subjects=["工业企业技术改造综合奖补", "推动新一轮技术改造和设备更新", "大规模设备更新", "智能化改造和数字化转型"],
         measures=["对设备投资额{a}万元以上的技术改造项目，按照设备投资额的{r}%给予奖补，单个项目最高{b}万元。",
                   "对列入省级以上智能工厂、数字化车间的项目，再给予5%的奖补。",
                   "对企业技改贷款给予最长两年、年贴息率不超过1.5个百分点的贴息。",
                   "推动生产设备、用能设备更新和技术改造，支持老旧设备淘汰。"],
         projects=["{y}年{p}工业企业技术改造综合奖补", "{y}年{p}技改贷款贴息", "{y}年{p}智能工厂奖励"],
         base=[[MANUF, {"field": "revenue_fen", "op": ">=", "value": 2000000000,
                        "label": {"zh": "上年度营业收入须达到2000万元",
                                  "en": "Last year's revenue must be at least 20 million yuan"}}],
               [MANUF]], amounts=[1000, 500, 300], ratio=None,
         form=["project_name", "equipment_investment", "contact", "phone", "description"]),
    dict(name="数字化转型", related=["中小企业", "智改数转", "工业互联网", "数字经济"],
         nat=["mof-jian", "miit"], prov=["sd-gxt"], muni=["qd-dsj"], units=["unit-big-data"],
         subjects=["中小企业数字化转型专项扶持", "中小企业数字化转型城市试点", "工业互联网创新发展", "“智改数转”专项行动"],
         measures=["对实施数字化改造的中小企业，按照投入的{r}%给予补助，单个企业最高{a}万元。",
                   "遴选一批数字化服务商，为中小企业免费提供数字化转型诊断服务。",
                   "推广“小快轻准”数字化产品和解决方案。", "对新认定的工业互联网平台给予一次性奖励{b}万元。"],
         projects=["{y}年{p}中小企业数字化转型补助", "{y}年{p}数字化转型诊断服务", "{y}年{p}工业互联网平台奖励"],
         base=[[SME], [SME, MANUF]], amounts=[50, 30, 100], ratio=None,
         form=["project_name", "investment", "contact", "phone", "description"]),
    dict(name="出口信用保险", related=["外贸", "稳外贸", "出口"],
         nat=["mofcom"], prov=["sd-swt"], muni=["qd-sw"], units=["unit-finance"],
         subjects=["支持外贸企业投保出口信用保险", "稳外贸稳外资", "外贸企业稳订单拓市场", "出口信用保险扩大覆盖面"],
         measures=["对投保短期出口信用保险的外贸企业，按照实际缴纳保费的{r}%给予补贴，单个企业最高{a}万元。",
                   "对上年度出口额500万美元以下的小微外贸企业，实行统保平台全额保费支持。",
                   "对企业参加境外重点展会的展位费，按照50%给予补助，最高{b}万元。", "支持企业利用出口信用保险保单开展融资。"],
         projects=["{y}年{p}出口信用保险保费补贴", "{y}年{p}境外展会展位费补助", "{y}年{p}小微外贸企业统保"],
         base=[[NOT_CD]], amounts=[200, 100, 20], ratio=None, form=["premium", "export_amount", "contact", "phone"]),
    dict(name="外贸", related=["海关", "跨境电商", "AEO认证", "通关便利"],
         nat=["gacc", "mofcom"], prov=["sd-swt"], muni=["qd-hg"], units=["unit-customs"],
         subjects=["促进外贸稳规模优结构", "跨境贸易便利化", "支持跨境电商和海外仓发展", "海关高级认证企业培育"],
         measures=["深化“两步申报”“提前申报”改革，压缩货物整体通关时间。", "对首次通过海关高级认证的企业提供“一对一”培育服务。",
                   "对新建海外仓的企业，按照投资额的{r}%给予补助，最高{a}万元。", "高级认证企业适用较低查验率、优先办理通关手续。"],
         projects=["{y}年{p}海关高级认证企业培育", "{y}年{p}跨境电商海外仓补助", "{y}年{p}外贸新业态奖励"],
         base=[[{"field": "tax_credit_rating", "op": "in", "value": ["A"],
                 "label": {"zh": "纳税信用等级须为A级", "en": "The tax credit rating must be A"}}], [NOT_CD]],
         amounts=[100, 50], ratio=None, form=["export_amount", "contact", "phone", "description"]),
    dict(name="人才引进", related=["住房补贴", "高层次人才", "青年人才"],
         nat=["mohrss"], prov=["sd-rst"], muni=["qd-rs"], units=["unit-hrss"],
         subjects=["人才住房补贴", "高层次人才引进", "青年人才在青创新创业", "人才安居"],
         measures=["对在我市企业就业的全日制博士、硕士、本科毕业生，分别按每月1500元、1000元、500元发放住房补贴，最长36个月。",
                   "对企业引进的高层次人才，给予最高{a}万元购房补贴。", "对企业新引进的博士后研究人员，给予{b}万元生活补贴。",
                   "已享受人才公寓或其他住房保障政策的，不重复享受。"],
         projects=["{y}年{p}人才住房补贴", "{y}年{p}高层次人才购房补贴", "{y}年{p}博士后生活补贴"],
         base=[[{"field": "employees", "op": ">=", "value": 1,
                 "label": {"zh": "企业须为人才缴纳社会保险", "en": "The enterprise must pay social insurance for the talent"}}]],
         amounts=[100, 50, 20], ratio=None, form=["talent_count", "contact", "phone"]),
    dict(name="创业担保贷款", related=["贷款贴息", "创业", "小微企业"],
         nat=["mof-jin"], prov=["sd-rst"], muni=["qd-rs"], units=["unit-hrss"],
         subjects=["创业担保贷款", "创业担保贷款财政贴息", "支持创业带动就业"],
         measures=["个人创业担保贷款最高额度30万元，合伙创业的总额不超过300万元。",
                   "小微企业当年新招用符合条件人员达到职工人数15%的，可申请最高400万元创业担保贷款。",
                   "财政按照LPR减150个基点以上部分给予贴息，贷款期限最长3年。", "对个人贷款10万元以下的免除反担保。"],
         projects=["{y}年{p}小微企业创业担保贷款", "{y}年{p}创业担保贷款贴息"],
         base=[[SMALL_MICRO, NOT_CD]], amounts=[], ratio=None,
         form=["loan_amount", "bank", "employees_hired", "contact", "phone"]),
    dict(name="贷款贴息", related=["融资", "中小企业", "青融通", "普惠金融"],
         nat=["pboc"], prov=["sd-jrj"], muni=["qd-jr"], units=["unit-local-finance-regulation"],
         subjects=["中小微企业贷款贴息", "普惠金融支持实体经济", "缓解中小微企业融资难融资贵", "应急转贷资金"],
         measures=["对中小微企业获得的银行贷款，按照实际利息的{r}%给予贴息，单户企业年度最高{a}万元。",
                   "设立应急转贷资金，为企业提供低成本过桥服务。", "对政府性融资担保机构的担保费给予补贴。",
                   "同一笔贷款不重复享受市级贴息政策。"],
         projects=["{y}年{p}中小微企业贷款贴息", "{y}年{p}融资担保费补贴", "{y}年{p}应急转贷服务"],
         base=[[SME], [SME, CREDIT_AB]], amounts=[50, 30, 100], ratio=None,
         form=["loan_amount", "interest_paid", "bank", "contact", "phone"]),
    dict(name="知识产权质押", related=["知识产权", "融资", "专利"],
         nat=["cnipa"], prov=["sd-sjj"], muni=["qd-sj"], units=["unit-local-finance-regulation", "unit-finance"],
         subjects=["知识产权质押融资贴息补助", "知识产权质押融资入园惠企", "知识产权强市建设"],
         measures=["对以专利权、商标权质押获得贷款的企业，按照实际支付利息的{r}%给予贴息，最高{a}万元。",
                   "对知识产权质押融资的评估费、保险费给予50%补助，最高{b}万元。", "建立知识产权质押融资风险补偿机制。"],
         projects=["{y}年{p}知识产权质押融资贴息", "{y}年{p}知识产权质押融资评估费补助"],
         base=[[SME], [{"field": "certifications", "op": "contains_any",
                        "value": ["high_tech", "tech_sme", "specialized_sme"],
                        "label": {"zh": "企业须为高新技术企业、科技型中小企业或专精特新中小企业",
                                  "en": "The enterprise must be a high-tech enterprise, "
                                        "technology-based SME or specialised SME"}}]],
         amounts=[50, 10, 30], ratio=None, form=["loan_amount", "interest_paid", "bank", "contact", "phone"]),
    dict(name="乡村振兴", related=["农业", "农业产业化", "冷链物流", "农产品加工"],
         nat=["moa"], prov=["sd-nyt"], muni=["qd-ny"], units=["unit-agriculture"],
         subjects=["乡村振兴重点项目扶持", "农业产业化龙头企业培育", "农产品产地冷藏保鲜设施建设", "现代农业产业园建设"],
         measures=["对新认定的国家级、省级农业产业化重点龙头企业，分别给予一次性奖励{a}万元、{b}万元。",
                   "对新建农产品产地冷藏保鲜设施的，按照投资的{r}%给予补助，最高{a}万元。",
                   "扶持资金采取先建后补、以奖代补等方式拨付。", "支持发展预制菜等农产品精深加工。"],
         projects=["{y}年{p}农业产业化龙头企业奖励", "{y}年{p}农产品冷藏保鲜设施补助", "{y}年{p}现代农业产业园建设补助"],
         base=[[industry(["A", "C13", "C14"], "农业或农副食品加工", "agriculture or agricultural food processing")]],
         amounts=[50, 30, 100], ratio=None, form=["project_name", "households", "investment", "contact", "phone"]),
    dict(name="海洋经济", related=["海洋牧场", "海洋装备", "海洋生物医药", "蓝色经济"],
         nat=["mnr"], prov=["sd-gov", "sd-hyj"], muni=["qd-hy"], units=["unit-ocean"],
         subjects=["海洋经济高质量发展", "现代化海洋牧场建设", "海洋高端装备产业发展", "海洋生物医药产业发展"],
         measures=["对企业研发海洋高端装备、海洋药物的，按照研发费用的{r}%给予补助，最高{a}万元。",
                   "对新建国家级海洋牧场示范区给予一次性补助{b}万元。", "支持远洋渔业企业更新改造渔船。",
                   "设立海洋产业发展基金，引导社会资本投向海洋经济重点领域。"],
         projects=["{y}年{p}海洋高端装备研发补助", "{y}年{p}海洋牧场建设补助", "{y}年{p}海洋经济创新示范企业奖励"],
         base=[[industry(["C373", "C35", "C27"], "船舶及海洋工程装备、专用设备或医药制造",
                         "marine equipment, special equipment or medicines")],
               [industry(["A04"], "渔业", "fishery")]],
         amounts=[300, 100, 20], ratio="rd_expense_fen",
         form=["project_name", "rd_expense", "contact", "phone", "description"]),
    dict(name="文旅消费", related=["旅游", "夜间经济", "消费券", "文化产业"],
         nat=["mct"], prov=["sd-wlt"], muni=["qd-wl"], units=["unit-culture-tourism"],
         subjects=["促进文旅消费", "夜间文化和旅游消费集聚区建设", "A级旅游景区创建", "文化产业高质量发展"],
         measures=["对新评定的国家5A级、4A级旅游景区，分别给予一次性奖励{a}万元、{b}万元。",
                   "发放文旅消费券，支持景区、剧场、民宿等经营主体参与促消费活动。",
                   "对组织境外游客来青旅游的旅行社，按照接待人次给予奖励。", "对举办大型文旅演艺活动的企业，按照场租的{r}%给予补助。"],
         projects=["{y}年{p}A级旅游景区创建奖励", "{y}年{p}夜间文旅消费集聚区奖励", "{y}年{p}文旅演艺活动补助"],
         base=[[industry(["R", "N786"], "文化、体育和娱乐业或游览景区管理", "culture, sport, entertainment or scenic areas")]],
         amounts=[200, 50, 30], ratio=None, form=["project_name", "visitors", "contact", "phone"]),
    dict(name="税费减免", related=["增值税留抵退税", "小微企业所得税优惠", "减税降费"],
         nat=["mof-sat", "sat"], prov=["sd-tax"], muni=["qd-tax"], units=["unit-tax"],
         subjects=["支持小微企业和个体工商户发展税费政策", "增值税期末留抵退税", "小型微利企业所得税优惠", "六税两费减半征收"],
         measures=["对小型微利企业减按25%计算应纳税所得额，按20%的税率缴纳企业所得税。",
                   "纳税信用等级为A级或者B级的纳税人，可申请退还增量留抵税额。",
                   "对增值税小规模纳税人、小型微利企业减半征收“六税两费”。", "税务机关依托大数据精准推送优惠政策，实现“政策找人”。"],
         projects=["{p}增值税期末留抵退税", "{p}小型微利企业所得税优惠", "{p}“六税两费”减半征收"],
         base=[[CREDIT_AB], [{"field": "employees", "op": "<=", "value": 300,
                              "label": {"zh": "从业人数不超过300人", "en": "No more than 300 employees"}},
                             {"field": "assets_fen", "op": "<=", "value": 5000000000,
                              "label": {"zh": "资产总额不超过5000万元", "en": "Total assets of no more than 50 million yuan"}}]],
         amounts=[], ratio=None, form=["contact", "phone", "description"]),
    dict(name="首次上规", related=["小升规", "中小企业", "规模以上企业"],
         nat=["miit"], prov=["sd-gxt"], muni=["qd-govb", "qd-my"], units=["unit-private-economy"],
         subjects=["促进企业首次上规模发展奖励", "小升规企业培育", "推动中小企业升规纳统"],
         measures=["对首次纳入规模以上统计的工业企业，给予一次性奖励{a}万元。",
                   "对首次纳入规模以上统计的服务业企业，给予一次性奖励{b}万元。",
                   "奖励名单由统计部门提供，经核定后“免申即享”直接兑现。", "上规后次年退库的企业，不再享受本政策。"],
         projects=["{y}年{p}企业首次上规奖励", "{y}年{p}小升规企业培育奖励"],
         base=[[MANUF, {"field": "revenue_fen", "op": ">=", "value": 2000000000,
                        "label": {"zh": "上年度主营业务收入须达到2000万元",
                                  "en": "Last year's main business revenue must be at least 20 million yuan"}}]],
         amounts=[10, 5, 15], ratio=None, form=["contact", "phone", "description"]),
    dict(name="绿色低碳", related=["节能降碳", "绿色工厂", "碳达峰", "清洁能源"],
         nat=["ndrc"], prov=["sd-fgw"], muni=["qd-fgw", "qd-cz"], units=["unit-finance"],
         subjects=["支持绿色低碳高质量发展", "节能降碳技术改造", "绿色制造体系建设", "碳达峰行动"],
         measures=["对新认定的国家级绿色工厂，给予一次性奖励{a}万元；对省级绿色工厂，给予一次性奖励{b}万元。",
                   "对节能降碳技术改造项目，按照节能量每吨标准煤500元给予补助。", "支持企业建设分布式光伏和用户侧储能项目。",
                   "鼓励企业开展碳排放核算和碳足迹认证。"],
         projects=["{y}年{p}绿色工厂奖励", "{y}年{p}节能降碳技术改造补助", "{y}年{p}分布式光伏建设补助"],
         base=[[MANUF], [MANUF, NOT_CD]], amounts=[100, 30, 50], ratio=None,
         form=["project_name", "energy_saved", "investment", "contact", "phone"]),
    dict(name="科技型中小企业", related=["创新券", "科技创新", "产学研合作"],
         nat=["most"], prov=["sd-kjt"], muni=["qd-kj-fa"], units=["unit-science-tech"],
         subjects=["科技型中小企业创新能力提升", "科技创新券管理", "产学研合作"],
         measures=["对入库的科技型中小企业发放科技创新券，单个企业年度最高{b}万元。", "创新券按照服务合同金额的{r}%抵扣。",
                   "支持科技型中小企业与高校、科研院所联合开展技术攻关。"],
         projects=["{y}年{p}科技创新券", "{y}年{p}产学研合作补助"],
         base=[[cert("tech_sme")]], amounts=[20, 10], ratio=None,
         form=["project_name", "investment", "contact", "phone"]),
]

FORM_PROPERTIES = {
    "project_name": {"type": "string", "title": "项目名称", "maxLength": 100},
    "contact": {"type": "string", "title": "联系人", "maxLength": 20},
    "phone": {"type": "string", "title": "联系电话", "pattern": "^1[3-9][0-9]{9}$|^0[0-9]{2,3}-?[0-9]{7,8}$"},
    "rd_expense": {"type": "integer", "title": "上年度研发投入金额（元）", "minimum": 0},
    "rd_expense_prev": {"type": "integer", "title": "前一年度研发投入金额（元）", "minimum": 0},
    "cert_no": {"type": "string", "title": "证书编号", "maxLength": 40},
    "cert_date": {"type": "string", "format": "date", "title": "认定日期"},
    "equipment_investment": {"type": "integer", "title": "设备投资额（元）", "minimum": 0},
    "premium": {"type": "integer", "title": "实际缴纳保费（元）", "minimum": 0},
    "loan_amount": {"type": "integer", "title": "贷款金额（元）", "minimum": 0},
    "interest_paid": {"type": "integer", "title": "实际支付利息（元）", "minimum": 0},
    "bank": {"type": "string", "title": "贷款银行", "maxLength": 60},
    "employees_hired": {"type": "integer", "title": "新招用人数", "minimum": 1},
    "talent_count": {"type": "integer", "title": "申请补贴人数", "minimum": 1},
    "product_name": {"type": "string", "title": "产品名称", "maxLength": 60},
    "unit_price": {"type": "integer", "title": "产品单价（元）", "minimum": 0},
    "investment": {"type": "integer", "title": "项目总投资（元）", "minimum": 0},
    "energy_saved": {"type": "number", "title": "年节能量（吨标准煤）", "minimum": 0},
    "export_amount": {"type": "integer", "title": "上年度出口额（美元）", "minimum": 0},
    "households": {"type": "integer", "title": "带动农户数（户）", "minimum": 0},
    "visitors": {"type": "integer", "title": "上年度接待游客人次", "minimum": 0},
    "description": {"type": "string", "title": "项目简介", "maxLength": 1000},
}

TITLE_FORMS = ["{place}{subject}办法", "{place}{subject}实施细则", "{place}关于{subject}的若干措施", "{place}关于{subject}的实施意见",
               "关于做好{year}年{subject}工作的通知", "{place}{subject}若干政策", "{place}{subject}实施方案",
               "{place}{subject}管理办法", "关于印发{place}{subject}实施细则的通知", "{place}{subject}行动方案（{year}—{year2}年）",
               "关于印发《{place}{subject}若干措施》的通知", "关于开展{year}年度{subject}申报工作的通知",
               "关于组织申报{year}年{subject}项目的通知", "{place}{subject}管理办法（{year}年修订）", "{place}{year}年{subject}工作要点",
               "{place}{subject}专项资金管理办法", "关于进一步做好{subject}工作的通知", "{place}{subject}三年行动计划（{year}—{year2}年）",
               "关于{subject}有关事项的通知", "{place}{subject}若干政策措施"]
SUBJECT_PREFIXES = ["", "", "", "进一步", "加快", "全面", "深入推进", "持续优化"]
GENERAL_ARTICLES = [
    "申报单位应当对申报材料的真实性、完整性负责，对弄虚作假骗取财政资金的，依法追回资金并纳入信用记录。",
    "本{noun}所需资金由市、区（市）两级财政按照现行财政体制分担。",
    "{office}负责政策解释、项目受理和资金拨付，有关部门按照职责分工做好审核工作。",
    "同一项目同时符合本市多项扶持政策的，按照“就高不重复”原则执行。",
    "各区（市）可结合实际制定配套措施，与本{noun}叠加执行。",
    "项目申报、审核、公示和资金兑现通过“青岛政策通”平台统一办理，不再受理纸质材料。",
    "获得支持的企业应当在{n}年内不迁离注册地、不改变纳税义务、不减少注册资本。",
    "对符合条件的企业实行“免申即享”，由主管部门通过数据共享比对确定名单，经公示无异议后直接兑现。",
    "审核结果在“青岛政策通”平台公示{n}个工作日，公示无异议的，按程序拨付资金。",
    "近三年发生重大安全生产、质量事故或严重环境违法行为的企业，不予支持。",
    "被列入严重失信主体名单的企业，不享受本{noun}规定的扶持政策。",
    "财政、审计部门对资金使用情况进行监督检查，对违规使用资金的，依法依规处理。",
    "企业对政策有疑问的，可通过“青诉即办”平台或12345政务服务便民热线咨询。",
    "主管部门应当加强政策宣传解读，主动向符合条件的企业推送政策信息。",
    "扶持资金实行绩效管理，主管部门每年对政策实施效果开展评估。",
]
# Articles only a Qingdao (municipal or district) document would carry, and their national/provincial counterparts.
LOCAL_ONLY = ("两级财政", "青岛政策通", "青诉即办", "各区（市）可结合实际", "本市多项")
UPPER_ARTICLES = [
    "各地要加强组织领导，结合实际制定具体实施办法，抓好贯彻落实。",
    "各级主管部门应当于每年{n}月底前报送政策实施情况和典型经验。",
    "地方各级财政部门要统筹安排资金，保障政策落实到位。",
    "同一项目同时符合多项扶持政策的，按照“就高不重复”原则执行。",
    "本{noun}实施过程中的重大问题，请及时报告。",
]
NEWS_TITLES = [
    "{place}{n}家企业获{topic}奖励{m}万元", "{topic}项目申报开始 企业可在“青岛政策通”在线申报",
    "{place}召开{topic}政策宣讲会 {n}余家企业参加", "{place}{topic}工作取得新进展", "{topic}政策落地见效 惠及企业{n}家",
    "“免申即享”让{topic}资金直达企业", "{place}推动{topic}政策精准直达快享", "{month}月起，{topic}有新变化",
    "{place}{topic}资金{m}万元拨付到位", "{topic}申报即将截止 请符合条件企业抓紧申报",
]
INTERPRETATION_TITLES = ["一图读懂《{title}》", "《{title}》政策解读", "{issuer}有关负责人就《{title}》答记者问",
                         "图解：{title}", "政策问答｜{topic}有哪些支持？", "《{title}》十问十答"]
NEWS_SENTENCES = [
    "{date}，{office}组织召开政策宣讲会，向企业详细解读了{topic}相关政策。",
    "今年以来，{place}累计兑现{topic}资金{m}万元，惠及企业{n}家。",
    "记者从{office}获悉，{topic}项目申报工作已经启动，企业可通过“青岛政策通”平台在线申报。",
    "{office}有关负责人表示，将进一步优化申报流程，推动政策“应享尽享、快速兑现”。",
    "据介绍，符合条件的企业无需提交申请，资金将通过“免申即享”方式直接拨付至企业账户。",
    "下一步，{place}将持续加大{topic}政策支持力度，助力企业高质量发展。",
    "一家受益企业负责人说：“政策兑现速度快，真正解决了企业的燃眉之急。”",
    "平台根据企业画像自动匹配可享受的政策，并说明匹配理由，企业足不出户即可完成申报。",
    "截至目前，全市已有{n}家企业通过平台完成{topic}项目申报，申报金额{m}万元。",
    "{office}提醒，企业应当如实填报申报信息，对弄虚作假的将依法追回资金。",
]
INTERPRETATION_SENTENCES = [
    "问：哪些企业可以申请？答：在本市注册、依法纳税、信用良好的企业，符合相关条件的均可申请。",
    "问：如何申报？答：企业登录“青岛政策通”平台，在线填写申报表单并上传相关材料即可。",
    "问：多长时间能拿到资金？答：审核通过并公示无异议后，资金原则上在15个工作日内拨付到位。",
    "问：与其他政策能否叠加享受？答：同一项目符合多项政策的，按照“就高不重复”原则执行。",
    "问：是否需要提交纸质材料？答：不需要，全流程网上办理。",
]
CONDITIONS = [
    "在{where}依法注册登记、具有独立法人资格", "财务管理制度健全，会计核算规范", "近三年无重大安全生产、环境污染和质量事故",
    "未被列入严重失信主体名单", "纳税信用等级为A级或B级", "依法缴纳社会保险费", "上年度研发费用占营业收入比重不低于3%",
    "主导产品符合国家产业政策", "属于中小微企业", "成立满一年以上", "生产经营正常，具有持续经营能力",
]
MATERIALS = [
    "营业执照复印件", "上年度财务审计报告", "研发费用专项审计报告", "纳税证明", "社会保险缴纳证明", "项目可行性研究报告",
    "设备购置合同和发票", "相关资质证书复印件", "信用承诺书", "银行贷款合同和付息凭证", "保险合同和保费缴纳凭证",
]
CN_DIGITS = "一二三四五六七八九十"


def cn_num(n: int) -> str:
    if n <= 10:
        return CN_DIGITS[n - 1]
    if n < 20:
        return "十" + CN_DIGITS[n - 11]
    return CN_DIGITS[n // 10 - 1] + "十" + (CN_DIGITS[n % 10 - 1] if n % 10 else "")


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _noun(title: str) -> str:
    if title.startswith("关于"):
        for n in ("通知", "意见", "公告"):
            if title.endswith(n):
                return n
        return "措施"
    for n in ("细则", "办法", "措施", "政策", "方案", "意见", "计划", "要点"):
        if n in title.split("（")[0][-6:]:
            return n
    return "文件"


class _Maker:
    def __init__(self, seed: int, reference: date):
        self.rng = random.Random(seed)
        self.ref = reference
        self.doc_numbers: dict[str, int] = {}
        self.docs_by_topic: list[list[tuple[str, int]]] = [[] for _ in TOPICS]  # (doc id, ordinal)
        # (id, title, issuer, doc_number, topic index, issued_on, district code or "")
        self.doc_meta: list[tuple[str, str, str, str, int, date, str]] = []

    # ---------------- documents ----------------
    def document(self, i: int) -> dict:
        rng = self.rng
        t_index = rng.randrange(len(TOPICS))
        topic = TOPICS[t_index]
        level = rng.choices(("national", "provincial", "municipal", "district"), (12, 18, 35, 35))[0]
        district = None
        if level == "district":
            code, dname, prefix = rng.choice(DISTRICTS)
            district = code
            kind = rng.choice(("人民政府", "人民政府办公室"))
            issuer = ("青岛西海岸新区管理委员会" if code == "370211" and rng.random() < 0.5 else
                      (dname if code in ("370281", "370283", "370285") else "青岛市" + dname) + kind)
            pattern = prefix + ("政办发" if kind.endswith("办公室") else "政发") + "〔{y}〕{n}号"
            if issuer.startswith("青岛西海岸"):
                pattern = "青西新管发〔{y}〕{n}号"
            department_id = None
            place = dname
        else:
            key = rng.choice(topic[{"national": "nat", "provincial": "prov", "municipal": "muni"}[level]])
            issuer, pattern, department_id = ISSUERS[key]
            place = {"national": "", "provincial": "山东省", "municipal": "青岛市"}[level]
        issued = self._issued_on()
        y = issued.year
        counter_key = pattern.format(y=y, n="")
        n = self.doc_numbers.get(counter_key, rng.randint(1, 12)) + rng.randint(1, 9)
        self.doc_numbers[counter_key] = n
        doc_number = pattern.format(y=y, n=n) if rng.random() > 0.06 else None
        subject = rng.choice(SUBJECT_PREFIXES) + rng.choice(topic["subjects"])
        form = rng.choice(TITLE_FORMS)
        title = form.format(place=place if "{place}" in form and rng.random() < 0.7 else "", subject=subject,
                            year=y, year2=y + 2)
        if doc_number and "公告" in doc_number:
            title = f"关于{subject}有关政策的公告"
        if rng.random() < 0.15:
            title = title.replace("若干", rng.choice(("进一步", "支持", "加快")) + "若干", 1) if "若干" in title else title
        ef = issued + timedelta(days=rng.choice((0, 0, 0, 10, 15, 30, 31)))
        roll = rng.random()
        if roll < 0.03:  # a few upcoming: issued recently, effective later
            issued = self.ref - timedelta(days=rng.randint(1, 25))
            ef = self.ref + timedelta(days=rng.randint(3, 60))
        et = None if rng.random() < 0.3 else ef + timedelta(days=365 * rng.choice((1, 2, 2, 3, 3, 5)) - 1)
        topics = [topic["name"]] + rng.sample(topic["related"], k=min(len(topic["related"]), rng.randint(1, 3)))
        body = self._document_body(topic, title, issuer, level, district, ef, et)
        doc_id = f"doc-gen-{i:05d}"
        doc = {"id": doc_id, "level": level}
        if district:
            doc["district"] = district
        doc["issuer"] = issuer
        if department_id:
            doc["department_id"] = department_id
        if doc_number:
            doc["doc_number"] = doc_number
        doc.update({"title": title, "issued_on": issued.isoformat(), "effective_from": ef.isoformat(),
                    "effective_to": et.isoformat() if et else None, "topics": topics, "body": body})
        self.docs_by_topic[t_index].append((doc_id, len(self.doc_meta)))
        self.doc_meta.append((doc_id, title, issuer, doc_number or "", t_index, issued, district or ""))
        return doc

    def _issued_on(self) -> date:
        # Weighted toward recent years, as a live corpus is.
        year = self.rng.choices(range(2019, 2027), (3, 4, 5, 7, 10, 14, 20, 22))[0]
        last = self.ref - timedelta(days=1) if year == self.ref.year else date(year, 12, 31)
        start = date(year, 1, 1)
        return start + timedelta(days=self.rng.randint(0, (last - start).days))

    def _amounts(self, topic: dict) -> dict:
        rng = self.rng
        a = rng.choice(topic["amounts"] or [50, 20, 100])
        return {"a": a, "b": max(1, a // rng.choice((2, 3, 5))), "r": rng.choice((10, 20, 30, 50)),
                "c": rng.choice((1000, 1500, 2000))}

    def _document_body(self, topic, title, issuer, level, district, ef, et) -> str:
        rng = self.rng
        noun = _noun(title)
        where = {"national": "全国", "provincial": "全省", "municipal": "全市"}.get(level) or DISTRICT_NAME[district]
        who = {"national": "党中央、国务院", "provincial": "党中央、国务院和省委、省政府",
               "municipal": "省委、省政府和市委、市政府", "district": "市委、市政府和区委、区政府"}[level]
        values = self._amounts(topic)
        measures = [m.format(**values) for m in rng.sample(topic["measures"], k=rng.randint(2, len(topic["measures"])))]
        office = issuer.split(" ")[0]
        target = rng.choice((rng.randint(320, 700), rng.randint(500, 1000), rng.randint(800, 1450)))
        local = level in ("municipal", "district")
        pool = (GENERAL_ARTICLES if local
                else [a for a in GENERAL_ARTICLES if not any(w in a for w in LOCAL_ONLY)] + UPPER_ARTICLES)
        general = rng.sample(pool, k=len(pool))
        articles = list(measures)
        if rng.random() < 0.6:
            items = rng.sample(CONDITIONS, k=rng.randint(2, 5))
            articles.insert(0, "申请支持的企业应当同时符合以下条件：" + "".join(
                f"（{cn_num(k)}）{c.format(where=where)}；" for k, c in enumerate(items, start=1)).rstrip("；") + "。")
        if local and rng.random() < 0.5:
            items = ["申报表"] + rng.sample(MATERIALS, k=rng.randint(2, 5))
            articles.append("申报企业应当通过“青岛政策通”平台提交以下材料：" + "".join(
                f"（{cn_num(k)}）{m}；" for k, m in enumerate(items, start=1)).rstrip("；") + "。")
        size = sum(len(a) for a in articles) + 120
        while size < target and general:
            a = general.pop().format(noun=noun, office=office, n=rng.choice((3, 5, 7)))
            articles.append(a)
            size += len(a) + 5
        final = f"本{noun}自{zh_date(ef)}起施行" + (f"，有效期至{zh_date(et)}。" if et else "。")
        if title.startswith("关于"):
            lines = [f"为深入贯彻落实{who}决策部署，进一步支持{where}企业在{topic['name']}等方面加快发展，现就有关事项"
                     + ("公告如下：" if noun == "公告" else "提出如下措施：" if noun == "措施" else "通知如下：")]
            lines += [f"{cn_num(k)}、{a}" for k, a in enumerate(articles, start=1)]
            lines.append(f"{cn_num(len(articles) + 1)}、{final}")
        else:
            lines = [f"第一条 为深入贯彻落实{who}关于{topic['name']}工作的决策部署，进一步优化营商环境，"
                     f"支持{where}企业高质量发展，结合实际，制定本{noun}。"]
            lines += [f"第{cn_num(k)}条 {a}" for k, a in enumerate(articles, start=2)]
            lines.append(f"第{cn_num(len(articles) + 2)}条 本{noun}由{office}负责解释。")
            lines.append(f"第{cn_num(len(articles) + 3)}条 {final}")
        body = "\n".join(lines)
        while len(body) > 1500:
            lines.pop(-2)
            body = "\n".join(lines)
        return body

    # ---------------- projects ----------------
    def project(self, i: int) -> dict:
        rng = self.rng
        while True:
            t_index = rng.randrange(len(TOPICS))
            if self.docs_by_topic[t_index]:
                break
        topic = TOPICS[t_index]
        pool = self.docs_by_topic[t_index]
        picked = [self.doc_meta[o] for _, o in rng.sample(pool, k=min(len(pool), rng.choice((1, 1, 2, 3))))]
        district = picked[0][6] or None
        # A district project may also carry out higher-level documents, never another district's.
        docs = [m[0] for m in picked if m is picked[0] or m[6] in ("", district or "")]
        unit = rng.choice(topic["units"])
        year = rng.choice((2024, 2025, 2026, 2026, 2026, 2027))
        place = DISTRICT_NAME[district] if district else ""
        j = rng.randrange(len(topic["projects"]))
        title = topic["projects"][j].format(y=year, p=place) + rng.choice(("", "", "", "（第一批）", "（第二批）", "申报"))
        values = self._amounts(topic)
        summary = topic["measures"][j if j < len(topic["measures"]) else 0].format(**values)
        rule = self._rule(topic, district)
        amount = self._amount(topic, values)
        window = self._window(year)
        no_application = rng.random() < 0.08
        first = (f"{DISTRICT_NAME[district]}{DISTRICT_OFFICE[unit]}初审" if district
                 else f"区（市）{DISTRICT_OFFICE[unit]}初审")
        if no_application:
            stages = [{"name": first.replace("初审", "核定名单"), "unit_id": unit},
                      {"name": UNIT_ZH[unit] + "确认兑现", "unit_id": unit}]
        else:
            stages = [{"name": first, "unit_id": unit}, {"name": UNIT_ZH[unit] + "复审", "unit_id": unit}]
        keys = list(topic["form"])
        if len(keys) > 3 and rng.random() < 0.5:
            keys.pop(rng.randrange(2, len(keys)))
        props = {k: FORM_PROPERTIES[k] for k in keys}
        required = [k for k in keys if k != "description" and (k in ("contact", "phone") or rng.random() < 0.8)]
        form = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "title": title + "申报表",
                "properties": props, "required": required, "additionalProperties": False}
        return {"id": f"proj-gen-{i:05d}", "title": title, "summary": summary, "department_id": unit, "documents": docs,
                "topics": [topic["name"]] + rng.sample(topic["related"], k=1), "eligibility": rule, "amount": amount,
                "window": window, "no_application": no_application, "review_stages": stages, "form": form}

    def _rule(self, topic: dict, district: str | None) -> dict:
        rng = self.rng
        conds: list[dict] = list(rng.choice(topic["base"]))
        if district:
            conds.append({"field": "district", "op": "in", "value": [district],
                          "label": {"zh": f"企业须在{DISTRICT_NAME[district]}注册并纳税",
                                    "en": f"The enterprise must be registered and pay tax in division {district}"}})
        extras = [
            lambda: {"field": "years_since_founding", "op": ">=", "value": (n := rng.choice((1, 2, 3, 5))),
                     "label": {"zh": f"企业须成立满{n}年",
                               "en": f"The enterprise must have been founded at least {n} year(s) ago"}},
            lambda: {"field": "employees", "op": ">=", "value": (n := rng.choice((10, 20, 50, 100))),
                     "label": {"zh": f"从业人员须不少于{n}人", "en": f"The enterprise must employ at least {n} people"}},
            lambda: NOT_CD,
            lambda: CREDIT_AB,
            lambda: {"any": [cert("high_tech"), cert("specialized_sme"), cert("tech_sme")]},
            lambda: {"not": {"field": "size_class", "op": "in", "value": ["large"],
                             "label": {"zh": "大型企业不在支持范围", "en": "Large enterprises are not supported"}}},
        ]
        for make in rng.sample(extras, k=rng.choice((0, 1, 1, 2))):
            c = make()
            if c not in conds:
                conds.append(c)
        return conds[0] if len(conds) == 1 and rng.random() < 0.3 else {"all": conds}

    def _amount(self, topic: dict, values: dict) -> dict:
        rng = self.rng
        if topic["ratio"] and rng.random() < 0.6:
            return {"kind": "ratio", "base": topic["ratio"], "rate": values["r"] / 100,
                    "cap_fen": values["a"] * 10000 * 100}
        if topic["amounts"] and rng.random() < 0.6:
            return {"kind": "fixed", "amount_fen": values["a"] * 10000 * 100}
        return {"kind": "text", "text": rng.choice(topic["measures"]).format(**values).rstrip("。")}

    def _window(self, year: int) -> dict:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return {"opens_on": None, "closes_on": None}
        if year > self.ref.year:  # upcoming
            opens = self.ref + timedelta(days=rng.randint(5, 75))
            closes = opens + timedelta(days=rng.choice((30, 45, 60)))
        elif year < self.ref.year or roll < 0.3:  # closed
            opens = date(min(year, self.ref.year), rng.randint(3, 10), rng.randint(1, 28))
            closes = min(opens + timedelta(days=rng.choice((30, 45, 60))), self.ref - timedelta(days=1))
        elif year > self.ref.year or roll < 0.4:  # upcoming
            opens = self.ref + timedelta(days=rng.randint(5, 75))
            closes = opens + timedelta(days=rng.choice((30, 45, 60)))
        else:  # open around now
            opens = self.ref - timedelta(days=rng.randint(0, 60))
            closes = self.ref + timedelta(days=rng.randint(1, 60))
        return {"opens_on": opens.isoformat(), "closes_on": closes.isoformat()}

    # ---------------- news ----------------
    def news(self, i: int) -> dict:
        rng = self.rng
        meta = self.doc_meta[rng.randrange(len(self.doc_meta))]
        doc_id, title, issuer, doc_number, t_index, issued, district = meta
        topic = TOPICS[t_index]
        docs = [doc_id]
        if rng.random() < 0.25:
            other = rng.choice(self.docs_by_topic[t_index])[0]
            if other != doc_id:
                docs.append(other)
        published = issued + timedelta(days=rng.randint(0, max(0, min(400, (self.ref - issued).days))))
        place = DISTRICT_NAME[district] if district else rng.choice(("我市", "青岛", "全市", "青岛市"))
        office = issuer.split(" ")[0]
        values = {"place": place, "topic": rng.choice([topic["name"]] + topic["related"]), "n": rng.randint(2, 98) * 10,
                  "m": rng.randint(30, 9800), "month": rng.randint(1, 12),
                  "date": f"{published.month}月{published.day}日",
                  "office": office, "title": title, "issuer": office}
        target = rng.randint(300, 800)
        if rng.random() < 0.4:
            kind = "interpretation"
            news_title = rng.choice(INTERPRETATION_TITLES).format(**values)
            num = f"（{doc_number}）" if doc_number else ""
            paras = [f"近日，{issuer.replace(' ', '、')}印发《{title}》{num}。为便于企业准确理解、及时享受政策，现解读如下。",
                     f"一、出台背景。《{title}》聚焦{values['topic']}等方面，是落实上级部署、回应企业关切的重要举措。"]
            ms = rng.sample(topic["measures"], k=min(3, len(topic["measures"])))
            amounts = self._amounts(topic)
            paras.append("二、主要内容。" + "".join(f"（{cn_num(k + 1)}）{m.format(**amounts)}" for k, m in enumerate(ms)))
            qa = rng.sample(INTERPRETATION_SENTENCES, k=len(INTERPRETATION_SENTENCES))
            paras.append("三、常见问题。")
            while sum(len(p) for p in paras) < target and qa:
                paras.append(qa.pop())
        else:
            kind = "news"
            news_title = rng.choice(NEWS_TITLES).format(**values)
            sentences = rng.sample(NEWS_SENTENCES, k=len(NEWS_SENTENCES))
            paras = [f"{values['date']}，记者从{office}获悉，《{title}》实施以来，{place}各项政策措施加快落地。"]
            while sum(len(p) for p in paras) < target and sentences:
                s = sentences.pop()
                values["n"], values["m"] = rng.randint(12, 980), rng.randint(30, 9800)
                values["date"] = f"{published.month}月{rng.randint(1, published.day)}日"
                paras.append(s.format(**values))
        return {"id": f"news-gen-{i:05d}", "kind": kind, "title": news_title, "published_on": published.isoformat(),
                "documents": docs, "body": "\n".join(paras)}


def iter_content(documents: int = 3000, projects: int = 2000, news: int = 26000, seed: int = 2026,
                 reference: date = REFERENCE_DATE) -> Iterator[tuple[str, dict]]:
    """Yield ("documents" | "projects" | "news", item), documents first; same arguments, same items."""
    maker = _Maker(seed, reference)
    for i in range(1, documents + 1):
        yield "documents", maker.document(i)
    if not documents:
        return
    for i in range(1, projects + 1):
        yield "projects", maker.project(i)
    for i in range(1, news + 1):
        yield "news", maker.news(i)


def generate(documents: int = 3000, projects: int = 2000, news: int = 26000, seed: int = 2026,
             reference: date = REFERENCE_DATE) -> dict:
    """The whole set at once: {"documents": [...], "projects": [...], "news": [...]}."""
    out: dict[str, list] = {"documents": [], "projects": [], "news": []}
    for kind, item in iter_content(documents, projects, news, seed, reference):
        out[kind].append(item)
    return out
