"""The Chroma collection that holds chunks, vectors and their metadata (embedded or `chroma run` server).

Chroma is the single source of truth: every chunk carries its article's metadata and its offsets, so
articles, the keyword index and the incremental-indexing state can all be rebuilt from it.
"""
from __future__ import annotations

import math
import shutil
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import NodeWithScore, TextNode
from llama_index.core.vector_stores.types import VectorStoreQuery
from llama_index.vector_stores.chroma import ChromaVectorStore

from .settings import Settings

PAGE = 2000


@dataclass(frozen=True)
class Generation:
    """Which index runs a reader may see. Every run that changes the store takes the next number
    (`pending`), writes its chunks tagged with it, and publishes it when complete; readers see the
    published runs only, so a run in progress (or one that died midway) is never half-read."""

    published: int = 0
    pending: int = 0

    @property
    def where(self) -> dict | None:
        """The Chroma filter that hides an unpublished run's chunks (None when there is none)."""
        return {"generation": {"$lte": self.published}} if self.pending > self.published else None


def and_where(*filters: dict | None) -> dict | None:
    """Chroma `where` filters combined with $and (None when there are none)."""
    kept = [f for f in filters if f]
    return None if not kept else kept[0] if len(kept) == 1 else {"$and": kept}


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


def storage_error(exc: BaseException, where: Path | str) -> StoreError | None:
    """A clear StoreError for a data dir that is read-only or full (from OSError or Chroma's own
    wrapped database errors), else None."""
    text = f"{exc} {getattr(exc, 'strerror', '') or ''}".lower()
    if "readonly database" in text or "read-only file system" in text or getattr(exc, "errno", None) == 30:
        return StoreError(f"the data dir {where} is read-only: xinwen needs to write there (set XINWEN_DATA_DIR)")
    if "disk is full" in text or "no space left" in text or getattr(exc, "errno", None) == 28:
        return StoreError(f"the data dir {where} is full: free space, then run `xinwen index` again "
                          "(what was written before is kept)")
    return None


def ensure_free_space(settings: Settings, needed_bytes: int) -> None:
    """Refuse to write into an embedded store whose disk is (nearly) full: Chroma can hang, not fail,
    when a write hits ENOSPC, so the check comes first."""
    if settings.chroma_url:
        return
    free = shutil.disk_usage(settings.chroma_path).free
    if free < needed_bytes + settings.min_free_mb * 2**20:
        raise StoreError(f"the data dir {settings.data_dir} is full ({free / 2**20:.1f} MB free, "
                         f"{settings.min_free_mb:g} MB kept in reserve): free space, then run `xinwen index` "
                         "again (what was written before is kept)")


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
    try:
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    except Exception as exc:
        raise (storage_error(exc, settings.data_dir) or exc) from exc


