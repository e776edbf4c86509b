"""A printed newspaper page (or any plain article text) -> articles.

Handles what real archives look like: headline groups (section banner, kicker, headline, subtitle),
in-article sub-heads, bylines (`本报讯(记者… 通讯员…)`, `(本报记者 … )`), photo captions (`… 摄`),
page-break artefacts where a paragraph, or a word, is cut across blank lines, and the page chrome
of text copied from the web (`boilerplate.py`).
"""
from __future__ import annotations

import re

import jieba.posseg
import unicodedata
from dataclasses import dataclass, field

from .boilerplate import strip_page_chrome
from .documents import Article, SourceText

SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’\"'」』)）】》"
HEADING_MAX = 48
LEAD_BYLINE = re.compile(r"^本报讯\s*[（(]([^（()）]{1,60})[)）]\s*")
DATELINE_BYLINE = re.compile(r"^[^，。,（(]{2,24}电\s*[（(]\s*((?:本报)?记者[^（()）]{1,40})[)）]\s*")
END_BYLINE = re.compile(r"\s*[（(]\s*((?:本报)?(?:记者|通讯员)[^（()）]{1,60})[)）]\s*$")
PHOTO_CREDIT = re.compile(r"\s+((?:[\u4e00-\u9fff]{2,4}\s+)*[\u4e00-\u9fff]{2,4})\s*摄\s*$")
ROLE = re.compile(r"^((?:本报|全媒体|见习|实习|首席|特约|融媒体|每经|新京报)?记者|通讯员|实习生)")
# a byline in the first lines of a web article: 新京报讯（记者行海洋）, 中新网上海7月25日电 (记者 姜煜),
# （全媒体记者 朱华 通讯员 高衎）, 记者 台雪超 通讯员 崔增传7月24日晚…, 每经记者 陈利 每经编辑 魏文艺,
# 文/羊城晚报全媒体记者 胡广欣, 四川在线记者 张敏“秋老虎”…
LEAD_PEOPLE = re.compile(
    r"[（(【]\s*(?:[\u4e00-\u9fff]{2,4}·[\u4e00-\u9fff]{2,4}(?=记者)"  # （中青报·中青网记者 朱彩云）
    r"|[\u4e00-\u9fff]{2,12}?(?=(?:特约|首席)?记者))?"  # 【环球时报驻韩国特约记者  张静】
    r"((?:(?:本报|全媒体|见习|实习|首席|特约|融媒体)?记者|通讯员)[^（()）【】]{2,40})[)）】]"
    r"|(?:(?<![\u4e00-\u9fff])|(?<=在线|新闻)|(?<=[网端])|文/[\u4e00-\u9fff]{0,8}?)"  # 文/羊城晚报全媒体记者 胡广欣, 四川在线记者 张敏
    # (极目新闻记者 卢成汉通讯员 陈雷 刘娱: the next role may follow a name unspaced)
    r"((?:(?:本报|全媒体|见习|实习|首席|特约|融媒体|每经)?记者|通讯员)\s*[\u4e00-\u9fff]{2,3}"
    r"(?:(?:[\s、]*(?:记者|通讯员|实习生)\s*|[\s、]+)[\u4e00-\u9fff]{2,3}){0,3})(?<!摄)(?=[\s\d（(“]|记者|近日|日前|[\u4e00-\u9fff]{2,4}在线|$)"
)
# 四川在线记者 王若晔当前…, also after a photo's credit: …广元市自然资源局供图四川在线记者 张敏投资58亿元,
# or a 文/ credit: 文/羊城晚报全媒体记者 胡广欣自李玟离世以来
GLUED_CREDIT = re.compile(r"(?:^|(?<=。)|(?<=供图)|(?<=摄)|文/)\s*[\u4e00-\u9fff]{2,6}?(?:在线|网|报|全媒体)记者\s+([\u4e00-\u9fff]{2,8})")
# 记者 | 王谰 实习生 | 唐诗: roles and names set apart by a bar
PIPED_NAME = r"(?:记者|通讯员|实习生)\s*[|｜]\s*[\u4e00-\u9fff]{2,3}(?=[^\u4e00-\u9fff]|近日|日前|$)"
PIPED_CREDIT = re.compile(rf"{PIPED_NAME}(?:\s+{PIPED_NAME})*")
OUTLET = (r"(?:本报|新华社|中新社|中新网|人民网|央视网|央广网|新京报|澎湃新闻|环球时报|新华网|光明网|中国新闻网|中国网|海外网|极目新闻"
          r"|红星新闻|[\u4e00-\u9fff]{2,4}(?:日报|晚报|晨报|都市报|商报|新闻网))")
