"""`xinwen serve`: one FastAPI app with the chat page at `/`, a REST API (`/api/*`), an
OpenAI-compatible API (`/v1/*`), OpenAPI docs at `/docs`, and an embedding demo at `/embed-demo`."""
from __future__ import annotations

import hmac
import json
import signal
import time
import uuid
from importlib.resources import files
from pathlib import Path
from typing import Literal

import anyio
import gradio as gr
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from assistant import Assistant
from assistant.filters import Filters
from assistant.running import announce_server, withdraw_server
from indexing.settings import Settings
from indexing.pipeline import IndexLocked, NothingIndexed
from indexing.store import StoreError

from .app import build_blocks
from .capacity import AnswerSlots, Busy, Lease
from .render import CSS, JS

STATIC = files("ui") / "static"  # package data
GRADIO_JS = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"


class FiltersIn(BaseModel):
    """Narrow the archive: dates (YYYY-MM-DD), a byline name, a section, a source file."""

    since: str | None = None
    until: str | None = None
    reporter: str | None = None
    section: str | None = None
    source: str | None = None

    def parsed(self) -> Filters:
        return Filters.parse(self.since, self.until, self.reporter, self.section, self.source)


class AskRequest(BaseModel):
    question: str
    history: list[dict] | None = None
    answerer: Literal["auto", "extractive", "llm", "local"] | None = None
    filters: FiltersIn | None = None


class IndexRequest(BaseModel):
    paths: list[str] | None = None


class SearchRequest(BaseModel):
    query: str
    k: int = Field(5, ge=1, le=50)
    mode: Literal["dense", "keyword", "hybrid"] = "hybrid"
    filters: FiltersIn | None = None


class ChatMessageIn(BaseModel):
    role: str
    content: str | list | None = None


class ChatRequest(BaseModel):
    model: str = "xinwen"
    messages: list[ChatMessageIn]
    stream: bool = False
    filters: FiltersIn | None = None  # xinwen's own extra field


class LeasedStream(StreamingResponse):
    """A streamed answer that gives its answer slot back the moment the response ends, however it
    ends: finished, failed, or its client gone (without waiting for the garbage collector), and
    closes the answer's generator, which closes the model's own stream."""

    def __init__(self, content, lease: Lease, **kwargs):
        super().__init__(content, **kwargs)
        self.lease = lease

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.lease.release()
            await self.body_iterator.aclose()


def _text(content) -> str:
    if isinstance(content, list):  # OpenAI content parts
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


def split_chat(messages: list[ChatMessageIn]) -> tuple[str, list[dict]]:
    """The last user message is the question; earlier user/assistant messages are the history."""
    turns = [{"role": m.role, "content": _text(m.content)} for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1]["role"] != "user":
        raise HTTPException(400, "messages 的最后一条必须是 user 消息（问题）")
    return turns[-1]["content"], turns[:-1]


def replacement_note(answer) -> str:
    """Why the final answer differs from the streamed text: the fallback's or refusal's own reason,
    or, for the model's answer itself, the [n] markers added or removed after the check."""
    if answer.notice:
        return f"{answer.notice}，以下为最终回答"
    return "已校正引用标注，以下为最终回答"


