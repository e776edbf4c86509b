"""From a retrieval to an answer: the gate decides; a model (if any) writes, its reply is repaired
(markers, split decimals, uncited quotes), read (an answer, a partial answer or a refusal) and
checked (numbers in cited passages, typed checks); anything that fails falls back to the
extractive answer of the same decision, with the reason shown."""
from __future__ import annotations

import re
from typing import Iterator

from .answer import Answer
from .answerers import AnswererError
from .answerers.extractive import ExtractiveAnswerer
from .citations import (attribute, check_answer, citations_for, join_split_numbers, keep_cited, reply_body,
                        says_something, strip_invalid_markers, verify, without_unsupported)
from .gate import Decision, Reason, cited_evidence, decide
from .prompts import REFUSAL, reads_as, without_stray_partial
from .retrieval import Retrieval


def refusal(retrieval: Retrieval, answerer: str, why: str) -> Answer:
    """The fixed refusal, its reason, and the nearest passages."""
    related = [{"article_id": p.article_id, "title": p.title, "date": p.date, "text": p.text[:200]}
               for p in retrieval.passages[:3]]
    return Answer(REFUSAL, [], answerer, refused=True, verified=True, question=retrieval.question.text,
                  notice=why, related=related)


def answer(retrieval: Retrieval, model, settings, contexts: dict[str, str]) -> Iterator[dict]:
    """Events {"type": "token", "text"}, {"type": "reset"}, then {"type": "answer", "answer"}."""
    question = retrieval.question
    decision = decide(retrieval, settings, contexts)
    is_model = not isinstance(model, ExtractiveAnswerer)
    if decision.action == "refuse" and (decision.before_model or not is_model):
        yield {"type": "answer", "answer": refusal(retrieval, model.name, decision.reason)}
        return
    evidence = cited_evidence(retrieval.evidence, decision)
    citations = citations_for(evidence)
    notice = None
    if is_model:
        text = ""
        try:
            for delta in model.stream(question, evidence, decision.reason if decision.action == "partial" else ""):
                text += delta
                yield {"type": "token", "text": delta}
        except AnswererError as exc:
            notice = f"{exc}，已改用摘录回答"
        else:
            # Nothing, a bare [1], the question echoed, or a stream cut off by a dying server. No
            # retry: at temperature 0 the model would say the same again.
            if not says_something(text, question.text):
                notice = ("模型的回答只有是或不是、或只重复了问题，没有说出资料的内容，已改用摘录回答"
                          if re.sub(r"[\W_]", "", reply_body(text)) else "模型返回了空回答，已改用摘录回答")
            elif (reading := reads_as(text)) == "refuse" and decision.action != "answer":
                yield {"type": "answer", "answer": refusal(retrieval, model.name,
                                                           decision.reason or Reason.MODEL_DECLINED.value)}
                return
            elif reading == "refuse":  # the gate found a sentence that states the asked fact
                notice = "模型未作回答，但资料中有相关说法，已改用摘录回答"
            else:
                text = without_stray_partial(strip_invalid_markers(text.strip(), len(citations)))
                text, dropped = without_unsupported(attribute(join_split_numbers(text, citations), citations))
                ok, reason = verify(text, citations, report_dates=reading == "answer") if text else (
                    False, f"{dropped}句没有出处或重复")
                if ok and reading == "answer":
                    ok, reason = check_answer(question, text, citations, contexts, strict=model.name == "local")
                if ok:
                    left_out = f"已略去模型回答中{dropped}句没有出处或重复的话" if dropped else None
                    why = "；".join(x for x in (decision.reason if reading == "partial" else None, left_out) if x) or None
                    yield {"type": "answer", "answer": Answer(
                        text, keep_cited(citations, text), model.name, verified=True, question=question.text,
                        partial=reading == "partial", notice=why)}
                    return
                notice = f"模型回答未通过核对（{reason}），已改用摘录回答"
        yield {"type": "reset"}
    yield from extractive(retrieval, decision, evidence, citations, notice)


def extractive(retrieval: Retrieval, decision: Decision, evidence, citations, notice: str | None) -> Iterator[dict]:
    text = ExtractiveAnswerer().compose(decision, evidence)
    if text == REFUSAL:
        yield {"type": "answer", "answer": refusal(retrieval, "extractive", decision.reason or Reason.NOTHING_FOUND.value)}
        return
    yield {"type": "token", "text": text}
    ok, _ = verify(text, citations, report_dates=True)  # a year or date it gives is a cited report's own
    partial = decision.action == "partial"
    why = "；".join(x for x in (notice, decision.reason if partial else None) if x) or None
    yield {"type": "answer", "answer": Answer(text, keep_cited(citations, text), "extractive", verified=ok,
                                              question=retrieval.question.text, notice=why, partial=partial)}