# where a headline glued to the start of a web article's text ends: its dateline or byline
HEADLINE_END = re.compile(rf"[（(]?(?:全媒体|本报|每经)?记者|通讯员|{OUTLET}[\u4e00-\u9fff]{{0,10}}?"
                          rf"\d{{1,2}}月\d{{1,2}}日(?:电|讯|消息)|{OUTLET}(?:讯|$|(?=[\s（(]|记者|\d))|文/|来源[：:]|图[：:/]|视觉中国"
                          r"|(?<=[\u4e00-\u9fff！？!?”])\d{1,2}月\d{1,2}日(?:[上下]午|晚)?[，,]")
ORIGINAL_TITLE = re.compile(r"^\s*原标题[：:]\s*")
# what follows 记者 in a lead but is no name: 记者昨天（8月16日）从公安部获悉
NOT_A_NAME = re.compile(r"(?:昨天|今天|前天|明天|当天|近日|日前|目前|此前|近期|今日|昨日|获悉|了解|来到|走进|现场|发现|注意)")
# what only credits a report: a role, an outlet's tag (四川在线, 客户端, …讯/电)
CREDIT_WORD = re.compile(r"记者|通讯员|实习生|见习|编辑|摄影|视频|供图|资料图|在线|客户端|[讯电](?:$|\s)|消息$|报道$")
# what may open a web article before its first statement (one at a time, see `lead_statement`)
LEAD_TAG = re.compile(
    r"^\s*(?:您的浏览器不支持此视频格式|刷新重试诊断code.{0,160}?确认取消"
    r"|据[^，。：:（(【\s]{2,16}?消息[，,：:]|[^，。：:（(【\s]{2,16}?\d{1,2}月\d{1,2}日消息[，,]"  # 据央视新闻消息，
    r"|[^，。：:（(【\s]{2,16}?(?:\d{1,2}月\d{1,2}日)?(?:电|讯|消息)(?:[：:]|(?=[（(【\s]))"  # 央视网消息：, 新京报贝壳财经讯（
    r"|[（(【][^（()）【】]{0,40}?(?:记者|通讯员|实习生|编辑|摄影)[^（()）【】]{0,40}[)）】]"  # 【环球网报道 见习记者 赵博元】
    r"|[\u4e00-\u9fff]{0,8}?(?:记者|实习生|编辑|摄影|视频|通讯员)\s*(?:[\u4e00-\u9fff]{2,3}(?:\s+|、|(?=\d)))+"  # 每经编辑 魏文艺 
    r"|(?:记者|通讯员)[^，。：:（(【]{0,20}?报道[：:]"  # 通讯员粤交警报道：
    r"|[（(](?:[\u4e00-\u9fff·]{2,5}\s*){1,5}[)）]"  # (阿琳娜 季晓宇 樊星辉)
    r"|视觉中国\s*(?:资料图|图)?)\s*")
# 新京报讯（记者王景曦）, 本报北京7月31日电（…）, 四川在线记者 钟帆: the credit a lead opens with
LEAD_CREDIT = re.compile(rf"^\s*(?:{OUTLET}|[\u4e00-\u9fff]{{2,6}})?[\u4e00-\u9fff]{{0,8}}?(?:\d{{1,2}}月\d{{1,2}}日)?(?:电|讯)?\s*"
                         r"[（(][^（()）]{0,30}?(?:记者|通讯员)[^（()）]{0,30}[)）]\s*"
                         r"|^\s*[\u4e00-\u9fff]{0,6}记者\s*[\u4e00-\u9fff]{2,3}\s+(?:摄(?![影像制])\s*)?")  # 新京报记者 王巍 摄 截至…
