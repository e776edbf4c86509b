"""Time read the way an archive means it. In a question, 今年, 上周, 近日 and 10月中旬 are date
ranges counted from a reference day: a day the question names, else the newest date in the archive,
never the machine's clock (an archive of 2021 asked "今年" in 2026 means 2021). The answer says
which reference it used ("截至2021年10月20日")."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
PERIOD = re.compile(
    r"(?:(?P<year>\d{4})\s*年)?\s*(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*[日号]?\s*(?:[至到—~-]\s*(?:(?P<month2>\d{1,2})\s*月\s*)?(?P<day2>\d{1,2})\s*[日号]))"
    r"|(?:(?P<y3>\d{4})\s*年)?\s*(?P<m3>\d{1,2})\s*月\s*(?P<day3>\d{1,2})\s*[日号]"
    r"|(?:(?P<y4>\d{4})\s*年)?\s*(?P<m4>\d{1,2})\s*月(?:份)?\s*(?P<part>上旬|中旬|下旬|初|底|末|第[一二三四1-4]周|前半月|后半月)?"
    r"|(?P<y5>\d{4})\s*年(?:度)?(?P<half>上半年|下半年)?"
    r"|(?P<relative>今年以来|今年|去年|前年|上个?月|本月|这个月|上周|本周|这周|上星期|这星期|昨天|今天|前天|近日|最近|近期|当天)"
    r"|(?<![第\d月.])(?P<d6>\d{1,2})\s*[号日](?![\d电线楼院门])"  # 17号: a day of the reference's month (not 17号线)
)


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    text: str  # as the question said it
    relative: bool  # counted from the reference day (今年, 上周), not written out

    @property
    def narrows(self) -> bool:
        """Whether the period should narrow a search for a fact (上周, 10月中旬, 8月8日到10日), not
        only be matched in its sentences (今年, 2021年, 10月19日). A vague 最近 / 近日 does not: 最近运到的
        那批葡萄柚 may have come a month before the newest report."""
        return bool(re.search(r"上周|本周|这周|上个?月|本月|这个月|旬|底|末|初|第.周|到|至|以后|之后|以来|以前|之前", self.text))

    @property
    def vague(self) -> bool:
        """最近 / 近日: no bound a fact search should keep to."""
        return bool(re.fullmatch(r"最近|近日|近期|近来", self.text))

    @property
    def counted(self) -> bool:
        """Counted from the reference day (今年, 上周, 近日), so the answer should say from which."""
        return bool(re.search(r"今年|去年|前年|上周|本周|这周|上个?月|本月|这个月|近日|最近|近期|昨天|今天|前天|当天|^\d{1,2}\s*[号日]$", self.text))

    @property
    def reversed(self) -> bool:
        return self.start > self.end

    @property
    def where(self) -> dict:
        """The Chroma filter on the chunks' `date_int`."""
        return {"$and": [{"date_int": {"$gte": number(self.start)}}, {"date_int": {"$lte": number(self.end)}}]}

    def describe(self) -> str:
        return describe(self.start, self.end)


def describe(start: date, end: date) -> str:
    """2021年10月14日至10月20日 (the year again only when it changes)."""
    first = f"{start.year}年{start.month}月{start.day}日"
    if start == end:
        return first
    return f"{first}至{'' if end.year == start.year else f'{end.year}年'}{end.month}月{end.day}日"


