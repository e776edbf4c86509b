"""Ingestion benchmark (not a test): articles/s and chunks/s on the seed page and on N articles of
crud-news-2023, the cost of re-indexing unchanged input, and where the time goes.

    .venv/bin/python benchmarks/ingest.py [--crud 500 2000] [--out benchmarks/results/ingest.json]
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
from pathlib import Path

import indexing  # noqa: F401
from assistant import Assistant
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "pingdingshan-xinhua-district-2021-10.txt"
CRUD = sorted((ROOT.parent / "shared" / "corpora" / "crud-news-2023").glob("documents_*.txt"))


def crud_corpus(folder: Path, n: int) -> Path:
    """The first n articles of crud-news-2023 as one dump file in a scratch folder (not in the repo)."""
    lines = [line for path in CRUD for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:n]
    folder.mkdir(parents=True)
    (folder / f"crud-{n}.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


def measure(name: str, corpus: Path, work: Path) -> dict:
    assistant = Assistant(Settings(data_dir=work / "data", corpus_dir=corpus))
    first = assistant.index(progress=True)
    again = assistant.index(progress=False)
    row = {
        "name": name,
        "articles": first.articles,
        "chunks": first.chunks,
        "seconds": first.seconds,
        "articles_per_s": round(first.articles / first.seconds, 2),
        "chunks_per_s": round(first.chunks / first.seconds, 2),
        "phases_s": first.timings,
        "reindex_unchanged_s": again.seconds,
        "reindex_embedded": again.embedded,
    }
    print(json.dumps(row, ensure_ascii=False))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crud", type=int, nargs="*", default=[500])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ingest.json")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seed = tmp / "seed"
        seed.mkdir()
        shutil.copy(SEED, seed)
        rows.append(measure("seed page", seed, tmp / "w-seed"))
        for n in args.crud:
            rows.append(measure(f"crud-news {n}", crud_corpus(tmp / f"crud{n}", n), tmp / f"w-{n}"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": platform.python_version(), "machine": platform.machine(), "cpus": __import__("os").cpu_count()}
    args.out.write_text(json.dumps({"machine": machine, "rows": rows}, ensure_ascii=False, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
