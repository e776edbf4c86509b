"""Incremental indexing: find files, skip unchanged ones (content hashes), parse, chunk, embed only
new text, write Chroma, delete what was removed. Derived indexes are refreshed from the store."""
from __future__ import annotations

import hashlib
import os
import re
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from llama_index.core.schema import TextNode
from tqdm import tqdm

from .chunking import chunk_article, embedded_text, stored_heading
from .documents import Article
from .newspaper import parse_source
from .readers import UnreadableFile, read_file
from .store import ChunkStore, SourceState, ensure_free_space, storage_error

EMBED_FLUSH = 128  # chunks embedded and written per step: progress and crash-safety granularity
# Bump when parsing, chunking or what is embedded changes: files indexed by an older recipe are redone.
INGEST_VERSION = "14"


class IndexLocked(RuntimeError):
    """Another indexer holds the data dir."""


class NothingIndexed(RuntimeError):
    """No file could be indexed."""


@dataclass
class IndexReport:
    files: int = 0
    articles: int = 0
    chunks: int = 0
    embedded: int = 0
    removed: int = 0
    skipped: list[dict] = field(default_factory=list)
    undated: list[dict] = field(default_factory=list)  # {"path", "articles", "reason"}: indexed, date unknown
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # parse / embed / store seconds

    def to_dict(self) -> dict:
        """The `xinwen index --json` contract."""
        data = asdict(self)
        data.pop("timings")
        return data

    def add_time(self, phase: str, started: float) -> None:
        self.timings[phase] = round(self.timings.get(phase, 0.0) + time.perf_counter() - started, 3)


@dataclass
class _FilePlan:
    source: str
    nodes: list[TextNode]
    stale_ids: list[str]