class ChunkStore:
    """One Chroma collection, tied to one embedding model (id and dimension recorded in its metadata)."""

    def __init__(self, client: Any, name: str, model_id: str, dimension: int, create: bool = True):
        self.client = client
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

    @contextmanager
    def reachable(self):
        """A Chroma server that went away is a clear StoreError, not a traceback. Nothing to reset:
        the HTTP client reconnects on the next call once the server is back."""
        try:
            yield
        except httpx.TransportError as exc:
            raise StoreError(f"the Chroma server cannot be reached ({exc}); retry once it is back") from exc

    def _check_model(self) -> None:
        meta = self.collection.metadata or {}
        stored, stored_dim = meta.get("embed_model"), meta.get("dimension")
        if stored and (stored != self.model_id or stored_dim != self.dimension):
            raise EmbeddingModelMismatch(
                f"collection '{self.name}' was built with embedding model '{stored}' ({stored_dim}-d), "
                f"but the configured model is '{self.model_id}' ({self.dimension}-d). Use the same model, "
                f"or index into another collection (XINWEN_COLLECTION) / data dir."
            )

    def _metadata(self) -> dict:
        """The collection's metadata as it is now (another process may have changed it)."""
        with self.reachable():
            return dict(self.client.get_collection(self.name, embedding_function=None).metadata or {})

    def generation(self) -> Generation:
        meta = self._metadata()
        return Generation(int(meta.get("generation", 0)), int(meta.get("pending_generation", 0)))

    def _set_metadata(self, **values) -> None:
        meta = {k: v for k, v in self._metadata().items() if not k.startswith("hnsw:")}  # fixed at creation
        with self.reachable():
            self.collection.modify(metadata={**meta, **values})

    def begin_run(self) -> int:
        """The number of a new index run: its chunks stay hidden from readers until `publish`."""
        current = self.generation()
        number = max(current.published, current.pending) + 1
        self._set_metadata(pending_generation=number)
        return number

    def publish(self, number: int) -> None:
        """Make a complete run's chunks visible to every reader (in any process)."""
        self._set_metadata(generation=number, pending_generation=number)

    def count(self) -> int:
        with self.reachable():
            return self.collection.count()

    def upsert(self, nodes: list[TextNode]) -> None:
        """Write nodes (with embeddings); an id already present gets the new metadata."""
        with self.reachable():
            for start in range(0, len(nodes), PAGE):
                batch = nodes[start : start + PAGE]
                self.collection.upsert(
                    ids=[n.node_id for n in batch],
                    embeddings=[n.get_embedding() for n in batch],
                    metadatas=[node_metadata(n) for n in batch],
                    documents=[n.text for n in batch],
                )

    def stored(self, ids: list[str]) -> dict[str, tuple[list[float], int]]:
        """Stored (vector, generation) by chunk id, so unchanged text is never embedded twice and
        keeps the run that first wrote it."""
        with self.reachable():
            found: dict[str, tuple[list[float], int]] = {}
            for start in range(0, len(ids), PAGE):
                page = self.collection.get(ids=ids[start : start + PAGE], include=["embeddings", "metadatas"])
                for i, vector, meta in zip(page["ids"], page["embeddings"], page["metadatas"]):
                    found[i] = (list(map(float, vector)), int((meta or {}).get("generation", 0)))
            return found

    def delete(self, ids: list[str]) -> None:
        with self.reachable():
            for start in range(0, len(ids), PAGE):
                self.collection.delete(ids=ids[start : start + PAGE])

    def iter_chunks(self, with_text: bool = True, where: dict | None = None) -> Iterator[tuple[str, dict, str | None]]:
        """Every (chunk id, metadata, text) that `where` admits, paged so a large collection streams."""
        include = ["metadatas", "documents"] if with_text else ["metadatas"]
        offset = 0
        while True:
            with self.reachable():
                page = self.collection.get(include=include, limit=PAGE, offset=offset, where=where)
            if not page["ids"]:
                return
            documents = page.get("documents") or [None] * len(page["ids"])
            yield from zip(page["ids"], page["metadatas"], documents)
            offset += len(page["ids"])

    def sample_embeddings(self, n: int, where: dict | None = None) -> list:
        """About `n` stored vectors from across the collection (four evenly spaced slices): what a
        chunk picked at random looks like, as a baseline for similarity (vectors as Chroma returns them)."""
        total = self.count()
        vectors: list = []
        with self.reachable():
            for part in range(4):
                page = self.collection.get(include=["embeddings"], where=where, limit=max(1, n // 4),
                                           offset=part * total // 4)
                vectors.extend(page["embeddings"])
        return vectors

    def get(self, ids: list[str], where: dict | None = None) -> dict:
        """Metadata and text of the given chunks (those of them `where` admits)."""
        with self.reachable():
            return self.collection.get(ids=ids, where=where, include=["metadatas", "documents"])

    def get_where(self, where: dict) -> dict:
        """Metadata and text of the chunks a filter admits."""
        with self.reachable():
            return self.collection.get(where=where, include=["metadatas", "documents"])

    def get_where_document(self, contains: str | list[str], where: dict | None = None) -> dict:
        """Metadata of the chunks whose text contains a string, or any of several (Chroma's own
        document filter)."""
        strings = [contains] if isinstance(contains, str) else list(dict.fromkeys(contains))
        document = {"$contains": strings[0]} if len(strings) == 1 else {"$or": [{"$contains": s} for s in strings]}
        with self.reachable():
            return self.collection.get(where=where, where_document=document, include=["metadatas"])

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
        with self.reachable():
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
    meta = {key: ("" if value is None else value) for key, value in meta.items()}
    people = [p for key in ("reporters", "correspondents") for p in str(meta.get(key, "")).split("、") if p]
    people += [p for p in str(meta.get("photographer", "")).split() if p]
    if people:  # a list, so that a byline filter is one Chroma `$contains`
        meta["people"] = people
    return meta
