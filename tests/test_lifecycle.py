"""The managed llama.cpp server ends with the process that started it, however that process ends,
and one data dir never gets two of them. Real processes, real signals, the real model."""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.answerers.llama_server import LlamaServer, is_ours

from .conftest import ROOT, free_port, post, wait_for

pytestmark = pytest.mark.slow
QUESTION = "焦店镇镇长是谁"

API_SCRIPT = """
import sys, time
from assistant import Assistant
a = Assistant()
if sys.argv[1] == "stream":
    for event in a.stream(sys.argv[2], answerer="local"):
        if event["type"] == "token":
            print("streaming", flush=True)
else:
    print(a.ask(sys.argv[2], answerer="local").text, flush=True)
    print("answered", flush=True)
    if sys.argv[1] == "wait":
        time.sleep(600)
"""


@pytest.fixture(scope="module")
def data_dir(seed_assistant, local_assistant, tmp_path_factory) -> Path:
    """A copy of the seed index in a data dir of its own (no llama server of another test in it)."""
    target = tmp_path_factory.mktemp("lifecycle") / "data"
    source = seed_assistant.settings.data_dir
    for part in ("chroma", "keyword"):
        shutil.copytree(source / part, target / part)
    return target


@pytest.fixture(scope="module")
def env(data_dir, local_assistant) -> dict:
    model = local_assistant.settings.local_model_path
    return {**os.environ, "XINWEN_DATA_DIR": str(data_dir), "XINWEN_LOCAL_MODEL_PATH": str(model),
            "XINWEN_CORPUS_DIR": str(data_dir.parent)}


def llama_processes(data_dir: Path) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and is_ours(int(p.name), data_dir)]