def date_number(date: str | None) -> int:
    """2021-10-19 -> 20211019; 0 for an unknown (or partial) date."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date or "")
    return int("".join(found.groups())) if found else 0


def article_nodes(article: Article, file_hash: str, target: int, maximum: int) -> list[TextNode]:
    chunks = chunk_article(article, target, maximum)
    meta = {
        "article_id": article.id,
        "title": article.title,
        "title_derived": article.title_derived,
        "subtitle": article.subtitle,
        "reporters": "、".join(article.reporters),
        "correspondents": "、".join(article.correspondents),
        "date": article.date or "",
        "date_int": date_number(article.date),  # YYYYMMDD (0: unknown): Chroma filters compare numbers
        "source": article.source,
        "position": article.position,
        "kind": article.kind,
        "photographer": article.photographer or "",
        "section": article.section or "",
        "subheads": "\n".join(article.subheads),
        "file_hash": file_hash,
        "record_id": article.record_id or "",  # doc_id of a jsonl record: what evaluation qrels name
    }
    return [
        TextNode(
            id_=chunk.id,
            text=chunk.text,
            metadata={**meta, "chunk_index": chunk.index, "start": chunk.start, "end": chunk.end},
            start_char_idx=chunk.start,
            end_char_idx=chunk.end,
        )
        for chunk in chunks
    ]


def embed_text(node: TextNode) -> str:
    """What is embedded for a stored chunk (see `chunking.embedded_text`)."""
    return embedded_text(stored_heading(node.metadata), node.text)


@contextmanager
def index_lock(data_dir: Path):
    """One indexer per data dir: a second one fails at once with IndexLocked."""
    lock_path = Path(data_dir) / "index.lock"
    lock = FileLock(str(lock_path), timeout=0)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except Timeout:
        raise IndexLocked(f"another `xinwen index` is already running on {data_dir} (lock {lock_path})") from None
    except OSError as exc:
        raise (storage_error(exc, data_dir) or exc) from exc
    try:
        yield
    finally:
        lock.release()


class Indexer:
    """Keeps one Chroma collection in step with a set of files."""

    def __init__(self, settings, embedder, store: ChunkStore):
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.corpus_root = Path(settings.corpus_dir).resolve()

    def source_name(self, path: Path) -> str:
        resolved = path.resolve()
        try:
            return resolved.relative_to(self.corpus_root).as_posix()
        except ValueError:
            return str(resolved)

    def source_path(self, source: str) -> Path:
        path = Path(source)
        return path if path.is_absolute() else self.corpus_root / path

    def discover(self, roots: list[Path], report: IndexReport) -> list[Path]:
        files: list[Path] = []
        for root in roots:
            if not root.exists():
                report.skipped.append({"path": str(root), "reason": "no such file or directory"})
            elif root.is_file():
                files.append(root)
            else:
                for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                    dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                    files += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".")]
        return files

    def index(self, paths: list[Path] | None = None, progress: bool = True) -> IndexReport:
        """Bring the store in step with the files under `paths`; call it holding `index_lock`."""
        started = time.perf_counter()
        report = IndexReport()
        roots = [Path(p) for p in (paths or [self.settings.corpus_dir])]
        states = self.store.source_states()
        plans: list[_FilePlan] = []
        seen: set[str] = set()
        max_bytes = int(self.settings.max_file_mb * 2**20)
        files = self.discover(roots, report)
        self._roots = [r.resolve() for r in roots] + [self.corpus_root]
        # content hash -> source: files indexed before (and still there) come first, then this run's
        self._hashes = {
            h: source for source, state in states.items() for h in state.file_hashes
            if self.source_path(source).exists()
        }
        phase = time.perf_counter()
        for path in tqdm(files, desc="读取文件", unit="file", disable=not progress or len(files) < 20):
            source = self.source_name(path)
            seen.add(source)
            plan = self._plan_file(path, source, states.get(source), max_bytes, report)
            if plan:
                plans.append(plan)
        report.add_time("parse", phase)
        stale = [i for plan in plans for i in plan.stale_ids] + self._removed_ids(roots, states, seen)
        # a run that died after writing every file but before publishing leaves nothing to plan and
        # its chunks hidden: publishing a new run shows them (each file was checked complete above)
        unpublished = self.store.generation().where is not None
        if plans or stale or unpublished:  # a run readers see only once it is complete (store.Generation)
            run = self.store.begin_run()
            report.embedded = self._write(plans, run, progress, report)
            phase = time.perf_counter()
            self.store.delete(stale)
            self.store.publish(run)
            report.removed = len(stale)
            report.add_time("store", phase)
        report.seconds = round(time.perf_counter() - started, 3)
        if report.files == 0:
            reasons = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:5])
            raise NothingIndexed(f"nothing could be indexed ({reasons or 'no files found'})")
        return report

    def _plan_file(
        self, path: Path, source: str, state: SourceState | None, max_bytes: int, report: IndexReport
    ) -> _FilePlan | None:
        try:
            if path.is_symlink() and not path.exists():
                raise UnreadableFile("broken symbolic link (or a link loop)")
            if path.is_symlink() and not self._inside_roots(path):
                raise UnreadableFile(f"symbolic link to a file outside the corpus ({path.resolve()})")
            data = path.read_bytes() if path.stat().st_size <= max_bytes else None
            file_hash = self.content_key(data) if data is not None else ""
            twin = self._hashes.setdefault(file_hash, source) if file_hash else source
            if twin != source:
                raise UnreadableFile(f"same content as {twin} (duplicate file)")
            if state and file_hash and state.is_complete(file_hash):
                report.files += 1
                report.articles += len(state.article_ids)
                report.chunks += len(state.chunk_ids)
                return None
            articles = parse_source(read_file(path, source, max_bytes, data))
            if not articles:
                raise UnreadableFile("no article text found")
            undated = [a for a in articles if not date_number(a.date)]
            if undated:
                report.undated.append({"path": str(path), "articles": len(undated), "reason": (
                    "no date in the file or in the articles' lead (such as 10月19日,); "
                    "a year in the file name (…-2021-10.txt) dates 月日 leads")})
        except UnreadableFile as exc:
            report.skipped.append({"path": str(path), "reason": str(exc)})
            return None  # what was indexed from this file before stays
        except OSError as exc:
            report.skipped.append({"path": str(path), "reason": f"cannot read: {exc.strerror or exc}"})
            return None
        nodes = [
            node
            for article in articles
            for node in article_nodes(article, file_hash, self.settings.chunk_size, self.settings.chunk_max)
        ]
        for node in nodes:
            node.metadata["file_chunks"] = len(nodes)
        report.files += 1
        report.articles += len(articles)
        report.chunks += len(nodes)
        new_ids = {node.node_id for node in nodes}
        stale = [i for i in (state.chunk_ids if state else []) if i not in new_ids]
        return _FilePlan(source, nodes, stale)

    def content_key(self, data: bytes) -> str:
        """A file's identity for "unchanged, skip it": its bytes plus the recipe that indexed them
        (ingest version, chunk sizes), so a new recipe re-indexes files that did not change."""
        recipe = f"xinwen-ingest {INGEST_VERSION} {self.settings.chunk_size} {self.settings.chunk_max}\n"
        return hashlib.sha256(recipe.encode() + data).hexdigest()

    def _inside_roots(self, path: Path) -> bool:
        target = path.resolve()
        return any(target == root or root in target.parents for root in self._roots)

    def _write(self, plans: list[_FilePlan], run: int, progress: bool, report: IndexReport) -> int:
        """Embed what is new, reuse stored vectors for text already embedded, upsert all (new chunks
        tagged with this run, reused ones keep theirs: they stay visible). Returns #embedded."""
        phase = time.perf_counter()
        nodes = [node for plan in plans for node in plan.nodes]
        stored = self.store.stored([n.node_id for n in nodes])
        reused = [n for n in nodes if n.node_id in stored]
        for node in reused:
            node.embedding, node.metadata["generation"] = stored[node.node_id]
        if reused:
            ensure_free_space(self.settings, sum(len(n.text.encode()) + 4 * len(n.embedding) for n in reused) * 4)
        self.store.upsert(reused)
        report.add_time("store", phase)
        fresh = [n for n in nodes if n.node_id not in stored]
        for node in fresh:
            node.metadata["generation"] = run
        with tqdm(total=len(fresh), desc="嵌入", unit="chunk", disable=not progress or not fresh) as bar:
            for start in range(0, len(fresh), EMBED_FLUSH):
                batch = fresh[start : start + EMBED_FLUSH]
                phase = time.perf_counter()
                vectors = self.embedder.get_text_embedding_batch([embed_text(n) for n in batch])
                for node, vector in zip(batch, vectors):
                    node.embedding = vector
                report.add_time("embed", phase)
                phase = time.perf_counter()
                ensure_free_space(self.settings, sum(len(n.text.encode()) + 4 * len(n.embedding) for n in batch) * 4)
                self.store.upsert(batch)
                report.add_time("store", phase)
                bar.update(len(batch))
        return len(fresh)

    def _removed_ids(self, roots: list[Path], states: dict[str, SourceState], seen: set[str]) -> list[str]:
        """Chunks of files that were indexed under these roots and are gone now."""
        resolved = [r.resolve() for r in roots]
        removed: list[str] = []
        for source, state in states.items():
            if source in seen:
                continue
            path = self.source_path(source).resolve()
            in_scope = any(path == root or root in path.parents for root in resolved)
            if in_scope and not path.exists():
                removed += state.chunk_ids
        return removed
