"""Prompt files from `prompts/` (package data: found the same way in a checkout and in a wheel),
filled with str.format."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

REFUSAL = "根据现有资料无法回答该问题。"
PARTIAL = "资料只提到："
# how a model's reply reads: it opens with the refusal, or with the partial answer's words
REFUSAL_OPENINGS = (REFUSAL[:-1], "根据现有资料无法回答", "无法回答", "资料中没有", "资料中未", "资料未", "资料没有")


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return files("prompts").joinpath(f"{name}.md").read_text(encoding="utf-8").strip()


def render(name: str, **values) -> str:
    return template(name).format(refusal=REFUSAL, partial=PARTIAL, **values)


def kind_instruction(kind: str) -> str:
    """The prompt line for a kind of question (`prompts/kinds/<kind>.md`)."""
    return template(f"kinds/{kind}")


def without_stray_partial(reply: str) -> str:
    """A reply that answers and then quotes its source after "资料只提到：" (a small model's habit,
    `3.8%。[1]资料只提到：…3.8%。[1]`): the phrase goes, the quote stays."""
    return reply.replace(PARTIAL, "") if reads_as(reply) == "answer" else reply


def reads_as(reply: str) -> str:
    """"refuse", "partial" or "answer": how a model's reply reads, by how it opens."""
    opening = reply.strip().lstrip("“\"'（(").replace(" ", "")
    if opening.startswith(REFUSAL_OPENINGS):
        return "partial" if re.search(r"只提到|只说明|仅提到|只有", opening) else "refuse"
    if opening.startswith(PARTIAL.rstrip("：")):
        return "partial"
    return "answer"
