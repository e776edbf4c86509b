"""What a running process reads from the index: the keyword index, the retriever and the article
table of one published generation (`indexing.store.Generation`). When an index run from any
process publishes a new one, the next view is loaded in the background while the old one keeps
answering (from its own runs only), then swapped in."""
from __future__ import annotations

import logging
import threading
from functools import cached_property

import numpy as np

from indexing.catalog import article_table, article_texts, list_articles
from indexing.keyword import KeywordIndex
from indexing.settings import Settings
from indexing.store import ChunkStore, Generation, StoreError

from .retrieval import Retriever
from .timeline import from_number

log = logging.getLogger("xinwen.index")


class IndexView:
    """One published generation of the index, as read by this process."""

    def __init__(self, settings: Settings, store: ChunkStore, embedder, generation: Generation):
        self.generation = generation
        self.store = store
        self.settings, self.embedder = settings, embedder
        self.keyword = KeywordIndex(settings.keyword_path / store.name, settings.user_dictionary)
        if not self.keyword.in_step_with(store, generation.where):  # a new run, or a crash between writes
            self.keyword.rebuild(store, generation.where)
        self.retriever = Retriever(settings, store, self.keyword, embedder, where=generation.where)

    @cached_property
    def restricted(self) -> "IndexView":
        """This view with dense search limited to its own runs: used while a newer run is being
        written or loaded (a filtered query costs more, so it is not the default)."""
        view = object.__new__(IndexView)
        view.__dict__.update({k: v for k, v in self.__dict__.items() if k != "restricted"})  # caches shared
        view.retriever = Retriever(self.settings, self.store, self.keyword, self.embedder,
                                   where={"generation": {"$lte": self.generation.published}})
        return view

    @cached_property
    def chunk_sample(self):
        """Vectors of a few hundred chunks across the archive (see `ChunkStore.sample_embeddings`)."""
        return np.array(self.store.sample_embeddings(400, self.generation.where), dtype=np.float32)

    def article_text(self, article_id: str) -> str:
        """An article's heading and whole text (cached: the gate reads the top passages' articles)."""
        return self.article_texts([article_id])[article_id]

    def article_texts(self, article_ids: list[str]) -> dict[str, str]:
        """Several articles' texts, those not cached read at once."""
        cache = self.__dict__.setdefault("_article_texts", {})
        missing = [a for a in dict.fromkeys(article_ids) if a not in cache]
        if missing:
            if len(cache) + len(missing) > 256:
                cache.clear()
            read = article_texts(self.store, missing)
            cache.update({a: read.get(a, "") for a in missing})
        return {a: cache[a] for a in article_ids}

    @cached_property
    def articles(self) -> list[dict]:
        return list_articles(self.store, self.generation.where)

    @cached_property
    def table(self) -> list[dict]:
        """Every article's metadata (see `indexing.catalog.article_table`), once per generation."""
        return article_table(self.store, self.generation.where)

    @cached_property
    def people(self) -> set[str]:
        """Every name in the bylines (reporters, correspondents, photographers), once per generation."""
        return {p for a in self.table for p in a["people"]}

    @cached_property
    def newest_date(self):
        """The newest date in the archive: what 今年 and 上周 in a question count from."""
        return from_number(max((a["date_int"] for a in self.table), default=0))

    @property
    def article_count(self) -> int:
        return len(self.table)

    @property
    def chunk_count(self) -> int:
        return len(self.keyword.ids)


class LiveIndex:
    """The current `IndexView`. Each request reads the store's generation (one small read): when an
    index run (of any process) is being written, it reads only the runs its view holds; when one
    has been published, the next view is loaded in the background, one at a time."""

    def __init__(self, settings: Settings, store: ChunkStore, embedder):
        self.settings, self.store, self.embedder = settings, store, embedder
        self._view: IndexView | None = None
        self._lock = threading.Lock()
        self._loading = False

    def current(self) -> IndexView:
        view = self._view
        if view is None:
            return self.refresh()
        try:
            newest = self.store.generation()
        except StoreError:  # a Chroma server that went away: the request itself will say so
            return view
        if newest == view.generation:
            return view
        if newest.published != view.generation.published and not self._loading:
            self._loading = True
            threading.Thread(target=self._load, args=(newest,), name="index-reload", daemon=True).start()
        return view.restricted

    def refresh(self) -> IndexView:
        """Load the store's current generation now (after an index run in this process)."""
        with self._lock:
            self._view = IndexView(self.settings, self.store, self.embedder, self.store.generation())
            return self._view

    def _load(self, generation: Generation) -> None:
        try:
            view = IndexView(self.settings, self.store, self.embedder, generation)
            with self._lock:
                if self._view is None or self._view.generation.published <= generation.published:
                    self._view = view
            log.info("index generation %d loaded (%d chunks)", generation.published, view.chunk_count)
        except Exception as exc:  # the old view keeps answering; the next request tries again
            log.warning("could not load index generation %d: %s", generation.published, exc)
        finally:
            self._loading = False