def number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def from_number(value: int) -> date | None:
    try:
        return date(value // 10000, value // 100 % 100, value % 100) if value else None
    except ValueError:
        return None


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe(year: int, month: int, day: int) -> date:
    return date(year, month, min(max(day, 1), _month_end(year, month)))


def resolve(text: str, reference: date | None) -> DateRange | None:
    """The period a question names, as a date range; None when it names none (or names only a
    relative one and there is no reference day). `8月18日以后` runs to the reference day (or on);
    `8月13日到8月11日` (reversed) is read as written, start after end."""
    found = PERIOD.search(text)
    if not found:
        return None
    period = _resolve(found, reference)
    if period is None:
        return None
    after = text[found.end() : found.end() + 3]
    if re.match(r"\s*(?:以后|之后|以来|起)", after):
        return DateRange(period.start, max(reference or period.end, period.end, date(9999, 12, 31)), period.text + after[:2], period.relative)
    if re.match(r"\s*(?:以前|之前)", after):
        return DateRange(date(1, 1, 1), period.start, period.text + after[:2], period.relative)
    second = re.match(r"\s*(?:到|至|—|~|-)\s*", text[found.end():])
    if second and (other := PERIOD.match(text, found.end() + second.end())):
        end = _resolve(other, reference)
        if end:  # 8月13日到8月11日: kept reversed, so that the answer can say so
            return DateRange(period.start, end.end, f"{period.text}到{end.text}", period.relative)
    return period


def _resolve(found: re.Match, reference: date | None) -> DateRange | None:
    g = found.groupdict()
    said = found.group().strip()
    ref_year = reference.year if reference else None
    if g["relative"]:
        if reference is None:
            return None
        r = g["relative"]
        if r in ("今年",):
            return DateRange(date(reference.year, 1, 1), date(reference.year, 12, 31), said, True)
        if r == "今年以来":
            return DateRange(date(reference.year, 1, 1), reference, said, True)
        if r in ("去年", "前年"):
            year = reference.year - (1 if r == "去年" else 2)
            return DateRange(date(year, 1, 1), date(year, 12, 31), said, True)
        if r in ("本月", "这个月"):
            return DateRange(reference.replace(day=1), reference, said, True)
        if r.startswith("上"):
            if "月" in r:
                last = reference.replace(day=1) - timedelta(days=1)
                return DateRange(last.replace(day=1), last, said, True)
            monday = reference - timedelta(days=reference.weekday() + 7)
            return DateRange(monday, monday + timedelta(days=6), said, True)
        if r in ("本周", "这周", "这星期"):
            monday = reference - timedelta(days=reference.weekday())
            return DateRange(monday, reference, said, True)
        if r in ("今天", "当天"):
            return DateRange(reference, reference, said, True)
        if r == "昨天":
            return DateRange(reference - timedelta(days=1), reference - timedelta(days=1), said, True)
        if r == "前天":
            return DateRange(reference - timedelta(days=2), reference - timedelta(days=2), said, True)
        return DateRange(reference - timedelta(days=6), reference, said, True)  # 近日, 最近, 近期: the last week
    if g["d6"]:
        if reference is None:
            return None
        day, month_start = int(g["d6"]), reference.replace(day=1)
        if day > reference.day:  # 25号 asked on 8月17日: 7月25日
            month_start = (month_start - timedelta(days=1)).replace(day=1)
        if day > _month_end(month_start.year, month_start.month):
            return None
        return DateRange(month_start.replace(day=day), month_start.replace(day=day), said, True)
    if g["y5"]:
        year = int(g["y5"])
        if g["half"] == "上半年":
            return DateRange(date(year, 1, 1), date(year, 6, 30), said, False)
        if g["half"] == "下半年":
            return DateRange(date(year, 7, 1), date(year, 12, 31), said, False)
        return DateRange(date(year, 1, 1), date(year, 12, 31), said, False)
    year_text = g["year"] or g["y3"] or g["y4"]
    year = int(year_text) if year_text else ref_year
    if year is None:
        return None
    relative = year_text is None
    if g["day2"]:
        month = int(g["month"])
        start = _safe(year, month, int(g["day"]))
        end = _safe(year, int(g["month2"] or month), int(g["day2"]))
        return DateRange(start, end, said, relative)
    if g["day3"]:
        day = _safe(year, int(g["m3"]), int(g["day3"]))
        return DateRange(day, day, said, relative)
    month = int(g["m4"])
    if not 1 <= month <= 12:
        return None
    last = _month_end(year, month)
    part = g["part"] or ""
    days = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last), "初": (1, 10), "底": (21, last), "末": (21, last),
            "前半月": (1, 15), "后半月": (16, last)}.get(part)
    if part.startswith("第"):
        week = CN_DIGITS.get(part[1], None) or int(part[1])
        days = (7 * (week - 1) + 1, min(7 * week, last))
    start, end = days or (1, last)
    return DateRange(date(year, month, start), date(year, month, end), said, relative)


def reference_note(period: DateRange, reference: date | None) -> str:
    """What an answer says about the time it read: `（“上周”按资料最新日期2023年8月17日计，即8月7日至8月13日）`."""
    if not period.relative or reference is None:
        return ""
    return (f"（“{period.text}”按资料中最新的日期{reference.year}年{reference.month}月{reference.day}日计，"
            f"即{period.describe()}）")
