"""What an answer is: text with [n] markers, its citations, and how far it can be trusted."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Citation:
    n: int
    article_id: str
    title: str
    source: str
    date: str | None
    text: str  # the passage shown to the answerer
    start: int  # supporting sentence, as offsets in the cleaned article
    end: int
    sentence: str = ""
    record_id: str = ""  # the source record's own id (a jsonl doc_id, a dump line L<n>)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("n", "article_id", "title", "source", "date", "text")}


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    answerer: str  # which answerer produced the text: extractive | llm | local
    refused: bool = False
    verified: bool = False
    partial: bool = False  # it says what the passages state instead of the asked fact ("资料只提到…")
    question: str = ""  # the standalone question that was searched
    notice: str | None = None  # fallback / low-confidence notice for the user
    related: list[dict] = field(default_factory=list)  # "可能相关" passages when refused

    def to_dict(self) -> dict:
        """The `xinwen ask --json` / `POST /api/ask` contract (plus a few optional extras)."""
        data = {
            "answer": self.text,
            "refused": self.refused,
            "verified": self.verified,
            "answerer": self.answerer,
            "citations": [c.to_dict() for c in self.citations],
        }
        if self.partial:
            data["partial"] = True
        if self.notice:
            data["notice"] = self.notice
        if self.related:
            data["related"] = self.related
        if self.question:
            data["question"] = self.question
        return data