SELF_DATE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:上午|下午|晚上|晚间|晚|早上|凌晨|中午|傍晚)?[,，]"
)
# a photo's credit inside a web article: 新京报记者 王巍 摄, C视觉签约摄影师 邓志昂 摄, 记者刘海锋摄, and the
# names after 摄影 in its byline: 四川在线记者 肖莹佩 摄影 欧阳杰 何海洋 李强
PHOTO_TAKEN = re.compile(r"(?:记者|摄影师|通讯员)\s*((?:[\u4e00-\u9fff]{2,3}\s+){0,3}[\u4e00-\u9fff]{2,3})\s*摄(?![影像制])")
PHOTO_ROLE = re.compile(r"(?<![\u4e00-\u9fff])摄影[\s：:丨|]*((?:[\u4e00-\u9fff]{2,3}(?:[\s、]+|(?=[\d“（(]|$))){1,5})")
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
                     "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒")
SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b]+")
CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]")


def normalize(text: str) -> str:
    """Unicode NFC, unified newlines, non-breaking and ideographic spaces folded, lines trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "")
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def ends_sentence(text: str) -> bool:
    """True when a paragraph ends where a sentence ends (so it is not cut by a page break)."""
    if END_BYLINE.search(text) or PHOTO_CREDIT.search(text):
        return True
    stripped = text.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in SENTENCE_END


def join_fragments(left: str, right: str) -> str:
    """Join two halves of a cut paragraph; a space only between two Latin words."""
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


@dataclass
class Block:
    text: str
    gap: int  # blank lines before this block
    heading: bool = False
    markdown_level: int = 0  # 1 for "# title": always starts an article; 2+ are sub-heads

    @property
    def is_heading_like(self) -> bool:
        text = self.text
        return (
            len(text) <= HEADING_MAX
            and not ends_sentence(text)
            and "。" not in text
            and not LEAD_BYLINE.match(text)
            and balanced(text)
        )

    @property
    def is_clause(self) -> bool:
        """Reads like part of a sentence (has a clause comma) rather than a headline phrase."""
        return bool(re.search(r"[,，、]", self.text))


def balanced(text: str) -> bool:
    """No bracket or quote left open: a line cut mid-parenthesis is a fragment, not a heading."""
    pairs = ("()", "（）", "“”", "《》", "【】")
    return all(text.count(a) == text.count(b) for a, b in pairs)


def split_blocks(text: str) -> list[Block]:
    """Paragraph blocks, each with the number of blank lines before it, page chrome removed. Markdown
    '#' lines are headings."""
    blocks, gap = [], 0
    for line in normalize(strip_page_chrome(text)).split("\n"):
        if not line:
            gap += 1
            continue
        level = len(line) - len(line.lstrip("#")) if line.startswith("#") else 0
        if level:
            line = line.lstrip("#").strip()
        blocks.append(Block(line, gap, bool(level), level))
        gap = 0
    for block in blocks:
        block.heading = block.heading or block.is_heading_like
    # A clause-like short line followed by body text that does not open a new article is the first
    # half of a cut paragraph (`…,不断提` + `高自己…`), not a headline.
    for block, following in zip(blocks, blocks[1:]):
        if block.heading and block.is_clause and not following.heading and not LEAD_BYLINE.match(following.text):
            block.heading = False
    return blocks


def repair_breaks(blocks: list[Block]) -> list[Block]:
    """Join body paragraphs cut by a page break: open end + a following body block."""
    repaired: list[Block] = []
    for block in blocks:
        previous = repaired[-1] if repaired else None
        if (
            previous is not None
            and not previous.heading
            and not block.heading
            and not ends_sentence(previous.text)
        ):
            previous.text = join_fragments(previous.text, block.text)
            continue
        repaired.append(Block(block.text, block.gap, block.heading, block.markdown_level))
    return repaired


def parse_people(byline: str) -> tuple[list[str], list[str]]:
    """(reporters, correspondents) of a byline: `记者毛玺玺 通讯员苗娟` / `本报记者 毛玺玺 通讯员 陈莉娟` /
    `记者刘仲华、张慧中`. A name takes the role written before it (记者 until 通讯员 says otherwise;
    the names after 摄影 or 视频 are neither)."""
    reporters: list[str] = []
    correspondents: list[str] = []
    role = "记者"
    byline = re.sub(r"(?<=[\u4e00-\u9fff]{2})(?=通讯员|实习生)", " ", byline)  # 卢成汉通讯员 陈雷: two roles
    for token in re.split(r"[\s、,，]+", byline.strip()):
        if token in ("摄影", "视频", "摄像", "编辑", "制图", "设计"):  # the names after it are not reporters
            role = "other"
            continue
        found = ROLE.match(token)
        if found:
            role = "通讯员" if found.group(1) == "通讯员" else "记者"
        name = ROLE.sub("", token)
        target = correspondents if role == "通讯员" else reporters if role == "记者" else []
        if (name and name not in reporters + correspondents and re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", name)
                and not NOT_A_NAME.match(name)):
            target.append(name)
    return reporters, correspondents


def is_name(word: str) -> bool:
    """Could this word be a person's name: two or three characters after a common surname?"""
    if word.startswith(COMPOUND_SURNAMES):
        return 3 <= len(word) <= 4
    return 2 <= len(word) <= 3 and word[0] in SURNAMES and not ROLE.match(word)


