"""Questions about the archive itself, answered from the article table: which reports there are (on
a topic, on a day, in a period), who wrote or photographed what, what an edition (one newspaper
page) holds, how many reports. An article list is an answer: titles with dates and bylines, each
cited, with the count. Time is read against the archive (`timeline`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from indexing.chunking import sentence_spans
from indexing.newspaper import lead_statement
from indexing.store import and_where

from .answer import Answer
from .citations import citations_for
from .filters import Filters, span as date_span
from .lexicon import members, variants
from .places import asked_local_kinds, local_names, read_across, within
from .question import Question
from .retrieval import Evidence, Passage
from .statements import told_days
from .summaries import central
from .timeline import CN_DIGITS, PERIOD, DateRange, from_number, number, reference_note, resolve

MAX_LISTED = 20
# asked what happened in a period (这几天有哪些活动), not what was reported in it (10月20日有哪些新闻)
EVENTS = re.compile(r"活动|发生|事情|事件|大事|干了|做了|举行|开展|出了")
REPORTS = re.compile(r"新闻|报道|稿|发了|刊|登")
TOLD_WITHIN = 14  # days after a period within which a report may tell of it
PAGE_WIDE = 0.7  # the share of a page's reports that state a word for it to name the page, not a topic
PLACE_ON_PAGE = re.compile(r"最后(?:一|那)篇|(倒数)?第([一二三四五六七八九十]|\d{1,2})篇")  # 最后一篇, 第三篇, 倒数第二篇
REFUSAL = "根据现有资料无法回答该问题。"


@dataclass
class Listing:
    """The articles a question about the archive selects, and what it said to select them."""

    articles: list[dict]
    period: DateRange | None = None
    person: str | None = None
    edition: str | None = None
    note: str = ""  # how a relative time was read
    topic: list[str] | None = None  # the words of its topic, if it has one
    by_meaning: bool = False  # no report states the topic's words: these are close to it in meaning
    newest_first: bool = False  # 最近有啥新闻: a vague time orders the list, it leaves nothing out
    local_kinds: list[str] = field(default_factory=list)  # 写到了哪些街道、乡镇: list the names, not the reports
    place_on_page: str | None = None  # 最后一篇, 第三篇: the one report at that place on the page
    happened: bool = False  # 这几天有哪些活动: what happened in the period, whenever it was reported


def _fit_year(period: DateRange, dated: list[int]) -> DateRange:
    """A month or day named without a year is in the latest year the archive has it (10月中旬 in an
    archive of 2021 and 2023 reports, the newest in August 2023: October 2021)."""
    if (not period.relative or period.end.year == 9999 or period.start.year == 1
            or re.search(r"今年|去年|前年|上|本|这|昨|今|前天|近|最近|当天", period.text)):
        return period
    for shift in range(0, 30):
        start = period.start.replace(year=period.start.year - shift)
        end = period.end.replace(year=period.end.year - shift) if period.end.year < 9999 else period.end
        if any(number(start) <= d <= number(end) for d in dated):
            return DateRange(start, end, period.text, period.relative)
    return period


class Archive:
    """Answers questions about the archive for one index view."""

    def __init__(self, view, retriever):
        self.view = view
        self.retriever = retriever
        self.table: list[dict] = view.table
        self.question_text = ""

    # --- what the question selects -------------------------------------------------------------
    def editions(self) -> list[str]:
        """Sources parsed as a newspaper page (several articles, no record ids), newest first."""
        pages: dict[str, int] = {}
        for a in self.table:
            if not a["record_id"]:
                pages[a["source"]] = max(pages.get(a["source"], 0), a["date_int"])
        return sorted(pages, key=lambda s: pages[s], reverse=True)

    def select(self, question: Question, filters: Filters) -> Listing | str:
        """The articles the question asks about, or a sentence saying why there are none."""
        listing = Listing([a for a in self.table if filters.admits(a)])
        dated = [a["date_int"] for a in self.table if a["date_int"]]
        reference = self.view.newest_date
        period = resolve(question.text, reference)
        if not dated and (period is not None or PERIOD.search(question.text)):
            return "资料库中的文章都没有日期，无法回答按时间提的问题"
        if period is not None:
            if period.reversed:
                return f"日期范围颠倒：{period.describe()}（起始晚于结束）；资料的日期范围是{date_span(dated)}"
            period = _fit_year(period, dated)
        if period is not None and period.vague:
            listing.newest_first, listing.note = True, "（按日期由近及远）"
        elif period is not None:
            listing.period, listing.note = period, reference_note(period, reference) if period.counted else ""
            reported = [a for a in listing.articles if period.start <= (from_number(a["date_int"]) or date.min) <= period.end]
            listing.happened = bool(EVENTS.search(question.text) and not REPORTS.search(question.text))
            if listing.happened:  # 这几天有哪些活动: whenever reported
                reported += self.told_in(period, [a for a in listing.articles if a not in reported])
            listing.articles = reported
            if not listing.articles:
                return f"资料库中没有{period.describe()}的报道；资料的日期范围是{date_span(dated)}"
        named = sorted((p for p in self.view.people if p in question.text and p not in question.aside),  # 除了记者毛玺玺
                       key=len, reverse=True)
        asked_person = re.search(r"(?:记者|通讯员|摄影师?)?([\u4e00-\u9fff]{2,3})[\d月日号]{0,8}(?:(?:都)?(?:写|拍|报道|采写)|都报)(?:了|过)",
                                 question.text)
        if named:
            listing.person = named[0]
            listing.articles = [a for a in listing.articles if listing.person in a["people"]]
        elif asked_person and question.kind in ("byline", "listing", "report-count"):
            name = asked_person.group(1)
            if name in question.people and not any(name in a["title"] for a in self.table):  # (防汛方面都报了啥: no one)
                try:
                    Filters(reporter=name).check(self.table)
                except ValueError as exc:
                    return str(exc)
        if question.kind in ("edition", "edition-summary") or re.search(r"这一?版|这期|本版|本期|这份报纸", question.text):
            editions = self.editions()
            if not editions:
                return "资料库中没有整版的报纸，只有单篇的文章"
            listing.edition = editions[0]
            listing.articles = [a for a in listing.articles if a["source"] == listing.edition]
        if re.search(r"照片|图片", question.aside) or re.search(r"文字(?:报道|稿|新闻)", question.text):  # 不算图片新闻的话
            listing.articles = [a for a in listing.articles if a["kind"] != "photo"]
        elif re.search(r"照片|图片", question.text):
            listing.articles = [a for a in listing.articles if a["kind"] == "photo"] or listing.articles
        if "通讯员" in question.text and not listing.person:
            listing.articles = [a for a in listing.articles if a["correspondents"]]
        said = listing.period.text if listing.period else ""
        listing.local_kinds = asked_local_kinds(question.text)  # 哪些街道、乡镇: the kinds are what is listed, not a topic
        at = PLACE_ON_PAGE.search(question.text) if listing.edition else None
        if at:  # 这一版最后一篇是什么: the report at that place on the page
            listing.place_on_page = at.group()
            ordered = sorted(listing.articles, key=lambda a: a["position"])
            nth = at.group(2)  # None: 最后一篇
            place = -1 if nth is None else (CN_DIGITS[nth] if nth in CN_DIGITS else int(nth)) - 1
            place = -place - 1 if at.group(1) else place  # 倒数第二篇: the second from the end
            listing.articles = [ordered[place]] if -len(ordered) <= place < len(ordered) else []
        topic = [] if listing.local_kinds or at else [t for t in question.topic if len(t) >= 2 and t not in (listing.person or "") and t not in said
                 and not re.fullmatch(r"日\S|第.周|\d+\S?", t)]
        shared, choices = alternatives(question.text, topic)
        listing.topic = topic
        describes_one = question.kind == "byline" and not listing.person  # the retriever finds that report
        if topic and question.kind != "edition-summary" and not describes_one:
            candidates = listing.articles
            chosen: dict[str, dict] = {}
            stated = False
            for words in [shared + choice for choice in choices] or [topic]:  # 演出或展览: each alternative on its own, with the words all share (沈阳)
                names = [t for t in words if t in question.entities]  # a name is always stated
                found, by_words = self.about(words, candidates, filters, names, question.people,
                                             by_meaning=question.kind != "report-count")
                chosen.update({a["id"]: a for a in found})
                stated = stated or by_words
            listing.articles = [a for a in candidates if a["id"] in chosen]
            listing.by_meaning = bool(listing.articles) and not stated
        listing.articles.sort(key=lambda a: (a["date_int"], a["source"], a["position"]), reverse=listing.newest_first)
        return listing

    def told_in(self, period: DateRange, articles: list[dict]) -> list[dict]:
        """The articles (of these), reported within `TOLD_WITHIN` days after a period, that tell of
        a day in it (a report of 10月19日 on a trip of 10月15日至18日)."""
        later = [a for a in articles if period.end < (from_number(a["date_int"]) or date.min)
                 <= period.end + timedelta(days=TOLD_WITHIN)]
        texts = self.view.article_texts([a["id"] for a in later])
        return [a for a in later if any(period.start <= day <= period.end for day in told_days(texts[a["id"]], a["date"]))]

    def about(self, topic: list[str], articles: list[dict], filters: Filters, names: list[str] = (),
              people: set[str] = frozenset(), by_meaning: bool = True) -> tuple[list[dict], bool]:
        """The articles (of these) about the topic, and whether any states its words. A report is about
        it when its text states the topic (the most telling word and 40 % of the others; alternatives,
        台风/暴雨, count each) or when a passage of it is far closer to the topic in meaning than chance
        (`close_in_meaning`: 灾后恢复 told as 恢复供电, 白酒 as 赤水河酒); either way it states every name
        of the topic (沈阳, K396). A person's name is exact: no report is about them by meaning; nor is
        a count (`by_meaning` False): how many reports state it, not how many come close."""
        keep = {a["id"] for a in articles}
        sources = {a["source"] for a in articles}
        alike = {a["id"] for a in self.table if a["source"] in sources}  # the reports of the same pages
        found: dict[str, int] = {}
        forms = {term: self.forms(term) for term in topic}
        for term in topic:
            page = self.view.store.get_where_document(forms[term], filters.where())
            stating = {meta["article_id"] for meta in page["metadatas"]}
            if len(alike) >= 5 and len(stating & alike) >= PAGE_WIDE * len(alike):
                stating |= alike  # a word nearly every report of the page states is the page's own (新华区)
            for a_id in stating & keep:
                found[a_id] = found.get(a_id, 0) | (1 << topic.index(term))
        for a in articles:  # a headline states its topic too (《精准施策让蓝天常驻》 is not in the text)
            for term in topic:
                if any(f.lower() in a["title"].lower() for f in forms[term]):
                    found[a["id"]] = found.get(a["id"], 0) | (1 << topic.index(term))
        titles = {a["id"]: a["title"] for a in articles}
        for a_id, bits in list(found.items()):  # a kind is named by its members, not in passing
            for i, term in enumerate(topic):
                if bits >> i & 1 and kinds(term) and not about_the_kind(
                        term, titles[a_id], self.view.article_text(a_id), self.retriever.keyword.tokenizer):
                    found[a_id] = bits = bits & ~(1 << i)
        idf = {t: self.retriever.keyword.idf(t) for t in topic}
        telling = topic.index(max(topic, key=lambda t: idf[t]))
        need = 1 + (len(topic) - 1) * 2 // 5  # the most telling word and 40 % of the others
        named = sum(1 << topic.index(n) for n in names if n in topic)
        stated = {a_id for a_id, bits in found.items() if bits >> telling & 1 and bits & named == named
                  and bin(bits).count("1") >= need}
        close = set() if people & set(topic) or not by_meaning else {
            a["id"] for a in self.close_in_meaning(topic, articles, stated) if found.get(a["id"], 0) & named == named}
        return [a for a in articles if a["id"] in stated | close], bool(stated)

    def close_in_meaning(self, topic: list[str], articles: list[dict], stated: set[str] = frozenset()) -> list[dict]:
        """The articles (of these) with a passage far closer in meaning to the topic than a chunk
        picked at random is: at least `Settings.topic_meaning_z` standard deviations above the
        archive's baseline for this topic (`IndexView.chunk_sample`), and no less close than every
        report that `stated` its words (those on 大运会 in general are close to 大运会闭幕式, but less
        so than the reports on the closing)."""
        vector = np.array(self.retriever.embedder.get_query_embedding(" ".join(topic)), dtype=np.float32)
        baseline = self.view.chunk_sample @ vector
        if len(baseline) < 20 or baseline.std() == 0:
            return []
        ids = {a["id"] for a in articles}
        where = None if len(ids) == len(self.table) else {"article_id": {"$in": sorted(ids)}}
        hits = self.view.store.query(vector.tolist(), 50, and_where(self.retriever.where, where))
        best: dict[str, float] = {}
        for hit in hits:
            best[hit.node.metadata["article_id"]] = max(best.get(hit.node.metadata["article_id"], -1.0), hit.score)
        cutoff = baseline.mean() + self.view.settings.topic_meaning_z * baseline.std()
        if stated and stated <= best.keys():
            cutoff = max(cutoff, min(best[a] for a in stated))
        close = {a for a, score in best.items() if score >= cutoff}
        return [a for a in articles if a["id"] in close]

    def forms(self, term: str) -> list[str]:
        """How a report may state a topic word: its other forms, and the members of a kind (`kinds`)."""
        return [*variants(self.as_written(term)), *kinds(term)]

    def as_written(self, term: str) -> str:
        """A search term in the case the question wrote it (the tokenizer lower-cases: k396 -> K396)."""
        at = self.question_text.lower().find(term)
        return self.question_text[at : at + len(term)] if at >= 0 else term

    # --- the answer ----------------------------------------------------------------------------
    def answer(self, question: Question, filters: Filters) -> Answer:
        self.question_text = question.text
        if question.kind in ("role", "person"):
            return self.identity(question)
        selected = self.select(question, filters)
        if isinstance(selected, str):
            return self._refusal(question, selected)
        if not selected.articles:
            what = "、".join(question.topic) or "相关内容"
            where = f"{selected.period.describe()}" if selected.period else ""
            return self._refusal(question, f"资料库中没有{where}关于“{what}”的报道")
        if question.kind == "byline" and not selected.person:
            return self._byline(question, selected)
        if selected.local_kinds:
            return self._local_names(question, selected)
        lines, evidence = self._listed(selected.articles[:MAX_LISTED], question.kind == "edition-summary",
                                       selected.topic, selected.period if selected.happened else None)
        total = len(selected.articles)
        scope = f"{selected.period.describe()}" if selected.period else ""
        if selected.edition:
            photos = sum(a["kind"] == "photo" for a in selected.articles)
            dated = [a["date_int"] for a in self.table if a["source"] == selected.edition and a["date_int"]]
            when = f"，报道日期{date_span(dated)}" if dated else ""
            about = f"关于“{'、'.join(selected.topic)}”的" if selected.topic and question.kind != "edition-summary" else ""
            head = (f"这一版（{selected.edition}{when}）{scope and scope + '的'}{about}共有{total}篇"
                    + (f"（{total - photos}篇报道、{photos}张图片新闻）" if photos else "报道"))
            if "头条" in question.text:
                first = min(selected.articles, key=lambda a: a["position"])
                head = f"这一版的头条是《{first['title']}》；{head}"
            elif selected.place_on_page and total == 1:
                head = f"这一版（{selected.edition}）的{selected.place_on_page}是《{selected.articles[0]['title']}》"
        elif selected.person:
            head = f"{scope}署名“{selected.person}”的报道共{total}篇"
        elif selected.by_meaning:
            words = selected.topic or []
            head = f"{scope}没有报道{'同时' if len(words) > 1 else '直接'}写到“{'、'.join(words)}”，意思相近的报道共{total}篇"
        else:
            head = f"{scope}的事见于{total}篇报道" if selected.happened else f"{scope}相关报道共{total}篇"
        more = f"（以下列出前{MAX_LISTED}篇）" if total > MAX_LISTED else ""
        text = f"{head}{selected.note}{more}：\n" + "\n".join(lines)
        return Answer(text, self._cite(evidence), "archive", verified=True, question=question.text)

    def _local_names(self, question: Question, selected: Listing) -> Answer:
        """写到了哪些街道、乡镇: each name the selected reports state, with the first report that
        states it, cited at its sentence."""
        kinds = "、".join(selected.local_kinds)
        named: dict[str, tuple[dict, Passage, tuple[int, int]]] = {}
        for article in selected.articles:
            for chunk in self.retriever.article(article["id"]):
                for span in sentence_spans(chunk.text):
                    for name in local_names(chunk.text[span.start:span.end], selected.local_kinds):
                        named.setdefault(name, (article, chunk, (span.start, span.end)))
        if not named:
            return self._refusal(question, f"所选报道中没有写到{kinds}的名字")
        lines, evidence = [], []
        for name, (article, chunk, span) in named.items():
            item = next((e for e in evidence if e.passage.chunk_id == chunk.chunk_id), None)
            if item is None:
                item = Evidence(chunk, [], [])
                evidence.append(item)
            if span not in item.spans:
                item.spans.append(span)
                item.sentence_scores.append(1.0)
            lines.append(f"{len(lines) + 1}. {name}：《{article['title']}》（{article['date'] or '日期不详'}）"
                         f"[{evidence.index(item) + 1}]")
        where = f"这一版（{selected.edition}）" if selected.edition else (
            f"{selected.period.describe()}的报道" if selected.period else "资料库的报道")
        text = f"{where}写到的{kinds}共{len(named)}个：\n" + "\n".join(lines)
        return Answer(text, self._cite(evidence), "archive", verified=True, question=question.text)

    def _first(self, articles: list[dict]) -> dict[str, Passage]:
        page = self.view.store.get([a["first_chunk"] for a in articles])
        return {m["article_id"]: Passage.from_store(i, m, d) for i, m, d in zip(page["ids"], page["metadatas"], page["documents"])}

    def _sentences(self, article: dict, topic: list[str], count: int, shown: set[str] = frozenset(),
                   period: DateRange | None = None) -> list[tuple[Passage, tuple[int, int]]]:
        """Up to `count` sentences that say what an article is about: the one that tells of a day in
        `period` if one is given (what happened then), else the one that says most about the topic,
        the most central of those when several do (its lead when there is no topic), then
        the sentence most central to the article of what the title and that one leave unsaid
        (`summaries.central`); none that an earlier line of the list already shows (two reports of
        one briefing open alike)."""
        chunks = [c for c in self.retriever.article(article["id"])] or [self._first([article]).get(article["id"])]
        seen: set[str] = set()
        sentences = []
        for chunk in (c for c in chunks if c is not None):
            for span in sentence_spans(chunk.text):
                text = chunk.text[span.start : span.end]
                if len(text) >= 8 and text not in seen:
                    seen.add(text)
                    sentences.append((chunk, (span.start, span.end), text))
        if not sentences:
            return []
        texts = [x[2] for x in sentences]
        sentences = [x for x in sentences if shown_as(x[2]) not in shown] or sentences
        keyword = self.retriever.keyword
        forms = {t: self.forms(t) for t in topic}

        def on_topic(s) -> float:
            return sum(keyword.idf(t) for t in topic if any(f.lower() in s[2].lower() for f in forms[t]))

        def then(s) -> bool:
            return period is not None and any(period.start <= day <= period.end for day in told_days(s[2], article["date"]))

        gist = dict(zip(texts, central(texts, keyword)))
        first = max(sentences, key=lambda s: (then(s), on_topic(s), gist[s[2]])) if topic or period else sentences[0]
        chosen = [first]
        rest = [x for x in sentences if x is not first]
        if count > 1 and rest:
            lead = sentences[0]
            if lead is not first and shown_as(lead[2]).strip("。") != article["title"]:
                chosen.insert(0, lead)
            else:
                more = dict(zip(texts, central(texts, keyword, article["title"] + first[2])))
                chosen.append(max(rest, key=lambda x: more[x[2]]))
        return [(chunk, span) for chunk, span, _ in chosen]

    def _listed(self, articles: list[dict], with_lead: bool, topic: list[str] | None = None,
                period: DateRange | None = None) -> tuple[list[str], list[Evidence]]:
        """One line per article: title, date, byline, and what it says (the sentence that says most
        about the topic, and for a short list its most telling other sentence; the lead for a
        summary of the page), each cited."""
        lines, evidence = [], []
        count = 2 if len(articles) <= 6 and not with_lead else 1
        shown: set[str] = set()
        for a in articles:
            found = self._sentences(a, topic or [], count, shown, period)
            shown.update(shown_as(p.text[x:y]) for p, (x, y) in found)
            if not found:
                continue
            items = {}
            for passage, span in found:  # the article's sentences, cited by their chunk
                item = items.setdefault(passage.chunk_id, Evidence(passage, [], []))
                item.spans.append(span)
                item.sentence_scores.append(1.0)
            evidence.extend(items.values())
            marks = {chunk_id: len(evidence) - len(items) + i + 1 for i, chunk_id in enumerate(items)}
            n = marks[found[0][0].chunk_id]
            byline = byline_text(a)
            line = f"{len(lines) + 1}. 《{a['title']}》（{'，'.join(x for x in (a['date'] or '日期不详', byline) if x)}）[{n}]"
            said = []
            for passage, span in found:
                sentence = shown_as(passage.text[span[0] : span[1]])
                if sentence.strip("。") == a["title"] and not with_lead:
                    continue  # the title says it already
                cut = sentence if with_lead else sentence[:100] + ("…" if len(sentence) > 100 else "")
                said.append(f"{cut}[{marks[passage.chunk_id]}]" if marks[passage.chunk_id] != n or said else cut)
            if said:
                line += "：" + "".join(said)
            lines.append(line)
        return lines, evidence

    def _byline(self, question: Question, selected: Listing) -> Answer:
        """Who wrote or photographed one report: the report the question describes best."""
        candidates = {a["id"]: a for a in selected.articles}
        quoted = re.findall(r"《([^》]+)》", question.text)
        titled = [a for a in selected.articles if any(q in a["title"] or a["title"] in q for q in quoted)]
        ranked = [candidates[p.article_id] for p in self.retriever.hybrid(question) if p.article_id in candidates]
        described = [a for a in dict.fromkeys(a["id"] for a in ranked) if self._states_most(selected.topic or [], candidates[a])]
        article = titled[0] if titled else candidates[described[0]] if described else None
        if article is None:
            what = "、".join(selected.topic or []) or "这篇报道"
            return self._refusal(question, f"资料库中没有找到关于“{what}”的这篇报道")
        lines, evidence = self._listed([article], False)
        people = byline_text(article) or "没有署名"
        text = f"《{article['title']}》（{article['date'] or '日期不详'}）：{people}[1]"
        return Answer(text, self._cite(evidence[:1]), "archive", verified=True, question=question.text)

    def _states_most(self, topic: list[str], article: dict) -> bool:
        """Does the article state most of what the question describes (by idf weight)? A report the
        retriever ranks first but that says little of it is not the one described."""
        if not topic:
            return True
        text = (article["title"] + self.view.article_text(article["id"])).lower()
        weight = {t: self.retriever.keyword.idf(t) for t in topic}
        stated = sum(w for t, w in weight.items() if any(f in text for f in variants(t)))
        return stated >= 0.5 * sum(weight.values())

    def identity(self, question: Question) -> Answer:
        """Who a byline name is (毛玺玺是什么身份？): the role the bylines give, with the reports."""
        name = next(e for e in question.entities if e in self.view.people)
        articles = sorted((a for a in self.table if name in a["people"]), key=lambda a: (a["date_int"], a["position"]))
        roles = sorted({role for a in articles for role, names in (("记者", a["reporters"]), ("通讯员", a["correspondents"]),
                                                                  ("摄影者", (a["photographer"] or "").split())) if name in names})
        lines, evidence = self._listed(articles[:MAX_LISTED], False)
        text = f"{name}是{'、'.join(roles)}（据署名），署名的报道共{len(articles)}篇：\n" + "\n".join(lines)
        return Answer(text, self._cite(evidence), "archive", verified=True, question=question.text)

    def _cite(self, evidence: list[Evidence]):
        """Citations that open the whole article (its lead highlighted), not just its first chunk."""
        citations = citations_for(evidence)
        for citation in citations:
            full = self.view.article_text(citation.article_id)
            citation.text = full.split("\n", 1)[1] if "\n" in full else full  # without the title line
        return citations

    def _refusal(self, question: Question, why: str) -> Answer:
        return Answer(REFUSAL, [], "archive", refused=True, verified=True, question=question.text, notice=why)


def shown_as(sentence: str) -> str:
    """A sentence as a listing shows it: without the credit a lead opens with."""
    return lead_statement(sentence.strip())


def alternatives(text: str, topic: list[str]) -> tuple[list[str], list[list[str]]]:
    """The alternatives a listing question gives (演出或展览, 高考录取、大学录取, 航天或极地科考, an
    example given apart: 海关…？进出口之类的), each as the run of topic words touching its
    separator, and the topic words all of them share (沈阳 in 沈阳有哪些演出或展览); ([topic], [])
    when it gives none."""
    between = r"或|/|／|、" + (r"|[？?，,。]" if re.search(r"之类|比如|例如|诸如", text) else "")
    lowered = text.lower().rstrip("？?。")
    if not re.search(between, lowered):
        return topic, []
    groups = re.split(between, lowered)
    choices = []
    for i, group in enumerate(groups):
        found = sorted((group.find(t), group.find(t) + len(t), t) for t in topic if t in group)
        runs: list[list[tuple[int, int, str]]] = []
        for word in found:  # words next to each other (极地科考) make one run
            if runs and word[0] - runs[-1][-1][1] <= 1:
                runs[-1].append(word)
            else:
                runs.append([word])
        if runs:
            choices.append([t for _, _, t in (runs[0] if i else runs[-1])])
    chosen = {t for choice in choices for t in choice}
    return [t for t in topic if t not in chosen], choices


def kinds(term: str) -> list[str]:
    """The members that state a topic word naming a kind: the places inside a place (陕西: 西安,
    宝鸡…), the countries for 国际, the words of a field of news (体育: 运动员, 金牌…)."""
    return [*within(term), *members(term)]


def about_the_kind(term: str, title: str, text: str, tokens) -> bool:
    """Is a report about the kind a topic word names? It states the place itself (not a street named
    after it: 陕西南路, 北京东路), or names members (a field's own word among them) of the kind in its title or in two sentences;
    one in passing (喝了一瓶白酒, a tourist from 美国) does not make it a report on the kind. A
    two-character member counts only as a word of its own (海地 is not in 上海地铁), a longer one not
    when read across another place's name (海城市 in 上海城市设计); `tokens` is the keyword tokenizer."""
    def named(name: str, sentence: str, member: bool = True) -> bool:
        found = [m.start() for m in re.finditer(rf"{re.escape(name)}(?![东南西北中]?(?:路|街|大道|大街|巷))", sentence)]
        if not member or not found:
            return bool(found)
        if len(name) <= 2 and name.lower() not in tokens(sentence):
            return False
        return any(not read_across(sentence, at) for at in found)

    field = variants(term) if members(term) else []  # a field's own word is one more member (教育引导 in passing)
    if not field and any(named(v, text, member=False) for v in variants(term)):
        return True
    parts = [p for p in [*field, *kinds(term)] if p in text]
    if any(named(p, title) for p in parts):
        return True
    return sum(any(named(p, s) for p in parts) for s in re.split(r"[。！？!?\n]", text)) >= 2


def byline_text(article: dict) -> str:
    parts = []
    if article["reporters"]:
        parts.append("记者" + "、".join(article["reporters"]))
    if article["correspondents"]:
        parts.append("通讯员" + "、".join(article["correspondents"]))
    if article["photographer"]:
        parts.append("摄影" + "、".join(article["photographer"].split()))
    return " ".join(parts)


def asks_about_a_byline_person(question: Question, people: set[str]) -> bool:
    """毛玺玺是什么身份？ asks about a reporter: the bylines answer it, unless the question places the
    person in a report's story (闭幕式机器人表演里提到的李超 is not 通讯员李超), not its byline."""
    if question.kind not in ("role", "person") or not any(e in people for e in question.entities):
        return False
    told = [s for s in question.of("subject") if s not in question.entities]
    return not told or bool(re.search(r"署名|记者|通讯员|摄影|拍|写|稿|版|报纸|报道", question.text))
