"""An article -> Chinese sentence-aware chunks (about 300-500 characters, one-sentence overlap)."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from .documents import Article

# A sentence ends at 。！？；… (or a newline), plus any closing quotes/brackets that follow. A ！ or ？
# that closes a title (《我又被奥运健儿们种草了！》) does not end the sentence.
SENTENCE = re.compile(r"(?:[^。！？!?；;…\n]|[！？!?](?=》))*(?:[。！？!?；;…]+[”’\"」』）)】]*|\n|$)")
SOFT_BREAK = re.compile(r"[，,、：:]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentence_spans(text: str) -> list[Span]:
    """Sentence spans of `text` (whitespace-only spans dropped), in order, covering all content."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Span(start, end))
    return spans


def _split_long(text: str, span: Span, limit: int) -> list[Span]:
    """Cut a sentence longer than `limit` at commas where possible, else hard at the limit."""
    pieces, start = [], span.start
    while span.end - start > limit:
        window = text[start : start + limit]
        cuts = [m.end() for m in SOFT_BREAK.finditer(window) if m.end() > limit // 3]
        cut = start + (cuts[-1] if cuts else limit)
        pieces.append(Span(start, cut))
        start = cut
    pieces.append(Span(start, span.end))
    return pieces


@dataclass(frozen=True)
class Chunk:
    id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str
    embed_text: str  # what the embedder sees


def embedded_text(heading: str, text: str) -> str:
    """What is embedded for a chunk: its article's heading (when it has a real one), then its text."""
    return f"{heading}\n{text}" if heading else text


def stored_heading(meta: dict) -> str:
    """A stored chunk's title as a retrieval signal: empty when it was derived from the text."""
    return "" if meta.get("title_derived") else meta.get("title", "")


def chunk_spans(text: str, target: int = 400, maximum: int = 500) -> list[Span]:
    """Group sentences into chunks of about `target` characters (never over `maximum` unless a
    single piece is), each chunk starting with the previous chunk's last sentence."""
    sentences = [piece for span in sentence_spans(text) for piece in _split_long(text, span, maximum // 2)]
    chunks: list[Span] = []
    i = 0
    while i < len(sentences):
        first = i
        end = i
        while end + 1 < len(sentences) and sentences[end + 1].end - sentences[first].start <= maximum and (
            sentences[end].end - sentences[first].start < target
        ):
            end += 1
        chunks.append(Span(sentences[first].start, sentences[end].end))
        if end + 1 >= len(sentences):
            break
        # one-sentence overlap, unless that sentence is all the chunk had
        i = end if end > first else end + 1
    if len(chunks) >= 2:  # fold a small tail into its predecessor when it still fits
        last, before = chunks[-1], chunks[-2]
        if last.end - before.start <= maximum * 1.1 and last.end - before.end < target // 4:
            chunks[-2:] = [Span(before.start, last.end)]
    return chunks


def chunk_article(article: Article, target: int = 400, maximum: int = 500) -> list[Chunk]:
    """Chunks of one article with offsets into `article.text` and stable ids derived from what is
    embedded, so a stored vector is reused exactly when the embedder would see the same text."""
    seen: Counter[str] = Counter()
    chunks = []
    for index, span in enumerate(chunk_spans(article.text, target, maximum)):
        text = article.text[span.start : span.end]
        embedded = embedded_text(article.heading, text)
        seen[text] += 1
        key = f"{article.id}\n{seen[text]}\n{embedded}"
        chunk_id = "c" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:23]
        chunks.append(Chunk(chunk_id, article.id, index, span.start, span.end, text, embedded))
    return chunks
