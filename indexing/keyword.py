"""Chinese keyword search: jieba tokens (with a corpus-derived user dictionary) + BM25 (bm25s).

Shares chunk ids with the Chroma store and is rebuilt from it whenever the store changes, so the two
never drift apart; a fingerprint of the chunk ids detects an index left stale by a crash.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

import bm25s
import jieba
import numpy as np

from .chunking import stored_heading
from .store import ChunkStore

jieba.setLogLevel(logging.WARNING)

PLACE_SUFFIXES = ("社区", "街道", "小区", "区", "镇", "乡", "县", "村", "街")
PLACE = re.compile(r"[\u4e00-\u9fff]{2,5}?(?:%s)" % "|".join(PLACE_SUFFIXES))
QUOTED = re.compile(r"[“\"‘]([\u4e00-\u9fffA-Za-z0-9·]{2,8})[”\"’]")
NOT_A_NAME_START = set("个该入在的和等各全本我此每其对向到于从与及是为由")
NOT_A_STEM_END = set("小社街地全")  # `升级完善小区`, `曙光街街道`, `发达地区`: the suffix is cut
TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")
STOPWORDS = frozenset(
    "的 了 和 是 在 有 与 及 或 等 为 对 将 把 被 从 向 也 都 就 而 并 但 这 那 其 之 以 于 中 上 下 "
    "个 们 我 你 他 她 它 吗 呢 吧 啊 多少 什么 哪些 哪个 哪里 怎么 怎样 如何 几 是否 请问 一下 "
    "怎么样 好不好 多少钱 是谁 叫 名字 有没有 情况 哪位 多大 多久".split()
)
QUESTION_WORD = re.compile(r"(?:几|多少)[\u4e00-\u9fff]?")  # 几所, 几个, 多少名: ask, do not describe
TOKENIZER_VERSION = "3"  # bump when tokenising changes, so stored keyword indexes are rebuilt


def derive_dictionary(texts: Iterable[str], min_count: int = 2) -> set[str]:
    """Local names to keep whole: quoted terms (“鹰城大妈”) and place names (新华区, 中央花园社区)
    whose longer form is how the shorter piece almost always occurs (frequent n-grams)."""
    quoted: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for text in texts:
        quoted.update(QUOTED.findall(text))
        for start in range(len(text)):
            for match in PLACE.finditer(text[start : start + 8]):
                if match.start() == 0:
                    places[match.group()] += 1
    words = {w for w, n in quoted.items() if n >= 1 and not re.fullmatch(r"\d+", w)}
    for name, count in places.items():
        stem = name[: -max(len(s) for s in PLACE_SUFFIXES if name.endswith(s))]
        if count < min_count or name[0] in NOT_A_NAME_START or stem[-1] in NOT_A_STEM_END:
            continue
        # keep `name` unless a longer name ending the same way accounts for most of its uses
        longer = [n for other, n in places.items() if other != name and other.endswith(name)]
        if longer and max(longer) >= 0.8 * count:
            continue
        # and drop it if it is mostly a longer phrase around a shorter, more frequent name
        shorter = [places[name[i:]] for i in range(1, len(name) - 1) if name[i:] in places]
        if shorter and count < 0.8 * max(shorter):
            continue
        words.add(name)
    return words


class Tokenizer:
    """jieba in precise mode, with our own dictionary, minus punctuation and stop words."""

    def __init__(self, words: Iterable[str] = ()):
        self._jieba = jieba.Tokenizer()
        self.words = sorted(set(words))
        for word in self.words:
            self._jieba.add_word(word, freq=2_000_000)

        # answering tokenises the same retrieved chunks for every question: keep the recent ones
        self._recent = functools.lru_cache(maxsize=4096)(lambda text: tuple(self.tokens(text)))

    def __call__(self, text: str) -> list[str]:
        return list(self._recent(text))

    def tokens(self, text: str) -> list[str]:
        """Uncached: for building the index, where every text is seen once."""
        return [
            token.lower()
            for token in _ordinal_apart(self._jieba.lcut(text))
            if token.strip() and TOKEN_OK.search(token) and token not in STOPWORDS
            and not QUESTION_WORD.fullmatch(token)
        ]


def _ordinal_apart(tokens: list[str]) -> list[str]:
    """jieba glues a code's 次 to the noun after it (K396|次列车); the report writes K396次和Z180次旅客列车:
    keep the noun (列车) a word of its own."""
    out: list[str] = []
    for token in tokens:
        if len(token) > 2 and token[0] == "次" and out and out[-1][-1:].isalnum() and out[-1][-1:].isascii():
            out += [token[0], token[1:]]
        else:
            out.append(token)
    return out


def read_user_dictionary(path: Path | None) -> set[str]:
    """An editable file, one word per line (jieba format: `word [freq] [tag]`; `#` comments)."""
    if not path or not Path(path).exists():
        return set()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


class KeywordIndex:
    """BM25 over chunk titles and texts, persisted next to the Chroma data."""

    def __init__(self, folder: Path, user_dictionary: Path | None = None):
        self.folder = Path(folder)
        self.user_dictionary = user_dictionary
        self.ids: list[str] = []
        self.fingerprint = ""
        self.tokenizer = Tokenizer()
        self._bm25: bm25s.BM25 | None = None
        self._document_frequency: np.ndarray | None = None
        self._load()

    @staticmethod
    def fingerprint_of(ids: Iterable[str]) -> str:
        return hashlib.sha256("\n".join([TOKENIZER_VERSION, *sorted(ids)]).encode()).hexdigest()

    def _load(self) -> None:
        meta_path = self.folder / "meta.json"
        if not meta_path.exists():
            return
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.ids, self.fingerprint = meta["ids"], meta["fingerprint"]
        self.tokenizer = Tokenizer(meta["words"])
        if self.ids:
            self._bm25 = bm25s.BM25.load(str(self.folder / "bm25"), show_progress=False)

    def in_step_with(self, store: ChunkStore, where: dict | None = None) -> bool:
        """Whether this index holds exactly the chunks of the store that `where` admits."""
        ids = [chunk_id for chunk_id, _, _ in store.iter_chunks(with_text=False, where=where)]
        return self.fingerprint == self.fingerprint_of(ids)

    def rebuild(self, store: ChunkStore, where: dict | None = None) -> None:
        """Re-tokenise every chunk of the store that `where` admits and write the index atomically
        (meta.json last)."""
        rows = [(chunk_id, stored_heading(meta), text or "") for chunk_id, meta, text in store.iter_chunks(where=where)]
        words = derive_dictionary(text for _, title, body in rows for text in (title, body))
        words |= read_user_dictionary(self.user_dictionary)
        self.tokenizer = Tokenizer(words)
        self.ids = [chunk_id for chunk_id, _, _ in rows]
        corpus = [self.tokenizer.tokens(f"{title}\n{body}") or ["<empty>"] for _, title, body in rows]
        self.folder.mkdir(parents=True, exist_ok=True)
        self._bm25 = None
        if rows:
            self._bm25 = bm25s.BM25()
            self._bm25.index(corpus, show_progress=False)
            self._bm25.save(str(self.folder / "bm25"), show_progress=False)
        self._document_frequency = None
        self.fingerprint = self.fingerprint_of(self.ids)
        meta = {"ids": self.ids, "fingerprint": self.fingerprint, "words": self.tokenizer.words}
        tmp = self.folder / "meta.json.tmp"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.folder / "meta.json")

    def idf(self, token: str) -> float:
        """How rare, so how telling, a token is across the chunks (BM25's idf; unseen tokens score as
        if in no chunk)."""
        if self._bm25 is None:
            return 0.0
        if self._document_frequency is None:  # the chunks that hold each token, from BM25's token columns
            self._document_frequency = np.diff(np.asarray(self._bm25.scores["indptr"]))
        column = self._bm25.vocab_dict.get(token)
        known = column is not None and column < len(self._document_frequency)
        frequency = int(self._document_frequency[column]) if known else 0
        return math.log(1 + (len(self.ids) - frequency + 0.5) / (frequency + 0.5))

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) for the best k chunks with any query term."""
        if self._bm25 is None or k <= 0:
            return []
        vocab = self._bm25.vocab_dict
        tokens = [t for t in self.tokenizer(query) if t in vocab]
        if not tokens:
            return []
        scores = self._bm25.get_scores(tokens)
        order = scores.argsort()[::-1][:k]
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]
