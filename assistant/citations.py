"""[n] markers <-> evidence passages, and the check that an answer says only what they say."""
from __future__ import annotations

import re

from indexing.chunking import sentence_spans

from .answer import Citation
from .prompts import PARTIAL
from .question import KIND_NAMES, TITLE, Question
from .retrieval import Evidence
from .statements import TYPED, days_spanned, match, report_date, statement_spans, values

MARKER = re.compile(r"\[(\d{1,2})\]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A number with the measure word after it: "20所大学" is not supported by "20个大学生家庭".
QUANTITY = re.compile(r"\d+(?:\.\d+)?(?:[%％]|[\u4e00-\u9fff](?<![的是在和与为])(?<!余))?")
FILLER = set("的是了在和与为及等")
VERDICT = set("不没否对错有")  # a yes or a no alone: 不是 + the question restated says nothing
SPLIT_NUMBER = re.compile(r"(\d+)([.,])\s+(\d+)")


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
                record_id=passage.record_id,
            )
        )
    return cited


def strip_invalid_markers(text: str, count: int) -> str:
    """Remove [n] markers that point at no passage, and repeats ([1][1] -> [1])."""
    text = MARKER.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= count else "", text)
    return re.sub(r"(\[\d{1,2}\])\1+", r"\1", text)


def join_split_numbers(text: str, citations: list[Citation]) -> str:
    """"27. 75万元" -> "27.75万元" when the passages state 27.75: the local model sometimes breaks a
    decimal with a space. A "1. 2" that no passage has as one number is left alone."""
    sources = "".join(c.text for c in citations)

    def join(match: re.Match) -> str:
        joined = "".join(match.groups())
        return joined if joined in sources else match.group(0)

    return SPLIT_NUMBER.sub(join, text)


def _bigrams(text: str) -> set[str]:
    text = MARKER.sub("", text)
    return {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()}


def attribute(text: str, citations: list[Citation], min_overlap: float = 0.4) -> str:
    """Give each uncited sentence of a model's answer the marker of the passage it was taken from
    (most shared bigrams, numbers first). Small models often quote correctly but forget the [n];
    a sentence that matches no passage well enough stays uncited, and `verify` judges it."""
    out = []
    for span in sentence_spans(text):
        sentence = text[span.start : span.end]
        grams = _bigrams(sentence)
        cited = MARKER.search(sentence) or MARKER.match(text[span.end :].lstrip())  # "…。[1]" is cited
        if cited or not grams:
            out.append(sentence)
            continue
        numbers = NUMBER.findall(sentence)

        def support(c: Citation) -> tuple[int, float]:
            return sum(n in c.text for n in numbers), len(grams & _bigrams(c.title + c.text)) / len(grams)

        best = max(citations, key=support, default=None)
        if best is not None and support(best)[1] >= min_overlap:
            sentence = f"{sentence}[{best.n}]"
        out.append(sentence)
    return "".join(out)


def cited_sentences(text: str) -> list[str]:
    """The sentences of an answer, each with the markers that follow it ("…。[1]" is one)."""
    out: list[str] = []
    for span in sentence_spans(text):
        sentence = text[span.start : span.end]
        leading = re.match(r"\s*(?:\[\d+\])+", sentence)
        if leading and out:
            out[-1] += leading.group()
            sentence = sentence[leading.end() :]
        out.append(sentence)
    return out


def without_unsupported(text: str) -> tuple[str, int]:
    """A model's answer less the sentences that still cite nothing after `attribute` (no passage
    says them) and those that repeat an earlier sentence; and how many went. A short one (是的。)
    stays: it claims nothing on its own. When more went than stayed, the answer is not the
    model's any more: it comes back empty, so that the check fails."""
    kept: list[str] = []
    seen: list[set[str]] = []
    dropped = 0
    for sentence in cited_sentences(text):
        grams = _bigrams(sentence)
        repeats = any(len(grams & earlier) >= 0.8 * len(grams) for earlier in seen)
        if len(grams) >= 6 and (not MARKER.search(sentence) or repeats):
            dropped += 1
            continue
        kept.append(sentence)
        seen.append(grams)
    if dropped > sum(len(g) >= 6 for g in seen):
        return "", dropped
    return "".join(kept), dropped


def says_something(text: str, question: str) -> bool:
    """Whether a reply adds anything to the question. The local model sometimes replies with a bare
    marker ("[1]"), the partial-answer opening alone ("资料只提到：[2]") or the question restated
    ("……的决定是[1]。"), or a verdict on it ("不是……挂帅。[1]"): cited, verifiable, and empty."""
    return any(ch.isalnum() and ch not in question and ch not in FILLER | VERDICT for ch in reply_body(text))


def reply_body(text: str) -> str:
    """A reply without its markers and the partial-answer opening: what it says."""
    return MARKER.sub("", text).replace(PARTIAL.rstrip("："), "")


def cited_numbers(text: str) -> set[int]:
    return {int(n) for n in MARKER.findall(text)}