def photo_credits(text: str) -> list[str]:
    """Who took a web article's photos, from the credits in its text (PHOTO_TAKEN, PHOTO_ROLE)."""
    names: list[str] = []
    for pattern in (PHOTO_ROLE, PHOTO_TAKEN):
        for found in pattern.finditer(text):
            names += [n for n in re.split(r"[\s、]+", found.group(1)) if is_name(n) and n not in names]
    return names


def lead_people(text: str) -> tuple[list[str], list[str]]:
    """The byline in the first lines of a web article (see LEAD_PEOPLE), if there is one."""
    found = LEAD_PEOPLE.search(text[:200])
    if found:
        return parse_people(found.group(1) or found.group(2))
    piped = PIPED_CREDIT.search(text[:200])
    if piped:
        return parse_people(piped.group(0))
    glued = GLUED_CREDIT.search(text[:200])  # 四川在线记者 王若晔当前，…: the name jieba tags as a person
    if glued:
        words = jieba.posseg.lcut(glued.group(1))
        word, tag = words[0] if words else ("", "")
        if len(word) == 2 and len(words) > 1 and words[1].flag == "nr" and len(words[1].word) == 1:
            word += words[1].word  # 徐莉|莎: jieba splits a three-character name
        after = (glued.group(1)[len(word):] or text[glued.end():]).lstrip()
        if tag == "nr" and 2 <= len(word) <= 3 and not after.startswith("摄"):  # 刘宾摄, 王颖 摄: a photo credit
            return [word], []
    return [], []


@dataclass
class _Item:
    headings: list[str]
    gap: int
    paragraphs: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    photographer: str | None = None
    has_lead_byline: bool = False
    closed: bool = False  # ended with an end byline or a photo credit: what follows is new

    def credit(self, byline: str) -> None:
        reporters, correspondents = parse_people(byline)
        self.reporters += [n for n in reporters if n not in self.reporters]
        self.correspondents += [n for n in correspondents if n not in self.correspondents]

    def add(self, text: str) -> None:
        lead = LEAD_BYLINE.match(text) if not self.paragraphs else None
        if lead:
            self.has_lead_byline = True
            self.credit(lead.group(1))
            text = text[lead.end():]
        elif not self.paragraphs and (dateline := DATELINE_BYLINE.match(text)):
            self.credit(dateline.group(1))
        end = END_BYLINE.search(text)
        if end:
            self.credit(end.group(1))
            text = text[: end.start()]
            self.closed = True
        credit = PHOTO_CREDIT.search(text)
        if credit:
            self.photographer = " ".join(credit.group(1).split())
            text = text[: credit.start()]
            self.closed = True
        if text:
            self.paragraphs.append(text)


