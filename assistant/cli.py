"""The `xinwen` command line. Machine-readable output (--json) is a contract: keep its keys stable."""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def index_through_server(url: str, settings, paths: list[str]) -> dict:
    """Ask the `xinwen serve` that holds the embedded store to index (POST /api/index)."""
    from pathlib import Path

    import httpx

    token = next((t for t in settings.api_tokens if t), None)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"paths": [str(Path(p).absolute()) for p in paths] or None}
    try:
        response = httpx.post(f"{url}/api/index", json=body, headers=headers, timeout=None)
    except httpx.HTTPError as exc:
        raise RuntimeError(f"xinwen serve at {url} holds this data dir but did not answer ({exc}); "
                           "stop it, or index through it: POST /api/index") from exc
    if response.status_code != 200:
        from indexing.pipeline import NothingIndexed

        json_reply = response.headers.get("content-type", "").startswith("application/json")
        detail = response.json().get("detail", response.text) if json_reply else response.text
        if str(detail).startswith("nothing could be indexed"):
            raise NothingIndexed(detail)
        raise RuntimeError(f"xinwen serve at {url} could not index: {detail}")
    return response.json()


def cmd_index(assistant, args) -> int:
    """Index files (default: the corpus dir); incremental. With a running `xinwen serve` on the
    same embedded data dir, that server does the indexing (and answers from it at once)."""
    from indexing.pipeline import IndexReport, NothingIndexed

    from .running import running_server

    settings = assistant.settings
    server = None if settings.chroma_url else running_server(settings.data_dir)
    try:
        if server:
            print(f"xinwen serve（{server}）正在使用该数据目录：由它来索引", file=sys.stderr)
            data = index_through_server(server, settings, args.paths)
            report = IndexReport(**{k: v for k, v in data.items() if k in IndexReport.__dataclass_fields__})
        else:
            report = assistant.index(args.paths or None, progress=not args.quiet)
    except NothingIndexed as exc:
        print(f"xinwen index: {exc}", file=sys.stderr)
        return 1
    if args.json:
        _print_json(report.to_dict())
    else:
        print(
            f"已索引 {report.files} 个文件、{report.articles} 篇文章、{report.chunks} 个段落"
            f"(本次嵌入 {report.embedded},删除 {report.removed}),用时 {report.seconds:.1f} 秒"
        )
        for skip in report.skipped:
            print(f"  跳过 {skip['path']}: {skip['reason']}")
        for item in report.undated:
            print(f"  {item['path']}: {item['articles']} 篇日期未知（{item['reason']}）")
    return 0


def cmd_articles(assistant, args) -> int:
    """List the parsed articles."""
    keys = ("id", "title", "subtitle", "reporters", "correspondents", "photographer", "kind", "section", "date",
            "source", "text")
    articles = assistant.articles()
    if args.json:
        _print_json([{k: a[k] for k in keys} for a in articles])
        return 0
    for a in articles:
        kind = "图片" if a["kind"] == "photo" else "文章"
        people = "、".join(a["reporters"] + a["correspondents"]) or a.get("photographer") or ""
        print(f"{a['id']}  [{kind}] {a['title']}  {a['date'] or ''}  {people}  ({a['source']}, {a['chunks']} 段)")
    return 0


def _filters(args):
    from .filters import Filters

    return Filters.parse(args.since, args.until, args.reporter, args.section)


def cmd_search(assistant, args) -> int:
    """Show the top passages for a query."""
    hits = assistant.search(args.query, k=args.k, mode=args.mode, filters=_filters(args))
    if args.json:
        _print_json(hits)
        return 0
    for n, hit in enumerate(hits, 1):
        print(f"[{n}] {hit['score']:.3f}  {hit['title']}\n    {hit['text'][:160]}")
    return 0


def _print_answer(answer) -> None:
    print(answer.text)
    if answer.notice:
        print(f"（提示：{answer.notice}）")
    for c in answer.citations:
        print(f"  [{c.n}] {c.title}  {c.date or ''}  {c.source}\n      {c.sentence or c.text[:120]}")
    if answer.refused and answer.related:
        print("可能相关：")
        for r in answer.related:
            print(f"  - {r['title']}  {r['date'] or ''}")
    flags = [answer.answerer, "已核对" if answer.verified else "未核对"]
    print(f"（{' · '.join(flags)}）")


def cmd_ask(assistant, args) -> int:
    """Answer one question with cited sources."""
    answer = assistant.ask(args.question, answerer=args.answerer, filters=_filters(args))
    if args.json:
        _print_json(answer.to_dict())
    else:
        _print_answer(answer)
    return 0


