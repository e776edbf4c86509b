"""An answer as the chat page shows it: [n] markers that open their passage, the supporting sentence
highlighted, which answerer answered, and notices for fallback, unverified answers and refusals."""
from __future__ import annotations

import html
import re
import uuid

from assistant.answer import Answer, Citation

MARKER = re.compile(r"\[(\d{1,2})\]")
LISTED = re.compile(r"^(\d{1,2})\. 《(.+?)》(（[^）\n]*）)\[(\d{1,2})\]", re.M)


def _passage_html(citation: Citation) -> str:
    text, sentence = citation.text, citation.sentence.strip()
    at = text.find(sentence) if sentence else -1
    if at < 0:
        return html.escape(text)
    return (
        html.escape(text[:at]) + f"<mark>{html.escape(sentence)}</mark>" + html.escape(text[at + len(sentence):])
    )


def sources_html(citations: list[Citation], prefix: str) -> str:
    items = []
    for c in citations:
        meta = " · ".join(x for x in (c.date or "", c.source) if x)
        items.append(
            f'<details class="xw-source" id="{prefix}-{c.n}"><summary>[{c.n}] {html.escape(c.title)}'
            f' <small>{html.escape(meta)}</small></summary><p>{_passage_html(c)}</p></details>'
        )
    return f'<div class="xw-sources"><b>来源</b>{"".join(items)}</div>' if items else ""


def answer_html(answer: Answer) -> str:
    """The assistant message: linked markers, a status line, and the sources panel."""
    prefix = "xw-" + uuid.uuid4().hex[:8]
    cited = {c.n for c in answer.citations}
    body = MARKER.sub(
        lambda m: f'<a class="xw-cite" href="#{prefix}-{m.group(1)}">[{m.group(1)}]</a>'
        if int(m.group(1)) in cited else m.group(0),
        html.escape(answer.text),
    )
    if answer.answerer == "archive":  # a list of reports: each title opens its article
        body = LISTED.sub(lambda m: f'{m.group(1)}. <a class="xw-cite xw-listed" href="#{prefix}-{m.group(4)}">'
                                    f'《{m.group(2)}》</a>{m.group(3)}[{m.group(4)}]' if int(m.group(4)) in cited else m.group(0),
                          html.escape(answer.text))
        body = MARKER.sub(lambda m: f'<a class="xw-cite" href="#{prefix}-{m.group(1)}">[{m.group(1)}]</a>'
                          if int(m.group(1)) in cited and not m.string[max(0, m.start() - 2):m.start()].endswith("）")
                          else m.group(0), body)
        body = body.replace("\n", "<br>")
    status = [f"回答：{'资料库' if answer.answerer == 'archive' else answer.answerer}"]
    if answer.refused:
        status.append("资料不足，未作回答")
    elif answer.partial:
        status.append("只回答了一部分")
    elif answer.verified:
        status.append("已核对")
    else:
        status.append("⚠ 未通过核对，请查看来源")
    parts = [body, f'<div class="xw-status">{" · ".join(status)}</div>']
    if answer.notice:
        parts.append(f'<div class="xw-notice">⚠ {html.escape(answer.notice)}</div>')
    parts.append(sources_html(answer.citations, prefix))
    if answer.refused and answer.related:
        related = "".join(
            f"<li>{html.escape(r['title'])} <small>{html.escape(r.get('date') or '')}</small>"
            f"<br><small>{html.escape(r['text'][:120])}…</small></li>"
            for r in answer.related
        )
        parts.append(f'<div class="xw-related"><b>可能相关</b><ul>{related}</ul></div>')
    return "\n".join(p for p in parts if p)


CSS = """
.xw-status { color: #666; font-size: 0.85em; margin-top: 0.4em; }
.xw-notice { color: #a15c00; font-size: 0.85em; }
.xw-sources details { margin: 0.2em 0; }
.xw-sources mark { background: #ffe58a; }
a.xw-cite { text-decoration: none; font-weight: 600; }
"""

# Clicking a marker opens its passage in the sources panel below the answer.
JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a.xw-cite');
    if (!link) return;
    event.preventDefault();
    const root = link.getRootNode();
    const target = root.getElementById ? root.getElementById(link.getAttribute('href').slice(1))
                                       : document.getElementById(link.getAttribute('href').slice(1));
    if (target) { target.open = true; target.scrollIntoView({block: 'nearest'}); }
  }, true);
}
"""
