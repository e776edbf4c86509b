"""The `xinwen` command line. Machine-readable output (--json) is a contract: keep its keys stable."""
from __future__ import annotations

import argparse
import json
import sys


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def cmd_index(assistant, args) -> int:
    """Index files (default: the corpus dir); incremental."""
    from indexing.pipeline import NothingIndexed

    try:
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
    return 0


def cmd_articles(assistant, args) -> int:
    """List the parsed articles."""
    keys = ("id", "title", "subtitle", "reporters", "date", "source", "text")
    articles = assistant.articles()
    if args.json:
        _print_json([{k: a[k] for k in keys} for a in articles])
        return 0
    for a in articles:
        kind = "图片" if a["kind"] == "photo" else "文章"
        people = "、".join(a["reporters"]) or a.get("photographer") or ""
        print(f"{a['id']}  [{kind}] {a['title']}  {a['date'] or ''}  {people}  ({a['source']}, {a['chunks']} 段)")
    return 0


def cmd_search(assistant, args) -> int:
    """Show the top passages for a query."""
    hits = assistant.search(args.query, k=args.k)
    if args.json:
        _print_json(hits)
        return 0
    for n, hit in enumerate(hits, 1):
        print(f"[{n}] {hit['score']:.3f}  {hit['title']}\n    {hit['text'][:160]}")
    return 0


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
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_search)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from indexing.store import StoreError

    from . import Assistant

    try:
        return args.func(Assistant(), args)
    except (StoreError, ValueError, RuntimeError) as exc:
        print(f"xinwen {args.command}: {exc}", file=sys.stderr)
        return 2
