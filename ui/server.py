"""`xinwen serve`: one FastAPI app with the chat page at `/`, a REST API (`/api/*`), an
OpenAI-compatible API (`/v1/*`), OpenAPI docs at `/docs`, and an embedding demo at `/embed-demo`."""
from __future__ import annotations

import hmac
import json
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Literal

import gradio as gr
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from assistant import Assistant
from indexing.settings import Settings
from indexing.store import StoreError

from .app import build_blocks
from .render import CSS, JS

STATIC = Path(__file__).parent / "static"
GRADIO_JS = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"


class AskRequest(BaseModel):
    question: str
    history: list[dict] | None = None
    answerer: Literal["auto", "extractive", "llm", "local"] | None = None


class SearchRequest(BaseModel):
    query: str
    k: int = Field(5, ge=1, le=50)
    mode: Literal["dense", "keyword", "hybrid"] = "hybrid"


class ChatMessageIn(BaseModel):
    role: str
    content: str | list | None = None


class ChatRequest(BaseModel):
    model: str = "xinwen"
    messages: list[ChatMessageIn]
    stream: bool = False


class Busy(Exception):
    """Every answer slot is taken and the queue is full."""


class AnswerSlots:
    """At most `running` answers at once, at most `queued` waiting; beyond that, 429 at once."""

    def __init__(self, running: int, queued: int, wait_s: float = 120):
        self._slots = threading.BoundedSemaphore(running)
        self._lock = threading.Lock()
        self._waiting = 0
        self.queued = queued
        self.wait_s = wait_s

    def __enter__(self):
        with self._lock:
            if self._waiting >= self.queued:
                raise Busy
            self._waiting += 1
        try:
            if not self._slots.acquire(timeout=self.wait_s):
                raise Busy
        finally:
            with self._lock:
                self._waiting -= 1
        return self

    def __exit__(self, *exc):
        self._slots.release()


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

    @app.exception_handler(ValueError)
    async def bad_input(request: Request, exc: ValueError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    api = [Depends(require_token)]

    @app.get("/api/health", dependencies=api)
    def health() -> dict:
        """Index size; "ok" when articles are indexed."""
        articles = assistant.articles()
        return {"status": "ok", "articles": len(articles), "chunks": sum(a["chunks"] for a in articles)}

    @app.post("/api/ask", dependencies=api)
    def ask(body: AskRequest) -> dict:
        """The same JSON as `xinwen ask --json`."""
        with slots:
            return assistant.ask(body.question, body.history, body.answerer).to_dict()

    @app.post("/api/search", dependencies=api)
    def search(body: SearchRequest) -> list[dict]:
        return assistant.search(body.query, k=body.k, mode=body.mode)

    @app.get("/v1/models", dependencies=api)
    def models() -> dict:
        return {"object": "list", "data": [{"id": "xinwen", "object": "model", "created": 0, "owned_by": "xinwen"}]}

    @app.post("/v1/chat/completions", dependencies=api)
    def chat_completions(body: ChatRequest):
        """OpenAI chat completions; the reply carries [n] markers, and `citations` as an extra field."""
        question, history = split_chat(body.messages)
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if not body.stream:
            with slots:
                answer = assistant.ask(question, history)
            return {
                "id": completion_id, "object": "chat.completion", "created": created, "model": body.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": [c.to_dict() for c in answer.citations],
                "xinwen": {k: v for k, v in answer.to_dict().items() if k not in ("answer", "citations")},
            }
        slots.__enter__()  # 429 now, before the stream starts, when the service is full
        return StreamingResponse(_stream(question, history, body.model, completion_id, created), media_type="text/event-stream")

    def _stream(question, history, model, completion_id, created):
        def chunk(delta: dict, finish=None, **extra) -> str:
            data = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

        try:
            yield chunk({"role": "assistant", "content": ""})
            sent = ""
            for event in assistant.stream(question, history):
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
            slots.__exit__(None, None, None)
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
    return gr.mount_gradio_app(app, build_blocks(assistant), path="/", auth=auth, css=CSS, js=JS,
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
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    finally:
        assistant.close()  # before the interpreter waits for worker threads still reading a model stream
    why = f"（{signal.Signals(received[0]).name}）" if received else ""
    print(f"xinwen 已停止{why}", flush=True)
