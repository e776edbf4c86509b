"""Which `xinwen serve` holds a data dir: it writes `DATA_DIR/run/serve.json` while it runs, so
that `xinwen index` on an embedded store asks that server to index (a second process writing the
embedded Chroma under a running server would not be seen by it, and could damage the store)."""
from __future__ import annotations

import json
import os
from pathlib import Path


def _record(data_dir: Path) -> Path:
    return Path(data_dir) / "run" / "serve.json"


def announce_server(data_dir: Path, url: str) -> None:
    path = _record(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps({"pid": os.getpid(), "url": url}))
    tmp.replace(path)


def withdraw_server(data_dir: Path) -> None:
    path = _record(data_dir)
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def running_server(data_dir: Path) -> str | None:
    """The URL of the live `xinwen serve` on this data dir, if there is one (a record left by a
    server that died, or naming another program's pid, is ignored)."""
    try:
        record = json.loads(_record(data_dir).read_text())
        argv = Path(f"/proc/{int(record['pid'])}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record["url"] if b"serve" in argv and int(record["pid"]) != os.getpid() else None
