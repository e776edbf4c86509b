"""Serving under real use: installed from its wheel outside the checkout, answer slots that always
come back, a running server that sees index runs from other processes (and never a half-written
one), and two servers sharing one Chroma server. Real processes and sockets throughout."""
from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from .conftest import ROOT, SEED, Server, free_port, post, wait_for

QUESTION, FACT = "焦店镇镇长是谁", "郭晓光"
NEW_ARTICLE = "本报讯(记者张三)10月21日,新华区举办了首届桂花节,共有1200名市民参加。\n"


def get(url: str, timeout: float = 30) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)






def seed_corpus(tmp: Path) -> Path:
    corpus = tmp / "corpus"
    corpus.mkdir(parents=True)
    shutil.copy(SEED, corpus / SEED.name)
    return corpus


# --- the wheel ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with xinwen installed from a wheel built from the tracked
    files. Its dependencies come from the test venv's site-packages (a .pth line, which does not
    run that venv's editable-install hook), so the wheel alone provides xinwen's own files."""
    tmp = tmp_path_factory.mktemp("wheel")
    tree = tmp / "tree"
    listed = ["git", "ls-files", "--cached", "--others", "--exclude-standard"]  # what a commit would hold
    for name in subprocess.run(listed, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split():
        if (ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp), str(tree)],
                   check=True, capture_output=True)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = Path(subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    (purelib / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(tmp.glob("xinwen-*.whl"))
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    return venv


@pytest.mark.slow
def test_the_wheel_indexes_answers_and_serves_outside_the_checkout(installed, tmp_path, local_assistant):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    corpus = seed_corpus(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XINWEN_")}
    env.update(XDG_DATA_HOME=str(tmp_path / "xdg"), XINWEN_CORPUS_DIR=str(corpus), PYTHONPATH="")
    xinwen = str(installed / "bin" / "xinwen")

    where = subprocess.run([installed / "bin" / "python", "-c", "import assistant, prompts, ui; print(assistant.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout
    assert str(installed) in where, where  # the wheel's copy, not the checkout's

    index = subprocess.run([xinwen, "index", "--json", "-q"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert index.returncode == 0 and json.loads(index.stdout)["articles"] == 10, index.stderr
    assert (tmp_path / "xdg" / "xinwen" / "chroma").is_dir()  # the per-user data dir by default

    # asked from another folder, it finds the same index
    ask = subprocess.run([xinwen, "ask", "--answerer", "extractive", "--json", QUESTION], cwd=elsewhere, env=env,
                         capture_output=True, text=True)
    assert ask.returncode == 0 and FACT in json.loads(ask.stdout)["answer"], ask.stderr
    local = subprocess.run([xinwen, "ask", "--answerer", "local", "--json", QUESTION], cwd=elsewhere, capture_output=True,
                           text=True, env={**env, "XINWEN_LOCAL_MODEL_PATH": str(local_assistant.settings.local_model_path)})
    assert local.returncode == 0 and json.loads(local.stdout)["answerer"] == "local", local.stderr
    assert FACT in json.loads(local.stdout)["answer"]

    port = free_port()
    log = tmp_path / "serve.log"
    serve = subprocess.Popen([xinwen, "serve", "--port", str(port)], cwd=elsewhere, env={**env, "XINWEN_ANSWERER": "extractive"},
                             stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _up(url, serve, log), 120, "the installed xinwen serve")
        demo = urllib.request.urlopen(url + "/embed-demo", timeout=10).read().decode()
        assert "<gradio-app" in demo and url in demo
        assert urllib.request.urlopen(url + "/gradio.js", timeout=10).status == 200
        assert FACT in json.load(post(url + "/api/ask", {"question": QUESTION}))["answer"]
    finally:
        serve.terminate()
        serve.wait(timeout=20)


def _up(url: str, process: subprocess.Popen, log: Path) -> bool:
    try:
        return urllib.request.urlopen(url + "/docs", timeout=2).status == 200
    except OSError:
        assert process.poll() is None, log.read_text()
        return False


# --- answer slots ------------------------------------------------------------------------------

def gradio_chat(url: str, question: str, timeout: float = 120) -> str:
    """The chat page's own call (the queue protocol its JavaScript speaks): the final answer HTML."""
    import httpx

    config = get(url + "/config")
    respond = next(d for d in config["dependencies"] if d.get("api_name") == "respond")
    data = [question, [], []] + [""] * (len(respond["inputs"]) - 3)  # the filters, left empty
    session = uuid.uuid4().hex[:12]
    httpx.post(f"{url}/gradio_api/queue/join", timeout=timeout,
               json={"data": data, "fn_index": respond["id"], "session_hash": session, "trigger_id": None}
               ).raise_for_status()
    with httpx.stream("GET", f"{url}/gradio_api/queue/data?session_hash={session}", timeout=timeout) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:") and (message := json.loads(line[5:]))["msg"] == "process_completed":
                assert message.get("success", True) and "data" in message["output"], message
                chat = message["output"]["data"][1]
                return chat[-1]["content"][0]["text"] if isinstance(chat[-1]["content"], list) else chat[-1]["content"]
    raise AssertionError("the chat stream ended without an answer")


