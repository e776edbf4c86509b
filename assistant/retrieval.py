"""Hybrid retrieval: dense (Chroma) + keyword (jieba/BM25), reciprocal-rank fusion, near-duplicate
removal, and evidence selection (the best sentences of the top chunks, within a character budget)."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from indexing.chunking import sentence_spans
from indexing.keyword import KeywordIndex
from indexing.settings import Settings
from indexing.store import ChunkStore

NUMBER_QUESTION = re.compile(r"多少|几|排名|第几|数量|比例|浓度|规模|面积|金额|人数|天数|多大|多高|多长|多久|钱")
MONEY_QUESTION = re.compile(r"钱|金额|多少元|补助|奖励|资金")
MONEY = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?元")
DATE_QUESTION = re.compile(r"何时|什么时候|哪天|哪一天|几月|几号|哪年|日期|时间")
DIGIT = re.compile(r"\d")
DATE_TEXT = re.compile(r"\d{1,2}月\d{1,2}日|\d{4}年|\d{1,2}月")
DAY_TEXT = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")
MONTH_TEXT = re.compile(r"\d{1,2}\s*月")
MEASURE_WORDS = "个名家所台栋天元人场次户棵年岁位项件条辆座间套亩米吨只头枪批届期"
ASKED_MEASURE = re.compile(rf"(?:几|多少)([{MEASURE_WORDS}钱])")
# Sentences that address the assistant rather than report news (prompt injection). They never reach
# a model: news quotes rarely talk like this, and a lost sentence costs less than a hijacked answer.
INSTRUCTION = re.compile(
    r"忽略(?:以上|之前|前面|上述|所有|你的)|无视.{0,6}(?:指令|规则)|忘记.{0,4}(?:规则|指令)|系统提示|系统指令|提示词"
    r"|你(?:现在)?是(?:一个|一名)?(?:不受限制|AI|人工智能)|作为AI助手|回答(?:中|末尾|时)|API ?(?:密钥|key)"
    r"|点击链接|助手[:：]|</?system>|ignore (?:all |the )?previous|system prompt|assistant:",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.%％万亿元人个名])")  # 2022年, 2022春运, CVPR2022; not 2000元
STATED_DATE = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?)?|(\d{4})-(\d{2})-(\d{2})")
RELATIVE_FLOOR = 0.5  # evidence from a lower-ranked passage must score at least this share of the first's


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
    doubt: str | None = None  # why the passages probably do not answer (None: they may)

    @property
    def low_confidence(self) -> bool:
        return self.doubt is not None


def _passage(chunk_id: str, meta: dict, text: str) -> Passage:
    return Passage(
        chunk_id=chunk_id,
        article_id=meta["article_id"],
        title=meta.get("title", ""),
        source=meta.get("source", ""),
        date=meta.get("date") or None,
        text=text,
        start=int(meta.get("start", 0)),
        subtitle=meta.get("subtitle") or "",
        record_id=meta.get("record_id") or "",
    )


def trigrams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(max(len(text) - 2, 1))}


def near_duplicate(ta: set[str], tb: set[str], threshold: float = 0.8) -> bool:
    """Whether two texts, as trigram sets, mostly overlap (a reprint, a snippet of the same page)."""
    return len(ta & tb) / max(1, min(len(ta), len(tb))) >= threshold


class Retriever:
    def __init__(self, settings: Settings, store: ChunkStore, keyword: KeywordIndex, embedder,
                 where: dict | None = None):
        self.settings = settings
        self.store = store
        self.keyword = keyword
        self.embedder = embedder
        self.where = where  # hides an unpublished index run's chunks (store.Generation)

    def dense(self, query: str, k: int) -> list[Passage]:
        hits = self.store.query(self.embedder.get_query_embedding(query), k, self.where)
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
        page = self.store.get([i for i, _ in hits])
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
        """Weighted reciprocal-rank fusion of dense and keyword results (keyword counts more when the
        question names a date: embeddings blur 6月14日 and 6月4日), reranked, near-duplicates dropped."""
        s = self.settings
        fused: dict[str, Passage] = {}
        dated = names_month_or_day(stated_dates(query))
        for weight, results in (
            (s.dense_weight, self.dense(query, s.dense_k)),
            (s.dated_keyword_weight if dated else s.keyword_weight, self.keyword_search(query, s.keyword_k)),
        ):
            for rank, passage in enumerate(results):
                kept = fused.setdefault(passage.chunk_id, passage)
                kept.dense = kept.dense if kept.dense is not None else passage.dense
                kept.keyword = kept.keyword if kept.keyword is not None else passage.keyword
                kept.score = (0.0 if kept is passage else kept.score) + weight / (s.rrf_k + rank + 1)
        ranked = sorted(fused.values(), key=lambda p: p.score, reverse=True)
        if s.evidence_rerank or s.date_rerank or s.date_precision_rerank or s.support_rerank:
            ranked = self.rerank(query, ranked)
        unique: list[tuple[Passage, set[str]]] = []  # trigram sets computed once: this loop is quadratic
        for passage in ranked:
            grams = trigrams(passage.text)
            if not any(near_duplicate(grams, other) for _, other in unique):
                unique.append((passage, grams))
        return [passage for passage, _ in unique]

    def rerank(self, query: str, ranked: list[Passage], top: int = 10) -> list[Passage]:
        """Reorder the top passages by fused score times how well their best sentence answers
        (query terms, the kind of fact asked for), whether they are about the date the question
        names, for a question asking when how precise a date they give, and how much of what they
        say the other top passages say too: rank 1 is where a small model looks."""
        terms = query_terms(query, self.keyword.tokenizer)
        head = ranked[:top]
        sentences = {p.chunk_id: [p.text[s.start : s.end] for s in sentence_spans(p.text)] for p in head}
        best = {chunk_id: max((sentence_score(sentence, terms, query) for sentence in split), default=0.0)
                for chunk_id, split in sentences.items()}
        norm = max(best.values(), default=0.0) or 1.0
        asked = stated_dates(query)
        s = self.settings
        # a question naming a day or month asks about one report: other days' reports agreeing is no evidence
        dated = names_month_or_day(asked)
        supported = support(head, terms, self.keyword) if s.support_rerank and not dated else {}
        support_norm = max(supported.values(), default=0.0) or 1.0

        def boost(p: Passage) -> float:
            return (1 + s.evidence_rerank * best[p.chunk_id] / norm + s.date_rerank * date_agreement(asked, p)
                    + s.date_precision_rerank * date_precision(query, sentences[p.chunk_id], terms)
                    + s.support_rerank * supported.get(p.chunk_id, 0.0) / support_norm)

        return sorted(head, key=lambda p: p.score * boost(p), reverse=True) + ranked[top:]

    def retrieve(self, question: str, exclude: Collection[str] = ()) -> Retrieval:
        """Passages, evidence and confidence for a question; `exclude` leaves records out (by id)."""
        passages = [p for p in self.hybrid(question) if not exclude or p.record_id not in exclude]
        top = passages[: self.settings.passages]
        evidence = select_evidence(question, top, self.keyword.tokenizer, self.settings.evidence_chars)
        best_dense = max((p.dense or 0.0 for p in passages), default=0.0)
        has_keyword = any(p.keyword for p in top)
        covered = term_coverage(question, top, self.keyword.tokenizer)
        measure = asked_measure(question)
        doubt = None
        if (
            not passages
            or (best_dense < self.settings.min_dense_score and not has_keyword)
            or covered < self.settings.min_term_coverage
            or (measure is not None and not any(states_quantity(e.text, measure) for e in evidence))
        ):
            doubt = "没有找到相关资料"
        elif (years := asked_years(question)) and about_other_years(top[0], years):
            doubt = f"最相关的资料不是关于{'、'.join(sorted(years))}年的"
        return Retrieval(question, passages, evidence, doubt)


def stated_dates(text: str) -> set[tuple[int, ...]]:
    """Dates a text states, as (year,), (year, month) or (year, month, day)."""
    dates = set()
    for match in STATED_DATE.finditer(text):
        parts = match.groups()[:3] if match.group(1) else match.groups()[3:]
        dates.add(tuple(int(x) for x in parts if x))
    return dates


def names_month_or_day(dates: set[tuple[int, ...]]) -> bool:
    """Whether stated dates go below the year (2024年6月, 2024年6月14日): a question naming them asks
    about one report."""
    return any(len(date) >= 2 for date in dates)


def asked_years(question: str) -> set[str]:
    """The years a question names, as written (2022年春运, 2022春节档, CVPR2022)."""
    return set(YEAR.findall(question))


def about_other_years(passage: Passage, years: set[str]) -> bool:
    """Whether a passage's date, title and text name years, none of them one of these: a question
    about 2022 answered from a 2018 report answers a neighbouring question. A passage that names no
    year at all may still be about it."""
    named = set(YEAR.findall(f"{passage.date or ''} {passage.title} {passage.text}"))
    return bool(named) and not named & years


def date_agreement(asked: set[tuple[int, ...]], passage: Passage) -> float:
    """1.0 when the passage (its article date or its text) states a date the question names, to the
    precision the question gives (2024年6月14日 needs that day; 2023年5月 any day of that month)."""
    if not asked:
        return 0.0
    stated = stated_dates(f"{passage.date or ''} {passage.text}")
    return 1.0 if any(date[: len(q)] == q for q in asked for date in stated) else 0.0


def date_precision(question: str, sentences: list[str], terms: dict[str, float]) -> float:
    """For a question asking when: 1.0 when one of a passage's sentences with the question's words
    gives a day (3月14日), 0.5 when it gives only a month. `2023年3月发布` answers 'when' less well than
    `2023年3月14日发布`, and a date away from the question's words is about something else."""
    if not DATE_QUESTION.search(question):
        return 0.0
    words = [term for term in terms if len(term) > 1]
    precision = 0.0
    for sentence in sentences:
        if any(word in sentence.lower() for word in words):
            precision = max(precision, 1.0 if DAY_TEXT.search(sentence) else 0.5 if MONTH_TEXT.search(sentence) else 0.0)
    return precision


