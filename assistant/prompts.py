"""Prompt files from `prompts/`, filled with str.format."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
REFUSAL = "根据现有资料无法回答该问题。"


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8").strip()


def render(name: str, **values) -> str:
    return template(name).format(refusal=REFUSAL, **values)