def v1_stream(url: str, question: str) -> str:
    body = {"messages": [{"role": "user", "content": question}], "stream": True}
    text = ""
    with post(url + "/v1/chat/completions", body) as response:
        for line in response:
            line = line.decode().strip()
            if line.startswith("data: {"):
                text += json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
    return text


PATHS = {
    "rest": lambda url, q: json.load(post(url + "/api/ask", {"question": q}))["answer"],
    "v1": lambda url, q: json.load(post(url + "/v1/chat/completions", {"messages": [{"role": "user", "content": q}]}))
    ["choices"][0]["message"]["content"],
    "v1-stream": v1_stream,
    "gradio-chat": gradio_chat,
    "gr.api": lambda url, q: __import__("gradio_client").Client(url, verbose=False).predict(q, api_name="/chat"),
}


@pytest.fixture(scope="module")
def roomy_server(seed_assistant):
    """Extractive answers, 4 at a time, up to 64 waiting: 50 at once all get answered."""
    s = seed_assistant.settings
    srv = Server(s.data_dir, s.corpus_dir, XINWEN_ANSWERER="extractive", XINWEN_MAX_CONCURRENT_ANSWERS="4",
                 XINWEN_MAX_QUEUE="64")
    yield srv
    srv.stop()


@pytest.mark.parametrize("path", PATHS)
def test_fifty_requests_at_once_through_each_path_are_all_answered_and_the_slots_come_back(roomy_server, path):
    ask = PATHS[path]
    with concurrent.futures.ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: ask(roomy_server.url, QUESTION), range(50)))
    assert all(FACT in answer for answer in answers), [a for a in answers if FACT not in a][:3]
    slots = wait_for(lambda: (a := get(roomy_server.url + "/api/health")["answers"])["running"] == 0 and a, 10,
                     "the answer slots to come back")
    assert slots["waiting"] == 0 and slots["capacity"] == 4


@pytest.mark.slow
def test_abandoned_streams_give_their_slots_back_at_once(seed_assistant, server_url):
    """Two slots, no queue, slow answers (the local model as an OpenAI-compatible endpoint). Clients
    that hang up before reading, or after the first token, leave no slot taken."""
    s = seed_assistant.settings
    srv = Server(s.data_dir, s.corpus_dir, XINWEN_ANSWERER="llm", XINWEN_LLM_BASE_URL=server_url,
                 XINWEN_MAX_CONCURRENT_ANSWERS="2", XINWEN_MAX_QUEUE="0")
    body = json.dumps({"messages": [{"role": "user", "content": "中央花园社区党委书记是谁"}], "stream": True}).encode()
    request = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    try:
        for round_ in range(3):
            sockets = []
            for _ in range(2):
                sock = socket.create_connection(("127.0.0.1", srv.port), timeout=60)
                sock.sendall(request)
                sockets.append(sock)
            if round_ == 1:  # read up to the first streamed token, then hang up
                for sock in sockets:
                    wait_for(lambda sock=sock: b'"content": "' in sock.recv(65536).replace(b'"content": ""', b""), 60,
                             "a token")
            for sock in sockets:  # round 0: hang up before reading anything
                sock.close()
            wait_for(lambda: get(srv.url + "/api/health")["answers"]["running"] == 0, 15,
                     f"the slots of round {round_} to come back")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:  # the full capacity serves again
            codes = list(pool.map(lambda q: post(srv.url + "/api/ask", {"question": q}, 180).status,
                                  ["焦店镇镇长是谁", "新华区优良天数排名"]))
        assert codes == [200, 200]
    finally:
        srv.stop()


# --- one index, many readers -------------------------------------------------------------------

def cites_new_article(url: str) -> bool:
    answer = json.load(post(url + "/api/ask", {"question": "桂花节有多少名市民参加"}))
    return not answer["refused"] and "1200名" in answer["answer"] and any(c["source"] == "new.txt" for c in answer["citations"])


