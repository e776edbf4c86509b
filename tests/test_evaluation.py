"""`xinwen eval` on a small slice of RGB-zh (read from ../shared), run as a user runs it: metrics,
the cached corpus collection, the refusal test and the report files."""
import json
import re
from pathlib import Path

import pytest

from .conftest import SHARED, run_cli

RGB = SHARED / "benchmarks" / "rgb-zh"
KEYS = {"items", "recall@1", "recall@5", "recall@10", "mrr@10", "accuracy", "refusal_rate", "verified_rate",
        "latency_p50_ms", "latency_p95_ms"}


@pytest.fixture(scope="module")
def rgb_slice(tmp_path_factory) -> tuple[Path, Path]:
    """Two RGB-zh dev items and a corpus of their gold passages and a dozen hard negatives each."""
    assert (RGB / "items.jsonl").exists(), f"evaluation data not found at {RGB} (../shared, read-only in CI)"
    folder = tmp_path_factory.mktemp("rgb")
    dev = set((RGB / "dev_ids.txt").read_text().split())
    items = [json.loads(line) for line in (RGB / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = [item for item in items if item["id"] in dev and item["match"] == "any"][:2]
    wanted = {d for item in chosen for d in item["positive_doc_ids"] + item["negative_doc_ids"][:12]}
    rows = [line for line in (RGB / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
            if json.loads(line)["doc_id"] in wanted]
    (folder / "items.jsonl").write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in chosen), encoding="utf-8")
    (folder / "corpus.jsonl").write_text("\n".join(rows), encoding="utf-8")
    return folder / "items.jsonl", folder / "corpus.jsonl"


def xinwen_eval(tmp: Path, items: Path, corpus: Path, *flags: str) -> dict:
    done = run_cli("eval", str(items), "--corpus", str(corpus), "--json", *flags,
                   env={"XINWEN_DATA_DIR": str(tmp / "data")})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "评测" in done.stderr  # the progress bar goes to stderr, the JSON alone to stdout
    return json.loads(done.stdout)


def test_eval_reports_retrieval_then_answers_from_the_cached_collection(tmp_path_factory, rgb_slice):
    tmp = tmp_path_factory.mktemp("eval")
    items, corpus = rgb_slice
    retrieval = xinwen_eval(tmp, items, corpus, "--retrieval-only")
    assert KEYS <= retrieval.keys() and retrieval["items"] == 2
    assert retrieval["recall@5"] == 1.0 and retrieval["mrr@10"] > 0.5
    assert retrieval["accuracy"] is None and retrieval["latency_p50_ms"] is None
    assert retrieval["embedded_now"] == retrieval["corpus_chunks"] > 20

    out = tmp / "report"
    answers = xinwen_eval(tmp, items, corpus, "--answerer", "extractive", "--out", str(out))
    assert answers["embedded_now"] == 0  # the corpus collection is reused, nothing re-embedded
    assert answers["accuracy"] == 1.0 and answers["verified_rate"] == 1.0
    assert answers["latency_p50_ms"] > 0
    assert {p.name for p in out.iterdir()} >= {"summary.json", "items.jsonl", "failures.md", "summary.png"}
    rows = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["correct"] and re.search(r"\[\d\]", r["answer"]) for r in rows)  # right, and cited


def test_negative_only_never_retrieves_the_gold_passages(tmp_path_factory, rgb_slice):
    tmp = tmp_path_factory.mktemp("neg")
    items, corpus = rgb_slice
    out = tmp / "report"
    summary = xinwen_eval(tmp, items, corpus, "--answerer", "extractive", "--negative-only", "--out", str(out))
    assert summary["recall@5"] is None and summary["accuracy"] is None
    assert summary["refusal_rate"] is not None
    gold = {d for line in items.read_text(encoding="utf-8").splitlines() for d in json.loads(line)["positive_doc_ids"]}
    rows = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and all(not gold & set(r["retrieved"]) for r in rows)
