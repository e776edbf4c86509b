"""No model: the best-supported sentence(s) of the evidence, verbatim, with [n] markers."""
from __future__ import annotations

from typing import Iterator

from ..prompts import REFUSAL
from ..retrieval import Evidence, asked_measure, states_quantity


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, max_sentences: int = 2):
        self.max_sentences = max_sentences

    def answer(self, question: str, evidence: list[Evidence]) -> str:
        ranked = sorted(
            (
                (score, -n, n, span)
                for n, item in enumerate(evidence, 1)
                for span, score in zip(item.spans, item.sentence_scores)
            ),
            reverse=True,
        )
        measure = asked_measure(question)
        if measure:  # a how-many question is answered only by a sentence that gives that count
            ranked = [r for r in ranked if states_quantity(evidence[r[2] - 1].passage.text[slice(*r[3])], measure)]
        if not ranked or ranked[0][0] <= 0:
            return REFUSAL
        best_score = ranked[0][0]
        picked = []
        for score, _, n, (start, end) in ranked:
            sentence = evidence[n - 1].passage.text[start:end].strip()
            if score < 0.75 * best_score or len(picked) >= self.max_sentences:
                break
            if all(sentence not in s and s not in sentence for s, _ in picked):
                picked.append((sentence, n))
        return "".join(f"{sentence}[{n}]" for sentence, n in picked)

    def stream(self, question: str, evidence: list[Evidence]) -> Iterator[str]:
        yield self.answer(question, evidence)

    def complete(self, prompt: str) -> str:
        raise NotImplementedError("the extractive answerer has no model")
