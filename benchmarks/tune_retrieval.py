"""Retrieval tuning on the dev items only (not a test): fetch dense and keyword candidates once per
question, then score fusion settings offline (RRF k, weights, evidence, date, date-precision and support
rerank) by recall@1 and MRR@10.

    .venv/bin/python benchmarks/tune_retrieval.py ../shared/benchmarks/rgb-zh ../shared/benchmarks/chronoqa-zh [--data-dir DIR]

Settings are ranked by MRR@10 averaged over the sets, so one set's quirks do not decide alone.

The corpus must already be indexed by `xinwen eval` into the same data dir (it reuses that collection).
"""
from __future__ import annotations

import argparse
import functools
import itertools
import json
from pathlib import Path

from tqdm import tqdm

import indexing  # noqa: F401
from assistant.evaluation import Evaluation, load_items, rank_of_first_positive
from assistant.retrieval import (date_agreement, date_precision, names_month_or_day, query_terms, sentence_score,
                                 stated_dates, support)
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


@functools.cache
def _best_sentence(text: str, question: str, terms: tuple) -> float:
    spans = sentence_spans(text)
    return max((sentence_score(text[s.start : s.end], dict(terms), question) for s in spans), default=0.0)


def best_sentence(passage, terms, question) -> float:
    return _best_sentence(passage.text, question, tuple(terms.items()))


@functools.cache
def _date_precision(text: str, question: str, terms: tuple) -> float:
    return date_precision(question, [text[s.start : s.end] for s in sentence_spans(text)], dict(terms))


_support_cache: dict[tuple, dict[str, float]] = {}


def head_support(head, terms, keyword) -> dict[str, float]:
    """`support` of a top-10, normalised by its best; cached: most settings share their top 10s."""
    key = (tuple(sorted(terms)), tuple(p.chunk_id for p in head))
    if key not in _support_cache:
        scores = support(head, terms, keyword)
        norm = max(scores.values(), default=0.0) or 1.0
        _support_cache[key] = {chunk_id: score / norm for chunk_id, score in scores.items()}
    return _support_cache[key]


def evaluate(rows, keyword, rrf_k: int, dense_w: float, keyword_w: float, dated_keyword_w: float, rerank: float,
             date_w: float, precision_w: float, support_w: float, top: int = 10) -> dict:
    r1 = mrr = 0.0
    for row in rows:
        question = row["item"]["question"]
        fused: dict[str, list] = {}
        dated = names_month_or_day(stated_dates(question))
        for weight, results in ((dense_w, row["dense"]), (dated_keyword_w if dated else keyword_w, row["keyword"])):
            for rank, p in enumerate(results):
                entry = fused.setdefault(p.chunk_id, [0.0, p])
                entry[0] += weight / (rrf_k + rank + 1)
        ranked = sorted(fused.values(), key=lambda e: e[0], reverse=True)
        if rerank or date_w or precision_w or support_w:
            terms = query_terms(question, keyword.tokenizer)
            asked = stated_dates(question)
            head = ranked[:top]
            norm = max((best_sentence(p, terms, question) for _, p in head), default=0) or 1
            supported = {} if not support_w or dated else head_support([p for _, p in head], terms, keyword)
            head = sorted(head, key=lambda e: e[0] * (1 + rerank * best_sentence(e[1], terms, question) / norm
                                                      + date_w * date_agreement(asked, e[1])
                                                      + precision_w * _date_precision(e[1].text, question,
                                                                                      tuple(terms.items()))
                                                      + support_w * supported.get(e[1].chunk_id, 0.0)),
                          reverse=True)
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