def gone_within(data_dir: Path, seconds: float) -> list[int]:
    """The llama servers of this data dir still running after `seconds` (none, we hope)."""
    deadline = time.monotonic() + seconds
    while (left := llama_processes(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def spawn(args: list[str], **kwargs) -> subprocess.Popen:
    """A parent process as a terminal starts it: SIGINT at its default even when the test run itself
    was started in the background (where the shell leaves SIGINT ignored, and children inherit that)."""
    return subprocess.Popen(args, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs)


def start_serve(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = spawn([sys.executable, "-m", "ui", "serve", "--port", str(port)], cwd=ROOT,
                    env={**env, "XINWEN_ANSWERER": "local"}, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def up():
        try:
            return urllib.request.urlopen(url + "/docs", timeout=2).status == 200
        except OSError:
            assert process.poll() is None, log.read_text()
            return False

    wait_for(up, 120, "xinwen serve")
    return process, url




def begin(parent: str, ending: str, env: dict, tmp_path: Path) -> subprocess.Popen:
    """Start the parent and bring it to where the ending happens: after one local answer, or in the
    middle of one."""
    log = tmp_path / f"{parent}.log"
    if parent == "serve":
        process, url = start_serve(env, log)
        if ending == "SIGTERM mid-stream":
            response = post(url + "/v1/chat/completions", {"messages": [{"role": "user", "content": QUESTION}],
                                                           "stream": True})
            while True:  # up to the first streamed token of the answer
                line = response.readline().decode()
                assert line, "the stream ended before any token"
                if line.startswith("data: {") and json.loads(line[6:])["choices"][0]["delta"].get("content"):
                    break
            process.response = response  # keep the stream open while the signal arrives
        else:
            answer = json.load(post(url + "/api/ask", {"question": QUESTION}))
            assert answer["answerer"] == "local" and "郭晓光" in answer["answer"], answer
        return process
    if parent == "ask":  # it exits by itself after answering: the signal comes while it answers
        process = spawn([sys.executable, "-m", "ui", "ask", "--answerer", "local", QUESTION], cwd=ROOT,
                        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        if ending != "exit":
            wait_for(lambda: "llama server started" in log.read_text() or "using the llama server" in log.read_text(),
                     120, "the local model's server")
        return process
    mode = "stream" if ending == "SIGTERM mid-stream" else "exit" if ending == "exit" else "wait"
    process = spawn([sys.executable, "-c", API_SCRIPT, mode, QUESTION], cwd=ROOT, env=env,
                    stdout=log.open("w"), stderr=subprocess.STDOUT)
    if ending != "exit":
        marker = "streaming" if mode == "stream" else "answered"
        wait_for(lambda: marker in log.read_text() or process.poll() is not None, 180, marker)
        assert marker in log.read_text(), log.read_text()
    return process


ENDINGS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT, "SIGKILL": signal.SIGKILL,
           "SIGTERM mid-stream": signal.SIGTERM, "exit": None}
CASES = [(parent, ending) for parent in ("serve", "ask", "api") for ending in ENDINGS
         if not (parent == "serve" and ending == "exit")]


@pytest.mark.parametrize("parent,ending", CASES, ids=[f"{p}-{e.replace(' ', '-')}" for p, e in CASES])
def test_the_local_model_server_ends_with_its_parent(parent, ending, data_dir, env, tmp_path):
    """Each case starts on the data dir the previous one ended on: the next start answers."""
    assert not llama_processes(data_dir)
    process = begin(parent, ending, env, tmp_path)
    if ENDINGS[ending] is not None:
        assert llama_processes(data_dir), "the local model's server should be running now"
        process.send_signal(ENDINGS[ending])
    code = process.wait(timeout=60)
    if parent == "serve" and ending != "SIGKILL":
        log = (tmp_path / "serve.log").read_text()
        assert code == 0 and "xinwen 已停止" in log, (code, log)
    assert gone_within(data_dir, 10) == [], f"{parent} ended by {ending} left its llama server running"


def test_a_pid_file_naming_a_dead_or_foreign_process_is_ignored_and_that_process_left_alone(data_dir, local_assistant,
                                                                                           caplog):
    model = local_assistant.settings.local_model_path
    finished = subprocess.Popen(["true"])
    finished.wait()
    foreign = subprocess.Popen(["sleep", "120"])  # alive, but not a llama server of ours (pid reuse)
    try:
        for pid in (finished.pid, foreign.pid):
            server = LlamaServer(model, data_dir)
            server.pid_file.parent.mkdir(parents=True, exist_ok=True)
            server.pid_file.write_text(json.dumps({"pid": pid, "port": free_port(), "parent": 1, "model": "x"}))
            with caplog.at_level(logging.INFO, logger="xinwen.local"):
                server.ensure_running()
            assert f"ignoring pid file {server.pid_file}: process {pid}" in caplog.text
            assert server.process is not None and server.healthy()  # a server of its own
            server.stop()
        assert foreign.poll() is None, "a process we did not start was signalled"
    finally:
        foreign.kill()
    assert gone_within(data_dir, 10) == []


def test_a_stale_server_is_stopped_and_a_live_ones_server_reused_never_a_second(data_dir, local_assistant):
    model = local_assistant.settings.local_model_path
    first = LlamaServer(model, data_dir)
    first.ensure_running()
    try:
        second = LlamaServer(model, data_dir)  # its starter is alive: reused, not started again
        assert second.ensure_running() == first.url and second.process is None
        assert llama_processes(data_dir) == [first.pid]
        record = json.loads(first.pid_file.read_text())
        first.pid_file.write_text(json.dumps({**record, "parent": 1}))  # the record's starter is gone: stale
        third = LlamaServer(model, data_dir)
        third.ensure_running()
        assert first.process.wait(timeout=10) is not None, "the stale server should have been stopped"
        assert llama_processes(data_dir) == [third.pid] and third.healthy()
        third.stop()
    finally:
        first.stop()
    assert gone_within(data_dir, 10) == []


def test_two_first_questions_at_once_start_one_server(data_dir, env, local_assistant):
    from assistant import Assistant

    assistant = Assistant(local_assistant.settings.model_copy(update={"data_dir": data_dir}))
    seen: list[int] = []
    try:
        def ask():
            assert "郭晓光" in assistant.ask(QUESTION, answerer="local").text
            seen.extend(llama_processes(data_dir))

        threads = [threading.Thread(target=ask) for _ in range(3)]
        for thread in threads:
            thread.start()
        pid = wait_for(lambda: llama_processes(data_dir), 120, "the local model's server")[0]
        # and a second process on the same data dir while this one runs: it uses that server too
        other = subprocess.run([sys.executable, "-m", "ui", "ask", "--answerer", "local", QUESTION], cwd=ROOT,
                               env=env, capture_output=True, text=True, timeout=300)
        for thread in threads:
            thread.join()
        assert other.returncode == 0 and "郭晓光" in other.stdout, other.stderr
        assert f"using the llama server (pid {pid})" in other.stderr, other.stderr
        assert set(seen) == {pid}, f"more than one llama server ran: {set(seen)}"
    finally:
        assistant.close()
    assert gone_within(data_dir, 10) == []
