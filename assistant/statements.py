"""What a passage states, read against what a question asks: the sentence's clauses, the typed
values in them (a count in its measure word, money, a percentage, a date, a year, a duration, a
rank with its scope, a person with a title), and whether they satisfy the question's constraints
(`match`). The gate uses it to choose and judge evidence; the answer check uses it to judge the
sentence a model's answer rests on."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from indexing.chunking import sentence_spans
from indexing.newspaper import SURNAMES

from .lexicon import contrasted, states, variants
from .places import local_names
from .question import LIGHT_VERBS, NUMERAL, PERSON_TAGS, QUALIFIER, SCOPE, TITLE, Constraint, Question, tagged

NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万亿]+)"
VALUES: dict[str, re.Pattern] = {
    "money": re.compile(rf"{NUMBER}(?:\s*[-—~至]\s*{NUMBER})?\s*(?:余|多)?\s*(?:万|亿|千|百)?\s*(?:元|美元|欧元|港元|英镑|日元|卢布|韩元)"),
    "percentage": re.compile(r"\d+(?:\.\d+)?\s*(?:%|％)|百分之[\d一二三四五六七八九十点]+|\d+(?:\.\d+)?\s*个百分点|[一二三四五六七八九]成"),
    "date": re.compile(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号](?:\s*[至到—-]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号])?"
                       r"|\d{4}\s*年\s*\d{1,2}\s*月(?:[上中下]旬)?|\d{1,2}\s*月[上中下]旬|(?<!\d)\d{1,2}\s*[日号](?![线楼院门])(?:上午|下午|晚上?|凌晨)?"
                       r"|\d{1,2}\s*[时点](?:\d{1,2}\s*分)?"),
    "year": re.compile(r"(?:19|20)\d{2}\s*年(?!\s*\d{1,2}\s*月)|(?:19|20)\d{2}\s*年(?=\s*\d{1,2}\s*月)"),
    "duration": re.compile(rf"(?<![\d年月]){NUMBER}\s*(?:多|余)?\s*(?:个)?\s*(?:多|余|半)?\s*(?:年|个月|月|天|日|小时|分钟|周|星期|秒)(?!份|\d)"
                           r"|[一二两三四五六七八九十\d]+天[一二两三四五六七八九十\d]+夜|全时|每月|每季度|每年|每周|每天"),
    "rank": re.compile(r"排名第[一二三四五六七八九十\d]+|第[一二三四五六七八九十\d]+(?:名|位|枚|块|个|次|届|座|家|档|梯队|批|期|轮)|"
                       r"(?:世界|全球|全国|国内|亚洲|全省|全市|同类|全线|全段|境内|省内|市内|区内|史上|历史上)[^，。；]{0,10}?"
                       r"(?:最(?:大|长|高|快|深|多|早|小|低|短)|第一|之最|首座|首个)|居[^，。；]{0,12}第[一二三四五六七八九十\d]+"
                       r"|(?:排名|位列|位居|排在)[^，。；]{0,8}(?:第[一二三四五六七八九十\d]+|首位|前列|前[一二三四五六七八九十\d]+)|首位|榜首|冠军|亚军|季军|第一"),
    "quantity": re.compile(rf"{NUMBER}\s*(?:余|多)?\s*(?:万|亿)?\s*(?:[\u4e00-\u9fff]{{1,3}}/[\u4e00-\u9fff]{{1,3}}|[^\d\s，。、,；;：“”（）()]{{0,2}})"),
    "list": re.compile(r"[^，。；、]{1,20}、[^，。；、]{1,20}|分别(?:为|是)|包括|有[^，。；]{1,30}等"),
}
# measure words that count the same things (多少人 is answered by 67名)
MEASURE_GROUPS = ("人名位", "家户", "个项件", "次场", "栋幢座", "台辆", "所")
ORGANISATION = re.compile(r"[\u4e00-\u9fff]{2,20}?(?:局|委员会|委|办公室|办|厅|部|署|院|所|站|中心|公司|集团|银行|协会|学会|联合会|大学|学院|学校|小学|中学|医院|法院|检察院|政府|街道|社区|研究院|基金会|合作社|电视台|报社|平台|组织|联盟|俱乐部|队)")
PLACE_NAME = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:省|市|县|区|镇|乡|村|街道|社区|小区|国|州|岛|港|口岸|站|路|街|广场|公园|中心|大剧院|剧院|体育馆|场馆|机场|山|河|湖"
                        r"|大厦|大厅|教堂|宫|馆|会场|校区|体育场|球场|礼堂)")
NAME_AFTER_TITLE = re.compile(rf"(?:{TITLE.pattern})\s*([\u4e00-\u9fff·]{{2,3}}?)(?=说|表示|介绍|指出|认为|称|强调|告诉|带队|率队|主持|向|就|在|等|和|、|，|,|。|；|：|:|\s|$|[（(“])")
ROLE_END = re.compile(r"[\u4e00-\u9fff]{2,}(?:师|员|官|家|长|主任|书记|经理|主席|委员|代表|负责人|人|主播|导演)$")  # 高级统计师
# a clause that says no; not the words that only contain the character (不断, 未来, 无人机, 非常, 否则)
NEGATION = re.compile(r"不(?![断仅少久同但过论管如错])|没(?!收)|未(?!来|成年|知)|无(?!人机|论|锡|线|数|疑|限|缝)"
                      r"|非(?!常|洲|遗|法|凡)|否(?!则)|拒绝|禁止|严禁|暂无")


QUOTE_MAX = 240  # characters of a quote of several sentences read as one statement
ATTRIBUTION = re.compile(r"^\s*[^，。！？“”]{2,30}?(?:说|表示|介绍|指出|称|坦言|感慨|告诉记者)[。！]?\s*$")


def statement_spans(text: str, semicolons: bool = True) -> list[tuple[int, int]]:
    """Sentences of a passage, with clauses ended by ； joined back into their sentence (unless not
    `semicolons`: a summary's points may be single clauses of a long list), the sentences of one
    quote joined (up to QUOTE_MAX characters), a quote joined with the sentence that says who said
    it (“…。”香山街道党工委书记刘宏亮说。), and a question the report asks joined with the sentence
    that answers it (为何…特大暴雨？…地形…)."""
    spans: list[tuple[int, int]] = []
    for span in sentence_spans(text):
        previous = text[spans[-1][0]:spans[-1][1]].rstrip() if spans else ""
        quoting = previous.count("“") > previous.count("”") and span.end - spans[-1][0] <= QUOTE_MAX
        ends = "；;？?" if semicolons else "？?"
        if spans and (previous[-1:] in ends or quoting or (previous.endswith("”")
                                                           and ATTRIBUTION.match(text[span.start:span.end]))):
            spans[-1] = (spans[-1][0], span.end)
        else:
            spans.append((span.start, span.end))
    return spans


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence, cut after ，,；; and ：: (a clause keeps its punctuation)."""
    return [c for c in re.split(r"(?<=[，,；;：:])", sentence) if c.strip()]


def measure_group(measure: str) -> str:
    return next((group for group in MEASURE_GROUPS if measure in group), measure)


def counts(text: str, measure: str, head: str | None = None) -> list[str]:
    """Counts a text gives in a measure word or one that counts the same things (67名 for 多少人),
    or, for 几个市, a number before the thing counted (5市)."""
    words = measure_group(measure)
    unit = (re.escape(measure) if len(measure) > 1 else f"[{re.escape(words)}]"  # 毫米 as written, not 米
            ) + (f"|{re.escape(head[-1])}" if head and measure == "个" else "")
    return [m.group() for m in re.finditer(rf"{NUMERAL}+(?:\.\d+)?\s*(?:余|多)?\s*(?:万|亿)?\s*(?:{unit})", text)
            if not re.fullmatch(r"(?:19|20)\d{2}年", m.group())]


def values(text: str, question: Question, context_year: int | None = None) -> list[str]:
    """The values of the asked kind a text states ([] for kinds that have no typed value). With
    the article's year, a year question is also answered by 今年 / 去年 / a time within the year
    (`10月14日`, `9月下旬`, `当天`, `近日` in a 2021 report are 2021)."""
    kind = question.kind
    if kind == "year" and context_year:
        stated = [m.group().strip() for m in VALUES["year"].finditer(text)]
        if not stated and (relative := RELATIVE_TIME.search(text)):
            shift = SHIFTS.get(relative.group(), 0)
            stated = [f"{context_year - shift}年"]
        return [y for y in stated if y not in question.text]
    if kind in ("count", "quantity") and question.measure:  # (not a number the question gives: 市内五区)
        return [c for c in counts(text, question.measure, question.head_noun) if c not in question.text]
    if kind == "duration" and question.measure and question.measure not in "天年月":
        return counts(text, question.measure)
    if kind in ("person", "organisation", "place"):  # the question's own names are not its answer
        if question.place_kind:  # 在哪条路上: a road's name (建设路), not the district's
            found = local_names(text, [question.place_kind])
        else:
            found = (people(text, question) if kind == "person" else
                     [m.group() for m in (ORGANISATION if kind == "organisation" else PLACE_NAME).finditer(text)])
        if kind == "person" and not found and not question.of("role") and "谁" in question.text:
            # 保险是谁给群众买的: a body may be who did it (新华区政府), where no title asks for a person
            found = [re.split(r"[是为由的在、，,]", m.group())[-1] for m in ORGANISATION.finditer(text)]
            found = [f for f in found if len(f) >= 3]
        return [f for f in found if f not in question.text]
    if kind == "role":
        return roles(text, question)
    pattern = VALUES.get("quantity" if kind == "count" else kind)
    if pattern is None:
        return []
    # (提前1天完成: how much earlier, not how long)
    found = [m.group().strip() for m in pattern.finditer(text)
             if not (kind == "duration" and re.search(r"(?:提前|推迟|延迟|延后|提早)$", text[: m.start()]))]
    if kind == "rank" and question.measure and f"第几{question.measure}" in question.text:  # 第几次夺冠: 第三次, not 冠军
        found = [f for f in found if re.fullmatch(rf"第[一二三四五六七八九十\d]+{re.escape(question.measure)}", f)]
        found += re.findall(rf"首{re.escape(question.measure)}", text)  # 首批: 第一批
    if kind == "duration":  # 2021年 is a year, not a duration; a duration in the asked unit
        found = [f for f in found if not re.fullmatch(r"(?:19|20)\d{2}\s*年", f)]
        if question.measure in ("年", "天", "月"):
            found = [f for f in found if f.endswith(question.measure) or f.endswith("个月") and question.measure == "月"]
        if question.measure in (None, "天"):  # 10月15日至18日: a span of days (and not 10月, 18日 in it)
            spans = [span for span, _ in days_spanned(text)]
            found = spans + [f for f in found if not any(f in span for span in spans)]
    if kind in ("quantity", "count"):  # not a date, a month, an age bound (80岁以上) or a number the question gives
        dates = " ".join(m.group() for m in VALUES["date"].finditer(text))
        found = [f for f in found if re.search(r"\d|[一二两三四五六七八九十百千万亿]", f) and f not in dates
                 and not re.search(r"岁|周年|^\d{1,2}\s*月|^\d{1,2}\s*[时点]|^(?:19|20)\d{2}\s*年", f)
                 and f not in question.text and not _named_number(f, question)]
    return found


def _named_number(value: str, question: Question) -> bool:
    """Is a value's number part of a name the question gives (88会员 for 88VIP, 17号 for 17号线)?"""
    number = re.match(r"[\d.]+", value)
    return bool(number) and any(re.search(rf"(?<![\d.]){re.escape(number.group())}(?![\d.])", e) and e != number.group()
                                for e in question.entities)


def people(text: str, question: Question) -> list[str]:
    """Names in a text (jieba's person names, and the 2-3 characters after a title): for a question
    naming a title (党委书记是谁), only names that title stands next to."""
    wanted = question.of("role")
    byline = not any(re.search(r"记者|通讯员|编辑|摄影|作者", w) for w in wanted + [question.text])
    words = tagged(text)
    found: list[str] = []
    offset = 0
    for word, tag in words:
        start, offset = offset, offset + len(word)
        if tag not in ("nr", "nrfg", "nrt") or len(word) < 2:
            continue
        if len(word) == 2 and start and text[start - 1] in SURNAMES:  # jieba's 张|琳娜: 张琳娜
            word, start = text[start - 1] + word, start - 1
        before = text[max(0, start - 12) : start]
        title = TITLE.search(before[-8:]) if before else None
        if byline and re.search(r"(?:记者|通讯员|编辑)\s*$", before):
            continue  # the reporter of the story, not a person in it
        if wanted and not (title and any(w in before or title.group() in w for w in wanted)):
            after = text[offset : offset + 10]
            if not any(re.match(rf"(?:是|为|任|担任)?[^，。；]{{0,6}}{re.escape(w)}", after) for w in wanted):
                continue
        found.append(word)
    for match in NAME_AFTER_TITLE.finditer(text):  # names jieba does not know (焦店镇镇长郭晓光)
        title = TITLE.search(match.group()).group()
        if byline and title in ("记者", "通讯员", "编辑"):
            continue
        said = tagged(match.group(1))
        if len(said) == 1 and said[0][1][:1] in "vdpcurmqat":
            continue  # 志愿者开始在…: a word after the title, not a name
        if (not wanted or any(w in title or title in w for w in wanted)) and match.group(1) not in found:
            found.append(match.group(1))
    # a name jieba cut short (琳娜 of 首席预报员张琳娜) is the full name the title stands next to
    return list(dict.fromkeys(next((f for f in found if name in f and name != f), name) for name in found))


# what follows the asked person to say what they are: 是一名…, 任…, (clauses later) 担任…
PREDICATE = re.compile(rf"^(?:(?:是|为|作为|担任|出任|任)|[^。；;]{{0,30}}?[，,](?:又|并|后|现|曾|还)?(?:担任|出任|任(?![务何意性])))(?:一名|一位|一个)?"
                       rf"([^，,。；;]{{0,20}}?(?:{TITLE.pattern})|(?<=一名|一位)[^，,。；;“”]{{2,20}}(?=[，,。；;]|$))")


def roles(text: str, question: Question) -> list[str]:
    """Titles of the person the question asks about (户春香的父亲: her father): the title phrase
    before the name in its clause (焦店镇镇长郭晓光 -> 焦店镇镇长), or after it, in its clause or
    one that goes on about them (户春香是一名社区网格员; 买世蕊…加入了预备役部队，任…政治处副主任).
    A title the question sets aside (除了当平安志愿者) is not the answer."""
    found = []
    for name in question.asked_names:
        holder = question.holder(name)
        for at in re.finditer(re.escape(holder), text):
            # the title phrase before the name, an abbreviation in it kept (预报中心（ECMWF）主任)
            before = re.split(r"[，,。；;：:“”（）()]", re.sub(r"[（(][A-Za-z0-9]+[）)]", "", text[: at.start()]))[-1]
            said = PREDICATE.search(text[at.end():])
            if holder == name and (TITLE.search(before[-6:] if before else "") or ROLE_END.search(before)):
                found.append(before)
            elif said:
                found.append(said.group(1))
    return [r for r in found if not any(r in a for a in question.set_aside)]


PRESENTED = re.compile(rf"(?:{TITLE.pattern})\s*\x00|\x00(?:说|表示|介绍|指出|认为|告诉)")
ENUMERATION = re.compile(r"[^，。；、：]{1,15}(?:、[^，。；、：]{1,15})+")  # 切尔西、曼联、热刺: what a list question asks
NUMERIC = {"count", "quantity", "money", "percentage", "duration", "rank"}
DIGIT_NOT_DATE = re.compile(r"\d")


def answer_score(question: Question, sentence: str) -> float:
    """How well a sentence answers, cheaply (rerank and evidence score every sentence of the top
    passages): the question's weighted terms it contains, plus the kind of fact asked for."""
    lowered = sentence.lower()
    score = sum(weight for term, weight in question.sentence_weights.items() if term in lowered)
    kind = question.kind if not question.parts else question.parts[0].kind
    if kind in NUMERIC and DIGIT_NOT_DATE.search(VALUES["date"].sub("", sentence)):
        score += 1.0  # a quantity, not just a date
        if kind in ("money", "count") and values(sentence, question if not question.parts else question.parts[0]):
            score += 1.0  # in the asked measure
    elif kind in ("date", "year") and re.search(r"\d{1,2}月\d{1,2}日|\d{4}年|\d{1,2}月", sentence):
        score += 0.5
    return score * unfocused(question, lowered) - (RESTATED if kind == "reason" and restates(question, sentence) else 0.0)


def restates(question: Question, sentence: str) -> bool:
    """Whether a sentence says little beyond the question's own words (预期指数升至较高景气区间, for
    为什么…升到了较高景气区间): it gives no reason."""
    chars = re.findall(r"[\u4e00-\u9fff]", sentence)
    return bool(chars) and sum(c in question.text for c in chars) >= 0.8 * len(chars)


RESTATED = 3.0  # what a sentence that only restates a why-question loses


@dataclass
class Match:
    """How one sentence answers one question (or part)."""

    sentence: str
    value: str | None  # a value of the asked kind (None for kinds without one, or none found)
    clause: str  # the clause that holds the value (the sentence when there is no value)
    missing: list[Constraint] = field(default_factory=list)  # constraints the sentence does not meet
    conflicts: list[tuple[Constraint, str]] = field(default_factory=list)  # (asked, what it says instead)
    subjects: float = 1.0  # share of the question's subject words in the sentence
    score: float = 0.0

    @property
    def typed(self) -> bool:
        """The sentence states a value of the asked kind (or the kind has no typed value)."""
        return self.value is not None

    @property
    def supports(self) -> bool:
        return self.typed and not self.missing and not self.conflicts


SUBJECT_ELSEWHERE = 0.67  # the share of the subject's weight a typed value's sentence may leave unsaid
TYPED = {"count", "quantity", "money", "percentage", "date", "year", "duration", "rank", "person", "role",
         "organisation", "place"}


def _same_type(a: str, b: str) -> bool:
    """Whether two qualifiers or times qualify the same dimension (80岁以上 and 60岁以上; 首批 and
    第二批; 2020年 and 2021年; 今年 and 去年), so that one stated instead of the other is a conflict."""
    kinds = (r"岁", r"批|届|期|轮", r"^每", r"型$", r"级$", r"(?:19|20)\d{2}", r"\d{1,2}\s*月", r"今年|去年|前年|明年",
             r"上半年|下半年", r"个体|民营|国有|外资|高龄|空巢|独居", r"年(?:及)?(?:以上|以下|以内)",
             r"(?:个月|天|小时)(?:及)?(?:以上|以下|以内)")
    return any(re.search(k, a) and re.search(k, b) for k in kinds)


def _stated(kind: str, text: str) -> list[str]:
    """The scopes or qualifiers a text states."""
    pattern = SCOPE if kind == "scope" else QUALIFIER
    return [m.group() for m in pattern.finditer(text)]


SPAN = re.compile(r"近年来|多年来|近几年|这些年来?|历年|历史上")  # a time of many years
DATE_PARTS = re.compile(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?"
                        r"|(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?|(?<![\d月])(\d{1,2})\s*[日号](?![线楼院门])"
                        r"|(今年|去年|前年|明年)|((?:19|20)\d{2})-(\d{2})-(\d{2})")


def mentions(text: str, name: str) -> bool:
    """Whether a (lower-cased) text names a name: 中国外交部 is named by 外交部 in a Chinese report."""
    if name in text or name.replace(" ", "") in text.replace(" ", ""):  # CVPR2022 and CVPR 2022
        return True
    if any(v in text for v in variants(name)[1:]):  # 发改委: 发展改革委
        return True
    if name[:2] in ("中国", "我国") and len(name) > 3 and name[2:] in text:
        return True
    return abbreviates(name, text)


def abbreviates(name: str, text: str) -> bool:
    """Whether a 3-4 character Chinese name is an abbreviation of a longer name the text writes: its
    characters in order, the first and last within a short span (陕历博: 陕西历史博物馆)."""
    if not re.fullmatch(r"[\u4e00-\u9fff]{3,4}", name):
        return False
    pattern = "[\u4e00-\u9fff]{0,3}".join(map(re.escape, name))
    return re.search(pattern, text) is not None


NATIONAL = ("全国", "国内", "我国", "全国各地")  # one scope, several words
SHIFTS = {"今年": 0, "去年": 1, "前年": 2, "明年": -1}
# a time that places an event in its report's year (today's 当天, 近日, 9月下旬; 去年 one year back)
RELATIVE_TIME = re.compile(r"今年|去年|前年|明年|当天|当日|近日|日前|今天|今日|昨天|昨日|前天|近期|刚刚|"
                           r"(?<!\d)\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号]|[上中下]旬|底|初)|本月|上月")


STATING_VERBS = frozenset("包括 包含 达到 共有 约为 总计 合计 累计 共计 超过 不足 占 约 有 为 是".split())


def _acts(clause: str) -> bool:
    """Whether a clause states an action of its own (注册, 提交), not only an amount (达, 包括, 为)."""
    return any(w in SPENDING or (t.startswith("v") and len(w) >= 2 and w not in STATING_VERBS and w not in LIGHT_VERBS)
               for w, t in tagged(clause))


SPENDING = frozenset("花费 开支 花销 耗资 支出".split())  # money one spent: an action, though jieba tags it a noun


def _states_event(event: str, text: str) -> bool:
    """Whether a text states the asked event: its word, or one that means the same (说 / 表示)."""
    return any(v in text for v in variants(event))


DAY_SPAN = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[至到—-]\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")


def days_spanned(text: str) -> list[tuple[str, int]]:
    """The spans of days a text states (10月15日至18日), each with how many days it takes in (4):
    a duration the text gives without writing it."""
    found = []
    for m in DAY_SPAN.finditer(text):
        month, day, month_to, day_to = (int(g) if g else None for g in m.groups())
        try:  # (a leap year, so that 2月29日 is a day)
            days = (date(2024, month_to or month, day_to) - date(2024, month, day)).days + 1
        except ValueError:
            continue
        if days <= 0:  # 12月30日至1月2日: into the next year
            days += 366
        found.append((m.group(), days))
    return found


def report_date(value: str | None) -> date | int | None:
    """A passage's date (2021-10-19), or its year when only that is known."""
    full = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if full:
        return date(*map(int, full.groups()))
    year = re.match(r"(\d{4})", value or "")
    return int(year.group(1)) if year else None


def _dates_in(text: str, report: date | None) -> list[tuple[tuple[int | None, int | None, int | None], str]]:
    """The dates a text states, as (year, month, day) with unknown parts None: a day or month
    without a year is in the report's year, 今年 is the report's year, 19日 is in the report's month."""
    found = []
    for m in DATE_PARTS.finditer(text):
        g = m.groups()
        if g[0]:
            parts = (int(g[0]), int(g[1]) if g[1] else None, int(g[2]) if g[2] else None)
        elif g[3]:
            parts = (report.year if report else None, int(g[3]), int(g[4]) if g[4] else None)
        elif g[5]:
            parts = (report.year if report else None, report.month if report else None, int(g[5]))
        elif g[6]:
            parts = ((report.year - SHIFTS[g[6]]) if report else None, None, None)
            found.append((parts, f"{m.group()}（{parts[0]}年）" if report else m.group()))
            continue
        else:
            parts = (int(g[7]), int(g[8]), int(g[9]))
        found.append((parts, m.group()))
    return found


def told_date(sentence: str, reported: str | None) -> str | None:
    """The day a sentence says what it tells happened (ISO), if it says one: the latest day it
    states, up to its report's date (today's 今晨 and 当天 are the report's); None when it states none."""
    report = report_date(reported)
    if not isinstance(report, date):
        return None
    days = _days_in(sentence, report)
    if re.search(r"今晨|今天|今日|当天|当日|今早|今晚", sentence):
        days.add(report)
    return max(days).isoformat() if days else None


def told_days(text: str, reported: str | None) -> set[date]:
    """The days a text says things happened on, up to its report's date (a report of 10月19日 tells
    of 10月15日至18日; not the day a count runs to)."""
    report = report_date(reported)
    if not isinstance(report, date):
        return set()
    return _days_in(re.sub(r"(?:截至|截止(?:到)?)\s*[\d年月日号]+", "", text), report)  # 截至10月18日 ends a count


def _days_in(text: str, report: date) -> set[date]:
    """The whole days a text states, up to its report's date."""
    return {date(*parts) for parts, _ in _dates_in(text, report) if all(parts) and _valid(*parts) and date(*parts) <= report}


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def time_verdict(asked: str, scope: str, report: date | None) -> tuple[str, str | None]:
    """("agree" | "conflict" | "missing", what the text says instead): whether `scope` (or, when it
    names no date, its report's own date) states the asked time, to the precision asked (8月 is not
    confirmed by 今年, and is contradicted by 10月18日)."""
    if asked in scope:
        return "agree", None
    year_only = re.fullmatch(r"((?:19|20)\d{2})年", asked)
    if year_only and re.search(rf"(?<!\d){year_only.group(1)}(?!\d)", scope):  # CBA2021-2022赛季, 2022春运
        return "agree", None
    wanted = _dates_in(asked, report)
    if not wanted:  # 上半年, 目前, 近日: only their own words say so
        return "missing", None
    span = SPAN.search(scope)
    if span and not _dates_in(scope, report):  # 今年 asked, 近年来累计 said: years, not this one
        return "conflict", span.group()
    want = wanted[0][0]
    if all(part is None for part in want):  # 今年 with no report date to count from
        return "missing", None
    finest = max(i for i, part in enumerate(want) if part is not None)
    stated = _dates_in(scope, report)
    implied = [((report.year, report.month, report.day), "")] if report and not stated else []
    for parts, _ in stated + implied:
        if parts[finest] is not None and all(a is None or b is None or a == b for a, b in zip(want, parts)):
            return "agree", None
    for parts, _ in stated:  # a report's own date confirms a time, but does not contradict one: a
        # 2023 report gives 2022's figures
        clash = [i for i, (a, b) in enumerate(zip(want, parts)) if a is not None and b is not None and a != b]
        if clash:
            year, month, day = parts
            said = {0: f"{year}年", 1: f"{month}月", 2: f"{month}月{day}日"}[finest] if parts[finest] else f"{year}年"
            return "conflict", said
    return "missing", None


def sibling(word: str, clause: str) -> str | None:
    """Another thing of the asked word's kind that a value's clause names instead of it (教育支出
    asked; 其中科学技术支出同比增长55.1%: the figure is 科学技术支出's): the same head word, another
    name before it, not one holding the asked name (粮食总产量 for 粮食产量)."""
    if len(word) < 4 or word in clause:
        return None
    head = word[-2:]
    for m in re.finditer(rf"([\u4e00-\u9fff]{{2,6}}?){re.escape(head)}", clause):
        name = re.sub(r"^(?:其中|以及|包括|和|及|与)", "", m.group(1))
        if (len(name) >= 2 and not re.match(r"[该本此这那各全其每整]", name) and name not in word
                and word[:-2] not in name):  # (粮食总产量 is a 粮食产量)
            return name + head
    return None


def _judge(question: Question, sentence: str, scope: str, clause: str, value: str | None, whole: str,
           report: date | None, terms: dict[str, float], siblings: str = "") -> Match:
    """Check the constraints: names anywhere in the article; qualifier, scope and time in `scope`
    (the value's clause and the sentence's clauses that state no other value); subject words in
    the article, some of them (or a name) in the sentence."""
    result = Match(sentence, value, clause)
    lowered, in_scope = sentence.lower(), scope.lower()
    for constraint in question.constraints:
        text = constraint.text.lower()
        if constraint.kind == "entity":
            if not mentions(whole, text):
                result.missing.append(constraint)
        elif constraint.kind == "time":
            verdict, instead = time_verdict(constraint.text, scope, report)
            if verdict == "missing" and whole:  # the sentence names no date: its report's text may
                verdict, instead = time_verdict(constraint.text, whole, report)
            if verdict == "conflict":
                result.conflicts.append((constraint, instead))
            elif verdict == "missing" and not re.fullmatch(r"目前|近日|日前|当天|今天", constraint.text):
                result.missing.append(constraint)
        elif constraint.kind in ("qualifier", "scope"):
            if question.focus and text not in question.asked_part.lower():  # it says of which thing (6岁男孩)
                if text not in whole:
                    result.missing.append(constraint)
                continue
            if text in in_scope or (constraint.kind == "scope" and text in NATIONAL and any(n in in_scope for n in NATIONAL)):
                continue
            instead = [s for s in _stated(constraint.kind, scope)
                       if s != constraint.text and (constraint.kind == "scope" or _same_type(constraint.text, s))]
            if instead:
                result.conflicts.append((constraint, instead[0]))
            elif (constraint.kind == "qualifier" and 0 <= sentence.lower().find(text) < sentence.lower().find(clause.lower())
                  and any(states(w, clause.lower()) for w in question.of("subject"))):
                # an earlier clause sets the group that the value's clause goes on about:
                # 其中60岁以上的老年人有254人,老年人口占总人口比例3.8%
                result.score -= 0.3
            else:
                result.missing.append(constraint)
        elif constraint.kind == "role" and question.kind in ("person", "role"):
            if text not in in_scope:
                result.missing.append(constraint)
    subjects = question.of("subject")
    # a value's clause that says nothing of its own goes on about the clause before it
    # (全市平均降雨量为170.9毫米，城区平均186.3毫米: a 降雨量 too)
    own = clause.lower() if value else clause
    for word in sorted([*subjects, *question.entities, value, "平均"], key=len, reverse=True) if value else ():
        own = own.replace(word, "")
    elliptical = len(re.findall(r"[\u4e00-\u9fff]", own)) < 2
    if subjects:
        # a word only a parallel clause says belongs to that clause's fact (…7家企业申领，…5家企业兑现),
        # unless the value's clause goes on about it
        claimed = [] if elliptical else [s for s in subjects if s in siblings and s not in in_scope]
        absent = [s for s in subjects if not states(s, whole)] + claimed
        result.subjects = 1 - len(absent) / len(subjects)
        in_sentence = sum(s in in_scope for s in subjects)
        unmentioned = in_sentence == 0 and not any(e.lower() in lowered for e in question.entities)
        typed = question.kind in TYPED
        key = question.key_subject
        # (not what only describes a name; a person all of whose words only say which one need none here)
        asked = [s for s in subjects if s not in question.describing] or (
            [] if question.kind in ("person", "role") else subjects)
        weight = {s: question.idf.get(s, 1.0) for s in asked}
        unsaid = [s for s in asked if not states(s, in_scope)]
        # a typed value is about what its sentence says: most of what the question names (by idf) is
        # there (营收规模…全国第二 is not the rank of 互联网广告业务收入)
        # (not a person that the asked title names, of a thing the sentence names: 《俑III》是编导田湉…)
        titled = question.kind == "person" and question.of("role") and any(mentions(lowered, e) for e in question.entities)
        elsewhere = typed and value and not titled and sum(weight[s] for s in unsaid) > SUBJECT_ELSEWHERE * sum(weight.values())
        # and the most telling of them is (银牌 asked: a sentence on the gold says nothing of the silver)
        # (a person is often described by what the question says of them, not by the sentence that names them)
        top = [s for s in asked if key and weight[s] >= weight[key]]  # (the most telling, ties all)
        elsewhere = elsewhere or (typed and value and question.kind not in ("person", "role", "organisation")
                                  and len(asked) > 1 and top and not any(states(s, lowered) for s in top))
        if unmentioned or (typed and (len(absent) > len(subjects) // 3 or claimed or (key in absent and len(subjects) > 1))):
            result.missing.append(Constraint("subject", "、".join(absent) or subjects[0]))
        elif elsewhere:
            result.missing.append(Constraint("subject", "、".join(unsaid)))
        elif absent:  # a what / how / why question: fewer of its words, a weaker sentence
            result.score -= 0.5 * len(absent)
    for word in dict.fromkeys([*question.of("subject"), *question.entities]):  # 闭幕式 asked, 开幕式 said
        instead = contrasted(word.lower(), in_scope) or (
            sibling(word.lower(), clause.lower()) if value and question.kind in NUMERIC else None)
        if instead:
            result.conflicts.append((Constraint("subject", word), instead))
    for number, what in question.numbered:  # 17号线 asked, 10号线 said: another line's fact
        other = re.search(rf"(?<![\d、])(\d+)\s*{what}", sentence)
        if f"{number}{what}" not in sentence.replace(" ", "") and other and other.group(1) != number:
            result.conflicts.append((Constraint("entity", f"{number}{what}"), other.group()))
    result.score += sum(states(verb, in_scope) for verb in question.predicate)  # says what is asked, not only of what
    if question.comparison and compared(question, clause) is None:  # 超过5%了吗: the figure in that unit
        result.missing.append(Constraint("subject", f"{question.comparison[1]:g}{question.comparison[2]}"))
    for event in question.events:  # a date answers the asked event (开幕, not 闭幕)
        if _states_event(event, in_scope):
            continue
        # a count or sum whose clause does something else to it (新注册547家 for 注销, 提交了申报材料 for
        # 审核通过) is another fact; one that only states the amount (总交易额达687亿美元 for 收购,
        # 其中包括7436名本科生 for 录取) may be the asked event worded otherwise: a weaker sentence
        if question.kind in ("date", "year", "duration") or _acts(clause):
            result.missing.append(Constraint("subject", event))
        else:
            result.score -= 1.5
    head = question.head_noun  # what a count counts (or a share is of) must be what the value's clause is about (老人: 老年人)
    said_before = elliptical and head and any(v in siblings for v in variants(head or ""))
    if head and value and not said_before and question.kind in ("quantity", "count", "percentage") and not any(re.search(".*?".join(map(re.escape, v)), clause) for v in variants(head)):
        result.missing.append(Constraint("subject", head))
        result.score = -1.0  # the value counts something else
    if head and value and question.kind == "money" and not any(v in sentence for v in variants(head)):
        result.missing.append(Constraint("subject", head))  # 获利近万元 is no 罚金
    if question.kind == "person" and value and PRESENTED.search(clause.replace(value, "\x00")):
        result.score += 2.0  # a name the sentence presents as a person (书记刘宏亮说), not a word jieba took for one (惠民)
    clause_terms = sum(w for t, w in terms.items() if t in clause.lower())
    item = question.item_noun
    result.score += (sum(w for t, w in terms.items() if t in lowered) + (1.5 if value and question.kind in TYPED else 0.0)
                    + 0.5 * clause_terms + (2.0 if item and item in clause else 0.0)
                    + (2.0 if question.kind == "list" and ENUMERATION.search(sentence) else 0.0)
                    + (CAUSE_WEIGHT if question.kind == "reason" and CAUSE.search(sentence) else 0.0)
                    - (RESTATED if question.kind == "reason" and restates(question, sentence) else 0.0)
                    - 1.0 * len(result.conflicts) - 0.5 * len(result.missing))
    result.score *= unfocused(question, lowered)
    return result


def unfocused(question: Question, lowered: str) -> float:
    """A sentence that states none of what a yes/no or list asks (only which thing: a report's lead)
    counts half; not an enumeration for a list (成员有哪些: 航天员：翟志刚、王亚平、叶光富 names the
    members, not their kind)."""
    if not question.focus or any(states(t, lowered) for t in question.focus):
        return 1.0
    return 1.0 if question.kind == "list" and MEMBERS.search(lowered) else UNFOCUSED


UNFOCUSED = 0.5
MEMBERS = re.compile(r"[^，。；、：\d]{2,15}(?:、[^，。；、：]{2,15}){2,}")  # three names or more (not 10、17号线)


# a sentence that gives a reason in so many words (之所以…是因为, 是为了, 得益于)
CAUSE = re.compile(r"因为|由于|之所以|是为了|为了|得益于|原因|所以|因此|优势|导致|造成|缘于|源于|随着")
CAUSE_WEIGHT = 1.5


def joined(question: Question, text: str) -> str | None:
    """For a yes/no on whether one did it alone (只是区长一个人挂帅吗): the others the text names
    with that one (区委书记、区长), if it does."""
    who = question.alone
    if not who or who not in text:
        return None
    named = (rf"(?:[\u4e00-\u9fff]{{2,8}}?[、和与及同跟])*{re.escape(who)}"  # all the names in its enumeration
             rf"(?:[、和与及同跟][\u4e00-\u9fff]{{2,10}}?(?=[、，,。；亲共一等都两三四五六多各]))*")
    found = re.search(named, text)
    return found.group() if found and found.group() != who else None


def described(question: Question, text: str) -> tuple[bool, str] | None:
    """For a yes/no on whether two are of one thing (安耀伟和梁晓力是同一所学校的校长吗): whether
    the text describes both alike (the words before each name: 新华区实验小学校长 / 新华区新程街小学校长),
    and what it says of each; None when it does not describe both."""
    if not question.same_of:
        return None
    said = []
    for name in question.same_of:
        found = re.search(rf"([^，,、。；：:和与及为是]{{2,20}}){re.escape(name)}", text)
        if not found:
            return None
        said.append((name, found.group(1)))
    (a, of_a), (b, of_b) = said
    return of_a == of_b, f"{a}是{of_a}，{b}是{of_b}"


def compared(question: Question, text: str) -> tuple[bool, str] | None:
    """For a yes/no comparing a figure with a threshold (超过5%了吗): whether the figure `text` states
    in the asked unit passes it, and that figure; None when it states none."""
    how, threshold, unit = question.comparison or ("", 0.0, "")
    if not unit:
        return None
    # a figure in the asked unit, or a range of them (3-5亿元: both ends must pass)
    figure = re.compile(rf"(\d+(?:\.\d+)?)(?:\s*[-~～—至到]\s*(\d+(?:\.\d+)?))?\s*{re.escape(unit) if unit != '%' else '[%％]'}")
    asked = [c.text for c in question.constraints if c.kind in ("subject", "qualifier")]
    stating = [c for c in re.split(r"[，,；;]", text) if figure.search(c)]  # the clause about what is asked
    if not stating:
        return None
    found = figure.search(max(stating, key=lambda c: sum(states(w, c) for w in asked)))
    ends = [float(v) for v in found.groups() if v is not None]
    passes = all({"不超过": value <= threshold, "达到": value >= threshold, "至少": value >= threshold, "有": value >= threshold,
                  "不到": value < threshold, "低于": value < threshold, "少于": value < threshold,
                  "不足": value < threshold}.get(how, value > threshold) for value in ends)
    return passes, found.group()


def match(question: Question, sentence: str, context: str = "", report: date | int | None = None,
          weights: dict[str, float] | None = None) -> Match:
    """How well `sentence` (from a passage whose article says `context`) answers `question`.

    A sentence that states several values of the asked kind in parallel clauses (帮助7家企业申领
    2021年…，帮助5家企业兑现2020年…) states several facts: each value is judged with its own clause
    and the clauses that hold no value (the shared subject), and the best-supported one counts."""
    terms = weights or question.sentence_weights
    whole = f"{context}\n{sentence}".lower()
    if isinstance(report, int):  # only the report's year is known
        report = date(report, 1, 1)
    if question.kind not in TYPED:
        return _judge(question, sentence, sentence, sentence, sentence, whole, report, terms)
    pieces = [sentence] if question.kind == "role" else clauses(sentence)  # a title may be clauses after its name
    found = [values(clause, question, report.year if report else None) for clause in pieces]
    holding = [i for i, vals in enumerate(found) if vals]
    if not holding:
        return _judge(question, sentence, sentence, sentence, None, whole, report, terms)
    shared = [clause for clause, vals in zip(pieces, found) if not vals]
    judged = [_judge(question, sentence, "".join([pieces[i], *shared]), pieces[i], found[i][0], whole, report,
                     terms, "".join(pieces[j] for j in holding if j != i).lower()) for i in holding]
    return max(judged, key=lambda m: (m.supports, m.score))
