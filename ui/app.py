"""The Gradio page: 对话 (streaming chat with cited sources), 检索测试 (raw dense / keyword / hybrid
results with scores) and 资料库 (the indexed articles, and upload when enabled)."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import gradio as gr

from assistant import Assistant
from assistant.archive import byline_text
from assistant.filters import Filters
from indexing.readers import SUPPORTED
from indexing.store import StoreError

from .capacity import AnswerSlots, Busy
from .render import answer_html

EXAMPLES = ["新华区优良天数排名", "鹰城大妈平安志愿者培训有多少人参加？", "焦店镇党委书记带队去哪里招商考察？"]
SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def safe_file_name(name: str) -> str:
    """A plain file name: no folders, no `..`, no odd characters."""
    base = Path(name.replace("\\", "/")).name
    base = SAFE_NAME.sub("_", base).lstrip(".") or "upload"
    return base[:120]


BUSY = "服务繁忙，请稍后再试"


def chat_handler(assistant: Assistant, slots: AnswerSlots):
    def respond(question: str, chat: list, plain: list, since: str = "", until: str = "", reporter: str = "",
                section: str = ""):
        """Stream one answer into the chat; `plain` is the text-only history sent to the assistant.
        The filters (dates, reporter, section) narrow what it answers from."""
        chat = list(chat or [])
        plain = list(plain or [])
        if not (question or "").strip():
            gr.Warning("问题为空：请输入一个问题")
            yield question, chat, plain
            return
        chat += [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
        yield "", chat, plain
        try:
            lease = slots.lease()
        except Busy:
            chat[-1] = {"role": "assistant", "content": f"⚠ {BUSY}"}
            yield question, chat, plain
            return
        text = ""
        try:
            filters = Filters.parse(since, until, reporter, section)
            for event in assistant.stream(question, plain, filters=filters):
                if event["type"] == "token":
                    text += event["text"]
                    chat[-1] = {"role": "assistant", "content": html.escape(text) + " ▌"}
                    yield "", chat, plain
                elif event["type"] == "reset":
                    text = ""
                elif event["type"] == "answer":
                    answer = event["answer"]
                    chat[-1] = {"role": "assistant", "content": answer_html(answer)}
                    plain += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
                    yield "", chat, plain
        except ValueError as exc:
            chat[-1] = {"role": "assistant", "content": f"⚠ {html.escape(str(exc))}"}
            yield "", chat, plain
        finally:  # also when the page is closed mid-answer (the generator is closed)
            lease.release()

    return respond


def search_table(assistant: Assistant, query: str, k: int) -> tuple[list, list, list]:
    if not (query or "").strip():
        raise gr.Error("请输入检索词")
    tables = []
    for mode in ("dense", "keyword", "hybrid"):
        rows = []
        for rank, p in enumerate(assistant.retriever.search(query.strip(), int(k), mode), 1):
            rows.append([rank, round(p.score, 4), None if p.dense is None else round(p.dense, 4),
                         None if p.keyword is None else round(p.keyword, 3), p.title, p.text[:160]])
        tables.append(rows)
    return tuple(tables)


LIBRARY_HEADERS = ["标题", "日期", "类型", "记者", "通讯员", "摄影", "栏目", "来源", "段落数"]


def library_rows(assistant: Assistant, words: str = "", since: str = "", until: str = "", reporter: str = "") -> list:
    """The article table, filtered (title words, dates, a byline name), newest first."""
    try:
        table = assistant.view.table
    except StoreError:
        return [["（资料库为空：运行 `xinwen index`，或在下方上传文件）", "", "", "", "", "", "", "", 0]]
    filters = Filters.parse(since, until, reporter or None)
    rows = [a for a in table if (not words or words.strip() in a["title"]) and filters.admits(a)]
    rows.sort(key=lambda a: (a["date"] or "", -a["position"]), reverse=True)
    return [[a["title"], a["date"] or "", "图片" if a["kind"] == "photo" else "文章", "、".join(a["reporters"]),
             "、".join(a["correspondents"]), a["photographer"] or "", a["section"] or "", a["source"], a["chunks"]]
            for a in rows]


def article_view(assistant: Assistant, rows, event) -> str:
    """The full text of the article whose row was clicked in the 资料库 table."""
    row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
    title, source = rows.iloc[row, 0], rows.iloc[row, 7]
    article = next((a for a in assistant.view.table if a["title"] == title and a["source"] == source), None)
    if article is None:
        return ""
    text = assistant.view.article_text(article["id"])
    meta = " · ".join(x for x in (article["date"] or "日期不详", byline_text(article), article["source"]) if x)
    return f"### {html.escape(article['title'])}\n{html.escape(meta)}\n\n" + "\n\n".join(
        html.escape(p) for p in text.split("\n")[1:] if p.strip())


def filter_choices(assistant: Assistant):
    """The byline names and sections the archive has (for the filter dropdowns)."""
    try:
        view = assistant.view
        table = view.table
    except StoreError:
        return gr.update(choices=[]), gr.update(choices=[])
    people = sorted(view.people)
    sections = sorted({a["section"] for a in table if a["section"]})
    return gr.update(choices=[""] + people), gr.update(choices=[""] + sections)


def upload_handler(assistant: Assistant):
    s = assistant.settings

    def upload(files, progress=gr.Progress(track_tqdm=True)):
        files = files or []
        if not files:
            raise gr.Error("请先选择文件")
        if len(files) > s.upload_max_files:
            raise gr.Error(f"一次最多上传 {s.upload_max_files} 个文件（收到 {len(files)} 个）")
        target = Path(s.corpus_dir) / "uploads"
        target.mkdir(parents=True, exist_ok=True)
        saved = []
        for file in files:
            path = Path(file if isinstance(file, str) else file.name)
            name = safe_file_name(path.name)
            if Path(name).suffix.lower() not in SUPPORTED:
                raise gr.Error(f"不支持的文件类型：{name}（支持 {' '.join(sorted(SUPPORTED))}）")
            if path.stat().st_size > s.upload_max_mb * 1024 * 1024:
                raise gr.Error(f"文件过大：{name}（上限 {s.upload_max_mb:g} MB）")
            shutil.copyfile(path, target / name)
            saved.append(target / name)
        report = assistant.index(saved, progress=True)
        skipped = "；".join(f"{Path(x['path']).name}: {x['reason']}" for x in report.skipped)
        message = f"已索引 {report.files} 个文件、{report.articles} 篇文章（新嵌入 {report.embedded} 段）"
        return (message + (f"；跳过 {skipped}" if skipped else "")), library_rows(assistant)

    return upload


def build_blocks(assistant: Assistant, slots: AnswerSlots | None = None) -> gr.Blocks:
    s = assistant.settings
    slots = slots or AnswerSlots(s.max_concurrent_answers, s.max_queue)
    with gr.Blocks(title="新闻问答助手") as demo:
        gr.Markdown("## 新闻问答助手\n根据资料库中的新闻回答问题，每句话都标注来源 [n]，点击可查看原文。")
        with gr.Tab("对话"):
            chatbot = gr.Chatbot(label="对话", height=520, sanitize_html=True, elem_id="xw-chat")
            plain = gr.State([])
            with gr.Row():
                question = gr.Textbox(placeholder="输入问题，例如：新华区优良天数排名", show_label=False, scale=8,
                                      elem_id="xw-question")
                send = gr.Button("发送", variant="primary", scale=1, elem_id="xw-send")
            with gr.Accordion("筛选（日期、记者、栏目）", open=False, elem_id="xw-filters"):
                with gr.Row():
                    since = gr.Textbox(label="起始日期", placeholder="2021-10-18", elem_id="xw-since", scale=1)
                    until = gr.Textbox(label="截止日期", placeholder="2021-10-20", elem_id="xw-until", scale=1)
                    reporter = gr.Dropdown(label="记者/通讯员/摄影", choices=[], value="", allow_custom_value=True,
                                           elem_id="xw-reporter", scale=1)
                    section = gr.Dropdown(label="栏目", choices=[], value="", allow_custom_value=True,
                                          elem_id="xw-section", scale=1)
            gr.Examples(EXAMPLES, inputs=question, label="示例问题")
            clear = gr.Button("清空对话", elem_id="xw-clear")
            respond = chat_handler(assistant, slots)
            for trigger in (question.submit, send.click):
                trigger(respond, [question, chatbot, plain, since, until, reporter, section], [question, chatbot, plain],
                        api_visibility="private")
            demo.load(lambda: filter_choices(assistant), None, [reporter, section], api_visibility="private")
            clear.click(lambda: ([], [], ""), None, [chatbot, plain, question], api_visibility="private")

        with gr.Tab("检索测试"):
            with gr.Row():
                query = gr.Textbox(label="检索词", scale=6)
                k = gr.Slider(1, 20, value=5, step=1, label="条数", scale=2)
                go = gr.Button("检索", scale=1)
            headers = ["名次", "得分", "向量相似度", "BM25", "标题", "内容"]
            outputs = []
            for mode, label in (("dense", "向量检索 dense"), ("keyword", "关键词检索 keyword (jieba + BM25)"),
                                ("hybrid", "混合检索 hybrid (RRF)")):
                outputs.append(gr.Dataframe(headers=headers, label=label, wrap=True, elem_id=f"xw-{mode}",
                                            interactive=False))
            go.click(lambda q, n: search_table(assistant, q, n), [query, k], outputs, api_visibility="private")

        with gr.Tab("资料库"):
            with gr.Row():
                words = gr.Textbox(label="标题含", scale=2, elem_id="xw-lib-words")
                lib_since = gr.Textbox(label="起始日期", placeholder="YYYY-MM-DD", scale=1, elem_id="xw-lib-since")
                lib_until = gr.Textbox(label="截止日期", placeholder="YYYY-MM-DD", scale=1, elem_id="xw-lib-until")
                lib_person = gr.Textbox(label="署名", scale=1, elem_id="xw-lib-person")
                refresh = gr.Button("筛选 / 刷新", scale=1, elem_id="xw-lib-refresh")
            table = gr.Dataframe(headers=LIBRARY_HEADERS, label="已索引文章（点标题可排序，点一行查看全文）", wrap=True,
                                 interactive=False, elem_id="xw-library")
            full_text = gr.Markdown(elem_id="xw-article")
            listing_inputs = [words, lib_since, lib_until, lib_person]

            def rows(*values):
                try:
                    return library_rows(assistant, *values)
                except ValueError as exc:
                    raise gr.Error(str(exc)) from None

            refresh.click(rows, listing_inputs, table, api_visibility="private")
            demo.load(lambda: library_rows(assistant), None, table, api_visibility="private")
            def open_article(data, event: gr.SelectData) -> str:
                return article_view(assistant, data, event)

            table.select(open_article, table, full_text, api_visibility="private")
            if assistant.settings.allow_upload:
                files = gr.File(label=f"上传文件（{' '.join(sorted(SUPPORTED))}；每个不超过 {s.upload_max_mb:g} MB，"
                                f"一次最多 {s.upload_max_files} 个）", file_count="multiple",
                                file_types=sorted(SUPPORTED), elem_id="xw-upload")
                index_button = gr.Button("上传并索引", variant="primary")
                status = gr.Markdown()
                index_button.click(upload_handler(assistant), files, [status, table], api_visibility="private")

        def chat_api(question: str) -> str:
            """One question in, the answer text with its [n] markers out."""
            try:
                with slots.lease():
                    return assistant.ask(question).text
            except Busy:
                raise gr.Error(BUSY) from None

        gr.api(chat_api, api_name="chat")
    return demo
