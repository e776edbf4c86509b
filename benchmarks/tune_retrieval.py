"""Retrieval tuning on the dev items only (not a test): fetch dense and keyword candidates once per
question, then score fusion settings offline (RRF k, weights, and the answer, date, date-precision
and support rerank weights) by recall@1 and MRR@10, with the product's own `fuse` and rerank
(`assistant.retrieval.search.fuse`, `assistant.retrieval.rerank`).

    .venv/bin/python benchmarks/tune_retrieval.py ../shared/benchmarks/rgb-zh ../shared/benchmarks/chronoqa-zh [--data-dir DIR]

Settings are ranked by MRR@10 averaged over the sets, so one set's quirks do not decide alone.

The corpus must already be indexed by `xinwen eval` into the same data dir (it reuses that collection).
"""
from __future__ import annotations

import argparse
import copy
import itertools
import json
from pathlib import Path

from tqdm import tqdm

import indexing  # noqa: F401
from assistant.evaluation import Evaluation, load_items, rank_of_first_positive
from assistant.retrieval.rerank import Weights, combine, passage_signals, support
from assistant.retrieval.search import fuse
from indexing.settings import Settings


def candidates(evaluation: Evaluation, items: list[dict], depth: int) -> list[dict]:
    retriever = evaluation.assistant.retriever
    rows = []
    for item in tqdm(items, desc="candidates"):
        question = retriever.parse(item["question"])
        rows.append({"item": item, "question": question, "dense": retriever.dense(question.text, depth),
                     "keyword": retriever.keyword_search(question.text, depth), "signals": {}, "support": {}})
    return rows


def evaluate(rows, keyword, rrf_k: int, dense_w: float, keyword_w: float, dated_keyword_w: float, rerank: float,
             date_w: float, precision_w: float, support_w: float, top: int = 10) -> dict:
    r1 = mrr = 0.0
    weights = Weights(rerank, date_w, precision_w, support_w)
    for row in rows:
        question = row["question"]
        kw = dated_keyword_w if question.names_month_or_day else keyword_w
        ranked = fuse([(dense_w, copy.copy(row["dense"])), (kw, copy.copy(row["keyword"]))], rrf_k)
        if weights.any:
            head = ranked[:top]
            for p in head:  # the per-passage signals do not depend on the setting: computed once
                if p.chunk_id not in row["signals"]:
                    row["signals"][p.chunk_id] = passage_signals(question, p)
            key = tuple(sorted(p.chunk_id for p in head))
            if support_w and not question.names_month_or_day and key not in row["support"]:
                row["support"][key] = support(head, question.terms, keyword)
            supported = row["support"].get(key, {}) if support_w and not question.names_month_or_day else {}
            ranked = combine(head, row["signals"], supported, weights) + ranked[top:]
        docs: list[str] = []
        for p in ranked:
            if p.record_id not in docs:
                docs.append(p.record_id)
        rank = rank_of_first_positive(docs[:10], set(row["item"]["positive_doc_ids"]))
        r1 += rank == 1
        mrr += 1 / rank if rank else 0
    n = len(rows)
    return {"recall@1": round(r1 / n, 4), "mrr@10": round(mrr / n, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", type=Path, nargs="+", help="folders with items.jsonl, corpus.jsonl, dev_ids.txt")
    parser.add_argument("--data-dir", type=Path, default=Settings().data_dir)
    parser.add_argument("--depth", type=int, default=30)
    parser.add_argument("--out", type=Path, help="every setting's scores, one JSON per line")
    args = parser.parse_args()
    sets = {}
    for dataset in args.datasets:
        items = load_items(dataset / "items.jsonl", dataset / "dev_ids.txt")  # dev only
        evaluation = Evaluation(Settings(data_dir=args.data_dir), dataset / "corpus.jsonl")
        sets[dataset.name] = (candidates(evaluation, items, args.depth), evaluation.assistant.keyword)
    names = ("rrf_k", "dense_w", "keyword_w", "dated_keyword_w", "rerank", "date_w", "precision_w", "support_w")
    grid = list(itertools.product((10, 30, 60), (1.0, 2.0), (0.0, 0.25, 0.5, 1.0), (0.25, 0.5, 1.0), (0.0, 0.5, 1.0, 1.5),
                                  (0.0, 0.5, 1.0), (0.0, 1.0, 2.0, 3.0), (0.0, 0.5, 1.0, 1.5)))
    results = []
    for values in tqdm(grid, desc="grid"):
        setting = dict(zip(names, values))
        scores = {name: evaluate(rows, keyword, **setting) for name, (rows, keyword) in sets.items()}
        mean_mrr = sum(s["mrr@10"] for s in scores.values()) / len(scores)
        results.append({**setting, "mean_mrr@10": round(mean_mrr, 4), **scores})
    results.sort(key=lambda r: r["mean_mrr@10"], reverse=True)
    for r in results[:10]:
        print(json.dumps(r))
    if args.out:
        args.out.write_text("\n".join(json.dumps(r) for r in results) + "\n")


if __name__ == "__main__":
    main()
