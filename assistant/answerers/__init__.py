"""Answerers behind one interface: `stream(question, evidence, caution)` yields text with [n]
markers (the extractive answerer composes from the gate's decision instead)."""
from __future__ import annotations

from typing import Iterator, Protocol

from ..question import Question
from ..retrieval import Evidence


class AnswererError(RuntimeError):
    """A model failed (down, timed out, empty or unusable reply): the caller falls back to extractive."""


class Answerer(Protocol):
    name: str

    def stream(self, question: Question, evidence: list[Evidence], caution: str = "") -> Iterator[str]: ...

    def complete(self, prompt: str) -> str: ...
