"""Prompt files from `prompts/` (package data: found the same way in a checkout and in a wheel),
filled with str.format."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

REFUSAL = "根据现有资料无法回答该问题。"


@lru_cache(maxsize=None)
def template(name: str) -> str:
    return files("prompts").joinpath(f"{name}.md").read_text(encoding="utf-8").strip()


def render(name: str, **values) -> str:
    return template(name).format(refusal=REFUSAL, **values)