def test_index_run_from_another_shell_goes_through_the_running_server(tmp_path, seed_assistant):
    """With the embedded store, `xinwen index` in another process asks the running server to index
    (a second writer under a running server would not be seen by it), and the answer cites the new
    article at once."""
    data, corpus = tmp_path / "data", seed_corpus(tmp_path)
    shutil.copytree(seed_assistant.settings.data_dir / "chroma", data / "chroma")
    srv = Server(data, corpus, XINWEN_ANSWERER="extractive")
    try:
        assert not cites_new_article(srv.url)
        (corpus / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        env = {**os.environ, "XINWEN_DATA_DIR": str(data), "XINWEN_CORPUS_DIR": str(corpus)}
        index = subprocess.run([sys.executable, "-m", "ui", "index", "--json"], env=env, cwd=ROOT,
                               capture_output=True, text=True, timeout=300)
        assert index.returncode == 0 and "由它来索引" in index.stderr, index.stderr
        assert json.loads(index.stdout)["embedded"] == 1
        assert cites_new_article(srv.url)
        assert get(srv.url + "/api/health")["articles"] == 11
    finally:
        srv.stop()


@pytest.mark.slow
def test_two_servers_share_one_chroma_server_and_see_each_others_index_runs(tmp_path, chroma_server):
    corpus = seed_corpus(tmp_path)
    common = {"XINWEN_CHROMA_URL": chroma_server, "XINWEN_COLLECTION": "shared-serving", "XINWEN_ANSWERER": "extractive"}
    env = {**os.environ, **common, "XINWEN_DATA_DIR": str(tmp_path / "indexer"), "XINWEN_CORPUS_DIR": str(corpus)}
    subprocess.run([sys.executable, "-m", "ui", "index", "-q"], env=env, cwd=ROOT, check=True, timeout=300)
    first = Server(tmp_path / "a", corpus, **common)
    second = Server(tmp_path / "b", corpus, **common)
    try:
        assert all(FACT in json.load(post(s.url + "/api/ask", {"question": QUESTION}))["answer"] for s in (first, second))
        assert not cites_new_article(second.url)
        (corpus / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        # indexed through the first server; the second, which was not told, sees it within seconds
        assert json.load(post(first.url + "/api/index", {}))["embedded"] == 1
        finished = time.monotonic()
        wait_for(lambda: cites_new_article(second.url), 15, "the second server to answer from the new article")
        print(f"seconds from the end of the index run to an answer citing it: {time.monotonic() - finished:.2f}")
        assert cites_new_article(first.url)
    finally:
        first.stop()
        second.stop()


@pytest.mark.slow
def test_an_index_run_killed_midway_leaves_readers_on_the_previous_complete_index(tmp_path, chroma_server):
    corpus = seed_corpus(tmp_path)
    common = {"XINWEN_CHROMA_URL": chroma_server, "XINWEN_COLLECTION": "killed-run", "XINWEN_ANSWERER": "extractive"}
    env = {**os.environ, **common, "XINWEN_DATA_DIR": str(tmp_path / "indexer"), "XINWEN_CORPUS_DIR": str(corpus)}
    subprocess.run([sys.executable, "-m", "ui", "index", "-q"], env=env, cwd=ROOT, check=True, timeout=300)
    srv = Server(tmp_path / "reader", corpus, **common)
    try:
        before = get(srv.url + "/api/health")
        # a long new article (about 270 chunks: three embedding batches), then a kill mid-run
        lines = [f"第{i}届桂花节于10月{1 + i % 28}日举办,共有{1000 + i}名市民参加,活动持续了整整一天。"
                 f"现场举行了第{i}场书画展、{i % 9 + 2}项非遗展示和{i % 7 + 3}台文艺演出,吸引了周边{i % 5 + 2}个县区的游客。"
                 f"主办方第{i}次邀请了{i % 11 + 4}位民间艺人,展出作品{200 + i}件,志愿者{30 + i}人参与服务保障。"
                 f"据统计,当天接待游客{5000 + 7 * i}人次,带动消费{i % 13 + 10}万元,周边{i % 6 + 3}家民宿全部客满。\n\n"
                 for i in range(650)]
        (corpus / "festival.txt").write_text("".join(lines), encoding="utf-8")
        progress = tmp_path / "index.log"
        run = subprocess.Popen([sys.executable, "-m", "ui", "index"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=progress.open("w"))
        wait_for(lambda: "128/" in progress.read_text() or run.poll() is not None, 300, "a first batch written")
        assert run.poll() is None, progress.read_text()
        run.send_signal(signal.SIGKILL)
        run.wait()
        time.sleep(1)
        after = get(srv.url + "/api/health")
        assert (after["generation"], after["chunks"], after["articles"]) == (
            before["generation"], before["chunks"], before["articles"]), (before, after)
        answer = json.load(post(srv.url + "/api/ask", {"question": "第7届桂花节有多少名市民参加"}))
        assert not any(c["source"] == "festival.txt" for c in answer["citations"]), answer
        subprocess.run([sys.executable, "-m", "ui", "index", "-q"], env=env, cwd=ROOT, check=True, timeout=900)
        wait_for(lambda: get(srv.url + "/api/health")["articles"] == before["articles"] + 1, 15, "the finished run")
        answer = json.load(post(srv.url + "/api/ask", {"question": "第7届桂花节有多少名市民参加"}))
        assert any(c["source"] == "festival.txt" for c in answer["citations"]), answer
    finally:
        srv.stop()
