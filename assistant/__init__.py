"""xinwen: a Chinese-first assistant that answers questions about news articles, with citations."""
import indexing  # noqa: F401  (applies the offline environment before anything heavy is imported)

from .core import Assistant

__all__ = ["Assistant"]