def create_app(settings: Settings | None = None, assistant: Assistant | None = None, host: str | None = None) -> FastAPI:
    settings = settings or Settings()
    assistant = assistant or Assistant(settings)
    protected = settings.auth_required(host)
    tokens = [t for t in settings.api_tokens if t]
    if protected and not tokens:
        raise ValueError("访问控制已开启但没有配置令牌：设置 XINWEN_API_TOKENS（或 XINWEN_AUTH=off 明确关闭）")
    slots = AnswerSlots(settings.max_concurrent_answers, settings.max_queue)

    def valid(token: str) -> bool:
        return any(hmac.compare_digest(token.encode(), t.encode()) for t in tokens)

    def require_token(request: Request) -> None:
        if not protected:
            return
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not valid(token.strip()):
            raise HTTPException(401, "需要有效的访问令牌（Authorization: Bearer …）", headers={"WWW-Authenticate": "Bearer"})

    app = FastAPI(title="xinwen 新闻问答助手", description="中文新闻问答：检索、带引用的回答、OpenAI 兼容接口。")
    app.state.assistant = assistant
    if settings.allowed_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins, allow_methods=["*"],
                           allow_headers=["*"])

    @app.middleware("http")
    async def frame_ancestors(request: Request, call_next):
        response = await call_next(request)
        ancestors = " ".join(["'self'", *settings.allowed_origins])
        response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        return response

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return JSONResponse({"detail": "服务繁忙，请稍后再试"}, status_code=429, headers={"Retry-After": "5"})

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError):
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(IndexLocked)
    async def index_running(request: Request, exc: IndexLocked):
        return JSONResponse({"detail": str(exc)}, status_code=409, headers={"Retry-After": "10"})

    @app.exception_handler(NothingIndexed)
    async def nothing_indexed(request: Request, exc: NothingIndexed):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(ValueError)
    async def bad_input(request: Request, exc: ValueError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    api = [Depends(require_token)]
    waiting: list[anyio.CapacityLimiter] = []

    async def take_slot():
        """A lease on an answer slot. The wait happens on threads of its own (as many as may wait),
        never on the worker threads that the running answers' streams need to make progress."""
        if not waiting:
            waiting.append(anyio.CapacityLimiter(settings.max_concurrent_answers + settings.max_queue + 1))
        return await anyio.to_thread.run_sync(slots.lease, limiter=waiting[0])

    @app.get("/api/health", dependencies=api)
    def health() -> dict:
        """Counts of the index this process answers from (its published generation), which
        answerers are ready, and the answer slots in use. Cheap: nothing is rebuilt."""
        view = assistant.view
        return {"status": "ok", "articles": view.article_count, "chunks": view.chunk_count,
                "generation": view.generation.published, "answerers": assistant.answerer_status(),
                "answers": slots.stats()}

    @app.post("/api/index", dependencies=api)
    def reindex(body: IndexRequest) -> dict:
        """Index the corpus dir (or the given paths) in this process: what `xinwen index` asks
        a running server to do when it holds the embedded store."""
        corpus = Path(settings.corpus_dir).resolve()
        paths = [Path(p) for p in body.paths or []]
        outside = [str(p) for p in paths if not (p if p.is_absolute() else corpus / p).resolve().is_relative_to(corpus)]
        if outside:
            raise ValueError(f"只能索引资料目录 {corpus} 内的文件：{'、'.join(outside)}")
        return assistant.index([p if p.is_absolute() else corpus / p for p in paths] or None, progress=False).to_dict()

    @app.post("/api/ask", dependencies=api)
    async def ask(body: AskRequest) -> dict:
        """The same JSON as `xinwen ask --json`."""
        with await take_slot():
            filters = body.filters.parsed() if body.filters else None
            return (await run_in_threadpool(assistant.ask, body.question, body.history, body.answerer, (),
                                            filters)).to_dict()

    @app.post("/api/search", dependencies=api)
    def search(body: SearchRequest) -> list[dict]:
        return assistant.search(body.query, k=body.k, mode=body.mode, filters=body.filters.parsed() if body.filters else None)

    @app.get("/v1/models", dependencies=api)
    def models() -> dict:
        return {"object": "list", "data": [{"id": "xinwen", "object": "model", "created": 0, "owned_by": "xinwen"}]}

    @app.post("/v1/chat/completions", dependencies=api)
    async def chat_completions(body: ChatRequest):
        """OpenAI chat completions; the reply carries [n] markers, and `citations` as an extra field."""
        question, history = split_chat(body.messages)
        filters = body.filters.parsed() if body.filters else None
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if not body.stream:
            with await take_slot():
                answer = await run_in_threadpool(assistant.ask, question, history, None, (), filters)
            return {
                "id": completion_id, "object": "chat.completion", "created": created, "model": body.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": [c.to_dict() for c in answer.citations],
                "xinwen": {k: v for k, v in answer.to_dict().items() if k not in ("answer", "citations")},
            }
        lease = await take_slot()  # 429 now, before the stream starts, when the service is full
        return LeasedStream(_stream(lease, question, history, filters, body.model, completion_id, created), lease,
                            media_type="text/event-stream")

    def _stream(lease, question, history, filters, model, completion_id, created):
        """The answer as SSE chunks. The lease goes back when the stream ends, fails or is
        abandoned (a generator never started, or closed when its client went away)."""
        def chunk(delta: dict, finish=None, **extra) -> str:
            data = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

        try:
            yield chunk({"role": "assistant", "content": ""})
            sent = ""
            for event in assistant.stream(question, history, filters=filters):
                if event["type"] == "token":
                    sent += event["text"]
                    yield chunk({"content": event["text"]})
                elif event["type"] == "answer":
                    answer = event["answer"]
                    if answer.text != sent.strip():  # a stream cannot take text back: say why a final version follows
                        yield chunk({"content": (f"\n\n（{replacement_note(answer)}）\n" if sent else "") + answer.text})
                    yield chunk({}, "stop", citations=[c.to_dict() for c in answer.citations],
                                xinwen={k: v for k, v in answer.to_dict().items() if k not in ("answer", "citations")})
        except ValueError as exc:
            yield chunk({"content": f"⚠ {exc}"}, "stop")
        finally:
            lease.release()
        yield "data: [DONE]\n\n"

    @app.get("/gradio.js", include_in_schema=False)
    def gradio_js():
        """gradio's own web-component loader, served here so embedding works with no internet."""
        return FileResponse(GRADIO_JS, media_type="text/javascript")

    @app.get("/embed-demo", include_in_schema=False)
    def embed_demo(request: Request):
        base = str(request.base_url).rstrip("/")
        page = (STATIC / "embed-demo.html").read_text(encoding="utf-8").replace("{{BASE}}", base)
        return HTMLResponse(page)

    auth = (lambda user, password: valid(password)) if protected else None
    demo = build_blocks(assistant, slots).queue(default_concurrency_limit=settings.max_concurrent_answers,
                                                max_size=settings.max_queue + settings.max_concurrent_answers)
    return gr.mount_gradio_app(app, demo, path="/", auth=auth, css=CSS, js=JS,
                               auth_message="请输入访问令牌作为密码（用户名任意）", footer_links=["api"])


def serve(host: str, port: int, settings: Settings | None = None, assistant: Assistant | None = None) -> None:
    """Serve until SIGTERM or Ctrl-C, then stop: open streams get a few seconds, the local model's
    server is stopped, and the process exits 0."""
    import uvicorn

    settings = settings or Settings()
    assistant = assistant or Assistant(settings)
    app = create_app(settings, assistant, host=host)
    received: list[int] = []
    for signum in (signal.SIGTERM, signal.SIGINT):  # uvicorn re-raises the signal once it has shut down
        signal.signal(signum, lambda sig, frame: received.append(sig))
    print(f"xinwen 已启动：http://{host}:{port}/  （API 文档：/docs，嵌入示例：/embed-demo）", flush=True)
    if not settings.chroma_url:  # `xinwen index` on this data dir then indexes through us
        announce_server(settings.data_dir, f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    finally:
        withdraw_server(settings.data_dir)
        assistant.close()  # before the interpreter waits for worker threads still reading a model stream
    why = f"（{signal.Signals(received[0]).name}）" if received else ""
    print(f"xinwen 已停止{why}", flush=True)
