"""Reranking the top passages: one scorer per signal, summed with the weights from settings.

- answer: how well a passage's best sentence answers (the question's terms, a value of the asked kind);
- date: the passage states the date the question names;
- precision: asked when, the passage gives a day rather than a month;
- support: the other top passages state the passage's own names and figures too.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from indexing.chunking import sentence_spans
from indexing.keyword import KeywordIndex

from ..question import Question, stated_dates
from ..statements import answer_score
from .passages import Passage

DAY_TEXT = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")
MONTH_TEXT = re.compile(r"\d{1,2}\s*月")


@dataclass(frozen=True)
class Weights:
    """How much each signal counts (0 turns it off); `Settings` holds the shipped values."""

    answer: float = 1.0
    date: float = 0.5
    precision: float = 2.0
    support: float = 1.0

    @classmethod
    def of(cls, settings) -> "Weights":
        return cls(settings.evidence_rerank, settings.date_rerank, settings.date_precision_rerank, settings.support_rerank)

    @property
    def any(self) -> bool:
        return bool(self.answer or self.date or self.precision or self.support)


def split_sentences(passage: Passage) -> list[str]:
    return [passage.text[s.start : s.end] for s in sentence_spans(passage.text)]


def date_agreement(question: Question, passage: Passage) -> float:
    """1.0 when the passage (its article date or its text) states a date the question names, to the
    precision the question gives (2024年6月14日 needs that day; 2023年5月 any day of that month)."""
    if not question.dates:
        return 0.0
    stated = stated_dates(f"{passage.date or ''} {passage.text}")
    return 1.0 if any(date[: len(q)] == q for q in question.dates for date in stated) else 0.0


def date_precision(question: Question, sentences: list[str]) -> float:
    """For a question asking when: 1.0 when one of a passage's sentences with the question's words
    gives a day (3月14日), 0.5 when it gives only a month. `2023年3月发布` answers 'when' less well than
    `2023年3月14日发布`, and a date away from the question's words is about something else."""
    if not question.asks_when:
        return 0.0
    words = [term for term in question.terms if len(term) > 1]
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


def passage_signals(question: Question, passage: Passage) -> tuple[float, float, float]:
    """(best sentence's answer score, date agreement, date precision): the signals of one passage
    that do not depend on the others."""
    sentences = split_sentences(passage)
    best = max((answer_score(question, sentence) for sentence in sentences), default=0.0)
    return best, date_agreement(question, passage), date_precision(question, sentences)


def combine(head: list[Passage], signals: dict[str, tuple[float, float, float]], supported: dict[str, float],
            weights: Weights) -> list[Passage]:
    """The head reordered by fused score times (1 + the weighted, normalised signals)."""
    norm = max((signals[p.chunk_id][0] for p in head), default=0.0) or 1.0
    support_norm = max(supported.values(), default=0.0) or 1.0

    def boost(p: Passage) -> float:
        answer, date, precision = signals[p.chunk_id]
        return (1 + weights.answer * answer / norm + weights.date * date + weights.precision * precision
                + weights.support * supported.get(p.chunk_id, 0.0) / support_norm)

    return sorted(head, key=lambda p: p.score * boost(p), reverse=True)


def rerank(question: Question, ranked: list[Passage], keyword: KeywordIndex, weights: Weights,
           top: int = 10) -> list[Passage]:
    """Reorder the top passages by fused score times (1 + the weighted signals): rank 1 is where a
    small model looks. A question naming a day or month asks about one report: other days'
    reports agreeing is no evidence, so it gets no support signal."""
    head = ranked[:top]
    signals = {p.chunk_id: passage_signals(question, p) for p in head}
    supported = support(head, question.terms, keyword) if weights.support and not question.names_month_or_day else {}
    return combine(head, signals, supported, weights) + ranked[top:]
