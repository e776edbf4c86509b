"""`Assistant`: the Python API that the CLI, the UI and the HTTP service all call."""
from __future__ import annotations

import re
import threading
from functools import cached_property
from pathlib import Path
from collections.abc import Collection
from typing import Iterator

from indexing.embeddings import embedding_dimension, make_embedder
from indexing.keyword import KeywordIndex
from indexing.pipeline import Indexer, IndexReport, index_lock
from indexing.settings import Settings
from indexing.store import ChunkStore, and_where, make_client, storage_error

from .answer import Answer
from .answerers import AnswererError
from .answerers.extractive import ExtractiveAnswerer
from .answerers.local_llama import LocalAnswerer, local_available
from .answerers.openai_compat import OpenAICompatAnswerer
from . import answering
from .archive import Archive, asks_about_a_byline_person
from .filters import Filters
from .index_view import IndexView, LiveIndex
from .timeline import reference_note, resolve
from .conversation import is_follow_up, last_user_question, model_standalone, pointed_at, rule_based_standalone
from .retrieval import Retriever

ANSWERERS = ("auto", "extractive", "llm", "local")
MAX_QUESTION_CHARS = 2000
MAX_HISTORY = 20  # messages kept from a conversation


def check_question(question) -> str:
    """The question, cleaned of control characters; ValueError with a clear message when unusable."""
    if not isinstance(question, str) or not question.strip():
        raise ValueError("问题为空：请输入一个问题")
    question = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", question)  # terminal colour codes pasted in
    question = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
    if not question:
        raise ValueError("问题为空：请输入一个问题")
    if len(question) > MAX_QUESTION_CHARS:
        raise ValueError(f"问题太长（{len(question)} 字），请控制在 {MAX_QUESTION_CHARS} 字以内")
    if not any(ch.isalnum() for ch in question):
        raise ValueError("问题里没有可检索的文字（只有标点或表情），请用文字提问")
    return question


def check_history(history) -> list[dict]:
    if history is None:
        return []
    if not isinstance(history, list) or not all(
        isinstance(m, dict) and m.get("role") in ("user", "assistant", "system") and isinstance(m.get("content"), str)
        for m in history
    ):
        raise ValueError('history 格式错误：应为 [{"role": "user"|"assistant", "content": "…"}, …]')
    # the recent turns are what a follow-up refers to; each is cut so a huge history stays cheap
    return [{"role": m["role"], "content": m["content"][:MAX_QUESTION_CHARS]} for m in history[-MAX_HISTORY:]]


