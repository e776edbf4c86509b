"""Bad input, crashes and concurrent indexers: clear errors, sensible exit codes, nothing lost.
Each guarantee in docs/reliability.md names the test here that proves it."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant import Assistant

from .conftest import ROOT, make_settings, run_cli

ARTICLE = "# {title}\n\n本报讯 {day}日,新华区{title}活动举行,共有{n}名居民参加。活动持续{n}天。"


def small_corpus(folder: Path, files: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        text = "\n\n".join(ARTICLE.format(title=f"第{i}组第{j}场社区讲座", day=j + 1, n=10 * i + j + 1) for j in range(4))
        (folder / f"news-{i}.txt").write_text(text, encoding="utf-8")
    return folder


# --- questions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("question, message", [
    ("", "问题为空"), ("   \n\t ", "问题为空"), ("\x00\x07\x1b", "问题为空"),
    ("新华区" * 7000, "问题太长"), ("？？！！。。，", "没有可检索的文字"), ("🙂🙂🚀", "没有可检索的文字"),
])
def test_bad_questions_get_a_clear_error(seed_assistant, question, message):
    with pytest.raises(ValueError, match=message):
        seed_assistant.ask(question, answerer="extractive")


def test_bad_questions_through_the_cli_exit_2_with_the_message(seed_assistant):
    env = {"XINWEN_DATA_DIR": str(seed_assistant.settings.data_dir)}
    result = run_cli("ask", "？？！！", env=env)
    assert result.returncode == 2 and "没有可检索的文字" in result.stderr and "Traceback" not in result.stderr


def test_control_characters_and_emoji_around_a_real_question_are_ignored(seed_assistant):
    answer = seed_assistant.ask("\x1b[31m焦店镇镇长是谁🙂\x00", answerer="extractive")
    assert "郭晓光" in answer.text


def test_an_english_question_over_the_chinese_corpus_is_answered_or_refused_cleanly(seed_assistant):
    answer = seed_assistant.ask("What is the weather in Paris today?", answerer="extractive")
    assert answer.refused and answer.text == "根据现有资料无法回答该问题。"


@pytest.mark.parametrize("history", [
    "not a list", [{"role": "user"}], [{"role": "wizard", "content": "x"}], [["user", "hi"]],
])
def test_malformed_history_is_rejected(seed_assistant, history):
    with pytest.raises(ValueError, match="history 格式错误"):
        seed_assistant.ask("新华区优良天数排名", history=history, answerer="extractive")


def test_enormous_history_is_cut_to_its_recent_turns(seed_assistant):
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": "新华区" * 5000} for i in range(2000)]
    history += [{"role": "user", "content": "新华区优良天数排名"}, {"role": "assistant", "content": "排名第一。[1]"}]
    started = time.monotonic()
    answer = seed_assistant.ask("那PM2.5呢?", history=history, answerer="extractive")
    assert "40微克/立方米" in answer.text and time.monotonic() - started < 30


# --- files ----------------------------------------------------------------------------------------
def test_hostile_files_are_skipped_with_reasons_and_the_good_ones_indexed(tmp_path, embedder):
    corpus = small_corpus(tmp_path / "corpus", files=1)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "gbk.txt").write_bytes("# 新华区绿地\n\n新华区今年新增绿地30公顷。".encode("gbk"))
    (corpus / "big5.txt").write_bytes("# 新華區圖書館\n\n新華區圖書館今年借閱量增加兩成。".encode("big5"))
    cut = "# 曙光街\n\n曙光街新建口袋公园一座,占地2000平方米。公园内设有健身器材和儿童游乐设施。"
    (corpus / "cut.txt").write_bytes(cut.encode("utf-8")[:-2])  # cut inside the last character
    with (corpus / "huge.txt").open("wb") as handle:  # 50 MB, sparse: over the size limit
        handle.truncate(50 * 2**20)
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("# 机密\n\n不应被索引的文件。", encoding="utf-8")
    (corpus / "link-out.txt").symlink_to(outside)
    (corpus / "copy.txt").write_bytes((corpus / "news-0.txt").read_bytes())
    (corpus / "tool.exe").write_bytes(b"MZ\x90\x00")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    report = assistant.index(progress=False)
    reasons = {Path(s["path"]).name: s["reason"] for s in report.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "too large" in reasons["huge.txt"] and "50.0 MB" in reasons["huge.txt"]
    assert "outside the corpus" in reasons["link-out.txt"]
    assert reasons["news-0.txt"] == "same content as copy.txt (duplicate file)"  # the first name is kept
    assert "unsupported file type '.exe'" in reasons["tool.exe"]
    titles = {a["title"] for a in assistant.articles()}
    assert {"新华区绿地", "新華區圖書館", "曙光街", "第0组第0场社区讲座"} <= titles
    assert sum(a["title"] == "第0组第0场社区讲座" for a in assistant.articles()) == 1
    assert "机密" not in titles and report.files == 4  # copy.txt (news-0.txt is its twin), gbk, big5, cut


def test_a_path_outside_the_corpus_root_is_indexed_only_when_named(tmp_path, embedder):
    corpus = small_corpus(tmp_path / "corpus", files=1)
    elsewhere = small_corpus(tmp_path / "elsewhere", files=1)
    (elsewhere / "news-0.txt").write_text("# 外部稿件\n\n焦店镇举办农民丰收节。", encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    assert "外部稿件" not in {a["title"] for a in assistant.articles()}
    assistant.index([elsewhere / "news-0.txt"], progress=False)
    sources = {a["source"] for a in assistant.articles()}
    assert str((elsewhere / "news-0.txt").resolve()) in sources and "news-0.txt" in sources


def test_a_file_that_changes_while_being_indexed_ends_up_as_its_final_version(tmp_path, embedder):
    corpus = small_corpus(tmp_path / "corpus", files=2)
    moving = corpus / "moving.txt"
    moving.write_text("# 版本0\n\n新华区第0版稿件。", encoding="utf-8")
    stop = threading.Event()

    def rewrite():
        version = 0
        while not stop.is_set():
            version += 1
            moving.write_text(f"# 版本{version}\n\n新华区第{version}版稿件。", encoding="utf-8")
            time.sleep(0.005)

    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        assistant.index(progress=False)
    finally:
        stop.set()
        writer.join()
    assistant.index(progress=False)
    final_title = moving.read_text(encoding="utf-8").splitlines()[0][2:]
    titles = [a["title"] for a in assistant.articles() if a["source"] == "moving.txt"]
    assert titles == [final_title]


# --- concurrency and crashes ----------------------------------------------------------------------
def index_process(data_dir: Path, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "XINWEN_DATA_DIR": str(data_dir), "XINWEN_CORPUS_DIR": str(corpus),
           "XINWEN_EMBED_BATCH_SIZE": "4"}
    return subprocess.Popen([sys.executable, "-m", "ui", "index", "-q", "--json"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_indexer_gets_a_clear_error_at_once(tmp_path):
    corpus = small_corpus(tmp_path / "corpus", files=40)
    first = index_process(tmp_path / "data", corpus)
    lock = tmp_path / "data" / "index.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None:  # wait until the first holds the lock
        if lock.exists():
            break
        time.sleep(0.05)
    time.sleep(0.5)
    started = time.monotonic()
    second = index_process(tmp_path / "data", corpus)
    out, err = second.communicate(timeout=60)
    assert first.poll() is None, "the first indexer finished before the second started: use a larger corpus"
    assert second.returncode == 2 and "already running" in err
    assert time.monotonic() - started < 20  # at once (start-up only): the second does not wait
    assert first.wait(timeout=300) == 0


def consistent(assistant: Assistant) -> tuple[set[str], set[str]]:
    """(chunk ids in Chroma, chunk ids in the keyword index), after checking for duplicates."""
    rows = list(assistant.store.iter_chunks(with_text=False))
    ids = [chunk_id for chunk_id, _, _ in rows]
    assert len(ids) == len(set(ids))
    return set(ids), set(assistant.keyword.ids)


@pytest.mark.slow
def test_sigkill_at_any_moment_then_reindex_gives_exactly_the_clean_index(tmp_path, embedder):
    corpus = small_corpus(tmp_path / "corpus", files=30)
    clean = Assistant(make_settings(tmp_path / "clean", corpus))
    clean.__dict__["embedder"] = embedder
    clean.index(progress=False)
    expected = consistent(clean)[0]

    data_dir = tmp_path / "crashy"
    for delay in (0.5, 3.0, 5.0, 7.0, 9.0, 11.0):  # from start-up to the middle of embedding and writing
        process = index_process(data_dir, corpus)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finish = index_process(data_dir, corpus)
    out, err = finish.communicate(timeout=300)
    assert finish.returncode == 0, err
    assert json.loads(out)["files"] == 30
    recovered = Assistant(make_settings(tmp_path / "crashy-reader", corpus).model_copy(update={"data_dir": data_dir}))
    recovered.__dict__["embedder"] = embedder
    in_chroma, in_keyword = consistent(recovered)
    assert in_chroma == expected and in_keyword == expected


def test_a_run_that_died_between_its_last_write_and_publishing_is_shown_by_the_next_run(tmp_path, embedder, monkeypatch):
    """The SIGKILL test above lands in this window only now and then (its kills are timed), so a
    publish that fails stands in for the kill here: every chunk is written, none is visible. The
    next run finds every file complete and nothing to embed; it must still publish them."""
    from indexing.store import ChunkStore

    corpus = small_corpus(tmp_path / "corpus", files=3)
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    publish = ChunkStore.publish

    def killed(self, number):
        raise RuntimeError("killed before publishing")

    monkeypatch.setattr(ChunkStore, "publish", killed)
    with pytest.raises(RuntimeError):
        assistant.index(progress=False)
    monkeypatch.setattr(ChunkStore, "publish", publish)
    assert assistant.index(progress=False).embedded == 0
    reader = Assistant(make_settings(tmp_path, corpus))
    reader.__dict__["embedder"] = embedder
    in_chroma, in_keyword = consistent(reader)
    assert in_chroma and in_keyword == in_chroma
    assert not reader.ask("第1组第2场社区讲座有多少名居民参加？", answerer="extractive").refused  # readers see them


@pytest.fixture
def small_fs(tmp_path):
    """A real size-limited file system (tmpfs) for the data dir; needs the mount capability."""
    mount_point = tmp_path / "fs"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs here ({result.stderr.strip()}): run the tests as root (CAP_SYS_ADMIN)")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)])


def remount(mount_point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount_point)], check=True)


def test_read_only_data_dir_is_a_clear_error_then_recovers(small_fs):
    corpus = small_corpus(small_fs / "corpus", files=2)
    env = {"XINWEN_DATA_DIR": str(small_fs / "data"), "XINWEN_CORPUS_DIR": str(corpus)}
    assert run_cli("index", "-q", env=env).returncode == 0  # in another process: nothing stays open here
    remount(small_fs, "ro")
    for command in (["index"], ["ask", "第0组第1场社区讲座有多少名居民参加", "--answerer", "extractive"]):
        result = run_cli(*command, env=env)
        assert result.returncode == 2 and "is read-only" in result.stderr and "Traceback" not in result.stderr
    remount(small_fs, "rw")
    again = run_cli("index", "-q", "--json", env=env)
    assert again.returncode == 0 and json.loads(again.stdout)["embedded"] == 0  # nothing was lost


def test_full_data_dir_is_a_clear_error_then_recovers(small_fs, embedder):
    corpus = small_corpus(small_fs.parent / "corpus", files=4)
    settings = make_settings(small_fs, corpus)
    assistant = Assistant(settings)
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)  # a baseline that fits
    expected = consistent(assistant)[0]
    for i in range(8):  # new files that cannot fit in what is left
        (corpus / f"more-{i}.txt").write_text(
            "\n\n".join(ARTICLE.format(title=f"补充{i}-{j}号稿件", day=j + 1, n=i * j + 7) * 3 for j in range(6)),
            encoding="utf-8")
    filler = small_fs / "filler"
    free = os.statvfs(small_fs).f_bavail * os.statvfs(small_fs).f_frsize
    with filler.open("wb") as handle:  # leave about 50 KB
        handle.write(b"\0" * max(0, free - 50_000))
    with pytest.raises(Exception, match="is full"):
        assistant.index(progress=False)
    filler.unlink()
    recovered = Assistant(settings)
    recovered.__dict__["embedder"] = embedder
    report = recovered.index(progress=False)
    assert report.files == 12
    in_chroma, in_keyword = consistent(recovered)
    assert expected < in_chroma and in_chroma == in_keyword