def _split_heading_group(lines: list[str]) -> tuple[str | None, str, str]:
    """(section banner, title, subtitle) from stacked heading lines.

    The headline is the first line that is one phrase (no inner space); paired-phrase lines above it
    are a kicker (the line right above) and section banners (higher up); lines below are subtitles.
    """
    main = next((i for i, line in enumerate(lines) if " " not in line), len(lines) - 1)
    kicker = lines[main - 1] if main >= 1 else ""
    section = " / ".join(lines[: max(main - 1, 0)]) or None
    subtitle = " ".join([kicker, *lines[main + 1:]]).strip()
    return section, lines[main], subtitle


def _starts_new_item(current: _Item | None, pending: list[Block], body: Block) -> bool:
    if current is None:
        return True
    return (
        current.closed
        or any(b.markdown_level == 1 for b in pending)
        or len(pending) >= 2
        or pending[0].gap >= 2
        or bool(LEAD_BYLINE.match(body.text))
        or bool(PHOTO_CREDIT.search(body.text))
    )


LEAD_PARAGRAPHS = 2  # a feature may open with a scene and date its news in the next paragraph


def _self_date(paragraphs: list[str], year_hint: int | None) -> str | None:
    """The date an article states about itself: the first 'M月D日,' clause of its lead (its first
    paragraphs: 随着…的启动… / 10月20日,她在…)."""
    match = next(filter(None, (SELF_DATE.search(p) for p in paragraphs[:LEAD_PARAGRAPHS])), None)
    if not match:
        return None
    year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    year = int(year) if year else year_hint
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"{month}月{day}日"


def title_from_text(text: str, names: tuple[str, ...] = (), limit: int = 30) -> str:
    """A display title for an untitled record: the headline its text opens with (`原标题：…`, or a
    headline glued to its dateline: `…完成首次海试人民网上海7月25日电`), else its first statement:
    never its credit (outlet, dateline, byline `names`, a video player's leftovers) or a bare date."""
    text = text.strip()
    original = ORIGINAL_TITLE.match(text)
    body = text[original.end():] if original else lead_statement(text, names)
    end = HEADLINE_END.search(body[:80])
    cut = end.start() if end and end.start() >= 6 and is_headline(body[: end.start()]) else None
    if original:
        repeat = body.find(body[:6], 6)  # the headline repeated as the first line of the text
        if 6 <= repeat < 80:
            cut = min(cut or repeat, repeat)
        if cut is None:
            stop = re.search(r"[。！？!?]", body[:61])
            cut = stop.end() if stop else 60
    if cut is not None:
        glued = body[:cut].strip(" ，,：:")
        if original:
            return glued
        stop = re.search(r"[！？!?](?=.)", glued)  # 目前河北的防汛形势如何？河北省…: the question
        glued = glued[: stop.end()] if stop else glued
        return glued if len(glued) <= 2 * limit else glued[: 2 * limit] + "…"
    first = re.split(r"[。！？!?\n]", body, maxsplit=1)[0]
    return first if len(first) <= limit else first[:limit] + "…"


