"""What retrieval hands on: passages (chunks with their article's metadata and scores), the
evidence chosen from them (sentences, with offsets), and both together for one question."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..question import Question


@dataclass
class Passage:
    """A retrieved chunk with its article's metadata and its scores."""

    chunk_id: str
    article_id: str
    title: str
    source: str
    date: str | None
    text: str
    start: int  # offset of this chunk in its cleaned article
    subtitle: str = ""
    record_id: str = ""  # the source record's own id (jsonl doc_id), when it has one
    score: float = 0.0  # fused score
    dense: float | None = None  # cosine similarity
    keyword: float | None = None  # BM25
    meta: dict = field(default_factory=dict, repr=False)  # the chunk's stored metadata

    @classmethod
    def from_store(cls, chunk_id: str, meta: dict, text: str) -> "Passage":
        return cls(chunk_id=chunk_id, article_id=meta["article_id"], title=meta.get("title", ""),
                   source=meta.get("source", ""), date=meta.get("date") or None, text=text,
                   start=int(meta.get("start", 0)), subtitle=meta.get("subtitle") or "",
                   record_id=meta.get("record_id") or "", meta=meta)

    @property
    def heading(self) -> str:
        """Title and subtitle: what a reader sees above the text (and what it may say of the subject)."""
        return f"{self.title}\n{self.subtitle}" if self.subtitle else self.title

    @property
    def headline(self) -> str:
        """The heading when the report has one (not a title made from its first clause): it states facts."""
        return "" if self.meta.get("title_derived") else self.heading

    def to_dict(self) -> dict:
        return {
            "chunk_id": self.chunk_id,
            "article_id": self.article_id,
            "title": self.title,
            "text": self.text,
            "score": round(self.score, 4),
        }


@dataclass
class Evidence:
    """The part of a passage sent to the answerer: selected sentences, in order, with offsets."""

    passage: Passage
    spans: list[tuple[int, int]]  # offsets within passage.text
    sentence_scores: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts, last_end = [], None
        for start, end in self.spans:
            if last_end is not None and start > last_end:
                parts.append("…")
            parts.append(self.passage.text[start:end])
            last_end = end
        return "".join(parts)

    def sentences(self) -> list[tuple[tuple[int, int], str]]:
        return [((a, b), self.passage.text[a:b]) for a, b in self.spans]

    def best_span(self) -> tuple[int, int]:
        i = max(range(len(self.spans)), key=lambda j: self.sentence_scores[j]) if self.sentence_scores else 0
        return self.spans[i]


@dataclass
class Retrieval:
    question: Question
    passages: list[Passage]
    evidence: list[Evidence]
    coverage: tuple[float, float] = (1.0, 1.0)  # shares of the question's terms the top passages state (as words; paraphrased)
    best_dense: float = 0.0
    has_keyword: bool = False
