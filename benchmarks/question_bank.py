"""Question-bank benchmark (not a test): the hand-checked banks in `benchmarks/questions/` through
each answerer, scored per kind. Right = not refused and every fact group in the answer (or, for a
question the page does not answer, refused or answered only partly); archive questions must also
cite their articles.

    .venv/bin/python benchmarks/question_bank.py [--banks seed-dev crud-dev archive-dev]
        [--answerers extractive local] [--out benchmarks/results/question_bank.json]
    .venv/bin/python benchmarks/question_bank.py --compare BEFORE.json AFTER.json --out PLOT.png

`--compare` plots two earlier runs side by side per kind (a run of an older checkout: run this
script with PYTHONPATH set to that checkout).

Corpora (built once into `benchmarks/results/bank-data/`, re-used by later runs): `seed` is the
bundled page, `crud` the 200-article crud-news sample (`questions/crud-sample.tsv`, read in place
from ../shared), `both` the two together.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import time
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm

import indexing  # noqa: F401
from assistant import Assistant
from assistant.answerers.local_llama import assemble_model
from assistant.evaluation import answer_correct, percentile
from indexing.settings import Settings

from common import write_results

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "benchmarks" / "questions"
SEED = ROOT / "corpus" / "pingdingshan-xinhua-district-2021-10.txt"
CRUD = ROOT.parent / "shared" / "corpora" / "crud-news-2023"
MARKER = re.compile(r"\[\d{1,2}\]")


def load_bank(name: str) -> list[dict]:
    path = QUESTIONS / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_crud_sample(folder: Path) -> None:
    """The 200 sample articles as one dump file, in the order of crud-sample.tsv (article k = L<k>)."""
    rows = [line.split("\t") for line in (QUESTIONS / "crud-sample.tsv").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    files: dict[str, list[str]] = {}
    lines = []
    for name, number in rows:
        text = files.setdefault(name, (CRUD / name).read_text(encoding="utf-8").splitlines())
        lines.append(text[int(number) - 1].strip())
    (folder / "crud-sample.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def corpus_assistant(corpus: str, cache: Path, local_model: Path | None) -> Assistant:
    folder = cache / corpus
    documents = folder / "corpus"
    documents.mkdir(parents=True, exist_ok=True)
    if corpus in ("seed", "both"):
        shutil.copy(SEED, documents / SEED.name)
    if corpus in ("crud", "both"):
        write_crud_sample(documents)
    assistant = Assistant(Settings(data_dir=folder / "data", corpus_dir=documents, local_model_path=local_model))
    assistant.index(progress=True)  # incremental: a second run embeds nothing
    return assistant


def cited_articles(answer) -> set[str]:
    """What the answer cites, as record ids (sample articles) and titles (seed articles)."""
    cited = set()
    for c in answer.citations:
        cited.add(c.title)
        if getattr(c, "record_id", ""):  # (older versions' citations have none)
            cited.add(c.record_id)
    return cited


def cites(expected: list[str], cited: set[str]) -> bool:
    return all(any(want == got or (not want.startswith("L") and want in got) for got in cited) for want in expected)


def score(item: dict, answer) -> bool:
    text = MARKER.sub("", answer.text)
    if not item.get("facts"):
        return answer.refused or getattr(answer, "partial", False)
    if answer.refused:
        return False
    groups = item["facts"]
    found = sum(answer_correct(text, [group]) for group in groups)
    enough = found >= item.get("min_facts", len(groups))
    return enough and cites(item.get("articles") or [], cited_articles(answer)) if item.get("kind") in ARCHIVE else enough


ARCHIVE = {"listing", "listing-day", "byline", "edition", "report-count", "time-range", "latest",
           "article-summary", "edition-summary", "archive-refusal"}


def run_item(assistant: Assistant, item: dict, answerer: str) -> dict:
    history: list[dict] = []
    for turn in item.get("turns") or []:
        previous = assistant.ask(turn, history, answerer)
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": previous.text}]
    started = time.perf_counter()
    try:
        answer = assistant.ask(item["q"], history, answerer)
    except ValueError as exc:  # a question the product rejects is a wrong answer, not a crash
        return {"id": item["id"], "kind": item["kind"], "q": item["q"], "ok": False, "answer": f"error: {exc}",
                "refused": False, "partial": False, "answered_by": answerer, "notice": None, "seconds": 0.0}
    return {
        "id": item["id"], "kind": item["kind"], "q": item["q"], "ok": score(item, answer), "answer": answer.text,
        "refused": answer.refused, "partial": getattr(answer, "partial", False), "answered_by": answer.answerer,
        "notice": answer.notice, "seconds": round(time.perf_counter() - started, 3),
        "cited": sorted(cited_articles(answer)),
    }


def summarise(rows: list[dict]) -> dict:
    kinds = defaultdict(list)
    for row in rows:
        kinds[row["kind"]].append(row["ok"])
    answerable = [r for r in rows if r["kind"] not in ("near-miss", "unanswerable", "archive-refusal")]
    return {
        "accuracy": round(sum(r["ok"] for r in rows) / max(1, len(rows)), 3),
        "answerable_accuracy": round(sum(r["ok"] for r in answerable) / max(1, len(answerable)), 3),
        "wrongly_refused": round(sum(r["refused"] for r in answerable) / max(1, len(answerable)), 3),
        "near_miss_refused": round(sum(r["ok"] for r in rows if r["kind"] == "near-miss")
                                   / max(1, len(kinds["near-miss"])), 3) if kinds["near-miss"] else None,
        "per_kind": {kind: f"{sum(oks)}/{len(oks)}" for kind, oks in sorted(kinds.items())},
        "seconds_p50": percentile([r["seconds"] for r in rows], 0.5),
    }


def plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [(bank, answerer, data["summary"]) for bank, by in report["banks"].items() for answerer, data in by.items()]
    kinds = sorted({k for _, _, s in runs for k in s["per_kind"]})
    fig, ax = plt.subplots(figsize=(min(18, max(8, 0.55 * len(kinds) * max(1, len(runs)) / 2)), 5))
    width = 0.8 / max(1, len(runs))
    for i, (bank, answerer, summary) in enumerate(runs):
        values = []
        for kind in kinds:
            right, total = map(int, summary["per_kind"].get(kind, "0/0").split("/"))
            values.append(right / total if total else float("nan"))
        ax.bar([k + i * width for k in range(len(kinds))], values, width, label=f"{bank} · {answerer}",
               color=plt.cm.tab20(i % 20))  # (paired hues: a bank's before and after side by side)
    ax.set_xticks([k + width * (len(runs) - 1) / 2 for k in range(len(kinds))], kinds, rotation=60, ha="right")
    ax.set_ylim(0, 1.05)
    ax.axhline(0.8, color="grey", linewidth=0.8, linestyle="--")
    ax.set_ylabel("right (share)")
    ax.set_title("xinwen on the hand-checked question banks, per kind")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--banks", nargs="*", default=["seed-dev", "crud-dev", "archive-dev"])
    parser.add_argument("--answerers", nargs="*", default=["extractive"])
    parser.add_argument("--kinds", nargs="*", help="only these kinds")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "question_bank.json")
    parser.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / "results" / "bank-data")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                        help="plot two earlier results per kind, before beside after, into --out")
    args = parser.parse_args()
    if args.compare:
        merged: dict = {"banks": {}}
        for tag, path in zip(("before", "after"), args.compare):
            for bank, by in json.loads(path.read_text())["banks"].items():
                for answerer, data in by.items():
                    merged["banks"].setdefault(bank, {})[f"{answerer}, {tag}"] = data
        plot(merged, args.out)
        print(f"wrote {args.out}")
        return
    model = Settings().local_model_path
    if "local" in args.answerers and model is None:
        model = assemble_model(Settings().models_dir)
    assistants: dict[str, Assistant] = {}
    report: dict = {"banks": {}}
    try:
        for bank in args.banks:
            items = [i for i in load_bank(bank) if not args.kinds or i["kind"] in args.kinds]
            report["banks"][bank] = {}
            for answerer in args.answerers:
                rows = []
                for item in tqdm(items, desc=f"{bank} · {answerer}"):
                    corpus = item.get("corpus", "seed")
                    if corpus not in assistants:
                        assistants[corpus] = corpus_assistant(corpus, args.cache, model)
                    rows.append(run_item(assistants[corpus], item, answerer))
                summary = summarise(rows)
                report["banks"][bank][answerer] = {"summary": summary, "items": rows}
                print(bank, answerer, json.dumps(summary, ensure_ascii=False))
                for row in rows:
                    if not row["ok"]:
                        print(f"  miss [{row['kind']}] {row['q']} -> {row['answer'][:100]!r} ({row['notice'] or ''})")
    finally:
        for assistant in assistants.values():
            assistant.close()
    write_results(args.out, report, lambda path: plot(report, path))


if __name__ == "__main__":
    main()
