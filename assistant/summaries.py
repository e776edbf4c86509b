"""Summaries from an article's own sentences: its lead, then the most telling sentence of each
later part of the article (names and figures the rest of the archive rarely uses), so that two or
three points come from different parts of it, each cited."""
from __future__ import annotations

import math
import re
from collections import Counter

from indexing.chunking import sentence_spans
from indexing.keyword import KeywordIndex

from .lexicon import states
from .question import Question
from .retrieval import Passage
from .statements import Match

MIN_CHARS = 16  # shorter sentences (a dateline, "他说。") are not points
MAX_CHARS = 160  # longer ones are cut to their first clauses
NEWER_CLOSE = 0.75  # asked for the latest: a newer report ranked this close to the best one is the one


def target_article(question: Question, passages: list[Passage]) -> str | None:
    """The article a summary question is about: the one whose title it quotes (《…》 or a title
    fragment it repeats); for the latest (卡努的最新动向) the newest of those ranked close to the
    best that state most of its subject; else the best-ranked one."""
    question_text = question.text
    quoted = re.findall(r"《([^》]{2,})》", question_text)
    for passage in passages:
        title = passage.title.replace(" ", "")
        if any(q.replace(" ", "") in title or title in q.replace(" ", "") for q in quoted):
            return passage.article_id
    for passage in passages:  # a title fragment repeated in the question (香山街道筹备组助学圆梦这篇…)
        fragments = [f for f in re.split(r"[\s“”\"]+", passage.title) if len(f) >= 4]
        if any(f in question_text for f in fragments):
            return passage.article_id
    weight = {w: question.idf.get(w, 1.0) for w in question.of("subject")}

    def states_most(p: Passage) -> bool:  # most of what the question is about, by how telling each word is
        text = f"{p.title}\n{p.text}".lower()
        return sum(w for word, w in weight.items() if states(word, text)) >= 0.6 * sum(weight.values())

    if question.wants_latest and passages:
        best = max(p.score for p in passages)
        stating = [p for p in passages if p.date and p.score >= NEWER_CLOSE * best and (not weight or states_most(p))]
        if stating:
            return max(stating, key=lambda p: p.date).article_id  # max keeps the best-ranked of one day
    return passages[0].article_id if passages else None


def telling(sentence: str, keyword: KeywordIndex) -> float:
    """How much a sentence says: the idf of its words and its figures, per character."""
    words = {t for t in keyword.tokenizer(sentence) if len(t) > 1}
    figures = len(re.findall(r"\d+(?:\.\d+)?", sentence))
    return (sum(keyword.idf(w) for w in words) + 2.0 * min(figures, 3)) / math.sqrt(max(len(sentence), 1))


def central(texts: list[str], keyword: KeywordIndex, said: str = "") -> list[float]:
    """How much each of an article's sentences says of what the whole article is about: the telling
    words it shares with the article's other sentences (LexRank's idea, weighted by idf), and its
    figures, per character. A lead that only sets the scene shares little; the news does. Words of
    `said` (what the reader already has: the title, an earlier point) count for nothing."""
    words = [{t for t in keyword.tokenizer(text) if len(t) > 1} for text in texts]
    spread = Counter(w for found in words for w in found)
    known = set(keyword.tokenizer(said)) if said else set()
    scores = []
    for text, found in zip(texts, words):
        figures = 2.0 * min(len(re.findall(r"\d+(?:\.\d+)?", text)), 3)
        shared = sum(keyword.idf(w) * math.log(spread[w]) for w in found - known)
        scores.append((shared + figures) / math.sqrt(max(len(text), 1)))
    return scores


def points(article: list[Passage], keyword: KeywordIndex, count: int = 3,
           about: dict[str, float] | None = None) -> list[tuple[Passage, tuple[int, int], float]]:
    """Up to `count` (passage, sentence span, score): the lead sentence, then the most telling
    sentence of each remaining part of the article, in reading order. `about` (word: weight, the
    question's words when it asks for the latest on something): a sentence stating them tells more."""
    total = sum((about or {}).values())

    def score(text: str) -> float:
        on_topic = sum(w for word, w in about.items() if states(word, text.lower())) / total if total else 0.0
        return telling(text, keyword) * (1 + on_topic)

    sentences = []
    seen: set[str] = set()
    for passage in article:  # chunks overlap by a sentence: each sentence once
        for span in sentence_spans(passage.text):
            text = passage.text[span.start : span.end].strip()
            if len(text) >= MIN_CHARS and text not in seen:
                seen.add(text)
                sentences.append((passage, (span.start, span.end), text))
    if not sentences:
        return []
    lead = sentences[0]
    rest = sentences[1:]
    chosen = [(lead[0], lead[1], 1.0)]
    parts = max(1, count - 1)
    size = math.ceil(len(rest) / parts) if rest else 0
    for i in range(parts):
        piece = rest[i * size : (i + 1) * size]
        if piece:
            passage, span, text = max(piece, key=lambda s: score(s[2]))
            chosen.append((passage, span, score(text)))
    return chosen[:count]


def as_match(passage: Passage, span: tuple[int, int], score: float) -> Match:
    sentence = passage.text[span[0] : span[1]]
    return Match(sentence, sentence, sentence, score=score)
