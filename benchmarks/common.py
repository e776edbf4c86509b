"""What every benchmark does at the end: write its JSON and its plot next to it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable


def write_results(out: Path, report: dict, plot: Callable[[Path], None]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    plot(out.with_suffix(".png"))
    print(f"wrote {out} and {out.with_suffix('.png')}")