def is_headline(text: str) -> bool:
    """Could this text before a dateline be a headline? Not a credit (四川在线, 中青报·中青网, names
    spaced out), not a bare date, not a cut-off bracket."""
    text = text.strip(" ，,：:")
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 6 or re.fullmatch(r"[\d年月日号时分:：至—\-\s，,]+", text):
        return False
    if "。" in text or re.match(r"\d{1,2}月\d{1,2}日[^，,]{0,4}[，,]", text):  # a statement, not a headline
        return False
    if any(text.count(a) != text.count(b) for a, b in ("（）", "()", "【】", "“”")):
        return False
    names = [t for t in re.split(r"[\s（()）]+", text) if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", t)]
    return not CREDIT_WORD.search(text) and len(names) < 2


def lead_statement(text: str, names: tuple[str, ...] = ()) -> str:
    """The text from its first statement on: outlet tags, datelines, bylines and a video player's
    leftovers that open a web article removed."""
    while True:
        rest = LEAD_TAG.sub("", LEAD_CREDIT.sub("", DATELINE_BYLINE.sub("", text)), count=1)
        head = rest[:40]
        at = max((head.find(n) + len(n) for n in names if n and n in head), default=0)
        credit = at and CREDIT_WORD.search(head[:at]) and not re.search(r"[：:，,。“”（(）)！？]", head[:at])
        if rest == text and credit:  # 四川在线记者 王若晔当前…: through the byline's last name
            rest = re.sub(r"^[\s，,：:]*(?:摄(?!影))?", "", rest[at:])  # 周頔 摄7月31日
        if rest == text:
            return text
        text = rest


def parse_page(page: SourceText) -> list[Article]:
    """Parse a page of one or more articles. Text without headings becomes one article."""
    blocks = repair_breaks(split_blocks(page.text))
    items: list[_Item] = []
    current: _Item | None = None
    pending: list[Block] = []
    for block in blocks:
        if block.heading:
            pending.append(block)
            continue
        if pending or current is None:
            if _starts_new_item(current, pending, block) if pending else current is None:
                current = _Item([b.text for b in pending], pending[0].gap if pending else 0)
                items.append(current)
            else:
                current.subheads += [b.text for b in pending]
                current.paragraphs += [b.text for b in pending]
            pending = []
        current.add(block.text)
    return [_to_article(page, item, n) for n, item in enumerate(items, 1) if item.paragraphs]


def _to_article(page: SourceText, item: _Item, position: int) -> Article:
    if item.headings:
        section, title, subtitle = _split_heading_group(item.headings)
    else:
        section, title, subtitle = None, page.title or title_from_text(item.paragraphs[0]), ""
    derived = not item.headings and not page.title
    is_photo = item.photographer is not None and not item.has_lead_byline
    return Article(
        source=page.source,
        position=position,
        title=title,
        text="\n".join(item.paragraphs),
        subtitle=subtitle,
        reporters=item.reporters,
        correspondents=item.correspondents,
        date=_self_date(item.paragraphs, page.year_hint) or page.date,
        kind="photo" if is_photo else "article",
        photographer=item.photographer,
        section=section,
        subheads=item.subheads,
        record_id=page.record_id,
        title_derived=derived,
    )


def parse_record(record: SourceText, position: int) -> Article:
    """A record that is already one article (jsonl line, dump line): clean it, keep its title."""
    blocks = repair_breaks([Block(b.text, b.gap) for b in split_blocks(record.text)])
    item = _Item([], 0)
    for block in blocks:
        item.add(block.text)
    text = "\n".join(item.paragraphs) or normalize(strip_page_chrome(record.text))
    if not item.reporters and not item.correspondents:  # a web article's byline sits in its first lines
        item.reporters, item.correspondents = lead_people(text)
    photographer = item.photographer or " ".join(photo_credits(text)) or None
    return Article(
        source=record.source,
        position=position,
        title=record.title or title_from_text(text, (*item.reporters, *item.correspondents, *(photographer or "").split())),
        text=text,
        reporters=item.reporters,
        correspondents=item.correspondents,
        date=record.date or _self_date(item.paragraphs, record.year_hint),
        photographer=photographer,
        record_id=record.record_id,
        title_derived=not record.title,
    )


def parse_source(records: list[SourceText]) -> list[Article]:
    """Articles of one file: a page is parsed for its articles; records are articles already."""
    articles: list[Article] = []
    for record in records:
        if record.title is None:
            for article in parse_page(record):
                article.position = len(articles) + 1
                articles.append(article)
        elif (article := parse_record(record, len(articles) + 1)).text:  # empty: it was all page chrome
            articles.append(article)
    return articles
