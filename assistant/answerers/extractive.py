"""No model: the gate's supporting sentences, verbatim, with [n] markers; for each part of a
two-part question its own sentence; for a near miss what the page does state ("资料只提到…")."""
from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from ..gate import CITED, Decision, Finding, Found
from ..prompts import PARTIAL, REFUSAL
from ..retrieval import Evidence
from ..lexicon import states
from ..statements import NEGATION, NUMERIC, compared, days_spanned, described, joined, report_date

PART = re.compile(r"首批|第[一二三四五六七八九十\d]+批|其中|部分|之一")  # a figure of a part of what is counted
# a yes/no on whether a thing still goes on (现在还在比吗), and a report of its end (闭幕式)
STILL = re.compile(r"还在|仍在|仍然|依然|还[^，。？?]{0,8}吗")
ENDED = re.compile(r"闭幕|落幕|结束|收官|解除|撤销|终止|停止")
# kinds whose answer may take more than one sentence (items, reasons, points)
MANY = {"list": 3, "reason": 2, "yesno": 1, "summary": 3, "fact": 2}


def _marker(found: Found, evidence: list[Evidence]) -> int:
    return next(n for n, item in enumerate(evidence, 1) if item.passage.chunk_id == found.passage.chunk_id)


def _sentence(found: Found) -> str:
    return found.text


def yes_or_no(question, clause: str) -> str:
    """The answer word of a yes/no question, by how it asks and whether the clause negates."""
    words = next(((yes, no) for pattern, yes, no in (  # 大会开了吗 asks whether it happened, not 会…吗
        (r"了没有|了吗", "是的，已经", "还没有"), (r"了[^，。？?]{1,10}吗", "是的", "没有"),  # 做了尸检吗
        (r"有没有|有无|有吗|有[^，。？?]{1,12}吗", "有", "没有"),  # 里有恒宇通信吗
        (r"能不能|能否|能[^，。]*吗|可以", "能", "不能"), (r"会不会|(?:^|还|将|也|都|就|才|可能|是否)会[^，。]*吗", "会", "不会"))
        if re.search(pattern, question.text)), ("是", "不是"))
    negated = NEGATION.search(clause) and not NEGATION.search(question.text.replace("没有", "").replace("不是", ""))
    return words[1] if negated else words[0]


def _asking_clause(sentence: str, asked: list[str]) -> str:
    """The clause of a sentence that states what a yes/no asks (its negation is the answer: 生活不能
    自理老人 in another clause does not make 100%的住宅电梯设置率 a no)."""
    clauses = re.split(r"[，,；;]", sentence)
    best = max(clauses, key=lambda c: sum(states(w, c.lower()) for w in asked)) if asked else ""
    return best if best and any(states(w, best.lower()) for w in asked) else sentence