def support(passages: list[Passage], terms: Collection[str], keyword: KeywordIndex) -> dict[str, float]:
    """For each passage, how much of its own content the others state too: the idf of each of its
    words that is not a question word, times the number of other passages with that word. Reports
    of the asked fact repeat its names and figures; a page that only shares the question's topic
    (a search scrap, a neighbouring story) shares little else with them."""
    words = {p.chunk_id: {t for t in keyword.tokenizer(p.text) if len(t) > 1 and t not in terms} for p in passages}
    holders = Counter(word for own in words.values() for word in own)
    return {chunk_id: sum(keyword.idf(word) * (holders[word] - 1) for word in own) for chunk_id, own in words.items()}


def term_coverage(question: str, passages: list[Passage], tokenizer) -> float:
    """Share of the question's (weighted) terms that are words of the passages: a question about
    something they never mention (GDP, 迪士尼; 大学 where they only say 大学生) scores low however close
    its embedding is."""
    terms = {t: w for t, w in query_terms(question, tokenizer).items() if len(t) > 1}
    if not terms:
        return 1.0
    found = {token for p in passages for token in tokenizer(f"{p.title}\n{p.text}")}
    return sum(w for t, w in terms.items() if t in found) / sum(terms.values())


def asked_measure(question: str) -> str | None:
    """The measure word a how-many question expects (几所 -> 所, 多少钱 -> 元), if any."""
    match = ASKED_MEASURE.search(question)
    return None if match is None else "元" if match.group(1) == "钱" else match.group(1)


