"""The answer gate: the one place that decides to answer, to answer in part ("资料只提到…"), or to
refuse, with one reason from one list (`Reason`).

It reads the parsed question and what the top passages state (`statements.match`): a question is
answered by a sentence that states a value of the asked kind (a count in its measure word, money,
a date, a person next to the asked title, …) with the question's constraints (its names in the
article; its qualifier, scope and time in the sentence itself). A sentence that states the kind
but for another qualifier, scope or time (60岁以上 for 80岁以上, 市内五区 for 全国) is a near miss:
the answer says what the page states instead. Frame words (是什么职务, 多少, 哪些) are never required.

Only a question the passages are not about is refused before a model sees them; anything finer
is the model's to answer, and its answer is judged by the same `match` (`citations.check_answer`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum

from .question import KIND_NAMES, Question
from .retrieval import Evidence, Passage, Retrieval
from .lexicon import states
from .statements import NUMERIC, Match, match, mentions, report_date, statement_spans, told_date
from .summaries import as_match

RANK_PRIOR = 0.3  # per place in the ranking: retrieval's order (tuned on the dev sets) breaks near-ties
LATEST_CLOSE = 0.5  # asked for the latest: the share of the best score a newer report's sentence needs
EXPLAINED = 160  # characters of a reason or a way told in one run of sentences (`_explained`)
EDITORS = re.compile(r"\s*(?:责任)?(?:编辑|校对|责编|审核|审校|监制)")  # the page's credits that end a report
CITED = 6  # supporting sentences per finding that an answer may quote (and so must be citable)


class Reason(str, Enum):
    """Why an answer is refused or partial (the text the user reads)."""

    NOTHING_FOUND = "没有找到相关资料"
    NOT_MENTIONED = "资料中没有提到{what}"
    NO_SUCH_FACT = "资料中没有{kind}"
    STATES_OTHER = "资料中的{kind}是关于{instead}的，不是{asked}"
    LACKS = "资料没有说明{what}"
    SOME_PARTS = "资料只回答了问题的一部分：{what}"
    MODEL_DECLINED = "模型判断资料中没有答案"

    def say(self, **values) -> str:
        return self.value.format(**values)


@dataclass(frozen=True)
class Found:
    """One sentence of a passage (or its headline), and how it answers."""

    passage: Passage
    match: Match
    span: tuple[int, int]  # the sentence's offsets in passage.text; for the headline, its first sentence's
    headline: bool = False

    @property
    def text(self) -> str:
        return self.match.sentence if self.headline else self.passage.text[self.span[0] : self.span[1]].strip()


@dataclass
class Finding:
    """What the passages offer for one question or part: the sentences that answer it, best first,
    else the nearest miss."""

    question: Question
    support: list[Found] = field(default_factory=list)
    near: Found | None = None

    @property
    def supported(self) -> bool:
        return bool(self.support)


@dataclass
class Decision:
    action: str  # "answer" | "partial" | "refuse"
    reason: str | None
    findings: list[Finding] = field(default_factory=list)
    before_model: bool = False  # refused before any model saw the passages (they are not about it)


LOOSELY_TYPED = {"person", "organisation", "place", "role"}  # values found by patterns that miss some (微博, 圆柱大厅)


def find(question: Question, passages: list[Passage], contexts: dict[str, str]) -> Finding:
    """The sentences of the passages that answer `question` (best first), else its nearest miss.
    Earlier passages win ties: they rank higher. When no sentence states a person, place or
    organisation in a form the patterns know, a sentence that meets every other constraint
    answers (a question's kind detector failing is no reason to refuse)."""
    finding = _find(question, passages, contexts)
    if finding.supported and question.kind == "reason":
        finding.support[0] = _explained(finding.support[0])
    if (not finding.supported and question.kind in LOOSELY_TYPED and not question.asks_name
            and not any(c.kind == "role" for c in question.constraints)):
        loose = _find(replace(question, kind="fact"), passages, contexts)
        # but it must say what is asked about: the question's most telling word (主演 in 《心居》的主演有哪些)
        key = question.key_subject
        support = [f for f in loose.support if not key or states(key, f.text.lower())]
        if support:
            return Finding(question, support, finding.near)
    return finding


def _find(question: Question, passages: list[Passage], contexts: dict[str, str]) -> Finding:
    scored: list[tuple[float, int, Found]] = []
    headlines: set[str] = set()
    for rank, passage in enumerate(passages):
        context = contexts.get(passage.article_id, f"{passage.heading}\n{passage.text}")
        spans = statement_spans(passage.text)
        for span in spans:
            result = match(question, passage.text[span[0] : span[1]], context, report_date(passage.date))
            scored.append((result.score - RANK_PRIOR * rank, -rank, Found(passage, result, span)))
        if passage.headline.strip() and passage.article_id not in headlines and spans:  # a headline states facts too
            headlines.add(passage.article_id)
            result = _headline_match(question, passage, context)
            scored.append((result.score - RANK_PRIOR * rank, -rank, Found(passage, result, spans[0], headline=True)))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    near = [f for _, _, f in scored if f.match.typed and not f.match.supports
            and not any(c.kind == "entity" for c in f.match.missing)]
    # a headline sums its article up: a body sentence that answers is the better citation
    support = [f for _, _, f in scored if f.match.supports or _answers_no(question, f.match)]
    support = [f for f in support if not f.headline] + [f for f in support if f.headline]
    said = [f for f in support if not f.match.conflicts]
    if question.kind == "yesno" and len(said) < len(support):  # a no about what the question names (辽宁、山东)
        no = next(f for f in support if f.match.conflicts)  # beats a yes about something else (黑龙江、吉林)
        named = lambda f: sum(mentions(f.text.lower(), e) for e in question.entities)  # noqa: E731
        support = [no] + said if not said or named(no) > named(said[0]) else said
    return Finding(question, newest_first(question, support), near[0] if near else None)


def _explained(found: Found) -> Found:
    """A reason or a way (为什么, 怎么) is told by the sentence that best answers and the sentences
    that go on from it in its paragraph (…有着密不可分的关系。随着煤矿的逐步关停，…): one span, up
    to EXPLAINED characters."""
    if found.headline:
        return found
    text, (start, end) = found.passage.text, found.span
    for a, b in statement_spans(text):
        if a < end:
            continue
        if "\n" in text[end:a] or b - start > EXPLAINED or EDITORS.match(text, a):
            break  # the paragraph ends, the run is long enough, or the page's credits begin (编辑 陈静)
        end = b
    return replace(found, span=(start, end))


def _answers_no(question: Question, result: Match) -> bool:
    """A yes/no question's detail stated otherwise (是三级应急响应吗, 启动的是四级): the sentence answers no."""
    return (question.kind == "yesno" and bool(result.conflicts) and not result.missing
            and all(c.kind in ("qualifier", "scope", "time") for c, _ in result.conflicts))


def _headline_match(question: Question, passage: Passage, context: str) -> Match:
    """How a passage's headline answers: its title and subtitle together, or the one line that
    states as much alone (the subtitle 截至10月18日,新华区今年优良天数居市内五区第一, quoted
    without the title 精准施策让蓝天常驻 before it)."""
    when = report_date(passage.date)
    whole = match(question, passage.headline.replace("\n", " "), context, when)
    lines = [line.strip() for line in passage.headline.split("\n") if line.strip()]
    for line in lines if len(lines) > 1 and whole.typed else ():
        alone = match(question, line, context, when)
        if (alone.supports, alone.typed) == (whole.supports, whole.typed):
            return alone
    return whole


def newest_first(question: Question, support: list[Found]) -> list[Found]:
    """When reports of different days state the asked figure differently, or the question asks
    for the latest (最新, 目前), the newest news comes first (by the day a sentence tells of, not
    the day its report came out); the others follow."""
    if len(support) < 2 or not support[0].passage.date:
        return support
    best = support[0].match.score
    # (asked for the latest, a newer report that words it otherwise, 降水量 for 降雨量, still counts)
    close = [f for f in support if f.match.score >= (LATEST_CLOSE if question.wants_latest else 0.8) * best and f.passage.date]
    values = {f.match.value for f in close}
    if not question.wants_latest and (len(values) < 2 or question.kind not in NUMERIC):
        return support
    # a report's news is the newest it tells of here (a report of 8月10日 telling only of 7月29日 is
    # older news than one of 8月2日); within a report, a sentence dated before another comes after
    # it (今晨…解除 before 7月29日…发布), else the better sentence first
    days = {id(f): told_date(f.text, f.passage.date) for f in close}
    news: dict[str, str] = {}
    told: dict[str, str] = {}
    for f in close:
        article, day = f.passage.article_id, days[id(f)]
        news[article] = max(news.get(article, ""), day or f.passage.date or "")
        told[article] = max(told.get(article, ""), day or "")

    def older(f: Found) -> bool:
        return bool(days[id(f)]) and days[id(f)] < told[f.passage.article_id]

    close.sort(key=lambda f: (news[f.passage.article_id], f.passage.date or "", not older(f)), reverse=True)
    return close + [f for f in support if f not in close]


def _what(question: Question, finding: Finding) -> str:
    """A short name for what the passages lack, for the reason text."""
    if finding.near:
        missing = [c.text for c in finding.near.match.missing if c.kind != "subject"]
        if missing:
            return "“" + "、".join(missing) + "”"
    entities = [e for e in question.entities][:2]
    return f"{'、'.join(entities)}的{KIND_NAMES[question.kind]}" if entities else KIND_NAMES[question.kind]


def candidates(retrieval: Retrieval, settings) -> list[Passage]:
    """The passages the gate reads: the evidence passages, then the other top passages."""
    seen = {e.passage.chunk_id: e.passage for e in retrieval.evidence}
    for passage in retrieval.passages[: settings.passages]:
        seen.setdefault(passage.chunk_id, passage)
    return list(seen.values())


def _about(retrieval: Retrieval, settings) -> bool:
    """Whether the top passages are about what the question asks: they state most of its words, or
    a passage is close in meaning and states most of them in other words (a reader's paraphrase)."""
    words, paraphrased = retrieval.coverage
    return words >= settings.min_term_coverage or (
        paraphrased >= settings.paraphrase_coverage and retrieval.best_dense >= settings.paraphrase_dense)


def decide(retrieval: Retrieval, settings, contexts: dict[str, str]) -> Decision:
    """Answer, partial or refuse, with the reason. `contexts`: article id -> the article's heading
    and text, against which a question's names are checked."""
    question = retrieval.question
    top = candidates(retrieval, settings)
    if not retrieval.evidence or (retrieval.best_dense < settings.min_dense_score and not retrieval.has_keyword) \
            or not _about(retrieval, settings):
        return Decision("refuse", Reason.NOTHING_FOUND.value, before_model=True)
    texts = [contexts.get(p.article_id, f"{p.heading}\n{p.text}").lower() for p in top]
    absent = [e for e in question.entities if not any(mentions(text, e) for text in texts)]
    if absent:
        return Decision("refuse", Reason.NOT_MENTIONED.say(what="“" + "、".join(absent) + "”"), before_model=True)
    if question.kind == "summary":  # retrieval chose the article and its points
        points = [Found(e.passage, as_match(e.passage, span, score), span)
                  for e in retrieval.evidence for span, score in zip(e.spans, e.sentence_scores)]
        return Decision("answer", None, [Finding(question, points)])
    parts = question.parts or [question]
    findings = [find(part, top, contexts) for part in parts]
    answered = [f for f in findings if f.supported]
    if len(answered) == len(findings):
        return Decision("answer", None, findings)
    only = findings[0]
    if (len(findings) == 1 and only.near and any(c.kind == "time" for c, _ in only.near.match.conflicts)
            and not _some_agree_on_time(question, top, contexts)):
        # the passages are about another year or day: quoting them would answer a neighbouring question
        asked, instead = next((c, x) for c, x in only.near.match.conflicts if c.kind == "time")
        return Decision("refuse", Reason.STATES_OTHER.say(kind=KIND_NAMES[only.question.kind], instead=instead,
                                                          asked=asked.text), findings)
    if answered or any(f.near for f in findings):
        lacking = [f for f in findings if not f.supported]
        first = lacking[0]
        if len(findings) > 1:
            reason = Reason.SOME_PARTS.say(what="；".join(f"{_what(f.question, f)}未提到" for f in lacking))
        elif first.near and first.near.match.conflicts:
            asked, instead = first.near.match.conflicts[0]
            reason = Reason.STATES_OTHER.say(kind=KIND_NAMES[first.question.kind], instead=instead, asked=asked.text)
        else:
            reason = Reason.LACKS.say(what=_what(first.question, first))
        return Decision("partial", reason, findings)
    return Decision("refuse", Reason.NO_SUCH_FACT.say(kind=_what(only.question, only)), findings)


def _some_agree_on_time(question: Question, passages: list[Passage], contexts: dict[str, str]) -> bool:
    """Whether a sentence of the passages states the asked kind of fact for the asked time (so a
    near miss about another year is one candidate among others, not the passages' only answer)."""
    for passage in passages:
        context = contexts.get(passage.article_id, f"{passage.heading}\n{passage.text}")
        for span in statement_spans(passage.text):
            result = match(question, passage.text[span[0] : span[1]], context, report_date(passage.date))
            if result.typed and not any(c.kind in ("time", "entity") for c in result.missing) \
                    and not any(c.kind == "time" for c, _ in result.conflicts):
                return True
    return False


def cited_evidence(evidence: list[Evidence], decision: Decision) -> list[Evidence]:
    """The evidence, with every sentence the decision rests on in it (a supporting sentence found
    in a top passage outside the character budget is added), so that it can be cited."""
    items = {e.passage.chunk_id: e for e in evidence}
    ordered = list(evidence)
    for finding in decision.findings:
        for found in finding.support[:CITED] + ([finding.near] if finding.near else []):
            item = items.get(found.passage.chunk_id)
            if item is None:
                item = items[found.passage.chunk_id] = Evidence(found.passage, [], [])
                ordered.append(item)
            if found.headline and item.spans:
                continue
            start, end = found.span
            if any(a <= start and end <= b for a, b in item.spans):
                continue
            inside = [j for j, (a, b) in enumerate(item.spans) if start <= a and b <= end]  # its clauses
            score = max([found.match.score] + [item.sentence_scores[j] for j in inside])
            pairs = [(span, sc) for j, (span, sc) in enumerate(zip(item.spans, item.sentence_scores)) if j not in inside]
            pairs = sorted(pairs + [(found.span, score)])
            item.spans, item.sentence_scores = [p for p, _ in pairs], [sc for _, sc in pairs]
    return ordered
