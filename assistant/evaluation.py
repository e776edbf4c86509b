"""`xinwen eval`: retrieval and answer quality on a question set with its own corpus (RGB-zh and
ChronoQA-zh layout: items.jsonl, corpus.jsonl, ids). The corpus gets its own collection, named by its
content hash, so a second run re-embeds nothing."""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tqdm import tqdm

from .core import Assistant

CUTOFFS = (1, 5, 10)
BARE_NUMBER = re.compile(r"[\d.,]+%?")


def load_items(path: Path, ids_path: Path | None = None) -> list[dict]:
    items = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if ids_path:
        wanted = set(Path(ids_path).read_text(encoding="utf-8").split())
        items = [item for item in items if item["id"] in wanted]
    return items


def answer_correct(reply: str, parts: list[list[str]]) -> bool:
    """RGB's rule: every part has an alternative in the reply (lower-cased); a bare number such as
    "90" or "3%" must stand on digit boundaries ("190" does not contain the answer "90")."""
    reply = reply.lower()

    def present(alternative: str) -> bool:
        alternative = alternative.lower().strip()
        if BARE_NUMBER.fullmatch(alternative):
            return re.search(rf"(?<![\d.]){re.escape(alternative)}(?![\d])", reply) is not None
        return alternative in reply

    return bool(parts) and all(any(present(alt) for alt in alternatives) for alternatives in parts)


def rank_of_first_positive(doc_ids: list[str], positives: set[str]) -> int | None:
    return next((rank for rank, doc in enumerate(doc_ids, 1) if doc in positives), None)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class ItemResult:
    id: str
    question: str
    retrieved: list[str]  # doc ids, best first, each once
    first_positive_rank: int | None
    answer_in_top1: bool | None = None  # the top passage contains the expected answer (RGB rule)
    answer: str | None = None
    expected: list[list[str]] = field(default_factory=list)
    correct: bool | None = None
    refused: bool | None = None
    partial: bool | None = None
    verified: bool | None = None
    answered_by: str | None = None
    latency_ms: float | None = None


def summarise(results: list[ItemResult], has_positives: bool, answered: bool, negative_only: bool) -> dict:
    n = len(results)
    summary: dict = {"items": n}
    for k in CUTOFFS:
        hits = [r.first_positive_rank is not None and r.first_positive_rank <= k for r in results]
        summary[f"recall@{k}"] = round(sum(hits) / n, 4) if has_positives and n and not negative_only else None
    summary["mrr@10"] = (
        round(sum(1 / r.first_positive_rank for r in results if r.first_positive_rank and r.first_positive_rank <= 10) / n, 4)
        if has_positives and n and not negative_only else None
    )
    # qrels of a pooled corpus miss relevant passages of other questions on the same event; this
    # checks the top passage's text instead of its label
    judged = [r.answer_in_top1 for r in results if r.answer_in_top1 is not None]
    summary["answer@1"] = round(sum(judged) / len(judged), 4) if judged and not negative_only else None
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    summary["accuracy"] = round(sum(bool(r.correct) for r in results) / n, 4) if answered and n and not negative_only else None
    summary["refusal_rate"] = round(sum(bool(r.refused) for r in results) / n, 4) if answered and n else None
    # refused, or answered only in part: said what the passages state instead of the asked fact
    summary["declined_rate"] = (round(sum(bool(r.refused or r.partial) for r in results) / n, 4)
                                if answered and n else None)
    summary["verified_rate"] = round(sum(bool(r.verified) for r in results) / n, 4) if answered and n else None
    summary["latency_p50_ms"] = round(percentile(latencies, 0.5), 1) if latencies else None
    summary["latency_p95_ms"] = round(percentile(latencies, 0.95), 1) if latencies else None
    return summary


