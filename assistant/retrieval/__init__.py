"""Retrieval: hybrid search and fusion (`search`), rerank signals (`rerank`), evidence sentences
(`evidence`), and the records they hand on (`passages`)."""
from .evidence import select_evidence
from .passages import Evidence, Passage, Retrieval
from .rerank import Weights
from .search import Retriever, fuse

__all__ = ["Evidence", "Passage", "Retrieval", "Retriever", "Weights", "fuse", "select_evidence"]
