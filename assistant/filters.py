"""Filters a reader puts on the archive (a date range, a reporter or photographer, a section, a
source file), checked against what the archive holds and turned into one Chroma `where`."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from indexing.store import and_where

from .timeline import describe, from_number, number


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    reporter: str | None = None  # a reporter, correspondent or photographer, as named in bylines
    section: str | None = None
    source: str | None = None

    @classmethod
    def parse(cls, since: str | None = None, until: str | None = None, reporter: str | None = None,
              section: str | None = None, source: str | None = None) -> "Filters":
        """From text (2021-10-18); a clear ValueError for a date that cannot be read or a reversed range."""
        def day(value: str | None, name: str) -> date | None:
            if not value:
                return None
            try:
                return date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(f"{name} 日期格式错误：{value!r}（应为 YYYY-MM-DD，如 2021-10-18）") from None

        filters = cls(day(since, "since"), day(until, "until"), (reporter or "").strip() or None,
                      (section or "").strip() or None, (source or "").strip() or None)
        if filters.since and filters.until and filters.since > filters.until:
            raise ValueError(f"日期范围颠倒：{filters.since} 晚于 {filters.until}")
        return filters

    @property
    def empty(self) -> bool:
        return not (self.since or self.until or self.reporter or self.section or self.source)

    def where(self) -> dict | None:
        parts = []
        if self.since:
            parts.append({"date_int": {"$gte": number(self.since)}})
        if self.until:
            parts.append({"date_int": {"$lte": number(self.until)}})
        if self.reporter:
            parts.append({"people": {"$contains": self.reporter}})
        if self.section:
            parts.append({"section": self.section})
        if self.source:
            parts.append({"source": self.source})
        return and_where(*parts)

    def admits(self, article: dict) -> bool:
        """Whether an article of the table passes the filters (what `where` asks of its chunks)."""
        day = article["date_int"]
        return ((not self.since or day >= number(self.since)) and (not self.until or 0 < day <= number(self.until))
                and (not self.reporter or self.reporter in article["people"])
                and (not self.section or article["section"] == self.section)
                and (not self.source or article["source"] == self.source))

    def check(self, table: list[dict]) -> None:
        """A clear ValueError when the filters select nothing the archive has: it names what exists
        (the archive's date span, the reporters with the closest names)."""
        if self.empty:
            return
        if self.reporter:
            people = sorted({p for a in table for p in a["people"]})
            if self.reporter not in people:
                close = difflib.get_close_matches(self.reporter, people, n=3, cutoff=0.3)
                raise ValueError(f"资料库中没有署名“{self.reporter}”的报道"
                                 + (f"；相近的署名：{'、'.join(close)}" if close else f"（署名共 {len(people)} 人）"))
        if self.section and not any(a.get("section") == self.section for a in table):
            sections = sorted({a["section"] for a in table if a.get("section")})
            raise ValueError(f"资料库中没有“{self.section}”栏目" + (f"；已有栏目：{'、'.join(sections)}" if sections else ""))
        if self.since or self.until:
            dated = [a["date_int"] for a in table if a["date_int"]]
            if not dated:
                raise ValueError("资料库中的文章都没有日期，无法按日期筛选")
            low, high = number(self.since) if self.since else 0, number(self.until) if self.until else 99999999
            if not any(low <= d <= high for d in dated):
                raise ValueError(f"所选日期范围内没有报道；资料的日期范围是{span(dated)}")


def span(dated: list[int]) -> str:
    """The dates the archive holds, from the first to the last (2021年10月14日至10月20日)."""
    return describe(from_number(min(dated)), from_number(max(dated)))
