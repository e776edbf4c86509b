"""Any OpenAI-compatible chat endpoint (hosted, self-hosted, or our local llama.cpp server)."""
from __future__ import annotations

import time
from typing import Iterator

import httpx
from llama_index.core.llms import ChatMessage
from llama_index.llms.openai_like import OpenAILike

from ..prompts import kind_instruction, render
from ..question import Question
from ..retrieval import Evidence
from . import AnswererError


def build_messages(question: Question, evidence: list[Evidence], caution: str = "") -> list[ChatMessage]:
    """The system prompt, then the numbered passages, the question and the line for its kind."""
    passages = "\n".join(
        render(
            "passage",
            n=n,
            title=item.passage.title,
            subtitle=f"（{item.passage.subtitle}）" if item.passage.subtitle else "",
            date=item.passage.date or "未知",
            text=item.text,
        )
        for n, item in enumerate(evidence, 1)
    )
    return [
        ChatMessage(role="system", content=render("system")),
        ChatMessage(role="user", content=render("answer", passages=passages, question=question.text,
                                                instruction=kind_instruction(question.kind),
                                                caution=f"注意：{caution}。" if caution else "")),
    ]


class OpenAICompatAnswerer:
    """Streams an answer; connect/read timeouts, a bounded retry, and a total deadline."""

    def __init__(self, name: str, base_url: str, model: str, api_key: str, *, connect_timeout: float,
                 timeout: float, retries: int, max_tokens: int):
        self.name = name
        self.base_url = base_url
        self.timeout = timeout
        self.http = httpx.Client(timeout=httpx.Timeout(timeout, connect=connect_timeout))  # one pool, reused
        self.llm = OpenAILike(
            model=model,
            api_base=base_url,
            api_key=api_key or "not-needed",
            is_chat_model=True,
            temperature=0.0,  # facts, not prose: the same question gets the same answer
            max_tokens=max_tokens,
            max_retries=retries,
            timeout=timeout,
            http_client=self.http,
        )

    def _stream_messages(self, messages: list[ChatMessage]) -> Iterator[str]:
        deadline = time.monotonic() + self.timeout
        try:
            for chunk in self.llm.stream_chat(messages):
                if chunk.delta:
                    yield chunk.delta
                if time.monotonic() > deadline:
                    raise AnswererError(f"{self.name} 模型超过 {self.timeout:g} 秒未完成回答")
        except AnswererError:
            raise
        except Exception as exc:  # connection refused, timeouts, HTTP errors from the endpoint
            detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
            raise AnswererError(f"{self.name} 模型不可用：{type(exc).__name__}{'：' + detail if detail else ''}") from exc

    def stream(self, question: Question, evidence: list[Evidence], caution: str = "") -> Iterator[str]:
        yield from self._stream_messages(build_messages(question, evidence, caution))

    def complete(self, prompt: str) -> str:
        return "".join(self._stream_messages([ChatMessage(role="user", content=prompt)])).strip()

    def close(self) -> None:
        self.http.close()
