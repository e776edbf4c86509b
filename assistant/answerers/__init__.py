"""Answerers behind one interface: `stream(question, evidence)` yields text with [n] markers."""
from __future__ import annotations

from typing import Iterator, Protocol

from ..retrieval import Evidence


class AnswererError(RuntimeError):
    """A model failed (down, timed out, empty or unusable reply): the caller falls back to extractive."""


class Answerer(Protocol):
    name: str

    def stream(self, question: str, evidence: list[Evidence]) -> Iterator[str]: ...

    def complete(self, prompt: str) -> str: ...
