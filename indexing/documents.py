"""The typed records that flow through ingestion: a read file's text and the articles parsed from it."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field


@dataclass
class SourceText:
    """Text read from one file (or one record of a multi-record file), before article parsing."""

    source: str  # path relative to the corpus dir when inside it, else absolute
    text: str
    title: str | None = None  # known title (jsonl records); None means "parse the page"
    date: str | None = None  # known date (ISO) from the record or dump line
    record_id: str | None = None  # doc_id of a jsonl record / line number of a dump
    year_hint: int | None = None  # a year the file name states, for dates like 10月20日


@dataclass
class Article:
    """One article (or captioned photo) with the metadata a reader needs to cite it."""

    source: str
    position: int  # 1-based order on the page / in the file
    title: str
    text: str  # cleaned body: paragraphs separated by "\n"
    subtitle: str = ""
    reporters: list[str] = field(default_factory=list)  # 记者
    correspondents: list[str] = field(default_factory=list)  # 通讯员
    date: str | None = None
    kind: str = "article"  # "article" | "photo"
    photographer: str | None = None
    section: str | None = None  # a section banner printed above the article
    subheads: list[str] = field(default_factory=list)
    record_id: str | None = None
    title_derived: bool = False  # the title is the text's first clause (no headline was given)

    @property
    def heading(self) -> str:
        """The title as a retrieval signal: empty when it only repeats the text's first words."""
        return "" if self.title_derived else self.title

    @property
    def id(self) -> str:
        """Stable id: the same source, position and headline give the same id on every run (a title
        derived from the text is for display: a better derivation must not re-embed the article)."""
        key = f"{self.source}\n{self.record_id or self.position}\n{self.heading}"
        return "a" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]

    def to_dict(self) -> dict:
        return {"id": self.id, **asdict(self)}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
