"""Retrieval tuning on the dev items only (not a test): fetch dense and keyword candidates once per
question, then score fusion settings offline (RRF k, weights, evidence rerank) by recall@1 and MRR@10.

    .venv/bin/python benchmarks/tune_retrieval.py ../shared/benchmarks/rgb-zh [--data-dir DIR]

The corpus must already be indexed by `xinwen eval` into the same data dir (it reuses that collection).
"""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from tqdm import tqdm

import indexing  # noqa: F401
from assistant.evaluation import Evaluation, load_items, rank_of_first_positive
from assistant.retrieval import query_terms, sentence_score
from indexing.chunking import sentence_spans
from indexing.settings import Settings


def candidates(evaluation: Evaluation, items: list[dict], depth: int) -> list[dict]:
    retriever = evaluation.assistant.retriever
    rows = []
    for item in tqdm(items, desc="candidates"):
        dense = retriever.dense(item["question"], depth)
        keyword = retriever.keyword_search(item["question"], depth)
        rows.append({"item": item, "dense": dense, "keyword": keyword})
    return rows


def best_sentence(passage, terms, question) -> float:
    spans = sentence_spans(passage.text)
    return max((sentence_score(passage.text[s.start : s.end], terms, question) for s in spans), default=0.0)


def evaluate(rows, tokenizer, rrf_k: int, dense_w: float, keyword_w: float, rerank: float, top: int = 10) -> dict:
    r1 = mrr = 0.0
    for row in rows:
        question = row["item"]["question"]
        fused: dict[str, list] = {}
        for weight, results in ((dense_w, row["dense"]), (keyword_w, row["keyword"])):
            for rank, p in enumerate(results):
                entry = fused.setdefault(p.chunk_id, [0.0, p])
                entry[0] += weight / (rrf_k + rank + 1)
        ranked = sorted(fused.values(), key=lambda e: e[0], reverse=True)
        if rerank:
            terms = query_terms(question, tokenizer)
            head = ranked[:top]
            norm = max((best_sentence(p, terms, question) for _, p in head), default=0) or 1
            head = sorted(head, key=lambda e: e[0] * (1 + rerank * best_sentence(e[1], terms, question) / norm), reverse=True)
            ranked = head + ranked[top:]
        docs: list[str] = []
        for _, p in ranked:
            if p.record_id not in docs:
                docs.append(p.record_id)
        rank = rank_of_first_positive(docs[:10], set(row["item"]["positive_doc_ids"]))
        r1 += rank == 1
        mrr += 1 / rank if rank else 0
    n = len(rows)
    return {"recall@1": round(r1 / n, 4), "mrr@10": round(mrr / n, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/xweval"))
    parser.add_argument("--depth", type=int, default=30)
    args = parser.parse_args()
    items = load_items(args.dataset / "items.jsonl", args.dataset / "dev_ids.txt")  # dev only
    evaluation = Evaluation(Settings(data_dir=args.data_dir), args.dataset / "corpus.jsonl")
    rows = candidates(evaluation, items, args.depth)
    tokenizer = evaluation.assistant.keyword.tokenizer
    results = []
    for rrf_k, dense_w, keyword_w, rerank in itertools.product((10, 30, 60), (1.0, 1.5, 2.0), (0.5, 1.0), (0.0, 0.5, 1.0)):
        scores = evaluate(rows, tokenizer, rrf_k, dense_w, keyword_w, rerank)
        results.append({"rrf_k": rrf_k, "dense_w": dense_w, "keyword_w": keyword_w, "rerank": rerank, **scores})
    results.sort(key=lambda r: (r["mrr@10"], r["recall@1"]), reverse=True)
    for r in results[:10]:
        print(json.dumps(r))
    print("dense only:", evaluate(rows, tokenizer, 60, 1.0, 0.0, 0.0), "keyword only:", evaluate(rows, tokenizer, 60, 0.0, 1.0, 0.0))


if __name__ == "__main__":
    main()