class Evaluation:
    """Runs one question set against one corpus with the assistant's own retrieval and answerers."""

    def __init__(self, assistant_settings, corpus: Path):
        corpus = Path(corpus).resolve()
        digest = hashlib.sha256(corpus.read_bytes()).hexdigest()[:16]
        settings = assistant_settings.model_copy(update={"corpus_dir": corpus.parent})
        self.corpus = corpus
        self.assistant = Assistant(settings, collection=f"eval-{digest}")

    def prepare(self, progress: bool = True):
        """Index the corpus into its collection (nothing is re-embedded on a second run)."""
        return self.assistant.index([self.corpus], progress=progress)

    def retrieve(self, question: str, mode: str, exclude: set[str]) -> list[tuple[str, str]]:
        """The top 10 records (doc id, text of its best passage), best first, each once."""
        passages = self.assistant.retriever.search(question, k=100, mode=mode)
        records: dict[str, str] = {}
        for passage in passages:
            if passage.record_id not in exclude:
                records.setdefault(passage.record_id, passage.text)
        return list(records.items())[:10]

    def run(self, items: list[dict], mode: str = "hybrid", answerer: str | None = None,
            retrieval_only: bool = False, negative_only: bool = False, progress: bool = True) -> tuple[dict, list[ItemResult]]:
        results = []
        for item in tqdm(items, desc="评测", unit="题", disable=not progress):
            positives = set(item.get("positive_doc_ids") or [])
            exclude = positives if negative_only else set()
            records = self.retrieve(item["question"], mode, exclude)
            doc_ids = [doc_id for doc_id, _ in records]
            result = ItemResult(item["id"], item["question"], doc_ids, rank_of_first_positive(doc_ids, positives),
                                expected=item.get("answer_parts") or [[a] for a in item.get("answers", [])][:1])
            if records and result.expected:
                result.answer_in_top1 = answer_correct(records[0][1], result.expected)
            if not retrieval_only:
                started = time.perf_counter()
                answer = self.assistant.ask(item["question"], answerer=answerer, exclude=exclude)
                result.latency_ms = round((time.perf_counter() - started) * 1000, 1)
                result.answer, result.refused, result.partial = answer.text, answer.refused, answer.partial
                result.verified, result.answered_by = answer.verified, answer.answerer
                result.correct = not answer.refused and answer_correct(answer.text, result.expected)
            results.append(result)
        has_positives = any(item.get("positive_doc_ids") for item in items)
        return summarise(results, has_positives, not retrieval_only, negative_only), results


def write_report(out: Path, summary: dict, results: list[ItemResult], title: str) -> None:
    """Per-item results, the summary, failures split by cause, and a PNG plot."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    with (out / "items.jsonl").open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    retrieval_misses = [r for r in results if r.first_positive_rank is None or r.first_positive_rank > 5]
    answer_misses = [r for r in results if r.correct is False and r not in retrieval_misses]
    lines = [f"# 失败条目：{title}", "", f"## 检索未命中（前5无正例）：{len(retrieval_misses)}", ""]
    lines += [f"- {r.id} {r.question} → 首个正例名次 {r.first_positive_rank}" for r in retrieval_misses]
    lines += ["", f"## 回答错误（检索已命中）：{len(answer_misses)}", ""]
    lines += [f"- {r.id} {r.question} → {(r.answer or '')[:80]!r}（应含 {r.expected}）" for r in answer_misses]
    (out / "failures.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plot_summary(out / "summary.png", summary, results, title)


def plot_summary(path: Path, summary: dict, results: list[ItemResult], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = {
        k: v for k, v in summary.items()
        if isinstance(v, float) and not k.startswith("latency")
    }
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    fig, axes = plt.subplots(1, 2 if latencies else 1, figsize=(10 if latencies else 6, 4), squeeze=False)
    ax = axes[0][0]
    ax.bar(list(metrics), list(metrics.values()), color="#4C72B0")
    ax.set_ylim(0, 1)
    ax.set_title(f"{title} (n={summary['items']})")
    for i, value in enumerate(metrics.values()):
        ax.text(i, value + 0.02, f"{value:.2f}", ha="center", fontsize=8)
    ax.tick_params(axis="x", rotation=30)
    if latencies:
        axes[0][1].hist(latencies, bins=20, color="#55A868")
        axes[0][1].set_title("answer latency (ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