PEOPLE_COUNTERS = "名人位"


def _same_quantity(quantity: str) -> list[str]:
    """A quantity as a source may write it: people are counted in 名, 人 or 位 alike (254名 = 254人)."""
    if quantity[-1] in PEOPLE_COUNTERS:
        return [quantity[:-1] + counter for counter in PEOPLE_COUNTERS]
    return [quantity]


def _report_date_words(value: str | None) -> set[str]:
    """How an answer may write a cited report's own date (2021-10-19: 2021年, 10月, 19日): a report's
    当天 or 今年 is its date, stated by the report though not written in its text."""
    full = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not full:
        return set()
    year, month, day = (int(x) for x in full.groups())
    return {f"{year}年", f"{month}月", f"{day}日", f"{day}号"}


def verify(text: str, citations: list[Citation], report_dates: bool = False) -> tuple[bool, str]:
    """(ok, reason). OK when the answer cites at least one passage and every number in it, with its
    measure word, appears in a cited passage or its headline, or is the length of a span of days one
    states (10月15日至18日: 4天), or (`report_dates`: an answer, whose
    typed check follows) is the cited report's own date. A partial answer ("资料只提到：2021年") must
    quote what the page writes: a year it only implies says nothing of the asked event."""
    cited = [c for c in citations if c.n in cited_numbers(text)]
    if not cited:
        return False, "回答没有引用资料"
    body = MARKER.sub("", text)
    sources = "".join(f"{c.title}\n{c.text}" for c in cited)  # a headline states facts too (368家企业)
    dated = {part for c in cited for part in _report_date_words(c.date)} if report_dates else set()
    dated |= {f"{days}天" for c in cited for _, days in days_spanned(c.text)}  # 10月15日至18日: 4天
    missing = [n for n in QUANTITY.findall(body) if n not in dated and not any(v in sources for v in _same_quantity(n))]
    if missing:
        return False, f"数字 {'、'.join(missing)} 不在所引资料中"
    return True, ""


def keep_cited(citations: list[Citation], text: str) -> list[Citation]:
    """Only the citations the answer uses, in marker order."""
    used = cited_numbers(text)
    return [c for c in citations if c.n in used]


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in statement_spans(text)] or [text]  # as the gate reads them: a quote with its speaker


def check_answer(question: Question, text: str, citations: list[Citation], contexts: dict[str, str],
                 strict: bool = True) -> tuple[bool, str]:
    """(ok, reason): typed checks of a model's answer, beyond "its numbers are in a cited passage".
    For each part that asks a typed fact (a count, money, a date, a person, a rank, …), the answer
    must state a value that a cited sentence states for the question: with the asked measure or
    unit (money in 元, not 平方米), the asked scope (a rank in 市内五区 is no national rank), the
    asked time, the named person holding the asked title. `strict` (the bundled model) also wants
    the question's subject words in the cited article; a user's endpoint is not held to that."""
    cited = [c for c in citations if c.n in cited_numbers(text)]
    body = MARKER.sub("", text).replace(" ", "")
    if strict and question.kind == "summary" and len([s for s in re.split(r"[。！？；!?;]", body) if len(s) >= 8]) < 2:
        return False, "概括只有一句，没有讲出资料的要点"  # (the bundled model's one-line gist)
    if strict and question.kind == "yesno" and len(re.sub(r"^(?:是的?|不是|对|不对|有|没有|还没有|能|不能|会|不会)[，。,]?", "", body)) < 6:
        return False, "只回答了是或不是，没有说明资料怎么说"
    for part in question.parts or [question]:
        if part.kind not in TYPED:
            continue
        answered = False
        for c in cited:
            context = contexts.get(c.article_id, f"{c.title}\n{c.text}")
            for sentence in [c.title, *_sentences(c.text)] if c.title else _sentences(c.text):  # a headline states facts too
                result = match(part, sentence, context, report_date(c.date))
                lenient = not result.conflicts and not [m for m in result.missing if m.kind != "subject"]
                if not result.typed or not (result.supports if strict else lenient):
                    continue
                stated = values(result.clause, part) or [result.value]
                if part.kind == "role":  # one of the titles a person holds (综治中心主任 of 区委政法委员会、综治中心主任)
                    stated += [t for v in stated if v for t in re.split(r"[、，,和及兼]", v) if TITLE.search(t)]
                if any(v.replace(" ", "") in body or _same_number(v, body) for v in stated if v):
                    answered = True
                    break
            if answered:
                break
        if not answered:
            return False, f"回答中的{KIND_NAMES[part.kind]}不是所引资料对“{part.text}”的说法"
    return True, ""


def _same_number(value: str, body: str) -> bool:
    """67名 in the passage and 67人 in the answer state the same count."""
    number = NUMBER.search(value)
    return bool(number) and re.search(rf"(?<![\d.]){re.escape(number.group())}(?![\d.])", body) is not None
