"""[n] markers <-> evidence passages, and the check that an answer says only what they say."""
from __future__ import annotations

import re

from .answer import Citation
from .retrieval import Evidence

MARKER = re.compile(r"\[(\d{1,2})\]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def citations_for(evidence: list[Evidence]) -> list[Citation]:
    """Citation n for evidence n (1-based), pointing at the supporting sentence in the article."""
    cited = []
    for n, item in enumerate(evidence, 1):
        start, end = item.best_span()
        passage = item.passage
        cited.append(
            Citation(
                n=n,
                article_id=passage.article_id,
                title=passage.title,
                source=passage.source,
                date=passage.date,
                text=item.text,
                start=passage.start + start,
                end=passage.start + end,
                sentence=passage.text[start:end],
            )
        )
    return cited


def strip_invalid_markers(text: str, count: int) -> str:
    """Remove [n] markers that point at no passage."""
    return MARKER.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= count else "", text)


def cited_numbers(text: str) -> set[int]:
    return {int(n) for n in MARKER.findall(text)}


def verify(text: str, citations: list[Citation]) -> tuple[bool, str]:
    """(ok, reason). OK when the answer cites at least one passage and every number in it appears in
    a cited passage."""
    cited = [c for c in citations if c.n in cited_numbers(text)]
    if not cited:
        return False, "回答没有引用资料"
    body = MARKER.sub("", text)
    sources = "".join(c.text for c in cited)
    missing = [n for n in NUMBER.findall(body) if n not in sources]
    if missing:
        return False, f"数字 {'、'.join(missing)} 不在所引资料中"
    return True, ""


def keep_cited(citations: list[Citation], text: str) -> list[Citation]:
    """Only the citations the answer uses, in marker order."""
    used = cited_numbers(text)
    return [c for c in citations if c.n in used]
