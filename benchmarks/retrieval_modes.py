"""Retrieval quality of dense, keyword and hybrid search on the dev items of RGB-zh and ChronoQA-zh
(not a test): recall@1, recall@5, MRR@10 as JSON and a grouped bar plot.

    .venv/bin/python benchmarks/retrieval_modes.py [--data-dir DIR]

Each corpus is indexed once into its own collection (as `xinwen eval` does) and reused afterwards.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import indexing  # noqa: F401
from common import write_results  # benchmarks/common.py (scripts run from this folder)
from assistant.evaluation import Evaluation, load_items
from indexing.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETS = {name: ROOT.parent / "shared" / "benchmarks" / name for name in ("rgb-zh", "chronoqa-zh")}
MODES = ("dense", "keyword", "hybrid")
METRICS = ("recall@1", "recall@5", "mrr@10")


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(5 * len(results), 3.8), squeeze=False)
    for ax, (name, by_mode) in zip(axes[0], results.items()):
        width = 0.25
        for i, mode in enumerate(MODES):
            values = [by_mode[mode][m] for m in METRICS]
            bars = ax.bar([x + i * width for x in range(len(METRICS))], values, width, label=mode)
            ax.bar_label(bars, fmt="%.2f", fontsize=7)
        ax.set_xticks([x + width for x in range(len(METRICS))], METRICS)
        ax.set_ylim(0.5, 1.02)
        ax.set_title(f"{name} dev (n={by_mode['hybrid']['items']})")
        ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Settings().data_dir)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "retrieval_modes.json")
    args = parser.parse_args()
    results = {}
    for name, folder in SETS.items():
        items = load_items(folder / "items.jsonl", folder / "dev_ids.txt")
        evaluation = Evaluation(Settings(data_dir=args.data_dir), folder / "corpus.jsonl")
        evaluation.prepare(progress=True)
        results[name] = {mode: evaluation.run(items, mode=mode, retrieval_only=True)[0] for mode in MODES}
        print(name, json.dumps({m: {k: results[name][m][k] for k in METRICS} for m in MODES}))
    write_results(args.out, results, lambda path: plot(results, path))


if __name__ == "__main__":
    main()
