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


def article_texts(store: ChunkStore, article_ids: list[str]) -> dict[str, str]:
    """Several articles' headings and texts, in one filtered read."""
    if not article_ids:
        return {}
    page = store.get_where({"article_id": article_ids[0] if len(article_ids) == 1 else {"$in": list(article_ids)}})
    parts: dict[str, list[tuple[int, str, dict]]] = defaultdict(list)
    for meta, document in zip(page["metadatas"], page["documents"]):
        parts[meta["article_id"]].append((int(meta["start"]), document or "", meta))
    return {a: "\n".join(x for x in (found[0][2].get("title", ""), found[0][2].get("subtitle", ""), assemble(found)) if x)
            for a, found in parts.items()}


def _article(article_id: str, meta: dict, chunks: int) -> dict:
    """What the listing and the table both say of an article, from its first chunk's metadata."""
    return {
        "id": article_id,
        "title": meta["title"],
        "subtitle": meta.get("subtitle", ""),
        "reporters": [r for r in meta.get("reporters", "").split("、") if r],
        "correspondents": [r for r in meta.get("correspondents", "").split("、") if r],
        "date": meta.get("date") or None,
        "source": meta["source"],
        "kind": meta.get("kind", "article"),
        "photographer": meta.get("photographer") or None,
        "section": meta.get("section") or None,
        "position": int(meta.get("position", 0)),
        "chunks": chunks,
    }


def list_articles(store: ChunkStore, where: dict | None = None) -> list[dict]:
    """Every indexed article (of the chunks `where` admits) as {id, title, subtitle, reporters, date,
    source, text, ...}, in page order."""
    chunks = defaultdict(list)
    for _, meta, text in store.iter_chunks(where=where):
        chunks[meta["article_id"]].append((int(meta["start"]), text or "", meta))
    articles = []
    for article_id, parts in chunks.items():
        meta = min(parts, key=lambda part: part[0])[2]
        articles.append({**_article(article_id, meta, len(parts)), "text": assemble(parts)})
    articles.sort(key=lambda a: (a["source"], a["position"]))
    return articles


def article_table(store: ChunkStore, where: dict | None = None) -> list[dict]:
    """Every article's metadata (no text: a cheap read of chunk metadata), in page order, with
    the chunk it starts with (what a listing cites) and every byline name (`people`, as stored)."""
    first: dict[str, tuple[int, str, dict]] = {}
    counts: dict[str, int] = defaultdict(int)
    for chunk_id, meta, _ in store.iter_chunks(with_text=False, where=where):
        article_id = meta["article_id"]
        counts[article_id] += 1
        start = int(meta.get("start", 0))
        if article_id not in first or start < first[article_id][0]:
            first[article_id] = (start, chunk_id, meta)
    table = [{**_article(article_id, meta, counts[article_id]), "people": list(meta.get("people") or []),
              "date_int": int(meta.get("date_int") or 0), "record_id": meta.get("record_id", ""), "first_chunk": chunk_id}
             for article_id, (_, chunk_id, meta) in first.items()]
    table.sort(key=lambda a: (a["source"], a["position"]))
    return table
