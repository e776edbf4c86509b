"""Runs `llama_cpp.server` so that it ends with the process that started it.

Run by path, not imported (the `assistant` package is heavy to import):

    python llama_child.py PARENT_PID DATA_DIR -- <llama_cpp.server arguments>

A watchdog thread exits within half a second once PARENT_PID is no longer this process's parent:
after a SIGKILL of the parent the child is re-parented and `getppid()` changes. Polling the parent
works from whichever thread started the child (a parent-death signal would fire when that thread
ends). DATA_DIR is on the command line so that the pid file in it can be checked against the
process it names (`llama_server.is_ours`).
"""
from __future__ import annotations

import os
import runpy
import sys
import threading
import time


def watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)  # nothing to save: the model server holds no state of its own


def main() -> None:
    parent = int(sys.argv[1])
    arguments = sys.argv[sys.argv.index("--") + 1 :]
    if os.getppid() != parent:  # the parent died before we got here
        return
    threading.Thread(target=watch, args=(parent,), name="parent-watchdog", daemon=True).start()
    sys.argv = ["llama_cpp.server", *arguments]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
