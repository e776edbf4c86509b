"""Summaries from an article's own sentences: its lead, then from each later part of the article the
sentence most central to it that says something new (the words it shares with the rest, weighted by
how rarely the archive uses them, and its figures), so that the points come from different parts of
it, each cited."""
from __future__ import annotations

import math
import re
from collections import Counter

from indexing.keyword import KeywordIndex

from .lexicon import states
from .question import GENERIC, Question
from .retrieval import Passage
from .statements import Match, statement_spans

MIN_CHARS = 16  # shorter sentences (a dateline, "他说。") are not points
NEWER_CLOSE = 0.75  # asked for the latest: a newer report ranked this close to the best one is the one
POINTS = 4  # the lead and three points from the rest of the article
ON_TOPIC = 0.4  # the share of a topic's words (by idf) a sentence states to be one of its points


def named_article(question: Question, passages: list[Passage]) -> str | None:
    """The article a summary question names: by its title (《…》 or a title fragment it repeats), or
    as a report (这篇报道讲了什么: the best-ranked); None when it asks about a topic."""
    question_text = question.text
    quoted = re.findall(r"《([^》]{2,})》", question_text)
    for passage in passages:
        title = passage.title.replace(" ", "")
        if any(q.replace(" ", "") in title or title in q.replace(" ", "") for q in quoted):
            return passage.article_id
    for passage in passages:  # a title fragment repeated in the question (香山街道筹备组助学圆梦这篇…)
        fragments = [f for f in re.split(r"[\s“”\"]+", passage.title) if len(f) >= 6]  # (not a topic: 鹰城大妈)
        if any(f in question_text for f in fragments):
            return passage.article_id
    if passages and REPORT.search(question_text):
        return passages[0].article_id
    return None


REPORT = re.compile(r"[这那该此本]一?[篇则条份]|报道|文章|稿子|新闻|消息")  # asked of a report, not of a topic


def target_article(question: Question, passages: list[Passage]) -> str | None:
    """The article a summary question is about: the one it names (`named_article`); for the latest
    (卡努的最新动向) the newest of those ranked close to the best that state most of its subject;
    else the best-ranked one."""
    named = named_article(question, passages)
    if named:
        return named
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


def points(article: list[Passage], keyword: KeywordIndex, count: int = POINTS,
           about: dict[str, float] | None = None) -> list[tuple[Passage, tuple[int, int], float]]:
    """Up to `count` (passage, sentence span, score): the lead sentence, then from each remaining
    part of the article the sentence most central to it (`central`) of what the points before leave
    unsaid, in reading order. `about` (word: weight, the question's words when it asks for the latest
    on something): the sentence stating most of them is one of the points."""
    total = sum((about or {}).values())

    def on_topic(text: str) -> float:
        return sum(w for word, w in about.items() if states(word, text.lower())) / total if total else 0.0

    sentences = []
    seen: set[str] = set()
    for passage in article:  # chunks overlap by a sentence: each sentence once
        for start, end in statement_spans(passage.text, semicolons=False):  # a quote and who said it: one point
            text = passage.text[start:end].strip()
            if len(text) >= MIN_CHARS and text not in seen:
                seen.add(text)
                sentences.append((passage, (start, end), text))
    if not sentences:
        return []
    texts = [s[2] for s in sentences]
    scores = {0: 1.0}
    if total and len(texts) > 1:  # the sentence that states most of what is asked about is a point
        gist = central(texts, keyword, texts[0])
        best = max(range(1, len(texts)), key=lambda j: (on_topic(texts[j]), gist[j]))
        scores[best] = gist[best]
    parts = max(1, count - 1)
    size = math.ceil((len(sentences) - 1) / parts)
    for i in range(parts):
        piece = range(1 + i * size, min(len(sentences), 1 + (i + 1) * size))
        if piece and not scores.keys() & set(piece) and len(scores) < count:
            gist = central(texts, keyword, "".join(texts[j] for j in sorted(scores)))
            best = max(piece, key=lambda j: gist[j])
            scores[best] = gist[best]
    return [(sentences[j][0], sentences[j][1], scores[j]) for j in sorted(scores)]


def as_match(passage: Passage, span: tuple[int, int], score: float) -> Match:
    sentence = passage.text[span[0] : span[1]]
    return Match(sentence, sentence, sentence, score=score)


def _topic_weights(question: Question) -> dict[str, float]:
    """A topic's words (two characters or more, no word for a kind of thing: 内容), by how telling
    each is in the archive."""
    return {w: question.idf.get(w, 1.0) for w in question.terms if len(w) > 1 and w not in GENERIC}


def _on_topic(weight: dict[str, float], text: str) -> float:
    """The share of a topic's words (by weight) a text states."""
    total = sum(weight.values())
    lowered = text.lower()
    return sum(w for word, w in weight.items() if states(word, lowered)) / total if total else 0.0


def one_report_on(question: Question, articles: list[list[Passage]]) -> bool:
    """Is the best-ranked article the report on the topic (its headline or lead states it, and no
    other article's does: 马科斯的国情咨文)? Else the topic is a part of a report (区科技局 in
    《新华区为368家企业解决问题206个》) or spread over several (two reports on 鹰城大妈)."""
    weight = _topic_weights(question)
    key = max(weight, key=weight.get, default="")  # the most telling word (雁翅镇)

    def headed(chunks: list[Passage]) -> bool:  # its headline or lead states the topic, or its most telling word
        if not chunks:
            return False
        lead = chunks[0].text[: next(iter(statement_spans(chunks[0].text)), (0, 0))[1]]
        said = f"{chunks[0].title}\n{lead}"
        return _on_topic(weight, said) >= ON_TOPIC or bool(key) and states(key, said.lower())

    return bool(articles) and headed(articles[0]) and not any(headed(a) for a in articles[1:])


def topic_points(question: Question, articles: list[list[Passage]], count: int = POINTS
                 ) -> list[tuple[Passage, tuple[int, int], float]]:
    """A summary of a topic, not of one report (区科技局在帮企业这块都做了哪些事; 把这版上关于鹰城大妈
    的内容总结一下): up to `count` sentences of the best-ranked articles that state `ON_TOPIC` of
    its words, those stating most first, each article's best in turn, then in article and reading
    order."""
    weight = _topic_weights(question)
    found = []
    for rank, chunks in enumerate(articles):
        seen: set[str] = set()
        for passage in chunks:
            for start, end in statement_spans(passage.text):
                text = passage.text[start:end].strip()
                share = _on_topic(weight, text)
                if len(text) >= MIN_CHARS and text not in seen and share >= ON_TOPIC:
                    seen.add(text)
                    found.append((share, rank, passage.start + start, passage, (start, end)))
    # each article's best sentences in turn (two reports on 鹰城大妈)
    turn = {id(f): sum(g[1] == f[1] and (-g[0], g[2]) < (-f[0], f[2]) for g in found) for f in found}
    best = sorted(found, key=lambda f: (turn[id(f)], -f[0], f[1], f[2]))[:count]
    return [(passage, span, share) for share, _, _, passage, span in sorted(best, key=lambda f: (f[1], f[2]))]