def cmd_chat(assistant, args) -> int:
    """A multi-turn chat in the terminal (empty line or Ctrl-D to quit)."""
    history: list[dict] = []
    print("新闻问答助手：请输入问题（空行或 Ctrl-D 退出）")
    while True:
        try:
            question = input("问> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = assistant.ask(question, history=history, answerer=args.answerer, filters=_filters(args))
        except ValueError as exc:
            print(f"  {exc}")
            continue
        _print_answer(answer)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
    return 0


def cmd_eval(assistant, args) -> int:
    """Measure retrieval (recall@1/5/10, MRR@10) and answers (accuracy, refusals, latency) on a question set."""
    from pathlib import Path

    from .evaluation import Evaluation, load_items, write_report

    items = load_items(args.items, args.ids)
    if not items:
        print("xinwen eval: no items to run", file=sys.stderr)
        return 1
    evaluation = Evaluation(assistant.settings, args.corpus)
    report = evaluation.prepare(progress=True)  # progress goes to stderr; --json output stays clean
    try:
        summary, results = evaluation.run(
            items, mode=args.mode, answerer=args.answerer, retrieval_only=args.retrieval_only,
            negative_only=args.negative_only, progress=True,
        )
    finally:
        evaluation.assistant.close()
    summary = {
        **summary,
        "mode": args.mode,
        "answerer": None if args.retrieval_only else (args.answerer or assistant.settings.answerer),
        "corpus_chunks": report.chunks,
        "embedded_now": report.embedded,  # 0 when the corpus's collection was already built
    }
    if args.out:
        write_report(Path(args.out), summary, results, Path(args.items).parent.name or "eval")
    if args.json:
        _print_json(summary)
    else:
        for key, value in summary.items():
            print(f"{key:>16}: {value}")
    return 0


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", help="only reports from this day on (YYYY-MM-DD)")
    p.add_argument("--until", help="only reports up to this day (YYYY-MM-DD)")
    p.add_argument("--reporter", help="only reports with this name in the byline (记者, 通讯员 or 摄影)")
    p.add_argument("--section", help="only reports of this section (栏目)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xinwen", description="新闻问答助手 / Chinese news assistant")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help=cmd_index.__doc__, description=cmd_index.__doc__)
    p.add_argument("paths", nargs="*", help="files or folders (default: the corpus dir)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("articles", help=cmd_articles.__doc__, description=cmd_articles.__doc__)
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("search", help=cmd_search.__doc__, description=cmd_search.__doc__)
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    p.add_argument("--mode", choices=["dense", "keyword", "hybrid"], default="hybrid")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    add_filters(p)
    p.set_defaults(func=cmd_search)

    answerers = ["auto", "extractive", "llm", "local"]
    p = sub.add_parser("ask", help=cmd_ask.__doc__, description=cmd_ask.__doc__)
    p.add_argument("question")
    p.add_argument("--answerer", choices=answerers, default=None, help="default: settings (auto)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_filters(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help=cmd_chat.__doc__, description=cmd_chat.__doc__)
    p.add_argument("--answerer", choices=answerers, default=None)
    add_filters(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help=cmd_eval.__doc__, description=cmd_eval.__doc__)
    p.add_argument("items", help="items.jsonl: question, answer_parts, positive_doc_ids")
    p.add_argument("--corpus", required=True, help="corpus.jsonl: doc_id, title, text (indexed once, cached)")
    p.add_argument("--ids", help="only the item ids listed in this file (e.g. dev_ids.txt)")
    p.add_argument("--mode", choices=["dense", "keyword", "hybrid"], default="hybrid", help="retrieval scored")
    p.add_argument("--retrieval-only", action="store_true", help="no answers: retrieval metrics only")
    p.add_argument("--answerer", choices=answerers, default=None, help="default: settings (auto)")
    p.add_argument("--negative-only", action="store_true",
                   help="RGB refusal test: each item's positive passages are left out; reports how many are refused")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--out", help="folder for per-item results, failures and a plot")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


def _exit_on_signal(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through `finally`: the local model's server stops too


def log_to_stderr() -> None:
    """xinwen's own log lines (the local model's server starting and stopping, …) on stderr."""
    logger = logging.getLogger("xinwen")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s xinwen: %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def run(args) -> int:
    """Run a parsed command with one Assistant; errors become one line on stderr and exit code 2.
    SIGTERM and Ctrl-C end it cleanly: the local model's server is stopped on the way out."""
    from indexing.store import StoreError

    from . import Assistant

    log_to_stderr()
    signal.signal(signal.SIGTERM, _exit_on_signal)
    assistant = Assistant()
    try:
        return args.func(assistant, args)
    except (StoreError, ValueError, RuntimeError) as exc:
        print(f"xinwen {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        assistant.close()
