"""Scale row (not a test): the whole crud-news-2023 corpus (11,576 articles) indexed through the
product (`xinwen index`, with its progress bar), then served (`xinwen serve`): index time, chunks,
size on disk, the serving process's memory, query latency against it, and the answer time for 20
questions written from its articles; and from the measured per-chunk costs an estimate for a
1M-article archive on one machine and on a Chroma server.

    .venv/bin/python benchmarks/scale.py [--work /tmp/xinwen-scale] [--out benchmarks/results/scale.json]

The work folder keeps the index, so a second run measures without re-embedding (and says so).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.question_bank import load_bank  # noqa: E402
from benchmarks.serving import peak_rss_mb  # noqa: E402
from tests.conftest import Server, post  # noqa: E402

CRUD = ROOT.parent / "shared" / "corpora" / "crud-news-2023"


def folder_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("/tmp/xinwen-scale"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "scale.json")
    args = parser.parse_args()
    corpus, data = args.work / "corpus", args.work / "data"
    corpus.mkdir(parents=True, exist_ok=True)
    for path in sorted(CRUD.glob("documents_*.txt")):
        if not (corpus / path.name).exists():
            shutil.copy(path, corpus / path.name)
    env = {**os.environ, "XINWEN_DATA_DIR": str(data), "XINWEN_CORPUS_DIR": str(corpus)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ui", "index", "--json"], env=env, cwd=ROOT, check=True,
                          stdout=subprocess.PIPE, text=True)  # the progress bar goes to the terminal
    report = json.loads(done.stdout)
    report["wall_s"] = round(time.perf_counter() - started, 1)
    row: dict = {"index": report, "disk_mb": {"chroma": folder_mb(data / "chroma"), "keyword": folder_mb(data / "keyword")}}

    server = Server(data, corpus, XINWEN_ANSWERER="extractive")
    try:
        loaded = json.load(post(server.url + "/api/search", {"query": "暴雨", "k": 5}, timeout=300))  # loads the index view
        assert loaded
        row["serving_rss_mb_idle"] = peak_rss_mb(server.process.pid)
        queries = [item["q"] for item in load_bank("crud-dev") if item.get("facts")][:50]
        search_ms = []
        for query in queries:
            t = time.perf_counter()
            post(server.url + "/api/search", {"query": query, "k": 5}, timeout=300).read()
            search_ms.append((time.perf_counter() - t) * 1000)
        answers = []
        for item in [i for i in load_bank("crud-dev") if i.get("facts") and i["kind"] != "follow-up"][:20]:
            t = time.perf_counter()
            reply = json.load(post(server.url + "/api/ask", {"question": item["q"]}, timeout=300))
            answers.append({"q": item["q"], "s": round(time.perf_counter() - t, 3), "answer": reply["answer"][:80]})
        row["search_ms"] = {"p50": round(float(np.percentile(search_ms, 50)), 1), "p95": round(float(np.percentile(search_ms, 95)), 1)}
        row["answer_s"] = {"p50": round(float(np.percentile([a["s"] for a in answers], 50)), 3),
                           "p95": round(float(np.percentile([a["s"] for a in answers], 95)), 3)}
        row["answers"] = answers
        row["serving_rss_mb_peak"] = peak_rss_mb(server.process.pid)
    finally:
        server.stop()

    chunks, articles = report["chunks"], report["articles"]
    embed_s = report.get("seconds", report["wall_s"])
    per_chunk_s = embed_s / max(1, report["embedded"]) if report["embedded"] else None
    chunks_per_article = chunks / max(1, articles)
    disk_per_chunk_kb = (row["disk_mb"]["chroma"] + row["disk_mb"]["keyword"]) * 1024 / max(1, chunks)
    million_chunks = chunks_per_article * 1_000_000
    row["estimate_1m_articles"] = {
        "chunks": round(million_chunks),
        "embedding_hours_one_machine": round(per_chunk_s * million_chunks / 3600, 1) if per_chunk_s else None,
        "disk_gb": round(disk_per_chunk_kb * million_chunks / 2**20, 1),
        "note": ("embedding is the whole cost and scales linearly; several indexer processes (one per machine) "
                 "can embed into one Chroma server, each with its own slice of the files"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(row, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in row.items() if k != "answers"}, ensure_ascii=False, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
