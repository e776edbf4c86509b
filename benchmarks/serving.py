"""Serving benchmarks (not tests), against a real `xinwen serve` on loopback over the seed index.

    latency: per answerer, the golden questions one at a time through /v1/chat/completions (streaming):
             time to first token and total, p50/p95, and the peak memory (VmHWM) of the serving
             process and its children (the local llama.cpp server).
    reload:  seconds from the end of an index run in another process to an answer citing its article
    load:    C concurrent clients for T seconds on /api/ask (`--path rest`) or streaming
             /v1/chat/completions (`--path v1-stream`), a share of them hanging up after the first
             token (`--abandon 0.1`); errors, 429s, p50/p95, throughput, the serving process's peak
             memory, and the answer slots still taken once the load has stopped (leaked).

    .venv/bin/python benchmarks/serving.py latency [--answerers extractive local]
    .venv/bin/python benchmarks/serving.py load --clients 20 --seconds 60 --answerer extractive \
        [--path rest|v1-stream] [--abandon 0.1] [--root OTHER_CHECKOUT]

`--root` serves another checkout's code (e.g. a `git worktree` of an older commit) for a before /
after comparison; this script and its measurements stay the same.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.answers import GOLDEN, load  # noqa: E402
from indexing.settings import Settings  # noqa: E402
from tests.conftest import Server  # noqa: E402

SEED = ROOT / "corpus" / "pingdingshan-xinhua-district-2021-10.txt"


def seed_dirs(tmp: Path) -> tuple[Path, Path]:
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    data = tmp / "data"
    env = {**os.environ, "XINWEN_DATA_DIR": str(data), "XINWEN_CORPUS_DIR": str(corpus)}
    subprocess.run([sys.executable, "-m", "ui", "index", "-q"], env=env, cwd=ROOT, check=True)
    models = Settings().models_dir
    if models.exists():  # reuse the assembled GGUF instead of assembling it again
        (data / "models").symlink_to(models.resolve())
    return data, corpus


def peak_rss_mb(pid: int) -> float:
    """VmHWM of a process and its children, in MB."""
    total = 0.0
    pids = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):  # any thread may have started a child
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except FileNotFoundError:
            pass
    return round(total, 1)


def stream_once(url: str, question: str) -> tuple[float, float, str]:
    body = json.dumps({"model": "xinwen", "stream": True, "messages": [{"role": "user", "content": question}]}).encode()
    request = urllib.request.Request(url + "/v1/chat/completions", data=body, headers={"content-type": "application/json"})
    started = time.perf_counter()
    first, text = None, ""
    with urllib.request.urlopen(request, timeout=300) as response:
        for line in response:
            line = line.decode().strip()
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            delta = json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
            if delta and first is None:
                first = time.perf_counter() - started
            text += delta
    return first or 0.0, time.perf_counter() - started, text


def latency(args) -> dict:
    questions = [item["q"] for item in load(GOLDEN[:1])]
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        data, corpus = seed_dirs(Path(tmp))
        for answerer in args.answerers:
            server = Server(data, corpus, XINWEN_ANSWERER=answerer)
            try:
                stream_once(server.url, questions[0])  # warm-up (model load, server start)
                ttft, total = [], []
                for question in questions:
                    first, whole, _ = stream_once(server.url, question)
                    ttft.append(first)
                    total.append(whole)
                report[answerer] = {
                    "questions": len(questions),
                    "ttft_p50_s": round(float(np.percentile(ttft, 50)), 3), "ttft_p95_s": round(float(np.percentile(ttft, 95)), 3),
                    "total_p50_s": round(float(np.percentile(total, 50)), 3), "total_p95_s": round(float(np.percentile(total, 95)), 3),
                    "peak_rss_mb": peak_rss_mb(server.process.pid),
                }
                print(answerer, json.dumps(report[answerer]))
            finally:
                server.stop()
    return report


def abandon_stream(port: int, question: str) -> int:
    """A streaming request whose client hangs up after the first token: its HTTP status."""
    body = json.dumps({"model": "xinwen", "stream": True, "messages": [{"role": "user", "content": question}]}).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=300) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        seen = b""
        while b'"content": "' not in seen.replace(b'"content": ""', b"") and len(seen) < 1 << 20:
            part = sock.recv(65536)
            if not part:
                break
            seen += part
    return int(seen.split(b" ", 2)[1]) if seen.startswith(b"HTTP/") else 0


def leaked_slots(url: str) -> int | None:
    """Answer slots still taken when nothing is running (None: the server does not report them)."""
    time.sleep(2)
    try:
        with urllib.request.urlopen(url + "/api/health", timeout=30) as response:
            answers = json.load(response).get("answers")
    except OSError:
        return None
    return None if answers is None else answers["running"]


def load_test(args) -> dict:
    questions = [item["q"] for item in load(GOLDEN[:1])]
    results: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    with tempfile.TemporaryDirectory() as tmp:
        data, corpus = seed_dirs(Path(tmp))
        server = Server(data, corpus, root=args.root, XINWEN_ANSWERER=args.answerer)
        stop_at = time.monotonic() + args.seconds

        def client(n: int) -> None:
            i = n
            rng = np.random.default_rng(n)
            while time.monotonic() < stop_at:
                question = questions[i % len(questions)]
                started = time.perf_counter()
                kind = "abandoned" if args.path == "v1-stream" and rng.random() < args.abandon else "answer"
                try:
                    if kind == "abandoned":
                        status = abandon_stream(server.port, question)
                    elif args.path == "v1-stream":
                        stream_once(server.url, question)
                        status = 200
                    else:
                        body = json.dumps({"question": question}).encode()
                        request = urllib.request.Request(server.url + "/api/ask", data=body,
                                                         headers={"content-type": "application/json"})
                        with urllib.request.urlopen(request, timeout=300) as response:
                            status = response.status
                            response.read()
                except urllib.error.HTTPError as error:
                    status = error.code
                    if status == 429:
                        time.sleep(float(error.headers.get("Retry-After", "1")))
                except OSError:
                    status = 0
                with lock:
                    results.append((kind, status, time.perf_counter() - started))
                i += args.clients

        try:
            threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
            began = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - began
            peak = peak_rss_mb(server.process.pid)
            leaked = leaked_slots(server.url)
        finally:
            server.stop()
    ok = [s for kind, code, s in results if code == 200 and kind == "answer"]
    report = {
        "answerer": args.answerer, "path": args.path, "abandon": args.abandon, "clients": args.clients,
        "seconds": round(elapsed, 1), "requests": len(results), "ok": len(ok),
        "abandoned": sum(kind == "abandoned" for kind, _, _ in results),
        "rejected_429": sum(code == 429 for _, code, _ in results),
        "errors": sum(code not in (200, 429) for _, code, _ in results), "leaked_slots": leaked,
        "p50_s": round(float(np.percentile(ok, 50)), 3) if ok else None,
        "p95_s": round(float(np.percentile(ok, 95)), 3) if ok else None,
        "throughput_per_s": round(len(ok) / elapsed, 2), "peak_rss_mb": peak,
    }
    print(json.dumps(report))
    return report


def reload_test(args) -> dict:
    """Seconds from the end of an index run in another process to the first answer that cites the
    new article: with the embedded store (the run goes through the server) and with a Chroma server
    shared by two `xinwen serve` (the run goes through the first, the second is asked)."""
    from tests.conftest import free_port, post, start_chroma

    article = "本报讯(记者张三)10月21日,新华区举办了首届桂花节,共有1200名市民参加。\n"
    question = {"question": "桂花节有多少名市民参加"}

    def cites(url: str) -> bool:
        with post(url + "/api/ask", question, timeout=120) as response:
            return any(c["source"] == "new.txt" for c in json.load(response)["citations"])

    def first_answer(url: str) -> float:
        finished = time.monotonic()
        while not cites(url):
            time.sleep(0.05)
        return round(time.monotonic() - finished, 3)

    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        data, corpus = seed_dirs(Path(tmp))
        server = Server(data, corpus, XINWEN_ANSWERER="extractive")
        try:
            (corpus / "new.txt").write_text(article, encoding="utf-8")
            env = {**os.environ, "XINWEN_DATA_DIR": str(data), "XINWEN_CORPUS_DIR": str(corpus)}
            subprocess.run([sys.executable, "-m", "ui", "index", "-q"], env=env, cwd=ROOT, check=True)
            report["embedded_store_s"] = first_answer(server.url)
        finally:
            server.stop()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        port = free_port()
        chroma = start_chroma(tmp / "chroma", port)
        try:
            corpus = tmp / "corpus"
            corpus.mkdir()
            shutil.copy(SEED, corpus)
            common = {"XINWEN_CHROMA_URL": f"http://127.0.0.1:{port}", "XINWEN_ANSWERER": "extractive"}
            env = {**os.environ, **common, "XINWEN_DATA_DIR": str(tmp / "i"), "XINWEN_CORPUS_DIR": str(corpus)}
            subprocess.run([sys.executable, "-m", "ui", "index", "-q"], env=env, cwd=ROOT, check=True)
            first, second = Server(tmp / "a", corpus, **common), Server(tmp / "b", corpus, **common)
            try:
                (corpus / "new.txt").write_text(article, encoding="utf-8")
                post(first.url + "/api/index", {}, timeout=300).read()
                report["chroma_server_other_process_s"] = first_answer(second.url)
            finally:
                first.stop()
                second.stop()
        finally:
            chroma.terminate()
    print(json.dumps(report))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("latency")
    p.add_argument("--answerers", nargs="*", default=["extractive", "local"])
    sub.add_parser("reload")
    p = sub.add_parser("load")
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--answerer", default="extractive")
    p.add_argument("--path", choices=["rest", "v1-stream"], default="rest")
    p.add_argument("--abandon", type=float, default=0.0, help="share of streams whose client hangs up")
    p.add_argument("--root", type=Path, default=ROOT, help="the checkout whose `xinwen serve` is measured")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = latency(args) if args.what == "latency" else reload_test(args) if args.what == "reload" else load_test(args)
    out = args.out or ROOT / "benchmarks" / "results" / f"serving-{args.what}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}, **report}
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
