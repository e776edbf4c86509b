"""Hybrid search: dense (Chroma) and keyword (jieba/BM25) results fused by weighted reciprocal
rank, reranked (`rerank.py`), near-duplicates dropped; then the evidence for a question."""
from __future__ import annotations

from collections.abc import Collection

from indexing.keyword import KeywordIndex
from indexing.pipeline import date_number
from indexing.settings import Settings
from indexing.store import ChunkStore, and_where

from ..lexicon import variants
from ..question import Question, parse_question, tagged
from .evidence import select_evidence
from .passages import Evidence, Passage, Retrieval
from .rerank import Weights, rerank


TOPIC_ARTICLES = 3  # a topic's summary reads the best-ranked articles, this many


def trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(len(text) - 2, 1))}


def near_duplicate(ta: set[str], tb: set[str], threshold: float = 0.8) -> bool:
    """Whether two texts, as trigram sets, mostly overlap (a reprint, a snippet of the same page)."""
    return len(ta & tb) / max(1, min(len(ta), len(tb))) >= threshold


def fuse(results: list[tuple[float, list[Passage]]], rrf_k: int) -> list[Passage]:
    """Weighted reciprocal-rank fusion of ranked lists: sum of weight / (rrf_k + rank)."""
    fused: dict[str, Passage] = {}
    for weight, passages in results:
        for rank, passage in enumerate(passages):
            kept = fused.setdefault(passage.chunk_id, passage)
            kept.dense = kept.dense if kept.dense is not None else passage.dense
            kept.keyword = kept.keyword if kept.keyword is not None else passage.keyword
            kept.score = (0.0 if kept is passage else kept.score) + weight / (rrf_k + rank + 1)
    return sorted(fused.values(), key=lambda p: p.score, reverse=True)


def without_near_duplicates(ranked: list[Passage]) -> list[Passage]:
    unique: list[tuple[Passage, set[str]]] = []  # trigram sets computed once: this loop is quadratic
    for passage in ranked:
        grams = trigrams(passage.text)
        if not any(near_duplicate(grams, other) for _, other in unique):
            unique.append((passage, grams))
    return [passage for passage, _ in unique]


FUNCTION_TAGS = set("pcduyeof")  # jieba's prepositions, conjunctions, adverbs, particles…: not what a question is about


def term_coverage(question: Question, passages: list[Passage], tokenizer) -> tuple[float, float]:
    """Shares of the question's (weighted) terms that the passages state: (as words, and allowing a
    reader's paraphrase). A question about something they never mention (GDP, 迪士尼; 大学 where they
    only say 大学生) scores low on both however close its embedding is. The second share also counts
    a term the passages do not write by the share of its characters one passage has (陕历博 for
    陕西历史博物馆, 判刑 for 获刑…判决): with a close embedding, that is a paraphrase."""
    function = {w for w, tag in tagged(question.text) if tag[:1] in FUNCTION_TAGS}  # 除了, 当, 进而
    terms = {t: w / (2 if t in question.outcome else 1)  # 是怎么改善的: told as the way, not the word
             for t, w in question.terms.items() if len(t) > 1 and t not in function}
    if not terms:
        return 1.0, 1.0
    found = {token for p in passages for token in tokenizer(f"{p.title}\n{p.text}")}
    texts = [f"{p.title}\n{p.text}".lower() for p in passages]
    text = "\n".join(texts)
    total = sum(terms.values())
    # a term is found as a word, or as text (校长安耀伟 may be cut 校长|安耀伟 in the question, 校|长安|耀伟 here),
    # or in another form of it (降雨量: 降水量)
    # or, for a name, as text of any length (主任李闯向大家: jieba's 李闯向)
    names = set(question.entities)
    written = {t for t in terms if t in found or ((len(t) >= 3 or t in names) and t in text)
               or any(v in text for v in variants(t)[1:])}
    words = sum(terms[t] for t in written) / total
    characters = sum(w * (1.0 if t in written else max(sum(ch in x for ch in t) / len(t) for x in texts))
                     for t, w in terms.items()) / total
    return words, characters


