"""The managed `llama_cpp.server` process: one per data dir, started on demand, ended with its parent.

- One start at a time: a thread lock and a file lock in `DATA_DIR/run/` (two first requests, or
  two processes on one data dir, never start two servers).
- A pid file (`DATA_DIR/run/llama-server.json`) names the running server. A start that finds it
  reuses the server while the process that started it lives, and stops it when that process is
  gone (a stale server). A pid file naming a dead process, or a process that is not ours (pid
  reuse), is ignored with a log line: we never signal a process we did not start.
- The child runs under `llama_child.py`, which exits when its parent dies, SIGKILL included.
- Its output goes to `DATA_DIR/logs/llama-server.log`; a failed start shows the last lines.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from . import AnswererError

CHILD = Path(__file__).with_name("llama_child.py")
log = logging.getLogger("xinwen.local")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, but another user's: certainly not ours
        return True
    return True


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # the name in (…) may hold spaces


def is_ours(pid: int, data_dir: Path) -> bool:
    """Whether `pid` is a llama server that xinwen started for this data dir (its command line says so)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    return any(arg.endswith(CHILD.name) for arg in argv) and str(Path(data_dir).resolve()) in argv


def _get_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class ServerRecord:
    """What the pid file says."""

    pid: int
    port: int
    parent: int
    model: str


class LlamaServer:
    """A `llama_cpp.server` for one data dir: `ensure_running()` gives its URL, `stop()` ends it."""

    def __init__(self, model_path: Path, data_dir: Path, threads: int = 1, context: int = 2048,
                 batch: int = 512, start_timeout: float = 180):
        self.model_path = Path(model_path)
        self.data_dir = Path(data_dir).resolve()
        self.threads, self.context, self.batch = threads, context, batch
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None  # set when we started it
        self.pid = 0  # the server we use: ours, or one another live xinwen process started
        self.port = 0
        self._lock = threading.Lock()
        atexit.register(self.stop)

    run_dir = property(lambda self: self.data_dir / "run")
    pid_file = property(lambda self: self.run_dir / "llama-server.json")
    log_path = property(lambda self: self.data_dir / "logs" / "llama-server.log")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return bool(self.pid) and _alive(self.pid) and is_ours(self.pid, self.data_dir)

    def healthy(self) -> bool:
        return self.alive() and _get_ok(f"{self.url}/models")

    def ensure_running(self) -> str:
        """The server's URL; started (or found) first when there is none, restarted when it died."""
        with self._lock:
            if self.alive():
                return self.url
            self.stop()
            self.run_dir.mkdir(parents=True, exist_ok=True)
            try:
                with FileLock(str(self.run_dir / "llama-server.lock"), timeout=self.start_timeout):
                    if self._adopt():
                        return self.url
                    return self._start()
            except Timeout:
                raise AnswererError("本地模型服务正由另一个进程启动，等待超时") from None

    def _read_record(self) -> ServerRecord | None:
        try:
            return ServerRecord(**json.loads(self.pid_file.read_text()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            log.warning("ignoring unreadable pid file %s (%s)", self.pid_file, exc)
            return None

    def _adopt(self) -> bool:
        """Reuse the server a live xinwen process (this one included) started for this data dir; stop a stale one
        (its parent is gone); ignore a pid file that names a dead or foreign process."""
        record = self._read_record()
        if record is None:
            return False
        if not _alive(record.pid) or not is_ours(record.pid, self.data_dir):
            log.info("ignoring pid file %s: process %d is not a running llama server of this data dir",
                     self.pid_file, record.pid)
            self.pid_file.unlink(missing_ok=True)
            return False
        parent = _parent_of(record.pid)
        if parent == record.parent:  # not a health check: a server busy answering is slow to reply, not stale
            log.info("using the llama server (pid %d) that process %d started", record.pid, parent)
            self.pid, self.port = record.pid, record.port
            return True
        log.info("stopping a stale llama server (pid %d; the process that started it is gone)", record.pid)
        self._terminate(record.pid)
        self.pid_file.unlink(missing_ok=True)
        return False

    def _start(self) -> str:
        self.port = _free_port()
        command = [
            sys.executable, str(CHILD), str(os.getpid()), str(self.data_dir), "--",
            "--model", str(self.model_path), "--host", "127.0.0.1", "--port", str(self.port),
            "--n_threads", str(self.threads), "--n_ctx", str(self.context), "--n_batch", str(self.batch),
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as out:
            out.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {self.model_path.name} "
                      f"on port {self.port} for pid {os.getpid()}\n".encode())
            out.flush()
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pid = self.process.pid
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.healthy():
                record = ServerRecord(self.pid, self.port, os.getpid(), str(self.model_path))
                tmp = self.pid_file.with_suffix(".tmp")
                tmp.write_text(json.dumps(asdict(record)))
                tmp.replace(self.pid_file)
                log.info("llama server started (pid %d, port %d, log %s)", self.pid, self.port, self.log_path)
                return self.url
            if not self.alive():
                break
            time.sleep(0.3)
        code = self.process.poll()
        self.stop()
        raise AnswererError(
            f"本地模型服务未能启动（{self.model_path.name}，"
            f"{'退出码 ' + str(code) if code is not None else f'{self.start_timeout:g} 秒内未就绪'}）；"
            f"日志 {self.log_path} 的最后几行：\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 12) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "（无日志）"

    @staticmethod
    def _terminate(pid: int, wait_s: float = 5) -> None:
        """SIGTERM, then SIGKILL after `wait_s` (a stale server is no child of ours: init reaps it)."""
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.1)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """End the server if we started it (and remove its pid file); forget one we only used."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=5)
            record = self._read_record()
            if record and record.pid == self.process.pid:
                self.pid_file.unlink(missing_ok=True)
            log.info("llama server stopped (pid %d)", self.process.pid)
            self.process = None
        self.pid = 0
