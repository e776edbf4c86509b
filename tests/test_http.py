"""The HTTP service as clients use it: REST, the official `openai` SDK, `gradio_client`, and access
control, all against a real `xinwen serve` process."""
import json
import urllib.error
import urllib.request

import pytest

from .conftest import Server

pytestmark = pytest.mark.slow


def call(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict | list | str]:
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                     headers={"content-type": "application/json"})
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_rest_api(server):
    status, health = call(server.url + "/api/health")
    assert status == 200 and health["status"] == "ok" and health["articles"] == 10 and health["chunks"] > 10
    assert health["answerers"]["extractive"] == "ready" and health["answers"]["running"] == 0
    status, answer = call(server.url + "/api/ask", {"question": "新华区优良天数排名"})
    assert status == 200 and set(answer) >= {"answer", "refused", "verified", "answerer", "citations"}
    assert "第一" in answer["answer"] and "[1]" in answer["answer"]
    assert set(answer["citations"][0]) == {"n", "article_id", "title", "source", "date", "text"}
    status, hits = call(server.url + "/api/search", {"query": "鹰城大妈", "k": 3, "mode": "keyword"})
    assert status == 200 and len(hits) == 3 and all("鹰城大妈" in h["text"] + h["title"] for h in hits)
    status, error = call(server.url + "/api/ask", {"question": "   "})
    assert status == 400 and "问题为空" in error
    with urllib.request.urlopen(server.url + "/docs") as response:
        assert "swagger" in response.read().decode().lower()


def test_openai_sdk_against_chat_completions(server):
    from openai import OpenAI

    client = OpenAI(base_url=server.url + "/v1", api_key="unused")
    assert [m.id for m in client.models.list()] == ["xinwen"]
    reply = client.chat.completions.create(model="xinwen", messages=[{"role": "user", "content": "焦店镇镇长是谁"}])
    assert "郭晓光" in reply.choices[0].message.content and "[1]" in reply.choices[0].message.content
    assert reply.model_extra["citations"][0]["title"].startswith("焦店镇")
    history = [{"role": "user", "content": "新华区优良天数排名"}, {"role": "assistant", "content": "排名第一。[1]"},
               {"role": "user", "content": "那PM2.5呢?"}]
    chunks = list(client.chat.completions.create(model="xinwen", messages=history, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "40微克/立方米" in text and "[1]" in text
    assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].model_extra["citations"]


def test_gradio_client_chat_api(server):
    from gradio_client import Client

    client = Client(server.url + "/", verbose=False)
    text = client.predict("新华区优良天数排名", api_name="/chat")
    assert "第一" in text and "[1]" in text


@pytest.fixture(scope="module")
def protected(seed_assistant):
    """A server that requires tokens (as it would when bound to a non-loopback address)."""
    s = seed_assistant.settings
    srv = Server(s.data_dir, s.corpus_dir, XINWEN_ANSWERER="extractive", XINWEN_AUTH="on",
                 XINWEN_API_TOKENS='["s3cret-token-1"]')
    yield srv
    srv.stop()


def test_access_control_when_it_is_on(protected):
    url = protected.url
    for path, body in [("/api/health", None), ("/api/ask", {"question": "新华区优良天数排名"}),
                       ("/api/search", {"query": "新华区"}), ("/v1/models", None),
                       ("/v1/chat/completions", {"messages": [{"role": "user", "content": "新华区"}]})]:
        assert call(url + path, body)[0] == 401, path
        assert call(url + path, body, token="wrong-token")[0] == 401, path
        assert call(url + path, body, token="s3cret-token-1")[0] == 200, path
    assert call(url + "/config")[0] == 401  # the page shows its login form, not the app
    login = urllib.request.Request(url + "/login", data=b"username=u&password=wrong-token", method="POST",
                                   headers={"content-type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(login)
    login.data = b"username=u&password=s3cret-token-1"
    with urllib.request.urlopen(login) as response:
        assert response.status == 200 and "access-token" in response.headers.get("set-cookie", "")
    log = protected.log.read_text()
    assert "s3cret-token-1" not in log and "wrong-token" not in log


def test_non_loopback_without_tokens_refuses_to_start(tmp_path):
    from indexing.settings import Settings
    from ui.server import create_app

    settings = Settings(data_dir=tmp_path / "d", corpus_dir=tmp_path)
    assert settings.auth_required("0.0.0.0") and not settings.auth_required("127.0.0.1")
    with pytest.raises(ValueError, match="XINWEN_API_TOKENS"):
        create_app(settings, host="0.0.0.0")


def test_beyond_capacity_requests_get_429_with_retry_after(seed_assistant, server_url):
    """One answer at a time, one waiting: of six at once, the overflow is refused at once, none hangs."""
    import concurrent.futures

    s = seed_assistant.settings
    srv = Server(s.data_dir, s.corpus_dir, XINWEN_ANSWERER="llm", XINWEN_LLM_BASE_URL=server_url,
                 XINWEN_MAX_CONCURRENT_ANSWERS="1", XINWEN_MAX_QUEUE="1")
    try:
        def ask(question):
            request = urllib.request.Request(srv.url + "/api/ask", data=json.dumps({"question": question}).encode(),
                                             headers={"content-type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=180) as response:
                    return response.status, None
            except urllib.error.HTTPError as error:
                return error.code, error.headers.get("Retry-After")

        questions = ["焦店镇镇长是谁", "新华区优良天数排名", "中央花园社区常驻居民有多少人", "香山街道助学金多少钱",
                     "户春香清理了多少栋楼的飞线", "新华区实验小学校长是谁"]
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            results = list(pool.map(ask, questions))
        codes = sorted(code for code, _ in results)
        assert codes.count(200) >= 2 and codes.count(429) >= 1 and set(codes) <= {200, 429}, results
        assert all(retry == "5" for code, retry in results if code == 429)
    finally:
        srv.stop()