class Retriever:
    def __init__(self, settings: Settings, store: ChunkStore, keyword: KeywordIndex, embedder,
                 where: dict | None = None):
        self.settings = settings
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.where = where  # hides an unpublished index run's chunks (store.Generation)

    def parse(self, text: str) -> Question:
        return parse_question(text, self.keyword.tokenizer, idf=self.keyword.idf)

    def dense(self, query: str, k: int, where: dict | None = None) -> list[Passage]:
        hits = self.store.query(self.embedder.get_query_embedding(query), k, and_where(self.where, where))
        passages = []
        for hit in hits:
            passage = Passage.from_store(hit.node.node_id, hit.node.metadata, hit.node.get_content())
            passage.dense = passage.score = float(hit.score)
            passages.append(passage)
        return passages

    def keyword_search(self, query: str, k: int, where: dict | None = None) -> list[Passage]:
        """BM25 hits; with a filter, the hits the filter admits (BM25 runs over every chunk, so it
        looks deeper first)."""
        hits = self.keyword.search(query, k if not where else k * 10)
        if not hits:
            return []
        page = self.store.get([i for i, _ in hits], where)
        found = {i: Passage.from_store(i, m, d) for i, m, d in zip(page["ids"], page["metadatas"], page["documents"])}
        passages = []
        for chunk_id, score in hits:
            if chunk_id in found:
                found[chunk_id].keyword = found[chunk_id].score = score
                passages.append(found[chunk_id])
        return passages[:k]

    def search(self, query: str, k: int = 5, mode: str = "hybrid", where: dict | None = None) -> list[Passage]:
        if mode == "dense":
            return self.dense(query, k, where)
        if mode == "keyword":
            return self.keyword_search(query, k, where)
        if mode != "hybrid":
            raise ValueError(f"unknown search mode '{mode}' (dense, keyword or hybrid)")
        return self.hybrid(self.parse(query), where)[:k]

    def hybrid(self, question: Question, where: dict | None = None) -> list[Passage]:
        """Dense and keyword results fused (keyword counts more when the question names a date:
        embeddings blur 6月14日 and 6月4日), reranked, near-duplicates dropped."""
        s = self.settings
        keyword_weight = s.dated_keyword_weight if question.names_month_or_day else s.keyword_weight
        # the question's names in full too (jieba may cut 郭晓光是什么职务 as 郭晓|光是), and the other
        # forms of its words (降雨量: 降水量)
        words = " ".join([question.text, *question.entities, *question.other_forms])
        ranked = fuse([(s.dense_weight, self.dense(question.text, s.dense_k, where)),
                       (keyword_weight, self.keyword_search(words, s.keyword_k, where))], s.rrf_k)
        weights = Weights.of(s)
        if weights.any:
            ranked = rerank(question, ranked, self.keyword, weights)
        return without_near_duplicates(ranked)

    def article(self, article_id: str) -> list[Passage]:
        """All chunks of one article, in reading order."""
        page = self.store.get_where(and_where(self.where, {"article_id": article_id}))
        chunks = [Passage.from_store(i, m, d) for i, m, d in zip(page["ids"], page["metadatas"], page["documents"])]
        return sorted(chunks, key=lambda p: p.start)

    def _summary(self, question: Question, ranked: list[Passage]) -> Retrieval:
        """A summary of one article: its chunks, and as evidence its lead and most telling points; of
        a topic that is a part of a report or spread over several (`one_report_on`): the sentences
        of the best-ranked articles on it."""
        from ..summaries import named_article, one_report_on, points, target_article, topic_points

        head = ranked[: self.settings.passages * 2]
        chosen: list[tuple[Passage, tuple[int, int], float]] = []
        if not question.wants_latest and not named_article(question, head):
            ids = list(dict.fromkeys(p.article_id for p in head))[:TOPIC_ARTICLES]
            articles = [self.article(a) for a in ids]
            chosen = [] if one_report_on(question, articles) else topic_points(question, articles)
            picked = {p.article_id for p, _, _ in chosen}
            chunks = [c for a in articles for c in a if c.article_id in picked]
            article_id = chosen[0][0].article_id if chosen else None
        if not chosen:
            article_id = target_article(question, head)
            chunks = self.article(article_id) if article_id else []
            about = question.idf if question.wants_latest else None  # how telling each of its words is, parsed once
            chosen = points(chunks, self.keyword, about=about)
        evidence: dict[str, Evidence] = {}
        for passage, span, score in chosen:
            item = evidence.setdefault(passage.chunk_id, Evidence(passage, [], []))
            item.spans.append(span)
            item.sentence_scores.append(score)
        best = next((p for p in ranked if p.article_id == article_id), None)
        shown = {c.article_id for c in chunks}
        return Retrieval(question, chunks + [p for p in ranked if p.article_id not in shown], list(evidence.values()),
                         coverage=(1.0, 1.0) if chunks else (0.0, 0.0), best_dense=best.dense or 0.0 if best else 0.0,
                         has_keyword=bool(best and best.keyword))

    def retrieve(self, question: Question, exclude: Collection[str] = (), where: dict | None = None) -> Retrieval:
        """Passages and evidence for a question; `exclude` leaves records out (by id). A two-part
        question is also searched part by part, so that each part finds its own passages."""
        def kept(passages: list[Passage]) -> list[Passage]:
            return [p for p in passages if not exclude or p.record_id not in exclude]

        passages = kept(self.hybrid(question, where))
        if question.kind == "summary":
            return self._summary(question, passages)
        per_part = [kept(self.hybrid(part, where)) for part in question.parts] if question.parts else None
        top = passages[: self.settings.passages]
        if question.wants_latest and top and (reported := date_number(top[0].date)):  # 最新: a later report, if any
            later = {"date_int": {"$gt": reported}}
            newer = [p for p in kept(self.hybrid(question, and_where(where, later)))[:2] if p not in top]
            top = top[: self.settings.passages - len(newer)] + newer
            passages = top + [p for p in passages if p not in top]
        if question.kind == "role" and top and question.entities:  # the person's title may be said elsewhere in the report
            shown = {p.chunk_id for p in top}
            named = [p for p in self.article(top[0].article_id) if p.chunk_id not in shown
                     and any(e in p.text.lower() for e in question.entities)]
            top = (top[:1] + named[:2] + top[1:])[: self.settings.passages + 1]
            passages = top + [p for p in passages if p not in top]
        if per_part:  # each part's best passages first, then the whole question's
            seen: dict[str, Passage] = {}
            for ranked in [*per_part, passages]:
                for p in ranked[:2]:
                    seen.setdefault(p.chunk_id, p)
            top = list(seen.values())[: self.settings.passages + len(per_part)]
        evidence = select_evidence(question, top, self.keyword.tokenizer, self.settings.evidence_chars,
                                   [ranked[: self.settings.passages] for ranked in per_part] if per_part else None)
        return Retrieval(
            question, passages if not per_part else top + [p for p in passages if p not in top], evidence,
            coverage=term_coverage(question, top, self.keyword.tokenizer),
            best_dense=max((p.dense or 0.0 for p in passages), default=0.0),
            has_keyword=any(p.keyword for p in top),
        )