def _lead(question, chosen: list[Found]) -> str:
    """What comes before the quoted sentence: the yes or no, or a year the sentence only implies
    (今年 in a 2021 report), or the titles of the person asked about."""
    found = chosen[0]
    if question.kind == "yesno":  # a verdict only where the sentence says what is asked, else what it does say
        # what is asked in the sentence (抢通), and of what in it or its passage (门头沟…乡村公路)
        alike = described(question, found.text)
        if alike:  # 是同一所学校的校长吗: 新华区实验小学校长安耀伟和新华区新程街小学校长梁晓力
            same, what = alike
            return f"{yes_or_no(question, '' if same else '不')}，资料说的是：{what}。"
        sentence, passage = found.text.lower(), found.passage.text.lower()
        focus = question.predicate or [w for w in question.of("subject") if w.lower() in question.focus]
        said = [w for w in question.of("subject") if states(w, sentence if not focus or w in focus else passage)]
        if not all(states(w, sentence) for w in focus) or \
                len(said) < max(1, (2 * len(question.of("subject")) + 2) // 3):
            return "资料没有直接说明，相关的说法是："
        ended = ENDED.search(found.text) if STILL.search(question.text) and not ENDED.search(question.text) else None
        if ended:  # 大运会现在还在比吗: the newest report is of its 闭幕
            return f"{yes_or_no(question, '不')}，资料说的是已经{ended.group()}。"
        verdict = compared(question, found.match.clause)
        if verdict:  # 占比超过5%了吗: 3.8%
            passes, figure = verdict
            return f"{yes_or_no(question, '' if passes else '不')}，资料说的是{figure}。"
        together = joined(question, found.match.clause)
        if together:  # 只是区长一个人挂帅吗: 区委书记、区长
            return f"{yes_or_no(question, '不')}，资料说的是“{together}”。"
        if found.match.conflicts:  # 是三级应急响应吗: the sentence says 四级
            asked, instead = found.match.conflicts[0]
            return f"{yes_or_no(question, '不')}，资料说的是“{instead}”，不是“{asked.text}”。"
        return yes_or_no(question, _asking_clause(found.match.clause, focus)) + "。"
    if question.kind == "summary" and question.wants_latest and isinstance(when := report_date(found.passage.date), date):
        return f"最新的相关报道（{when.year}年{when.month}月{when.day}日）："  # 卡努的最新动向; the report's own date: checked as such
    value = found.match.value
    spanned = dict(days_spanned(value or "")) if question.kind == "duration" else {}
    if value in spanned:  # 去了几天: 10月15日至18日, 4 days
        return f"共{spanned[value]}天（{value}）。"
    if question.kind == "year" and value and value not in found.text:
        return f"{value}。"
    if question.kind == "role" and value and value != found.text:  # 郭晓光是焦店镇镇长。焦店镇镇长郭晓光说。[1]
        # the person asked about, not a place inside the title (山海关 in 洋山海关…副科长)
        name = next((e for e in [*question.asked_names, *question.entities] if e in found.text and e not in value), None)
        titles = "、".join(dict.fromkeys(f.match.value for f in chosen if f.match.value))
        return f"{question.holder(name)}是{titles}。" if name else ""
    return ""


def _as_of(question, found: Found) -> str:
    """Asked for the state now (现在恢复了没有, 后来清理了吗): the day of the report that tells it, the
    archive's now (a summary of the latest names it in its own lead)."""
    when = report_date(found.passage.date)
    if not question.wants_latest or question.kind == "summary" or not isinstance(when, date):
        return ""
    return f"截至{when.year}年{when.month}月{when.day}日的报道："


def _restates(lead: str, chosen: list[Found]) -> bool:
    """Whether the one quoted sentence says nothing but the lead's words (and who said): a speaker's
    attribution (焦店镇镇长郭晓光说) quoted after 郭晓光是焦店镇镇长 only repeats it."""
    if not lead or len(chosen) != 1:
        return False
    rest = "".join(ch for ch in chosen[0].text if ch not in lead)
    return len(re.sub(r"说|表示|介绍|称|指出|告诉记者|一名|一位|[\W\d_]", "", rest)) <= 1


def _older(finding: Finding, shown: Found, evidence: list[Evidence]) -> str:
    """An older report's different figure, with its date (the newest report's is the answer)."""
    if finding.question.kind not in NUMERIC or not shown.passage.date:
        return ""
    part = bool(PART.search(shown.match.clause))
    for found in finding.support[1:CITED]:  # a part (首批67名) is no older figure of the whole (500余名)
        if (found.passage.article_id != shown.passage.article_id and found.passage.date
                and bool(PART.search(found.match.clause)) == part
                and found.passage.date < shown.passage.date and found.match.value != shown.match.value):
            return f"（此前{found.passage.date}的报道为：{found.match.value}[{_marker(found, evidence)}]）"
    return ""


def _picked(finding: Finding) -> list[Found]:
    """The best supporting sentence, and for many-sentence kinds those close to it; a summary's
    points, all of them, in reading order."""
    if finding.question.kind == "summary":
        return finding.support[:CITED]
    best = finding.support[0].match.score
    limit = MANY.get(finding.question.kind, 2)  # a fact: its best sentence, and a second nearly as good
    floor = 0.6 if finding.question.kind in MANY else 0.7
    picked: list[Found] = []
    for found in finding.support[:CITED]:
        if len(picked) >= limit or found.match.score < floor * best:
            break
        sentence = _sentence(found)
        if finding.question.kind == "role" and any(found.match.value == p.match.value for p in picked):
            continue  # a second sentence only for another title (平安志愿者, and 社区网格员)
        if all(sentence not in _sentence(p) and _sentence(p) not in sentence for p in picked):
            picked.append(found)
    return picked


class ExtractiveAnswerer:
    name = "extractive"

    def compose(self, decision: Decision, evidence: list[Evidence]) -> str:
        """The answer text for a decision (REFUSAL when it refuses). `evidence` must hold the
        decision's sentences (`gate.cited_evidence`)."""
        if decision.action == "refuse":
            return REFUSAL
        written: list[str] = []
        parts: list[str] = []
        for finding in decision.findings:
            if finding.supported:
                chosen = [f for f in _picked(finding) if _sentence(f) not in written]
                if not chosen and written:  # an earlier part's sentence answers this one too
                    continue
                written += [_sentence(f) for f in chosen]
                lead = _as_of(finding.question, chosen[0]) + _lead(finding.question, chosen)
                if _restates(lead, chosen):  # 郭晓光是焦店镇镇长[1]。, not again 焦店镇镇长郭晓光说。
                    parts.append(f"{lead.rstrip('。')}[{_marker(chosen[0], evidence)}]。")
                    continue
                parts.append(lead + "".join(f"{_sentence(f)}[{_marker(f, evidence)}]" for f in chosen)
                             + _older(finding, chosen[0], evidence))
            elif finding.near:
                sentence = _sentence(finding.near)
                if sentence not in written:
                    written.append(sentence)
                    parts.append(f"{PARTIAL}{sentence}[{_marker(finding.near, evidence)}]")
        return "".join(parts) or REFUSAL

    def stream(self, question, evidence: list[Evidence]) -> Iterator[str]:
        raise NotImplementedError("the extractive answerer composes from the gate's decision (compose)")

    def complete(self, prompt: str) -> str:
        raise NotImplementedError("the extractive answerer has no model")
