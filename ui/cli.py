"""The `xinwen` console script: every command of `assistant.cli`, plus `serve` (the web service)."""
from __future__ import annotations

import sys

from assistant.cli import build_parser, run


def cmd_serve(assistant, args) -> int:
    """Start the chat page, REST and OpenAI-compatible API (Ctrl-C stops it)."""
    from .server import serve

    settings = assistant.settings
    serve(args.host or settings.host, args.port or settings.port, settings, assistant)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    commands = next(a for a in parser._subparsers._group_actions if a.dest == "command")
    p = commands.add_parser("serve", help=cmd_serve.__doc__, description=cmd_serve.__doc__)
    p.add_argument("--host", help="address to bind (default 127.0.0.1; any other turns access control on)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.set_defaults(func=cmd_serve)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
