"""The prompt files (`*.md`), shipped as package data and read with importlib.resources."""