class Assistant:
    """Everything xinwen does, behind one object. Heavy parts (model, store) load on first use."""

    def __init__(self, settings: Settings | None = None, collection: str | None = None):
        self.settings = settings or Settings()
        self.collection_name = collection or self.settings.collection
        self._local: LocalAnswerer | None = None
        self._llm: OpenAICompatAnswerer | None = None
        self._lock = threading.Lock()  # answerers are made once, whichever request comes first

    # --- parts, loaded on first use ------------------------------------------------------------
    @cached_property
    def embedder(self):
        return make_embedder(self.settings)

    @cached_property
    def dimension(self) -> int:
        return embedding_dimension(self.embedder)

    @cached_property
    def client(self):
        return make_client(self.settings)

    def _store(self, create: bool) -> ChunkStore:
        return ChunkStore(self.client, self.collection_name, self.settings.embed_model_id, self.dimension, create)

    @cached_property
    def store(self) -> ChunkStore:
        """The collection for reading; a clear error when nothing has been indexed yet."""
        return self._store(create=False)

    @cached_property
    def live(self) -> LiveIndex:
        return LiveIndex(self.settings, self.store, self.embedder)

    @property
    def view(self) -> IndexView:
        """The index as this process reads it now: the newest published run of any indexer."""
        return self.live.current()

    @property
    def keyword(self) -> KeywordIndex:
        return self.view.keyword

    @property
    def retriever(self) -> Retriever:
        return self.view.retriever

    # --- indexing -------------------------------------------------------------------------------
    def index(self, paths: list[str | Path] | None = None, progress: bool = True) -> IndexReport:
        """Bring the index in step with the files under `paths` (default: the corpus dir)."""
        with index_lock(self.settings.data_dir):  # before the model loads: a second indexer fails at once
            store = self._store(create=True)
            try:
                report = Indexer(self.settings, self.embedder, store).index(
                    [Path(p) for p in paths] if paths else None, progress=progress
                )
            except Exception as exc:  # a data dir that filled up or turned read-only mid-run
                raise (storage_error(exc, self.settings.data_dir) or exc) from exc
            live = LiveIndex(self.settings, store, self.embedder)
            live.refresh()  # the keyword index is rebuilt here when it no longer matches the store
            self.__dict__.update(store=store, live=live)
        return report

    def articles(self) -> list[dict]:
        return self.view.articles

    # --- search ---------------------------------------------------------------------------------
    def search(self, query: str, k: int = 5, mode: str = "hybrid", filters: Filters | None = None) -> list[dict]:
        """Top passages for a query with scores (mode: dense, keyword or hybrid; `filters` narrow it)."""
        query = check_question(query)
        view = self.view
        if filters:
            filters.check(view.table)
        return [p.to_dict() for p in view.retriever.search(query, k, mode, filters.where() if filters else None)]

    # --- answering ------------------------------------------------------------------------------
    def answerer(self, name: str):
        """The answerer for a name; `auto` = configured endpoint, else local model, else extractive."""
        if name not in ANSWERERS:
            raise ValueError(f"unknown answerer '{name}' ({', '.join(ANSWERERS)})")
        s = self.settings
        if name == "auto":
            name = "llm" if s.llm_base_url else "local" if local_available(s) else "extractive"
        if name == "llm":
            if not s.llm_base_url:
                raise ValueError("answerer 'llm' needs XINWEN_LLM_BASE_URL")
            with self._lock:
                if self._llm is None:  # one client, one connection pool, for every question
                    self._llm = OpenAICompatAnswerer(
                        "llm", s.llm_base_url, s.llm_model, s.llm_api_key, connect_timeout=s.llm_connect_timeout,
                        timeout=s.llm_timeout, retries=s.llm_retries, max_tokens=s.llm_max_tokens,
                    )
            return self._llm
        if name == "local":
            with self._lock:
                if self._local is None:
                    self._local = LocalAnswerer(s)
            return self._local
        return ExtractiveAnswerer()

    def answerer_status(self) -> dict:
        """Which answerers can answer now: `auto` resolves to the first ready one of llm, local, extractive."""
        s = self.settings
        if self._local is not None and self._local.server is not None and self._local.server.alive():
            local = "running"
        else:
            local = "available" if local_available(s) else "not installed"
        return {
            "default": s.answerer if s.answerer != "auto" else
            "llm" if s.llm_base_url else "local" if local != "not installed" else "extractive",
            "extractive": "ready", "local": local, "llm": "configured" if s.llm_base_url else "not configured",
        }

    def standalone(self, question: str, history: list[dict], model=None) -> str:
        if not last_user_question(history) or not is_follow_up(question):
            return question
        # 这个基金: the thing named before, by its name (the rules need no model, and none misreads it)
        if model is not None and not pointed_at(question, last_user_question(history)):
            try:
                return model_standalone(question, history, model)
            except AnswererError:
                pass
        return rule_based_standalone(question, history, self.keyword.tokenizer)

    def ask(self, question: str, history: list[dict] | None = None, answerer: str | None = None,
            exclude: Collection[str] = (), filters: Filters | None = None) -> Answer:
        """Answer a question (with optional OpenAI-style history) citing the passages used."""
        answer = None
        for event in self.stream(question, history, answerer, exclude, filters):
            if event["type"] == "answer":
                answer = event["answer"]
        return answer

    def stream(self, question: str, history: list[dict] | None = None, answerer: str | None = None,
               exclude: Collection[str] = (), filters: Filters | None = None) -> Iterator[dict]:
        """Events: {"type": "question"}, {"type": "token", "text"}, {"type": "reset"} (discard the
        streamed text), and finally {"type": "answer", "answer": Answer}. `exclude`: record ids
        left out of retrieval (evaluation's refusal test); `filters`: dates, reporter, section, source."""
        question = check_question(question)
        history = check_history(history)
        filters = filters or Filters()
        model = self.answerer(answerer or self.settings.answerer)
        is_model = not isinstance(model, ExtractiveAnswerer)
        view = self.view  # one index generation for the whole answer
        filters.check(view.table)
        standalone = self.standalone(question, history, model if is_model else None)
        yield {"type": "question", "question": standalone}
        parsed = view.retriever.parse(standalone)
        if parsed.about_archive or asks_about_a_byline_person(parsed, view.people):
            answer = Archive(view, view.retriever).answer(parsed, filters)
            if not answer.refused:
                yield {"type": "token", "text": answer.text}
            yield {"type": "answer", "answer": answer}
            return
        period = resolve(standalone, view.newest_date)
        # a relative period (上周, 近日) narrows a search for a fact to its reports; a named one
        # (2月26日至3月17日) may be when the fact happened, not when it was reported
        where = and_where(filters.where(), period.where if period and period.narrows and period.counted
                          and not period.reversed else None)
        retrieval = view.retriever.retrieve(parsed, exclude, where)
        contexts = {p.article_id: view.article_text(p.article_id) for p in retrieval.passages[: self.settings.passages + 4]}
        for event in answering.answer(retrieval, model, self.settings, contexts):
            if event["type"] == "answer" and period and period.counted and not period.vague:  # say how the time was read
                note = reference_note(period, view.newest_date)
                event["answer"].notice = "；".join(x for x in (event["answer"].notice, note.strip("（）")) if x)
            yield event

    def close(self) -> None:
        """Stop the local model's server (if this process started it) and close HTTP clients."""
        if self._local:
            self._local.close()
        if self._llm:
            self._llm.close()
