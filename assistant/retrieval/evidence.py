"""Evidence: the best sentences of the top passages, within a character budget, for the question
(for a two-part question, for each part). Sentences that address the assistant rather than report
news, and sentences that only repeat the question, are never evidence."""
from __future__ import annotations

import re
from collections.abc import Collection

from indexing.chunking import sentence_spans

from ..question import Question
from ..statements import answer_score
from .passages import Evidence, Passage

# Sentences that address the assistant rather than report news (prompt injection). They never reach
# a model: news quotes rarely talk like this, and a lost sentence costs less than a hijacked answer.
INSTRUCTION = re.compile(
    r"忽略(?:以上|之前|前面|上述|所有|你的)|无视.{0,6}(?:指令|规则)|忘记.{0,4}(?:规则|指令)|系统提示|系统指令|提示词"
    r"|你(?:现在)?是(?:一个|一名)?(?:不受限制|AI|人工智能)|作为AI助手|回答(?:中|末尾|时)|API ?(?:密钥|key)"
    r"|点击链接|助手[:：]|</?system>|ignore (?:all |the )?previous|system prompt|assistant:",
    re.IGNORECASE,
)
RELATIVE_FLOOR = 0.5  # evidence from a lower-ranked passage must score at least this share of the first's


def echoes(sentence: str, terms: Collection[str], tokenizer) -> bool:
    """Whether a sentence says nothing but the question's own words: a search page repeating the
    question (`2025年马拉松冠军是谁？`) matches every term and answers nothing."""
    return set(tokenizer(sentence)) <= set(terms)


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


def usable_spans(passage: Passage) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in sentence_spans(passage.text) if not INSTRUCTION.search(passage.text[s.start : s.end])]


def _select(question: Question, passages: list[Passage], tokenizer, budget: int) -> list[Evidence]:
    """For each passage (best first), its best sentence with its neighbours, then more of the next
    passages, until about `budget` characters are chosen. Passages with nothing relevant are
    dropped, except the first."""
    chosen: list[Evidence] = []
    used = 0
    top_score = 0.0
    for passage in passages:
        spans = usable_spans(passage)
        if not spans:
            continue
        sentences = [passage.text[a:b] for a, b in spans]
        scores = [0.0 if echoes(sentence, question.terms, tokenizer) else answer_score(question, sentence)
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


def select_evidence(question: Question, passages: list[Passage], tokenizer, budget: int,
                    per_part: list[list[Passage]] | None = None) -> list[Evidence]:
    """Evidence for the question; for a two-part question, each part's own best sentences (from
    its own passages when `per_part` gives them), merged passage by passage."""
    if not question.parts:
        return _select(question, passages, tokenizer, budget)
    merged: dict[str, Evidence] = {}
    share = max(budget // len(question.parts), 200)
    for i, part in enumerate(question.parts):
        for item in _select(part, per_part[i] if per_part else passages, tokenizer, share):
            kept = merged.setdefault(item.passage.chunk_id, Evidence(item.passage, [], []))
            for span, score in zip(item.spans, item.sentence_scores):
                if span in kept.spans:
                    j = kept.spans.index(span)
                    kept.sentence_scores[j] = max(kept.sentence_scores[j], score)
                else:
                    kept.spans.append(span)
                    kept.sentence_scores.append(score)
    for item in merged.values():  # sentences in reading order
        order = sorted(range(len(item.spans)), key=lambda j: item.spans[j])
        item.spans = [item.spans[j] for j in order]
        item.sentence_scores = [item.sentence_scores[j] for j in order]
    return list(merged.values())
