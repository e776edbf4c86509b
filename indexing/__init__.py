"""Ingestion: files -> articles -> chunks -> embeddings -> Chroma (+ keyword index)."""
from .settings import apply_offline_env

apply_offline_env()
