"""Answer benchmark (not a test): a golden question set over the seed page through each answerer.
Reports accuracy on factual questions, refusals of unanswerable ones, follow-ups, and time to first
token / total per answer (p50, p95).

    .venv/bin/python benchmarks/answers.py [--set benchmarks/golden/seed-reserved.jsonl]
        [--answerers extractive local] [--out benchmarks/results/answers.json]

A set mixes three kinds of line: {"q", "facts"} (facts: all groups must appear, any alternative of a
group), {"q"} (unanswerable: must be refused) and {"turns": [q1, q2], "facts"} (a follow-up).
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

import indexing  # noqa: F401
from assistant import Assistant
from assistant.answerers.local_llama import assemble_model
from assistant.evaluation import percentile
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "pingdingshan-xinhua-district-2021-10.txt"
GOLDEN = [ROOT / "tests" / "golden" / name for name in ("seed.jsonl", "seed-unanswerable.jsonl", "seed-followups.jsonl")]


def load(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def correct(text: str, facts: list[list[str]]) -> bool:
    return all(any(alt in text for alt in alternatives) for alternatives in facts)


def timed_ask(assistant: Assistant, question: str, history: list[dict], answerer: str) -> tuple[object, float, float]:
    """(answer, seconds to first token, total seconds)."""
    start = time.perf_counter()
    first = None
    answer = None
    for event in assistant.stream(question, history, answerer):
        if event["type"] in ("token", "answer") and first is None:
            first = time.perf_counter() - start
        if event["type"] == "answer":
            answer = event["answer"]
    return answer, first, time.perf_counter() - start


def run_item(assistant: Assistant, item: dict, answerer: str) -> dict:
    history: list[dict] = []
    if "turns" in item:
        for turn in item["turns"][:-1]:
            previous = assistant.ask(turn, history, answerer)
            history += [{"role": "user", "content": turn}, {"role": "assistant", "content": previous.text}]
        question, kind = item["turns"][-1], "follow-up"
    else:
        question, kind = item["q"], "factual" if "facts" in item else "unanswerable"
    answer, ttft, total = timed_ask(assistant, question, history, answerer)
    ok = answer.refused if kind == "unanswerable" else (not answer.refused and correct(answer.text, item["facts"]))
    return {
        "kind": kind, "question": question, "ok": ok, "answer": answer.text, "answered_by": answer.answerer,
        "verified": answer.verified, "notice": answer.notice,
        "fell_back": answerer != "extractive" and answer.answerer == "extractive", "ttft_s": round(ttft, 3), "total_s": round(total, 3),
    }


def summarise(rows: list[dict]) -> dict:
    summary = {}
    for kind in ("factual", "unanswerable", "follow-up"):
        picked = [r for r in rows if r["kind"] == kind]
        summary[kind] = f"{sum(r['ok'] for r in picked)}/{len(picked)}"
    answered = [r for r in rows if r["kind"] != "unanswerable"]
    summary["fell_back"] = sum(r["fell_back"] for r in rows)
    for key in ("ttft", "total"):
        for q in (50, 95):
            value = percentile([r[f"{key}_s"] for r in answered], q / 100)
            summary[f"{key}_p{q}_s"] = None if value is None else round(value, 3)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, nargs="*", default=GOLDEN)
    parser.add_argument("--answerers", nargs="*", default=["extractive", "local"])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "answers.json")
    args = parser.parse_args()
    items = load(args.set)
    report = {"machine": f"{platform.processor() or platform.machine()}, {platform.system()}", "sets": [str(p) for p in args.set]}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        shutil.copy(SEED, corpus / SEED.name)
        defaults = Settings()
        model = defaults.local_model_path
        if "local" in args.answerers and model is None:  # reuse the model assembled in the usual data dir
            model = assemble_model(defaults.models_dir)
        assistant = Assistant(Settings(data_dir=Path(tmp) / "data", corpus_dir=corpus, local_model_path=model))
        assistant.index(progress=False)
        try:
            for answerer in args.answerers:
                rows = [run_item(assistant, item, answerer) for item in tqdm(items, desc=answerer)]
                report[answerer] = {"summary": summarise(rows), "items": rows}
                print(answerer, json.dumps(report[answerer]["summary"], ensure_ascii=False))
                for row in rows:
                    if not row["ok"]:
                        print("  miss:", row["question"], "->", row["answer"][:80], f"({row['answered_by']})")
        finally:
            assistant.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
