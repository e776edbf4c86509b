"""A question, parsed once: what it asks (the kind of fact), what the fact must satisfy (the
constraints), which words only frame the question, and, for a yes/no, why, how or list question,
which words ask (the focus: 尸检 in 福州那个…死亡的6岁男孩，做了尸检吗) as against those that only say of
which thing. Retrieval, evidence selection, the gate, the prompts and the answer checks all read
this one object.

    parse_question("新华区PM10浓度在全国排第几？", tokenizer)
    -> kind "rank", scope 全国, entities 新华区 PM10, subject 浓度, frame 排第几
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import jieba
import jieba.posseg

from indexing.keyword import PLACE, Tokenizer

from .lexicon import variants

KINDS = ("person", "role", "organisation", "place", "date", "year", "duration", "count", "quantity", "money",
         "percentage", "rank", "list", "yesno", "reason", "summary", "two-part", "fact",
         "listing", "byline", "edition", "edition-summary", "report-count")
# What each kind asks, in the words of a refusal ("资料中没有…").
KIND_NAMES = {"person": "相关人物", "role": "职务或身份", "organisation": "相关机构", "place": "地点",
              "date": "日期", "year": "年份", "duration": "时长", "count": "数量", "quantity": "数字", "money": "金额",
              "percentage": "比例", "rank": "排名", "list": "相关内容", "yesno": "相关说法",
              "reason": "原因或做法", "summary": "相关报道", "two-part": "相关内容", "fact": "相关内容",
              "listing": "相关报道", "byline": "署名", "edition": "版面内容", "edition-summary": "版面内容",
              "report-count": "报道数量"}

MEASURES = "个名家所台栋天元人场次户棵年岁位项件条辆座间套亩米吨只头枪批届期篇支座份首部株箱单元例起宗架艘颗枚款门"
UNITS = "平方公里|平方米|立方米|毫米|厘米|公里|千米|公斤|千克|公顷|吨|亩|摄氏度|千瓦时|千瓦|兆瓦|万千瓦"
NUMERAL = r"[\d一二两三四五六七八九十百千万亿几]"
INTERROGATIVE = re.compile(r"多少|几|谁|哪|什么|啥|吗|么[？?]?$|是否|有没有|是不是|怎么|怎样|如何|为什么|为何|为啥|多大|多久|多长|多高|多远|没有[？?]?$")
# (kind, pattern of frame words): the first kind whose pattern matches is the asked kind, so the
# more specific frames come first ("为什么排名第一" asks a reason, "排名如何" a rank).
EDITION = r"这一?版|这期|本版|本期|这份报纸|这张报纸|整版|版面|这一页|本页"
RELATIVE_PERIOD = r"上周|本周|这周|上个?月|本月|这个月|今年|去年|近日|最近|近期|旬"
REPORTS = r"(?:相关)?(?:报道|新闻|文章|消息|稿件|稿子)"
ARCHIVE_FRAMES: list[tuple[str, re.Pattern]] = [
    # 这一版讲了什么 sums the page up; 这一版有哪些关于志愿者的报道 lists the page's reports on a topic
    ("edition-summary", re.compile(rf"(?:{EDITION})[^？?]{{0,10}}(?:讲了|说了|报道了|写了|有)(?:些)?(?:什么|啥|哪些(?:内容|事)?)"
                                   r"(?![^？?]*(?:关于|有关))"
                                   rf"|(?:总结|概括|归纳)(?:一下)?(?:{EDITION})")),
    # 总结一下…; the latest on something (…后来怎么样了？有最新消息吗) is what the newest report on it says
    ("summary", re.compile(r"总结|概括|归纳|最新的?(?:动向|进展|情况|动态|消息)(?![^？?]*(?:哪些|哪几))|后来(?:怎么样|怎样|如何)")),
    ("report-count", re.compile(r"(?:几|多少)篇|(?:几|多少)(?:条|则)(?:报道|新闻|文章|稿件|消息|[？?]|$)|(?:报道|新闻|文章|稿件)(?:一共|总共|共)?(?:有)?(?:几|多少)(?:篇|条)?")),
    ("byline", re.compile(r"谁(?:写|拍|摄|采写|撰写)的?|作者是|(?:报道|文章|照片|图片|稿件|这篇|那篇|这张|那张)[^？?]{0,8}"
                          r"(?:记者|通讯员|摄影者?|摄影师|拍摄者|作者)(?:是谁|叫什么|有谁|是哪位|有哪些)?"
                          r"|(?:哪位|哪个|哪些|什么)(?:记者|通讯员|作者)[^？?]{0,4}(?:写|拍|报道)|哪位[^？?]{0,4}(?:写|拍)的"
                          r"|[\u4e00-\u9fff]{2,4}[\d月日号]{0,8}(?:都)?(?:写|拍|报道|采写)(?:了|过)(?:些)?(?:哪些|什么|啥|几篇|多少)|都报(?:了|过)(?:些)?(?:什么|啥)|署名|谁拍的"
                          r"|》的?(?:作者|记者|通讯员|摄影者?)|(?:写|拍|采写)的(?:是)?(?:哪|什么)(?:一)?篇")),
    ("edition", re.compile(rf"(?:{EDITION}|头条)")),
    # a question whose asked object is reports: 有哪些报道, 有啥…新闻, 有相关报道没, 报道都有哪些
    # (the topic between is looked at, never taken as frame: 有哪些国际新闻 keeps 国际)
    ("listing", re.compile(rf"哪些(?=[^？?，,]{{0,12}}?的?{REPORTS})|{REPORTS}(?:都)?有(?:哪些|什么|啥)"
                           rf"|(?:有|发|出)(?:了|过)?(?:些)?(?:什么|哪些|啥)(?=[^？?，,。]{{0,16}}?{REPORTS})"
                           rf"|有(?=[^？?，,]{{0,16}}?{REPORTS}(?:吗|没有?|么))|有没有(?=[^？?]{{0,16}}?{REPORTS})"
                           rf"|(?:关于|有关|跟)[^？?]{{1,20}}(?:有关)?的{REPORTS}"
                           r"|有(?:什么|哪些|啥)(?:事|进展|动态|活动|动作)|报(?:了|过|道了)(?:些)?(?:什么|哪些|啥)"
                           # 公安部通报了哪些事情: what an office announced is what was reported of it
                           r"|(?:通报|发布|宣布|公布)(?:了|过)?(?:哪些|什么|啥)(?:事情?|消息)"
                           # 7月下旬上海发生了哪些事: what happened in a period is what was reported in it
                           rf"|^(?=.*(?:\d{{1,2}}\s*[月日号]|{RELATIVE_PERIOD})).*?发生了?(?:什么|哪些)(?:事情?|大事)(?=[？?，,。！!]|$)"
                           # 8月14号新京报都发了些什么: what an outlet published on a day
                           rf"|^(?=.*(?:\d{{1,2}}\s*[月日号]|{RELATIVE_PERIOD})).*?(?:刊发|发|登)了?(?:些)?(?:什么|哪些|啥)(?:稿子|内容|东西)?(?=[？?，,。！!]|$)")),
]
ARCHIVE_KINDS = {kind for kind, _ in ARCHIVE_FRAMES} - {"summary"}
WROTE = re.compile(r"(?:写|拍|报道|采写|报)(?:了|过)")  # 毛玺玺写了哪些: a byline only when a person is named
# words that only say "reports" in a question about the archive: never its topic
ARCHIVE_WORDS = set("报道 新闻 文章 消息 稿件 相关 关于 有关 哪些 哪篇 篇 条 写 拍 写了 拍了 报道了 报道过 写过 都 有 还有 之类 这类 一类 等等 动作 "
                    "这一版 这版 这期 本版 本期 版面 报纸 一共 总共 多少 几 什么 主要 最新 最近 以后 之后 以来 以前 之前 之间 "
                    "进展 动态 活动 事 事情 情况 照片 图片 记者 通讯员 作者 摄影 是谁 哪位 署名 日有 月份 头条 哪里 "
                    "时候 什么时候 哪天 方面 发生 发生了 大事 署 署了 那场 这场 那篇 这篇 那条 这条 那则 稿子 档案 那边 这边 一带 吗 没有 有没有 "
                    "这块 这块儿 这一块 一块 本地 发了 报了 些 没 出过 一些 提到 提到了 提及 写到 登 登了 刊登 收 收了 讲 讲了 讲到 说到 问题 一篇 参与 稿 还署 还署了 署了 "
                    "文字".split())
FRAMES: list[tuple[str, re.Pattern]] = [
    # 卡努的最新动向: what the newest report on it says
    ("summary", re.compile(r"最新(?:的)?(?:动向|进展|情况|动态|消息)|(?:现在|目前)(?:的)?(?:情况|进展)?(?:怎么样|怎样|如何)[？?]?$"
                           r"|总结|概括|归纳|讲了(?:些)?(?:什么|啥)|说了(?:些)?(?:什么|啥)|讲的是(?:什么|啥)|主要内容|讲(?:些)?(?:什么|啥)|报道了(?:什么|啥)|介绍一下"
                           r"|都做了(?:哪些事|些什么|什么|啥)|说说[？?。]?$|讲讲[？?。]?$")),
    ("reason", re.compile(r"为什么|为何|为啥|什么原因|原因(?:是|有)|(?:优势|问题|难点|意义|区别|特点|亮点|好处)(?:是什么|在哪)")),
    ("role", re.compile(r"(?:是|担任)?(?:什么|哪个|何)(?:职务|职位|身份|官职|头衔|工作|职业|行业)|(?:本职工作|职业|职务|职位|身份)(?:是什么|是啥)|(?:是)?(?:做|干|从事)(?:什么|啥)(?:工作|职业|行业)的?|(?:是)?(?:做|干)(?:什么|啥|哪行)的?|干哪行|什么人[？?]?$")),
    ("rank", re.compile(r"(?:名列|位列|位居|排在|排名|排)?第几|排名(?:如何|怎样|怎么样|多少|情况|是多少|第几)?|名次|排多少|排第")),
    ("percentage", re.compile(r"百分之(?:几|多少)|占[^，。？?]{1,8}?(?:多少|几成)(?![钱元人个名家])|多少%|(?:多大|多少|多高)的?(?:比例|比重)|(?:比例|比重|占比)(?:是|为|有)?(?:多少|几|多大|多高)?|(?:[\u4e00-\u9fff]率)(?:是|为|有|达到)?多少|几成")),
    ("money", re.compile(r"多少钱|几块钱|(?:多少|几)(?:万|亿|千|百)?元|花了多少|(?:投资|资金|金额|费用|补贴|补助|奖励|奖金|助学金|工资|价格|票价|收入)(?:了|是|为|有|能拿)?(?:多少|几)|几个亿|多少亿|多少万(?!人)|规模(?:是|有)?多大|能拿多少|拿多少"
                         r"|(?:赔|赚|挣|亏|捐|罚|损失)了?(?:多少|几)(?![人名个件次天家户辆台座])")),
    ("year", re.compile(r"哪(?:一)?年|什么年份|几几年|哪个年份")),
    ("date", re.compile(r"哪(?:一)?天|哪几天|几号|几月几[日号]|什么时候|何时|什么时间|什么日子|日期|几点|哪个月|几月份?|时间[？?]?$|时间是")),
    ("duration", re.compile(r"多久|多长时间|多少时间|(?:几|多少)(?:个)?(?:月|年|周|星期|小时|分钟)(?!份)|(?:几|多少)天|历时多少"
                            r"|多长的?(?:刑期|时间|期限|工期|周期|假期)|判了?(?:几|多少)年")),
    ("count", re.compile(r"多大(?:岁数|年纪)|几岁|多少岁|年龄")),
    ("person", re.compile(r"是谁|哪(?:一)?位(?:领导|官员|负责人|专家|嘉宾)?|谁|什么人|姓名|(?:书记|镇长|主任|校长|局长|记者|主席|市长|教练|队长|总统|总理|首相|负责人|创始人"
                          r"|博主|网友|男子|女子|女士|先生|小伙|老人|大妈|选手|运动员|球员|演员|歌手|作者|嫌疑人|司机|村民|游客|孩子|学生"
                          r"|父亲|母亲|爸爸|妈妈|儿子|女儿|丈夫|妻子|老公|姐姐|妹妹|哥哥|弟弟|爷爷|奶奶|志愿者|医生|护士|民警|警察|老师"
                          r"|班长|站长|所长|院长|厂长|经理|董事长|主持人|导演|编剧)"
                          r"[^，。？?]{0,4}叫什么(?:名字)?")),
    ("organisation", re.compile(r"(?:企业|公司|单位|机构|学校|医院|工厂|银行|协会|平台)[^，。？?]{0,4}叫什么(?:名字)?")),
    ("list", re.compile(r"哪些|哪几|哪(?:两|三|四|五)(?:个|家|位|项|种|类|座|名)|有什么|都有谁|包括什么|包括哪|分别有|都有哪")),
    ("count", re.compile(rf"(?:多少|几)(?:[{MEASURES}])|人数|数量(?:是|有)?多少")),
    ("quantity", re.compile(r"多少|多大|多高|多长|多远|多重|多深|多宽")),
    ("place", re.compile(r"哪里|哪儿|什么地方|(?:哪个|哪座|哪一个)(?:城市|国家|省|市|地方|区|县|镇|村|地区|街道|社区|小区|口岸|港口|场馆|学校)|哪国|在哪|去哪|何地|何处")),
    ("organisation", re.compile(r"(?:哪个|哪家|什么|哪一)(?:部门|单位|机构|公司|企业|组织|学校|医院|协会|团体|银行|平台|媒体|网站)|哪家")),
    ("reason", re.compile(r"怎么|如何|怎样|靠什么|通过什么|用什么(?:办法|方式)|采取了?(?:哪些|什么)")),
    ("yesno", re.compile(r"是否|有没有|是不是|能不能|会不会|可不可以|能否|有无|了没有|(?:吗|(?<!什)么)[？?。!！]?$|没有[？?]?$")),
]
# words that only frame a question, whatever its kind
FRAME_WORDS = set(
    "请问 一下 什么 多少 哪些 哪个 哪里 哪儿 哪位 是谁 谁 几 情况 有关 关于 具体 目前 现在 如何 怎么 怎样 为什么 为何 "
    "是否 有没有 是不是 吗 呢 吧 啊 么 叫 名字 叫什么 分别 各 都 呀 请 介绍 告诉 我 想 知道 一共 总共 共 共有 大概 大约 左右 "
    "这篇 那篇 这张 那张 这个 那个 这次 那次 这位 那位 这件 那件 这项 那项 这一 那一 又 还 呢 是从 一下 "
    "最新 动向 进展 最近 重要 主要 具体 相关 做了 做了什么 干了什么 所有 全部 这轮 本轮 此轮 此次 本次 最新动向 最新进展 最新消息 最新情况 统计 最新统计 数据 数字 那边 这边".split()
)
NAMING = ("数字", "数据")  # frame words only when they name the figure asked (统计数据是多少), not in 数字经济
FRAME_WORDS |= set("属于 位于 来自 隶属 担任 当选 叫做 称为 算是".split())  # relations the answer fills in
FRAME_WORDS |= set("到底 究竟 倒是 最后 最终 他 她 它 他们 她们 它们 咱们".split())  # insistence, pronouns: not content
FRAME_WORDS |= set("这块 这一块 这方面 简单 说说 讲讲 事 哪些事 这版上 这一版上 本版上".split())  # 简单总结下, …这块都做了哪些事
# nouns that name a kind of thing, not a particular one: never a name the passage must contain
GENERIC = set("东西 城市 地方 国家 地区 省份 公司 企业 部门 单位 学校 医院 小区 社区 街道 机构 组织 人员 事情 问题 情况 方面 "
              "活动 项目 内容 时候 时间 地点 原因 办法 措施 工作 报道 新闻 文章 照片 记者 中国 我国 国内 大陆 中国大陆 "
              "长度 高度 宽度 面积 规模 数量 速度 温度 深度 重量 价格 距离 人数 年龄 排名 名次 级别".split())  # (jieba tags 长度 a place)
# a place question naming the kind of place, and the endings of such names
PLACE_ASKED = re.compile(r"哪(?:一)?(?:条|个|座)?(路|街道|河|村|镇|乡|社区|小区)")
OFFICE_ENDS = set("部局委厅署办院")  # the last character of an office's name (自然资源部)
COMPLEMENT = frozenset("出来 起来 下来 上来 过来 进来 回来 出去 下去".split())  # 出来分析: how, not what
DEMONSTRATIVE = re.compile(r"[这那此该本哪][一]?[个场起批家份条座届期次位件项张篇回轮名些天版]")  # 那场, 这起: which one, never what
ASKING_TOKEN = re.compile(r"^(?:哪|多少|什么|啥|谁|第?几(?=[个天年月次位名家项种类件档]|$))")
SCOPE = re.compile(r"市内五区|全国|全省|全市|全区|全县|全镇|全乡|全球|全世界|世界(?![\u4e00-\u9fff]{0,2}(?:杯|大会|组织|银行|锦标赛|大运会))|国内|国际|省内|市内|区内|县内|全网|全行业|亚洲|本市|我市|全校")
QUALIFIER = re.compile(
    rf"{NUMERAL}+\s*(?:周)?岁(?:以上|以下|及以上|及以下|至{NUMERAL}+岁)?|首批|第{NUMERAL}+(?:批|届|期|轮|次|季)"
    rf"|每(?:个)?(?:月|年|天|日|周|人|户|季度|小时|次|家)|(?:大|中|小|微)型|[A-D]级|{NUMERAL}+(?:星级|级)"
    rf"|{NUMERAL}+\s*(?:年|个月|天|小时)(?:及)?(?:以上|以下|以内)"
    rf"|(?:以上|以下|以内|超过|不足|至少|最多){NUMERAL}*|高龄|空巢|独居|男子|女子|个体|民营|国有|外资|新增|累计|首次|首个|首家"
)
# 超过5%了吗, 不到300人吗: a yes/no that compares the stated figure with a threshold
COMPARISON = re.compile(r"(不超过|超过|多于|高于|大于|达到|突破|至少|不到|低于|少于|不足|有)\s*(\d+(?:\.\d+)?)\s*个?"
                        r"(%|％|[万亿千百]?(?:(?![吗呢了吧啊的])[\u4e00-\u9fff])?)")  # (规模有10个亿吗: 有 is 达到)
# a yes/no on whether one did it alone (只是区长一个人挂帅吗, 仅由市里出资吗): the one named
ALONE = re.compile(r"(?:只|仅|单单|光)(?:是|有|由|靠)?([\u4e00-\u9fff]{1,8}?)(?:一个人|一人|一家|一方|自己|独自|单独)"
                   r"|(?:是|由|靠)([\u4e00-\u9fff]{2,8}?)(?:自己|独自|单独|一家)")
# a yes/no on whether two are of one thing (安耀伟和梁晓力是同一所学校的校长吗): the two named
SAME = re.compile(r"([\u4e00-\u9fff]{2,8}?)[和与跟及]([\u4e00-\u9fff]{2,8}?)(?:是|来自|在|属于)?(?:同一|一个)")
RELATIVE_TIME = re.compile(r"今年|去年|前年|明年|上半年|下半年|上个?月|本月|当月|今天|昨天|前天|明天|当天|近日|日前|上周|本周|近年|今年以来|目前")
DATE = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?(?:[上中下]旬|底|初|末)?|(\d{4})\s*年(?:度)?|(\d{1,2})\s*[日号](?![线楼院门])")
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.%％万亿元人个名])")
TITLES = ("党委书记", "党工委书记", "党总支书记", "支部书记", "工委书记", "书记", "副书记", "镇长", "副镇长", "乡长", "村长",
          "区长", "副区长", "县长", "市长", "副市长", "省长", "主任", "副主任", "局长", "副局长", "处长", "科长", "厅长",
          "部长", "校长", "副校长", "院长", "所长", "站长", "馆长", "社长", "会长", "理事长", "董事长", "总经理", "经理",
          "总裁", "总监", "主席", "副主席", "总理", "总统", "首相", "大使", "参赞", "发言人", "教练", "主教练", "队长",
          "记者", "通讯员", "编辑", "主编", "网格员", "志愿者", "教授", "研究员", "医生", "律师", "法官", "检察官",
          "民警", "警官", "负责人", "创始人", "发起人", "董事", "秘书长", "委员", "代表", "专家", "工程师", "指挥长")
# what people are, not posts they hold: a name follows them (法国博主米莲娜), but a question asking
# 哪位演员 is answered by a sentence about the person that need not say 演员
CALLINGS = ("预报员", "博主", "主播", "运动员", "选手", "球员", "演员", "导演", "编导", "编剧", "制片人", "主持人", "作家", "歌手")
MONEY_NOUN = re.compile(r"罚金|罚款|补贴|补助|奖金|奖励|助学金|工资|薪资|收入|营收|利润|投资|资金|贷款|赔款|赔偿|票价|房价|价格|"
                        r"费用|税款|彩礼|捐款|预算|成本|销售额|营业额|租金")
KIN = re.compile(r"的(父亲|母亲|爸爸|妈妈|丈夫|妻子|爱人|儿子|女儿|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|外公|外婆)")
# 除了当平安志愿者, 不算图片新闻的话: not this
ASIDE = re.compile(r"(?:除了|除去)(?:当|是|做|担任)?([^，,。？?]{2,20}?)(?:以外|之外|外)?(?=[，,。？?]|$)"
                   r"|(?:不算|不包括|不含)([^，,。？?]{2,20}?)(?:的话|在内)(?=[，,。？?]|$)")
DOING = re.compile(r"(?:是)?(?:做|干)(?:什么|啥|哪行)的?")  # the role frame that asks what one does
TITLE = re.compile("|".join(sorted(map(re.escape, TITLES + CALLINGS), key=len, reverse=True)))
QUOTED = re.compile(r"[“\"‘《]([^”\"’》]{2,30})[”\"’》]")
LATIN = re.compile(r"(?:[A-Za-z][A-Za-z0-9.\-]*|\d+[A-Za-z]+[A-Za-z0-9]*)(?:\s+(?:[A-Z][A-Za-z0-9.\-]*|\d+(?![\d.]*[\u4e00-\u9fff])))*")  # iPhone SE 3
PART_SPLIT = re.compile(r"[？?；;]")
BOTH = re.compile(r"分别|各自|各是|各为|各有")
CONJUNCTION = re.compile(r"和|与|及|以及|跟|、")
PERSON_TAGS = {"nr", "nrfg", "nrt"}
NOT_A_SURNAME = frozenset("有在是把被给对从跟与")  # verbs and prepositions jieba may fold into a name
PLACE_TAGS = {"ns", "nsf"}


@dataclass(frozen=True)
class Constraint:
    """Something the fact must satisfy. `kind`: entity (a name the passage must be about), qualifier
    (80岁以上, 首批, 每月), scope (全国, 市内五区), time (2021年, 去年, 10月19日), role (党委书记, for a
    person question), subject (the other content words: 补贴, 个体工商户)."""

    kind: str
    text: str


@dataclass
class Question:
    text: str  # as asked, cleaned
    kind: str  # one of KINDS
    terms: dict[str, float]  # weighted search terms, frame words left out
    constraints: list[Constraint] = field(default_factory=list)
    frame: list[str] = field(default_factory=list)  # matched frame words (never required of a passage)
    measure: str | None = None  # the measure word a count asks for (几所 -> 所, 多少钱 -> 元)
    item: str | None = None  # for a list: the kind of its items (place, person, organisation), if said
    parts: list["Question"] = field(default_factory=list)  # for two-part questions: one per part
    dates: set[tuple[int, ...]] = field(default_factory=set)  # dates it states: (y,), (y, m), (y, m, d)
    years: set[str] = field(default_factory=set)
    idf: dict[str, float] = field(default_factory=dict)  # how telling each term is in this archive
    aside: str = ""  # what it sets aside (除了X): never a constraint, nor who or what is asked about

    @property
    def key_subject(self) -> str | None:
        """The most telling subject word (考研 in 2022年考研报名人数): a fact about another subject is
        another fact."""
        subjects = [s for s in self.of("subject") if s not in self.describing]
        if not subjects or not self.idf:
            return None
        return max(subjects, key=lambda s: self.idf.get(s, 0.0))

    @cached_property
    def describing(self) -> set[str]:
        """Subject words that only describe a name, in a `…的<name>` phrase (被追授北京青年五四奖章的冯振
        是哪年出生的: 追授 tells which 冯振, not what is asked of him), or the moment, in a clause of
        its own that ends in 时 (…被迫停车时，车上有多少旅客)."""
        said = {w for clause in re.split(r"[，,；;]", self.text) if re.search(r"(?:时|时候|期间|之际)$", clause)
                for w in self.of("subject") if w in clause.lower()}
        for name in self.entities:
            at = self.text.lower().find("的" + name.lower())
            if at > 0:
                start = max(self.text.rfind(p, 0, at) for p in "，,；;？?") + 1
                said.update(w for w in self.of("subject") if w in self.text[start:at].lower())
        return said

    def of(self, kind: str) -> list[str]:
        return [c.text for c in self.constraints if c.kind == kind]

    @property
    def item_noun(self) -> str | None:
        """For a list question, the noun its items are (哪些方面 -> 方面, 哪几个小区 -> 小区)."""
        if self.kind != "list":
            return None
        found = re.search(r"(?:哪些|哪几(?:个|家|位|座|项|种|类)?|哪[两三四五](?:个|家|位|项|种|类)?)([\u4e00-\u9fff]{2})", self.text)
        return found.group(1) if found else None

    @cached_property  # (read for every sentence a question is matched against)
    def events(self) -> list[str]:
        """The verbs a date, year, duration, count or sum belongs to, in the clause that asks (哪天开幕:
        开幕, not 闭幕; 注销了多少家: 注销, not 注册)."""
        if self.kind not in ("date", "year", "duration", "count", "quantity", "money"):
            return []
        subjects = set(self.of("subject"))
        clause = next((c for c in re.split(r"[，,；;]", self.text) if ASKED_AT.search(c)), "")
        at = ASKED_AT.search(clause).start() if clause else 0
        verbs = [(clause.find(w), w) for w, t in tagged(clause) if t.startswith("v") and w in subjects and len(w) >= 2
                 and w not in LIGHT_VERBS]
        after = [w for i, w in verbs if i >= at]
        one = re.search(r"([赔罚捐赚挣亏])了?(?:多少|几)", clause)  # 判他赔了多少钱: a verb of one character
        after += [one.group(1)] if one and not any(one.group(1) in w for w in after) else []
        # before the asking word, a verb a 的 follows only describes (被追授…奖章的冯振是哪年出生的: 出生)
        return after or [w for i, w in verbs if "的" not in clause[i:at]]

    @cached_property
    def predicate(self) -> list[str]:
        """For a yes/no question, the verb it asks about: the last of its last clause (门头沟被冲毁的乡村
        公路现在抢通了吗: 抢通; 冲毁, said with 的, only describes the road)."""
        if self.kind != "yesno":
            return []
        subjects = set(self.of("subject"))
        last = re.split(r"[，,；;]", self.text.rstrip("？?。！! "))[-1]
        verbs = [w for w, t in tagged(last) if t.startswith("v") and w in subjects and len(w) >= 2
                 and not re.search(re.escape(w) + "的", last) and not COMPARISON.match(w + "0")]
        return verbs[-1:]

    @cached_property
    def numbered(self) -> list[tuple[str, str]]:
        """Things the question names by number (17号线, 3号楼, 31届): (number, what)."""
        return NUMBERED.findall(self.text)

    @cached_property
    def asked_part(self) -> str:
        """For a yes/no, why (or how) or list question, the words that ask, not those that say of
        which thing: the asking clause, after a 的 that ends a description there, or after 为什么/怎么
        (福州那个…死亡的6岁男孩，做了尸检吗: 做了尸检吗; 京西大悦城西侧的路面为什么会塌陷: 会塌陷;
        …加开的定点加班车，停靠哪些站); "" for other kinds."""
        if self.kind not in ("yesno", "reason", "list"):
            return ""
        clause = re.split(r"[，,；;]", self.text.rstrip("？?。！! "))[-1]
        why = WHY_OR_HOW.search(clause)
        if self.kind == "reason":
            return clause[why.end():] if why else ""
        if self.kind == "list" and not re.search(r"哪|什么|啥", clause):  # …停靠哪些站, not a clause after it
            return ""
        at = clause.rfind("的")
        return clause[at + 1:] if 0 <= at < len(clause) - 2 else clause

    @cached_property
    def focus(self) -> frozenset[str]:
        """The terms (two characters or more) of the asked part; empty when they are most of the terms.
        The rest need only hold in the report: its answer may say 孩子 for 6岁男孩."""
        found = frozenset(t for t in self.terms if len(t) > 1 and t in self.asked_part.lower())  # (not 做, 会)
        # (a focus that is most of the question says no more than the question: 据日媒报道，…预计会讨论什么)
        return found if sum(self.terms[t] for t in found) <= FOCUS_SHARE * sum(self.terms.values()) else frozenset()

    @cached_property
    def sentence_weights(self) -> dict[str, float]:
        """The terms' weights for judging a sentence: with a focus, what is asked counts more than
        the words that say of what (a report's lead restates those; the answer may say 孩子 for them)."""
        if not self.focus:
            return self.terms
        asked = 1.0 if self.kind == "reason" else FOCUS_WEIGHT  # (a reason may word what it explains otherwise: 到场)
        return {t: w * (asked if t in self.focus else TOPIC_WEIGHT) for t, w in self.terms.items()}

    @property
    def place_kind(self) -> str | None:
        """For a place question that names the kind of place (在哪条路上 -> 路, 哪个村 -> 村)."""
        found = PLACE_ASKED.search(self.text) if self.kind == "place" else None
        return found.group(1) if found else None

    @property
    def asks_name(self) -> bool:
        """Asks for a name in so many words (那家企业叫什么名字): a sentence naming none does not answer."""
        return bool(re.search(r"叫什么|名字|姓名|名称", self.text))

    @cached_property
    def outcome(self) -> list[str]:
        """For a how-question (空气质量是怎么改善的), the outcome whose way is asked (改善): passages
        tell the way, and need not word the outcome."""
        return [t for t in self.terms if re.search(rf"(?:怎么|怎样|如何)(?:才能|才|能|来|去)?{re.escape(t)}", self.text)]

    @cached_property
    def comparison(self) -> tuple[str, float, str] | None:
        """For a yes/no that compares a figure with a threshold (占比超过5%了吗): (how, threshold, unit)."""
        found = COMPARISON.search(self.text) if self.kind == "yesno" else None
        return (found.group(1), float(found.group(2)), found.group(3).replace("％", "%")) if found else None

    @cached_property
    def alone(self) -> str | None:
        """For a yes/no on whether one did it alone (只是区长一个人挂帅吗): who (区长)."""
        found = ALONE.search(self.text) if self.kind == "yesno" else None
        return (found.group(1) or found.group(2)) if found else None

    @cached_property
    def same_of(self) -> tuple[str, str] | None:
        """For a yes/no on whether two are of one thing (安耀伟和梁晓力是同一所学校的校长吗): the two."""
        found = SAME.search(self.text) if self.kind == "yesno" else None
        return (found.group(1), found.group(2)) if found else None

    @property
    def head_noun(self) -> str | None:
        """For a count or quantity, the noun counted (多少空巢老人 -> 老人, 平均浓度是多少 -> 浓度); for
        a share, what it is the share of (60岁以上老人占多大比例 -> 老人); for money, what the sum is (罚金)."""
        words = [w for w, _ in tagged(self.text)]
        tags = [t for _, t in tagged(self.text)]
        if self.kind == "percentage":
            at = next((i for i, w in enumerate(words) if w.startswith("占")), None)
            head = next((words[j] for j in range(at - 1, max(at - 4, -1), -1) if tags[j].startswith("n")), None) if at else None
            return head if head and len(head) >= 2 and head not in FRAME_WORDS else None
        if self.kind == "money":  # 判朱某交多少元罚金: a sum of 罚金, not what he gained
            named = MONEY_NOUN.search(self.text)
            return named.group() if named else None
        if self.kind not in ("quantity", "count") or self.measure in ("人", "元"):
            return None
        for i, word in enumerate(words):
            if re.match(r"多少|几", word) and self.measure in ("名", "位"):
                # people counted by what they are (多少名幼儿园园长 -> 园长): the noun run after the measure
                start = i + 1 if word.endswith(self.measure) else i + 2  # (几位 is one word)
                run = list(itertools.takewhile(lambda j: tags[j].startswith("n"), range(start, min(start + 4, len(words)))))
                head = words[run[-1]] if run and (start == i + 1 or words[i + 1] == self.measure) else None
                return head if head and len(head) >= 2 and head not in FRAME_WORDS else None
            if re.match(r"多少|几", word):
                # the noun after, past a qualifier (多少60岁以上老人 -> 老人), before the clause ends
                ahead = list(range(i + 1, min(i + 6, len(words))))
                ahead = ahead[: next((k for k, j in enumerate(ahead) if tags[j] == "x"), len(ahead))]
                after = next((words[j] for j in ahead if tags[j].startswith("n") and not QUALIFIER.search(words[j])), None)
                before = next((words[j] for j in range(i - 1, max(i - 4, -1), -1) if tags[j].startswith("n")), None)
                head = after or before
                return head if head and len(head) >= 2 and head not in FRAME_WORDS else None
        return None

    @property
    def asked_names(self) -> list[str]:
        """The names a role question asks about: a person's (户春香, not 鹰城大妈 that she volunteers as),
        the last one before its frame (跟唐明、郭凯冰对谈的刘兵是什么身份: 刘兵); else all the names it gives."""
        names = [e for e in self.entities if re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff·]{5,16}", e)]
        people = [n for n in names if "·" in n or len(tagged(n)) == 1 and tagged(n)[0][1] in PERSON_TAGS]
        at = min((self.text.find(f) for f in self.frame if f in self.text), default=len(self.text))
        before = [n for n in people if 0 <= self.text.find(n) < at]
        return [max(before, key=self.text.find)] if before else people or names

    def holder(self, name: str) -> str:
        """Whose role a role question asks, given the name it says: 户春香的父亲 in 户春香的父亲是干哪行的."""
        kin = KIN.match(self.text[self.text.find(name) + len(name):]) if name in self.text else None
        return name + kin.group() if kin else name

    @property
    def set_aside(self) -> list[str]:
        """What the question rules out as the answer (除了当鹰城大妈平安志愿者 -> 鹰城大妈平安志愿者)."""
        return [m.group(1) or m.group(2) for m in ASIDE.finditer(self.text)]

    @property
    def entities(self) -> list[str]:
        return self.of("entity")

    @property
    def people(self) -> set[str]:
        """The words jieba reads as a person's name."""
        return {w for w, tag in tagged(self.text) if tag in PERSON_TAGS}

    @property
    def other_forms(self) -> list[str]:
        """How reports may also write the question's words (降雨量: 降水量, 发改委: 发展改革委)."""
        return [v for t in self.terms for v in variants(t)[1:] if len(t) >= 2]

    @property
    def strict(self) -> list[Constraint]:
        """Constraints a supporting sentence itself must state (not just its article)."""
        return [c for c in self.constraints if c.kind in ("qualifier", "scope", "time")]

    @property
    def asks_when(self) -> bool:
        return self.kind in ("date", "year") or any(p.kind in ("date", "year") for p in self.parts)

    @property
    def names_month_or_day(self) -> bool:
        """A question naming a month or a day (2024年6月, 6月14日) asks about one report."""
        return any(len(date) >= 2 for date in self.dates)

    @property
    def wants_latest(self) -> bool:
        """Asks for the newest state (最新, 目前, 后来): the newest report wins over older ones."""
        return bool(re.search(r"最新|最近一(?:次|篇)|目前|现在|截至目前|后来", self.text))

    @property
    def topic(self) -> list[str]:
        """For a question about the archive: the words of its topic (关于鹰城大妈的报道 -> 鹰城大妈)."""
        dated = " ".join(c.text for c in self.constraints if c.kind == "time")
        words = [re.sub(r"(.{2,})(?:新闻|报道)$", r"\1", t) for t in self.terms  # 体育新闻 -> 体育
                 if t not in ARCHIVE_WORDS and (t not in FRAME_WORDS or t in NAMING) and t not in dated
                 and not re.fullmatch(r"[\d.年月日号]+|\d+日\S?", t) and not ASKING_TOKEN.match(t)
                 and not DEMONSTRATIVE.match(t)  # 那天, 那版上: which, not what
                 and not re.search(re.escape(t) + r"的?[这那本]一?版", self.text)]  # 新华区那版: the page's name
        whole: list[str] = []
        for word in words:  # 自然资源|部: an office's name is one word (not 自然资源局's 自然资源)
            if whole and len(word) == 1 and word in OFFICE_ENDS and whole[-1] + word in self.text:
                whole[-1] += word
            else:
                whole.append(word)
        return whole

    @property
    def about_archive(self) -> bool:
        """Asked of the archive itself (its reports, bylines, editions), not of a fact in a report."""
        return self.kind in ARCHIVE_KINDS

    @property
    def is_multi(self) -> bool:
        return len(self.parts) > 1


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words with their parts of speech (cached: the same sentences come back per question)."""
    return tuple((w, t) for w, t in jieba.posseg.lcut(text))


def stated_dates(text: str) -> set[tuple[int, ...]]:
    """Dates a text states with a year, as (year,), (year, month) or (year, month, day)."""
    found = set()
    for match in re.finditer(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?)?|(\d{4})-(\d{2})-(\d{2})", text):
        parts = match.groups()[:3] if match.group(1) else match.groups()[3:]
        found.add(tuple(int(x) for x in parts if x))
    return found


ROLE_FRAME = dict(FRAMES)["role"]


def _kind(text: str) -> tuple[str, list[str]]:
    """The asked kind and the frame words that say so: a question about the archive itself (which
    reports, who wrote, what this page holds, how many reports) first; then the first frame that
    holds the question's interrogative (排名的数据…从哪个单位获悉 asks an organisation), else the
    first frame at all (新华区优良天数排名)."""
    has_person = any(t in PERSON_TAGS for _, t in tagged(text))
    for kind, pattern in ARCHIVE_FRAMES:
        found = [m.group() for m in pattern.finditer(text)]
        if kind == "byline" and all(WROTE.search(f) for f in found) and not has_person:
            continue  # 防汛方面都报了些啥: what was reported on a topic, nobody's byline
        if kind in ("byline", "edition") and found and ROLE_FRAME.search(text) and has_person:
            continue  # 版面上署名的郑亚丽是干什么的: who the person signing is (a role), not whose report
        if kind == "report-count" and all(re.fullmatch(r"(?:几|多少)[条则][？?]?", f) for f in found) and not re.search(REPORTS, text):
            continue  # 《措施》里讲农村消费的有几条: items of a text, not reports
        if found:
            return kind, found
    matches = [(kind, [m.group() for m in pattern.finditer(text)]) for kind, pattern in FRAMES]
    matches = [(kind, found) for kind, found in matches if found]
    if not matches:
        return "fact", []
    ends = {kind: max(text.rfind(f) + len(f) for f in found) for kind, found in matches}
    starts = {kind: min(text.find(f) for f in found) for kind, found in matches}
    # a frame inside what describes a name (解释…为啥下暴雨的张琳娜是干什么的) asks nothing
    matches = [(kind, found) for kind, found in matches if not any(
        starts[other] > ends[kind] and re.fullmatch(r"[^，,。？?；;]*的[^，,。？?；;]*", text[ends[kind] : starts[other]])
        for other in starts)] or matches
    kind, found = next(((k, f) for k, f in matches if any(INTERROGATIVE.search(x) for x in f)), matches[0])
    found = [f[f.index("叫什么"):] if "叫什么" in f else f for f in found]  # 父亲叫什么名字: 父亲 is asked about
    if kind == "duration" and "天数" in text:  # 优良天数多少天: a count of days
        kind = "count"
    if kind == "role" and all(DOING.fullmatch(f) for f in found) and not has_person:
        kind = "list"  # 平安志愿者是做什么的: what a group or body does (its activities), not a person's title
    named = re.fullmatch(r"([\u4e00-\u9fff·]{2,5}?)(?:究竟|到底)?是谁[？?。]?", text)
    if kind == "person" and named and any(t in PERSON_TAGS for _, t in tagged(named.group(1))):
        kind = "role"  # 郭晓光是谁: who a named person is, their title, not a name
    return kind, found


def _list_item(text: str) -> str | None:
    tail = re.search(r"(?:哪些|哪几(?:个|家|位|座|项|种)?|有什么)([\u4e00-\u9fff]{1,4})", text)
    noun = tail.group(1) if tail else ""
    if re.match(r"城市|地方|国家|省|市|县|区|镇|村|地区|口岸", noun):
        return "place"
    if re.match(r"人|领导|记者|校长|书记|嘉宾|选手|队员", noun) or "都有谁" in text:
        return "person"
    if re.match(r"企业|公司|部门|单位|机构|学校|医院|组织", noun):
        return "organisation"
    return None


def _measure(text: str, kind: str) -> str | None:
    if kind == "money":
        return "元"
    unit = re.search(rf"(?:多少|几)(?:个)?({UNITS})", text)  # 少了多少毫米: a figure in 毫米, not 二至三成
    if unit and kind in ("quantity", "count"):
        return unit.group(1)
    match = re.search(rf"(?:多少|几)([{MEASURES}])", text)
    if match and len(jieba.lcut(text[match.start(1):])[0]) == 1:  # 多少家企业: 家; 多少家庭: no measure
        return match.group(1)
    if kind == "count" and re.search(r"人数|(?:多少|几)个?人", text):
        return "人"
    if kind == "count" and re.search(r"岁数|年纪|几岁|多少岁|年龄", text):
        return "岁"
    return None


ASPECT = ("了", "过", "着")  # what follows a verb, never a name
RARE = 100  # jieba's count below which its tag of a word is a guess


def _entities(text: str, tokens: list[str], tokenizer: Tokenizer) -> list[str]:
    """Names the fact must be about: corpus dictionary words, place names, jieba's proper nouns,
    quoted or 《》 titles, and Latin/number codes (PM10, K396)."""
    known = set(tokenizer.words)
    text = DATE.sub(" ", text)  # 2024年3月13日本市: no 日本 across a date
    names: list[str] = [m.group(1) for m in QUOTED.finditer(text)]
    names += [t for t in tokens if t in known or PLACE.fullmatch(t)]
    words = tagged(text)
    for i, (word, tag) in enumerate(words):
        if tag not in PERSON_TAGS and i + 1 < len(words) and words[i + 1][0] in ASPECT and jieba.dt.FREQ.get(word, 0) < RARE:
            continue  # 也印错了吗: a rare word jieba calls a place, read as a verb by its aspect particle
        if tag in PERSON_TAGS and word[0] in NOT_A_SURNAME:
            continue  # 里有恒宇通信吗: jieba's person 有恒 is the verb 有 before a name
        if (tag in PERSON_TAGS | PLACE_TAGS or tag == "nt" or (tag == "nz" and word in known)) and len(word) >= 2:
            # jieba may cut a name shorter than our tokens do (王梓 | 王梓力): keep the token
            word = re.sub(r"[是的在]$", "", word) if tag in PERSON_TAGS else word  # jieba's 王晓是 -> 王晓
            longer = [t for t in tokens if t.startswith(word) and len(t) <= len(word) + 1 and t[-1] not in "是的了在说"]
            if not longer and _straddles(word, text, tokens):
                continue  # 户春|香清|飞线 against our 户春香|清飞线: jieba's misreading, no name
            names.append(longer[0] if longer else word)
    who = re.search(r"(?:^|的|，|,|、)([\u4e00-\u9fff]{2,3}?)[，,]?(?:是|担任|在[^，。？?]{0,10}(?:担任|任|是))(?:一名|一位)?(?:什么|哪|做|干|何)", text)
    if who and not TITLE.search(who.group(1)) and not re.search(r"[的了在]|担任|现任|曾任", who.group(1)):
        names.append(who.group(1))  # 刘宏亮是什么职务 / …的许震中，在洋山海关担任什么职务: the person asked about
    names += [m.group() for m in LATIN.finditer(text) if len(m.group()) >= 2]
    names += _foreign_names(text)
    kept: list[str] = []
    names = [n for n in names if n not in GENERIC and n not in FRAME_WORDS and not YEAR.search(n)
             and not re.fullmatch(r"\d{1,2}", n)  # 3号线's 3: a number, no name (K396 is one)
             and not re.match(r"[这那此该]", n)]  # 这消息: which one, never a name
    for name in dict.fromkeys(n.lower() for n in names):
        if not any(name != other and name in other for other in names):  # the longest form only
            kept.append(name)
    return kept


def _foreign_names(text: str) -> list[str]:
    """Transliterated names, whole: jieba reads 卡洛·布昂坦波是 as 卡洛|·|布昂坦|波|是."""
    found, at = [], 0
    words = tagged(text)
    for i, (word, tag) in enumerate(words):
        at += len(word)
        if word == "·" and i and words[i - 1][1] in PERSON_TAGS:
            rest = re.match(r"[\u4e00-\u9fff]{1,6}?(?=是|的|在|说|表示|，|,|？|\?|。|$)", text[at:])
            if rest:
                found.append(f"{words[i - 1][0]}·{rest.group()}")
    return found


def _straddles(word: str, text: str, tokens: list[str]) -> bool:
    """Whether a word of jieba's reading cuts across one of our tokens (香清 across 户春香|清飞线)."""
    at = text.lower().find(word.lower())
    if at < 0:
        return False
    inside, end = set(), 0
    for token in tokens:  # the character offsets inside our tokens, where no name may begin or end
        start = text.lower().find(token, end)
        if start < 0:
            continue
        end = start + len(token)
        inside.update(range(start + 1, end))
    return at in inside or (at + len(word)) in inside


def _known_idf(terms, idf) -> dict[str, float]:
    """The idf of the terms the archive uses. A term it never uses (说区 from 工信局说区县级, a
    paraphrase) says nothing about which passage answers, so it is never the most telling word."""
    unseen = idf("\x00")
    return {t: value for t in terms if (value := idf(t)) < unseen}


def _apart(tokens: list[str], idf) -> list[str]:
    """jieba glues a name to the word after it (户春香清飞线: 户春香清|飞线), a word no report uses:
    such a word is the longest start of it that the archive uses and jieba reads as a person's name,
    and the rest when that is used too (社保卡 stays whole: 社保 is no name). And a verb to the name
    after it (有恒|宇: 有, 恒宇, when the archive uses 恒宇)."""
    unseen = idf("\x00")

    def name(word: str) -> bool:
        return idf(word) < unseen and len(tagged(word)) == 1 and tagged(word)[0][1] in PERSON_TAGS

    out = []
    tokens = list(tokens)
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if (len(token) == 2 and token[0] in NOT_A_SURNAME and idf(token) >= unseen and following
                and idf(token[1] + following) < unseen):  # 里有恒|宇通信: 有, then 恒宇 (a name the archive uses)
            out.append(token[0])
            tokens[i + 1] = token[1] + following
            continue
        start = next((token[:n] for n in range(len(token) - 1, 1, -1) if name(token[:n])), None) \
            if len(token) >= 3 and idf(token) >= unseen else None
        rest = token[len(start):] if start else ""
        out += [start, *([rest] if len(rest) >= 2 and idf(rest) < unseen else [])] if start else [token]
    return out


def query_terms(tokens: list[str]) -> dict[str, float]:
    """Search terms weighted by length (longer names say more than single characters)."""
    return {t: math.log(1 + len(t)) * (0.5 if len(t) == 1 else 1.0) for t in tokens}


def _tokens(text: str, frame: list[str], tokenizer: Tokenizer) -> list[str]:
    """The question's words, its short frames cut apart from what they touch: jieba reads
    培训会是哪天开的 as …|哪|天开|的, a 天开 no report says; the frame 哪天 is a word of its own."""
    short = sorted({f for f in frame if len(f) <= 7}, key=len, reverse=True)
    if not short:
        return tokenizer(text)
    pieces = re.split("(" + "|".join(map(re.escape, short)) + ")", text)
    return [token for piece in pieces if piece for token in tokenizer(piece)]


def parse_question(text: str, tokenizer: Tokenizer, context: Question | None = None, idf=None) -> Question:
    """Parse a question (or one part of one, with `context`: the question it belongs to). `idf`:
    a word's idf in the archive, when there is one."""
    text = text.strip()
    kind, frame = _kind(text)
    # a question about the archive, or a summary (…后来怎么样了？有最新消息吗: one ask said twice), is one question
    parts = [] if context or kind in ARCHIVE_KINDS or kind == "summary" else split_parts(text)
    tokens = _tokens(text, frame, tokenizer)
    if idf:
        tokens = _apart(tokens, idf)
    # a short frame (是什么职务) is all frame; a long one (哪些关于上海的报道) only its fixed words
    frame_tokens = {t for f in frame for t in tokenizer(f) if len(f) <= 7 or t in ARCHIVE_WORDS} | FRAME_WORDS
    frame_tokens -= {t for t in NAMING if re.search(rf"{t}(?![是为有多几的？?，,]|$)", text)}  # 数字经济: not 数字是多少
    terms = query_terms([t for t in tokens if t not in frame_tokens and not ASKING_TOKEN.match(t)
                         and not DEMONSTRATIVE.fullmatch(t) and t not in COMPLEMENT] or tokens)
    aside = " ".join(m.group() for m in ASIDE.finditer(text))  # what the answer is not: never a constraint
    terms = {t: w for t, w in terms.items() if t not in aside} or terms  # nor what a sentence is scored on
    entities = [e for e in _entities(text, tokens, tokenizer) if e not in aside]  # 除了广州中医药大学，巢湖学院也…
    lowered = text.lower()
    for name in entities:  # jieba may cut a name the question says whole (郭晓|光是): search the name
        at = lowered.find(name)
        if len(name) >= 2 and name not in terms and at >= 0 and not re.fullmatch(r"[\d.]+", name):
            def overlaps(token: str) -> bool:
                start = lowered.find(token)
                return start >= 0 and start < at + len(name) and at < start + len(token)
            terms = {t: w for t, w in terms.items() if not overlaps(t)}
            terms[name] = math.log(1 + len(name))
    constraints = [Constraint("entity", e) for e in entities]
    constraints += [Constraint("scope", m.group()) for m in SCOPE.finditer(text)]
    compared = COMPARISON.search(text) if kind == "yesno" else None  # 超过5%了吗: the asked comparison, not a qualifier
    constraints += [Constraint("qualifier", m.group()) for m in QUALIFIER.finditer(text)
                    if not re.fullmatch(r"(?:以上|以下|以内|超过|不足|至少|最多)", m.group())
                    and not (compared and compared.start() <= m.start() < compared.end())
                    and text[max(m.start() - 1, 0) : m.start()] not in tuple("这那哪该此")  # 镇那一级: which level, no 一级
                    and not re.search(r"几|多少", m.group())]  # 第几批: what is asked, not a qualifier
    constraints += [Constraint("time", m.group()) for m in RELATIVE_TIME.finditer(text)]
    constraints += [Constraint("time", m.group().strip()) for m in DATE.finditer(text)
                    if m.group().strip() and not re.fullmatch(r"\d{1,2}[日号]", m.group().strip())]
    said = " ".join(c.text for c in constraints if c.kind == "time")
    constraints += [Constraint("time", f"{y}年") for y in YEAR.findall(text) if y not in said]  # 2020新华区…, CVPR2022
    if kind in ("person", "list", "role"):  # a title next to a name the question gives is that person's
        constraints += [Constraint("role", m.group()) for m in TITLE.finditer(text) if m.group() not in aside and (
                        m.group() not in CALLINGS
                        and not re.match(r"[\u4e00-\u9fff]{2,3}(?:与|和|跟|同|在|是|的)", text[m.end():m.end() + 4])
                        or kind == "role" or re.match(r"是谁|是哪位|叫什么", text[m.end():]))]  # (《俑III》的编导是谁)
    dated = " ".join(c.text for c in constraints if c.kind in ("time", "qualifier"))
    figures = [f for f in re.findall(r"\d+(?:\.\d+)?", text) if f not in dated and not YEAR.fullmatch(f)
               and not (compared and f == compared.group(2))
               and (len(f) > 1 or not re.search(rf"(?<!\d){re.escape(f)}[号路]", text))]  # 3号线: also 三号线
    constraints += [Constraint("entity", f) for f in figures if f.lower() not in " ".join(entities)]  # 224天: an anchor
    taken = " ".join([*(c.text for c in constraints), aside, compared.group() if compared else ""])
    subjects = [t for t in terms if len(t) >= 2 and t not in taken and not TITLE.fullmatch(t)
                and not re.fullmatch(r"[\d.]+", t) and t[-1] not in "是的了在和与" and not YEAR.search(t)
                and not INTERROGATIVE.search(t)]  # 占多大: frame, not subject
    constraints += [Constraint("subject", s) for s in subjects]
    if context is not None and not entities:  # an elliptical part (…，是谁讲解的) keeps the question's names
        constraints += [c for c in context.constraints if c.kind == "entity" and c not in constraints]
        for term, weight in context.terms.items():  # and, for search, its words (the names in full)
            entity = any(term == c.text for c in context.constraints if c.kind == "entity")
            terms.setdefault(term, weight if entity else weight / 2)
    if len(parts) > 1:
        kind = "two-part"
    question = Question(
        text=text, kind=kind, terms=terms, constraints=list(dict.fromkeys(constraints)), frame=frame,
        measure=_measure(text, kind), item=_list_item(text) if kind == "list" else None,
        dates=stated_dates(text), years=set(YEAR.findall(text)),
        idf=_known_idf(terms, idf) if idf else {}, aside=aside,
    )
    if len(parts) > 1:
        question.parts = [parse_question(part, tokenizer, question, idf) for part in parts]
    return question


LIGHT_VERBS = frozenset("进行 开展 实施 组织 完成 持续 经过 历时 用时 花费 需要".split())  # 海试进行了几天: the 海试's
NUMBERED = re.compile(r"(\d+)\s*(号线|号楼|号院|届)")
WHY_OR_HOW = re.compile(r"为什么|为何|为啥|怎么|怎样|如何")  # (a way is asked like a reason: 警方最后是怎么处理的)
FOCUS_WEIGHT, TOPIC_WEIGHT = 2.0, 0.4  # a term of what is asked, and of which thing, in a sentence's score
FOCUS_SHARE = 0.6  # the most of a question's term weight its asked part may hold to be its focus
ASKED_AT = re.compile(r"哪|多少|几|什么时候|啥时候|何时|多久|多长")
SEVERAL_ASKED = re.compile(r"(?:由|是)?(?:多少|几|谁)[^，,。？?、和及与]{1,8}(?:[、和及与](?:由|是)?(?:多少|几|谁)[^，,。？?、和及与]{1,8})+")


def split_parts(text: str) -> list[str]:
    """`A和B分别是多少` -> [A是多少, B是多少]; `…？…？`, `…多少，是谁…` and `有多少A、多少B` -> one
    question each."""
    pieces = [p.strip(" ，,。") for p in PART_SPLIT.split(text) if p.strip(" ，,。")]
    if any(not INTERROGATIVE.search(p) and not any(f.search(p) for _, f in FRAMES) for p in pieces):
        pieces = [text]  # 中央花园社区那篇讲了什么？总结一下: one question said twice
    if len(pieces) == 1:  # two questions joined by a comma: both halves ask something
        halves = [h.strip() for h in re.split(r"[，,](?:还有|以及|并且|另外|同时|又)?", text) if h.strip(" ？?")]
        asking = [h for h in halves if INTERROGATIVE.search(h)]
        if len(halves) == 2 and len(asking) == 2:
            pieces = halves
    if len(pieces) == 1 and (asked := SEVERAL_ASKED.search(text)):  # 车上有多少旅客、多少乘务人员
        items = re.split(r"[、和及与](?=(?:由|是)?(?:多少|几|谁))", asked.group())  # (由谁出品、由谁创排)
        pieces = [text[: asked.start()] + item + text[asked.end():] for item in items]
    if len(pieces) == 1 and (both := BOTH.search(text)):
        head, tail = text[: both.start()], text[both.end():].lstrip("是为有")
        items = [i for i in CONJUNCTION.split(head) if i]
        if len(items) >= 2:  # the words before the first item's last 的 belong to every item
            prefix = items[0][: items[0].rfind("的") + 1] if "的" in items[0] else ""
            verb = "是" if text[both.end():].startswith("是") or not tail.startswith(("有", "为")) else ""
            pieces = [(item if i == 0 or item.startswith(prefix) else prefix + item) + verb + tail
                      for i, item in enumerate(items)]
    return [p.strip(" ，,") for p in pieces] if len(pieces) > 1 else [text]
