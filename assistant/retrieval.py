"""Hybrid retrieval: dense (Chroma) + keyword (jieba/BM25), reciprocal-rank fusion, near-duplicate
removal, and evidence selection (the best sentences of the top chunks, within a character budget)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from indexing.chunking import sentence_spans
from indexing.keyword import KeywordIndex
from indexing.settings import Settings
from indexing.store import ChunkStore

NUMBER_QUESTION = re.compile(r"多少|几|排名|第几|数量|比例|浓度|规模|面积|金额|人数|天数|多大|多高|多长|多久|钱")
MONEY_QUESTION = re.compile(r"钱|金额|多少元|补助|奖励|资金")
MONEY = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?元")
DATE_QUESTION = re.compile(r"何时|什么时候|哪天|哪一天|几月|几号|哪年|日期|时间")
PERSON_QUESTION = re.compile(r"谁|哪位|哪些人|什么人|姓名|名字|校长|书记|主任|记者")
PLACE_QUESTION = re.compile(r"哪里|哪儿|什么地方|何地|去了|在哪")
DIGIT = re.compile(r"\d")
DATE_TEXT = re.compile(r"\d{1,2}月\d{1,2}日|\d{4}年|\d{1,2}月")


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
    score: float = 0.0  # fused score
    dense: float | None = None  # cosine similarity
    keyword: float | None = None  # BM25

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

    def best_span(self) -> tuple[int, int]:
        i = max(range(len(self.spans)), key=lambda j: self.sentence_scores[j]) if self.sentence_scores else 0
        return self.spans[i]


@dataclass
class Retrieval:
    question: str
    passages: list[Passage]
    evidence: list[Evidence]
    low_confidence: bool


def _passage(chunk_id: str, meta: dict, text: str) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        article_id=meta["article_id"],
        title=meta.get("title", ""),
        source=meta.get("source", ""),
        date=meta.get("date") or None,
        text=text,
        start=int(meta.get("start", 0)),
    )


def _trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(len(text) - 2, 1))}


def near_duplicate(a: str, b: str, threshold: float = 0.8) -> bool:
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / max(1, min(len(ta), len(tb))) >= threshold


class Retriever:
    def __init__(self, settings: Settings, store: ChunkStore, keyword: KeywordIndex, embedder):
        self.settings = settings
        self.store = store
        self.keyword = keyword
        self.embedder = embedder

    def dense(self, query: str, k: int) -> list[Passage]:
        hits = self.store.query(self.embedder.get_query_embedding(query), k)
        passages = []
        for hit in hits:
            passage = _passage(hit.node.node_id, hit.node.metadata, hit.node.get_content())
            passage.dense = passage.score = float(hit.score)
            passages.append(passage)
        return passages

    def keyword_search(self, query: str, k: int) -> list[Passage]:
        hits = self.keyword.search(query, k)
        if not hits:
            return []
        page = self.store.collection.get(ids=[i for i, _ in hits], include=["metadatas", "documents"])
        found = {i: _passage(i, m, d) for i, m, d in zip(page["ids"], page["metadatas"], page["documents"])}
        passages = []
        for chunk_id, score in hits:
            if chunk_id in found:
                found[chunk_id].keyword = found[chunk_id].score = score
                passages.append(found[chunk_id])
        return passages

    def search(self, query: str, k: int = 5, mode: str = "hybrid") -> list[Passage]:
        if mode == "dense":
            return self.dense(query, k)
        if mode == "keyword":
            return self.keyword_search(query, k)
        if mode != "hybrid":
            raise ValueError(f"unknown search mode '{mode}' (dense, keyword or hybrid)")
        return self.hybrid(query)[:k]

    def hybrid(self, query: str) -> list[Passage]:
        """Weighted reciprocal-rank fusion of dense and keyword results, near-duplicates dropped."""
        s = self.settings
        fused: dict[str, Passage] = {}
        for weight, results in (
            (s.dense_weight, self.dense(query, s.dense_k)),
            (s.keyword_weight, self.keyword_search(query, s.keyword_k)),
        ):
            for rank, passage in enumerate(results):
                kept = fused.setdefault(passage.chunk_id, passage)
                kept.dense = kept.dense if kept.dense is not None else passage.dense
                kept.keyword = kept.keyword if kept.keyword is not None else passage.keyword
                kept.score = (0.0 if kept is passage else kept.score) + weight / (s.rrf_k + rank + 1)
        ranked = sorted(fused.values(), key=lambda p: p.score, reverse=True)
        unique: list[Passage] = []
        for passage in ranked:
            if not any(near_duplicate(passage.text, other.text) for other in unique):
                unique.append(passage)
        return unique

    def retrieve(self, question: str) -> Retrieval:
        passages = self.hybrid(question)
        top = passages[: self.settings.passages]
        evidence = select_evidence(question, top, self.keyword.tokenizer, self.settings.evidence_chars)
        best_dense = max((p.dense or 0.0 for p in passages), default=0.0)
        has_keyword = any(p.keyword for p in top)
        covered = term_coverage(question, top, self.keyword.tokenizer)
        low = (
            not passages
            or (best_dense < self.settings.min_dense_score and not has_keyword)
            or covered < self.settings.min_term_coverage
        )
        return Retrieval(question, passages, evidence, low_confidence=low)


def term_coverage(question: str, passages: list[Passage], tokenizer) -> float:
    """Share of the question's (weighted) terms found in the passages: a question about something the
    passages never mention (GDP, 迪士尼) scores low however close its embedding is."""
    terms = {t: w for t, w in query_terms(question, tokenizer).items() if len(t) > 1}
    if not terms:
        return 1.0
    haystack = "".join(f"{p.title}{p.text}" for p in passages).lower()
    return sum(w for t, w in terms.items() if t in haystack) / sum(terms.values())


def sentence_score(sentence: str, terms: dict[str, float], question: str) -> float:
    """How well a sentence answers: weighted query terms it contains, plus the kind of fact asked for."""
    lowered = sentence.lower()
    score = sum(weight for term, weight in terms.items() if term in lowered)
    if NUMBER_QUESTION.search(question) and DIGIT.search(DATE_TEXT.sub("", sentence)):
        score += 1.0  # a quantity, not just a date
    if MONEY_QUESTION.search(question) and MONEY.search(sentence):
        score += 1.0
    if DATE_QUESTION.search(question) and DATE_TEXT.search(sentence):
        score += 0.5
    return score


def query_terms(question: str, tokenizer) -> dict[str, float]:
    """Query terms weighted by length (longer names say more than single characters)."""
    terms = {}
    for token in tokenizer(question):
        terms[token] = math.log(1 + len(token)) * (0.5 if len(token) == 1 else 1.0)
    return terms


def select_evidence(question: str, passages: list[Passage], tokenizer, budget: int) -> list[Evidence]:
    """For each passage (best first), its best sentence with its neighbours, then more of the next
    passages, until about `budget` characters are chosen. Passages with nothing relevant are dropped,
    except the first."""
    terms = query_terms(question, tokenizer)
    chosen: list[Evidence] = []
    used = 0
    for rank, passage in enumerate(passages):
        spans = [(s.start, s.end) for s in sentence_spans(passage.text)]
        if not spans:
            continue
        scores = [sentence_score(passage.text[a:b], terms, question) for a, b in spans]
        best = max(range(len(spans)), key=lambda i: scores[i])
        if rank > 0 and scores[best] <= 0:
            continue
        runner_up = sorted(range(len(spans)), key=lambda i: scores[i])[-2:]
        picked = {best} | {i for i in runner_up if scores[i] >= 0.75 * scores[best] > 0}
        for neighbour in (best - 1, best + 1):  # context around the best sentence
            if 0 <= neighbour < len(spans):
                picked.add(neighbour)
        order = sorted(picked)
        size = sum(spans[i][1] - spans[i][0] for i in order)
        while size > budget - used and len(order) > 1:  # shrink to fit, keep the best sentence
            drop = order[0] if order[0] != best else order[-1]
            order.remove(drop)
            size -= spans[drop][1] - spans[drop][0]
        if used and size > budget - used:
            break
        chosen.append(Evidence(passage, [spans[i] for i in order], [scores[i] for i in order]))
        used += size
        if used >= budget:
            break
    return chosen