def states_quantity(sentence: str, measure: str) -> bool:
    """Whether a sentence gives a count in that measure word (20个, 500余名, 两名, 3-5亿元)."""
    return re.search(rf"[\d一二两三四五六七八九十百千万亿]\s*(?:余|多)?(?:万|亿)?{measure}", sentence) is not None


def sentence_score(sentence: str, terms: dict[str, float], question: str) -> float:
    """How well a sentence answers: weighted query terms it contains, plus the kind of fact asked for."""
    lowered = sentence.lower()
    score = sum(weight for term, weight in terms.items() if term in lowered)
    if NUMBER_QUESTION.search(question) and DIGIT.search(DATE_TEXT.sub("", sentence)):
        score += 1.0  # a quantity, not just a date
    if MONEY_QUESTION.search(question) and MONEY.search(sentence):
        score += 1.0
    measure = asked_measure(question)
    if measure and states_quantity(sentence, measure):
        score += 1.0
    if DATE_QUESTION.search(question) and DATE_TEXT.search(sentence):
        score += 0.5
    return score


def echoes(sentence: str, terms: Collection[str], tokenizer) -> bool:
    """Whether a sentence says nothing but the question's own words: a search page repeating the
    question (`2025年马拉松冠军是谁？`) matches every term and answers nothing."""
    return set(tokenizer(sentence)) <= set(terms)


def query_terms(question: str, tokenizer) -> dict[str, float]:
    """Query terms weighted by length (longer names say more than single characters)."""
    terms = {}
    for token in tokenizer(question):
        terms[token] = math.log(1 + len(token)) * (0.5 if len(token) == 1 else 1.0)
    return terms


def whole_sentences(picked: set[int], text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Widen picked clauses to their whole sentences: a clause ending in ； keeps its sentence's
    subject (新华区PM10…；PM2.5…；优良天数为224天,排名第一。) with it."""
    widened = set(picked)
    for i in picked:
        j = i
        while j > 0 and text[spans[j - 1][1] - 1] in "；;":
            j -= 1
            widened.add(j)
        j = i
        while j + 1 < len(spans) and text[spans[j][1] - 1] in "；;":
            j += 1
            widened.add(j)
    return widened


def select_evidence(question: str, passages: list[Passage], tokenizer, budget: int) -> list[Evidence]:
    """For each passage (best first), its best sentence with its neighbours, then more of the next
    passages, until about `budget` characters are chosen. Passages with nothing relevant are dropped,
    except the first."""
    terms = query_terms(question, tokenizer)
    chosen: list[Evidence] = []
    used = 0
    for rank, passage in enumerate(passages):
        spans = [(s.start, s.end) for s in sentence_spans(passage.text)
                 if not INSTRUCTION.search(passage.text[s.start : s.end])]
        if not spans:
            continue
        sentences = [passage.text[a:b] for a, b in spans]
        scores = [0.0 if echoes(sentence, terms, tokenizer) else sentence_score(sentence, terms, question)
                  for sentence in sentences]
        best = max(range(len(spans)), key=lambda i: scores[i])
        if not chosen:
            top_score = scores[best]
        elif scores[best] <= 0 or scores[best] < RELATIVE_FLOOR * top_score:
            continue  # a weak passage only distracts a small model
        runner_up = sorted(range(len(spans)), key=lambda i: scores[i])[-2:]
        picked = {best} | {i for i in runner_up if scores[i] >= 0.75 * scores[best] > 0}
        for neighbour in (best - 1, best + 1):  # context around the best sentence
            if 0 <= neighbour < len(spans):
                picked.add(neighbour)
        order = sorted(whole_sentences(picked, passage.text, spans))
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
