"""Follow-up questions -> standalone questions, from the conversation history."""
from __future__ import annotations

import re

from indexing.keyword import PLACE, Tokenizer

from .prompts import render

FOLLOW_UP = re.compile(r"^(那么|那|还有|另外|再问|它们?|他们?|她们?|其|该|这)|呢[？?。]?$")
# 这个基金 / 那家企业: a thing the previous question named, by its last word
POINTING = re.compile(r"^(?:这|那|该|此)(?:个|家|位|项|件|座|所|条|场|次|批|部|份|篇|起|支|张)?([\u4e00-\u9fff]{2})")
LEADING = re.compile(r"^(那么|那|还有|另外|再问一下|再问)[，,]?")
QUESTION_WORDS = re.compile(r"多少|什么|哪些|哪个|如何|怎么|怎样|是否|吗|呢|第几|几")


def last_user_question(history: list[dict] | None) -> str | None:
    for message in reversed(history or []):
        if isinstance(message, dict) and message.get("role") == "user" and str(message.get("content", "")).strip():
            return str(message["content"]).strip()
    return None


def is_follow_up(question: str) -> bool:
    return bool(FOLLOW_UP.search(question.strip())) or len(question.strip()) <= 4


def subject_of(question: str, tokenizer: Tokenizer) -> str:
    """The names a question is about: dictionary words and place names, in order."""
    known = set(tokenizer.words)
    names = [t for t in tokenizer(question) if t in known or PLACE.fullmatch(t)]
    return "".join(dict.fromkeys(names))


def pointed_at(question: str, previous: str) -> str | None:
    """A follow-up that points at a thing the previous question named (这个基金主要拿来干啥 after
    …生态智慧产业发展基金总规模多少): the question with that thing's full name; None otherwise."""
    core = LEADING.sub("", question.strip())
    pointing = POINTING.match(core)
    named = re.search(rf"[\u4e00-\u9fff“”]{{0,14}}{re.escape(pointing.group(1))}(?:《[^》]+》)?", previous) if pointing else None
    if named and not QUESTION_WORDS.search(named.group()):
        return named.group() + core[pointing.end():]
    return None


def rule_based_standalone(question: str, history: list[dict] | None, tokenizer: Tokenizer) -> str:
    """Carry the previous question's subject over to an elliptical follow-up (no model needed)."""
    previous = last_user_question(history)
    if not previous or not is_follow_up(question):
        return question
    pointed = pointed_at(question, previous)
    if pointed:
        return pointed
    core = LEADING.sub("", question.strip())
    subject = subject_of(previous, tokenizer)
    if not subject or subject in core:
        return question
    return subject + core


def model_standalone(question: str, history: list[dict], answerer) -> str:
    """Ask the model to rewrite; fall back to the question when the reply is unusable."""
    lines = [
        f"{'用户' if m.get('role') == 'user' else '助手'}：{str(m.get('content', ''))[:300]}"
        for m in history[-6:]
        if isinstance(m, dict) and m.get("role") in ("user", "assistant")
    ]
    rewritten = answerer.complete(render("condense", history="\n".join(lines), question=question))
    rewritten = rewritten.strip().splitlines()[0].strip() if rewritten.strip() else ""
    rewritten = re.sub(r"^(改写后的问题[:：])", "", rewritten).strip()
    if not rewritten or len(rewritten) > 3 * len(question) + 40:
        return question
    return rewritten
