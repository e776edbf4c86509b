"""Articles rebuilt from the chunks in the store (chunks carry their article's metadata and offsets)."""
from __future__ import annotations

from collections import defaultdict

from .store import ChunkStore


def assemble(parts: list[tuple[int, str, dict]]) -> str:
    """An article's text from its chunks, (start offset, text, metadata) in any order: chunks
    overlap, and each is article.text[start:end]."""
    text = ""
    for start, chunk_text, _ in sorted(parts, key=lambda part: part[0]):
        text = text[:start] + chunk_text
    return text


def article_text(store: ChunkStore, article_id: str) -> str:
    """One article's heading and text, from its chunks (one filtered read)."""
    page = store.get_where({"article_id": article_id})
    parts = [(int(m["start"]), d or "", m) for m, d in zip(page["metadatas"], page["documents"])]
    if not parts:
        return ""
    meta = parts[0][2]
    return "\n".join(x for x in (meta.get("title", ""), meta.get("subtitle", ""), assemble(parts)) if x)


def list_articles(store: ChunkStore, where: dict | None = None) -> list[dict]:
    """Every indexed article (of the chunks `where` admits) as {id, title, subtitle, reporters, date,
    source, text, ...}, in page order."""
    chunks = defaultdict(list)
    for _, meta, text in store.iter_chunks(where=where):
        chunks[meta["article_id"]].append((int(meta["start"]), text or "", meta))
    articles = []
    for article_id, parts in chunks.items():
        text = assemble(parts)
        meta = min(parts, key=lambda part: part[0])[2]
        articles.append(
            {
                "id": article_id,
                "title": meta["title"],
                "subtitle": meta.get("subtitle", ""),
                "reporters": [r for r in meta.get("reporters", "").split("、") if r],
                "correspondents": [r for r in meta.get("correspondents", "").split("、") if r],
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


def article_table(store: ChunkStore, where: dict | None = None) -> list[dict]:
    """Every article's metadata (no text: a cheap read of chunk metadata), in page order, with
    the chunk it starts with (what a listing cites)."""
    first: dict[str, tuple[int, str, dict]] = {}
    counts: dict[str, int] = defaultdict(int)
    for chunk_id, meta, _ in store.iter_chunks(with_text=False, where=where):
        article_id = meta["article_id"]
        counts[article_id] += 1
        start = int(meta.get("start", 0))
        if article_id not in first or start < first[article_id][0]:
            first[article_id] = (start, chunk_id, meta)
    table = []
    for article_id, (_, chunk_id, meta) in first.items():
        reporters = [r for r in meta.get("reporters", "").split("、") if r]
        correspondents = [r for r in meta.get("correspondents", "").split("、") if r]
        photographer = meta.get("photographer") or None
        table.append({
            "id": article_id, "title": meta["title"], "subtitle": meta.get("subtitle", ""),
            "reporters": reporters, "correspondents": correspondents, "photographer": photographer,
            "people": reporters + correspondents + (photographer.split() if photographer else []),
            "date": meta.get("date") or None, "date_int": int(meta.get("date_int") or 0),
            "kind": meta.get("kind", "article"), "section": meta.get("section") or None,
            "source": meta["source"], "position": int(meta.get("position", 0)), "record_id": meta.get("record_id", ""),
            "chunks": counts[article_id], "first_chunk": chunk_id,
        })
    table.sort(key=lambda a: (a["source"], a["position"]))
    return table
