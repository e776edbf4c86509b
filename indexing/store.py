"""The Chroma collection that holds chunks, vectors and their metadata (embedded or `chroma run` server).

Chroma is the single source of truth: every chunk carries its article's metadata and its offsets, so
articles, the keyword index and the incremental-indexing state can all be rebuilt from it.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import NodeWithScore, TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery
from llama_index.vector_stores.chroma import ChromaVectorStore

from .settings import Settings

PAGE = 2000


class StoreError(RuntimeError):
    """The vector store cannot be used as configured; the message says why."""


class EmbeddingModelMismatch(StoreError):
    """The collection was built with another embedding model than the one configured."""


@dataclass
class SourceState:
    """What the store holds for one source file."""

    file_hashes: set[str] = field(default_factory=set)
    expected_chunks: set[int] = field(default_factory=set)
    chunk_ids: list[str] = field(default_factory=list)
    article_ids: set[str] = field(default_factory=set)

    def is_complete(self, file_hash: str) -> bool:
        """All chunks of exactly this version of the file are present (no crash left it half-written)."""
        return self.file_hashes == {file_hash} and self.expected_chunks == {len(self.chunk_ids)}


def make_client(settings: Settings) -> Any:
    """An embedded persistent client in the data dir, or an HTTP client when XINWEN_CHROMA_URL is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise StoreError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ChunkStore:
    """One Chroma collection, tied to one embedding model (id and dimension recorded in its metadata)."""

    def __init__(self, client: Any, name: str, model_id: str, dimension: int, create: bool = True):
        self.name = name
        self.model_id = model_id
        self.dimension = dimension
        if create:
            self.collection = client.get_or_create_collection(
                name,
                embedding_function=None,
                metadata={"embed_model": model_id, "dimension": dimension, "hnsw:space": "cosine"},
            )
        else:
            try:
                self.collection = client.get_collection(name, embedding_function=None)
            except Exception as exc:
                raise StoreError(
                    f"no index yet (collection '{name}' does not exist): run `xinwen index` first"
                ) from exc
        self._check_model()
        self.vector_store = ChromaVectorStore(chroma_collection=self.collection)

    def _check_model(self) -> None:
        meta = self.collection.metadata or {}
        stored, stored_dim = meta.get("embed_model"), meta.get("dimension")
        if stored and (stored != self.model_id or stored_dim != self.dimension):
            raise EmbeddingModelMismatch(
                f"collection '{self.name}' was built with embedding model '{stored}' ({stored_dim}-d), "
                f"but the configured model is '{self.model_id}' ({self.dimension}-d). Use the same model, "
                f"or index into another collection (XINWEN_COLLECTION) / data dir."
            )

    def count(self) -> int:
        return self.collection.count()

    def upsert(self, nodes: list[TextNode]) -> None:
        """Write nodes (with embeddings); an id already present gets the new metadata."""
        for start in range(0, len(nodes), PAGE):
            batch = nodes[start : start + PAGE]
            self.collection.upsert(
                ids=[n.node_id for n in batch],
                embeddings=[n.get_embedding() for n in batch],
                metadatas=[node_metadata(n) for n in batch],
                documents=[n.text for n in batch],
            )

    def embeddings(self, ids: list[str]) -> dict[str, list[float]]:
        """Stored vectors by chunk id, so unchanged text is never embedded twice."""
        vectors: dict[str, list[float]] = {}
        for start in range(0, len(ids), PAGE):
            page = self.collection.get(ids=ids[start : start + PAGE], include=["embeddings"])
            vectors.update({i: list(map(float, v)) for i, v in zip(page["ids"], page["embeddings"])})
        return vectors

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), PAGE):
            self.collection.delete(ids=ids[start : start + PAGE])

    def existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), PAGE):
            found.update(self.collection.get(ids=ids[start : start + PAGE], include=[])["ids"])
        return found

    def iter_chunks(self, with_text: bool = True) -> Iterator[tuple[str, dict, str | None]]:
        """Every (chunk id, metadata, text), paged so a large collection streams."""
        include = ["metadatas", "documents"] if with_text else ["metadatas"]
        offset = 0
        while True:
            page = self.collection.get(include=include, limit=PAGE, offset=offset)
            if not page["ids"]:
                return
            documents = page.get("documents") or [None] * len(page["ids"])
            yield from zip(page["ids"], page["metadatas"], documents)
            offset += len(page["ids"])

    def source_states(self) -> dict[str, SourceState]:
        states: dict[str, SourceState] = defaultdict(SourceState)
        for chunk_id, meta, _ in self.iter_chunks(with_text=False):
            state = states[meta["source"]]
            state.file_hashes.add(meta["file_hash"])
            state.expected_chunks.add(int(meta["file_chunks"]))
            state.chunk_ids.append(chunk_id)
            state.article_ids.add(meta["article_id"])
        return dict(states)

    def query(self, embedding: list[float], k: int, where: dict | None = None) -> list[NodeWithScore]:
        """Nearest chunks with cosine similarity as the score."""
        if k <= 0 or self.count() == 0:
            return []
        kwargs = {"where": where} if where else {}
        result = self.vector_store.query(
            VectorStoreQuery(query_embedding=embedding, similarity_top_k=min(k, self.count())), **kwargs
        )
        # LlamaIndex reports exp(-distance); Chroma's cosine distance is 1 - cos.
        return [
            NodeWithScore(node=node, score=1.0 + math.log(max(sim, 1e-12)))
            for node, sim in zip(result.nodes, result.similarities or [])
        ]


def node_metadata(node: TextNode) -> dict:
    """Chroma-ready flat metadata for a node, in LlamaIndex's own layout (so its store can read it back)."""
    from llama_index.core.vector_stores.utils import node_to_metadata_dict

    meta = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
    return {key: ("" if value is None else value) for key, value in meta.items()}
