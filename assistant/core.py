"""`Assistant`: the Python API that the CLI, the UI and the HTTP service all call."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

from indexing.catalog import list_articles
from indexing.embeddings import embedding_dimension, make_embedder
from indexing.pipeline import Indexer, IndexReport
from indexing.settings import Settings
from indexing.store import ChunkStore, make_client


class Assistant:
    """Everything xinwen does, behind one object. Heavy parts (model, store) load on first use."""

    def __init__(self, settings: Settings | None = None, collection: str | None = None):
        self.settings = settings or Settings()
        self.collection_name = collection or self.settings.collection

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

    def index(self, paths: list[str | Path] | None = None, progress: bool = True) -> IndexReport:
        """Bring the index in step with the files under `paths` (default: the corpus dir)."""
        store = self._store(create=True)
        self.__dict__["store"] = store
        indexer = Indexer(self.settings, self.embedder, store)
        return indexer.index([Path(p) for p in paths] if paths else None, progress=progress)

    def articles(self) -> list[dict]:
        return list_articles(self.store)

    def search(self, query: str, k: int = 5) -> list[dict]:
        """Top passages for a query with scores."""
        query = query.strip()
        if not query:
            raise ValueError("empty query")
        hits = self.store.query(self.embedder.get_query_embedding(query), k)
        return [
            {
                "chunk_id": hit.node.node_id,
                "article_id": hit.node.metadata["article_id"],
                "title": hit.node.metadata["title"],
                "text": hit.node.get_content(),
                "score": round(float(hit.score), 4),
            }
            for hit in hits
        ]
