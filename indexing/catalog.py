"""Articles rebuilt from the chunks in the store (chunks carry their article's metadata and offsets)."""
from __future__ import annotations

from collections import defaultdict

from .store import ChunkStore


def list_articles(store: ChunkStore, where: dict | None = None) -> list[dict]:
    """Every indexed article (of the chunks `where` admits) as {id, title, subtitle, reporters, date,
    source, text, ...}, in page order."""
    chunks = defaultdict(list)
    for _, meta, text in store.iter_chunks(where=where):
        chunks[meta["article_id"]].append((int(meta["start"]), text or "", meta))
    articles = []
    for article_id, parts in chunks.items():
        parts.sort(key=lambda part: part[0])
        text = ""
        for start, chunk_text, _ in parts:  # chunks overlap; each is article.text[start:end]
            text = text[:start] + chunk_text
        meta = parts[0][2]
        articles.append(
            {
                "id": article_id,
                "title": meta["title"],
                "subtitle": meta.get("subtitle", ""),
                "reporters": [r for r in meta.get("reporters", "").split("、") if r],
                "date": meta.get("date") or None,
                "source": meta["source"],
                "text": text,
                "kind": meta.get("kind", "article"),
                "photographer": meta.get("photographer") or None,
                "section": meta.get("section") or None,
                "position": int(meta.get("position", 0)),
                "chunks": len(parts),
            }
        )
    articles.sort(key=lambda a: (a["source"], a["position"]))
    return articles
