"""The chat page in a real browser (Debian chromium driven by Playwright): ask, see the streamed
answer with [1], open the citation and see the supporting sentence highlighted; the same through
`/embed-demo`'s iframe and `<gradio-app>` web component. Screenshots go to tests/screenshots/."""
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: apt-get install -y chromium fonts-wqy-microhei")
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def ask_and_open_citation(root, page, name: str):
    """In `root` (a page, a frame or the web component): ask, wait for [1], click it, check the mark."""
    root.locator("#xw-question textarea").fill("新华区优良天数排名")
    root.locator("#xw-send").click()
    cite = root.locator("#xw-chat a.xw-cite").first
    cite.wait_for(timeout=60_000)
    message = root.locator("#xw-chat .xw-status").last
    assert "已核对" in message.inner_text()
    assert "第一" in root.locator("#xw-chat").inner_text()
    page.screenshot(path=str(SHOTS / f"{name}-answer.png"), full_page=True)
    cite.click()
    mark = root.locator("#xw-chat details.xw-source[open] mark").first
    mark.wait_for(state="visible", timeout=10_000)
    assert "排名第一" in mark.inner_text()
    page.screenshot(path=str(SHOTS / f"{name}-citation.png"), full_page=True)


def test_chat_page_answers_and_opens_the_citation(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.goto(server.url + "/")
    ask_and_open_citation(page, page, "page")
    page.locator("#xw-clear").click()
    page.wait_for_function("!document.querySelector('#xw-chat a.xw-cite')", timeout=10_000)
    page.close()


def test_embedded_iframe(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(server.url + "/embed-demo")
    ask_and_open_citation(page.frame_locator("#xw-iframe"), page, "embed-iframe")
    page.close()


def test_embedded_web_component(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 2400})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + "/embed-demo")
    ask_and_open_citation(page.locator("#xw-component"), page, "embed-component")
    assert all(url.startswith(server.url) or url.startswith("data:") for url in requests)  # nothing from a CDN
    page.close()


def test_search_tab_shows_all_three_modes(browser, server):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(server.url + "/")
    page.get_by_role("tab", name="检索测试").click()
    page.get_by_label("检索词").fill("鹰城大妈")
    page.get_by_role("button", name="检索", exact=True).click()
    for mode in ("dense", "keyword", "hybrid"):
        expect(page.locator(f"#xw-{mode}")).to_contain_text("鹰城大妈", timeout=30_000)
    page.close()


def test_a_listing_answer_links_each_report_and_opens_it(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(server.url + "/")
    page.locator("#xw-question textarea").fill("毛玺玺写了哪些报道？")
    page.locator("#xw-send").click()
    listed = page.locator("#xw-chat a.xw-listed")
    listed.first.wait_for(timeout=60_000)
    assert listed.count() == 8 and "共8篇" in page.locator("#xw-chat").inner_text()
    page.locator("#xw-chat a.xw-listed", has_text="精准施策让蓝天常驻").click()
    opened = page.locator("#xw-chat details.xw-source[open]").first
    opened.wait_for(state="visible", timeout=10_000)
    assert "优良天数为224天" in opened.inner_text() and "A级企业1家" in opened.inner_text()  # the whole article
    page.screenshot(path=str(SHOTS / "listing-answer.png"), full_page=True)
    page.close()


def test_the_date_filter_narrows_what_the_chat_answers_from(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(server.url + "/")
    page.get_by_text("筛选（日期、记者、栏目）").click()
    page.locator("#xw-since input, #xw-since textarea").first.fill("2021-10-18")
    page.locator("#xw-until input, #xw-until textarea").first.fill("2021-10-18")
    page.locator("#xw-question textarea").fill("新华区有哪些活动？")
    page.locator("#xw-send").click()
    page.locator("#xw-chat .xw-sources").first.wait_for(timeout=60_000)
    sources = page.locator("#xw-chat .xw-sources summary").all_inner_texts()
    assert sources and all("2021-10-18" in s for s in sources), sources
    page.screenshot(path=str(SHOTS / "date-filter.png"), full_page=True)
    page.close()


def test_library_tab_lists_metadata_and_opens_an_article(browser, server):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(server.url + "/")
    page.get_by_role("tab", name="资料库").click()
    library = page.locator("#xw-library")
    expect(library).to_contain_text("郑亚丽", timeout=30_000)  # the photographer column
    library.get_by_text("精准施策让蓝天常驻").first.click()
    expect(page.locator("#xw-article")).to_contain_text("优良天数为224天", timeout=30_000)
    page.screenshot(path=str(SHOTS / "library-article.png"), full_page=True)
    page.close()


def test_library_tab_uploads_and_indexes_a_file(browser, tmp_path):
    from playwright.sync_api import expect

    from .conftest import Server

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    srv = Server(tmp_path / "data", corpus, XINWEN_ALLOW_UPLOAD="true", XINWEN_ANSWERER="extractive")
    try:
        good = tmp_path / "新闻 稿.txt"  # saved under a safe name
        good.write_text("曙光街街道开展消防演练\n\n本报讯 11月2日,曙光街街道组织120名居民参加消防演练。", encoding="utf-8")
        bad = tmp_path / "tool.exe"
        bad.write_bytes(b"MZ\x90\x00")
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(srv.url + "/")
        page.get_by_role("tab", name="资料库").click()
        page.locator("#xw-upload input[type=file]").set_input_files([str(bad)])
        page.get_by_role("button", name="上传并索引").click()
        page.get_by_text("Invalid file type: tool.exe").first.wait_for(timeout=30_000)  # gradio's own check
        page.reload()
        page.get_by_role("tab", name="资料库").click()
        page.locator("#xw-upload input[type=file]").set_input_files([str(good)])
        page.get_by_role("button", name="上传并索引").click()
        page.get_by_text("已索引 1 个文件").wait_for(timeout=120_000)
        expect(page.locator("#xw-library")).to_contain_text("曙光街街道开展消防演练", timeout=10_000)
        page.screenshot(path=str(SHOTS / "library-upload.png"), full_page=True)
        assert (corpus / "uploads" / "新闻_稿.txt").exists() and not (corpus / "uploads" / "tool.exe").exists()
        page.close()
    finally:
        srv.stop()


@pytest.mark.parametrize("name, safe", [
    ("../../etc/passwd.txt", "passwd.txt"), ("..\\..\\win.txt", "win.txt"), (".hidden.md", "hidden.md"),
    ("新闻 稿(1).txt", "新闻_稿_1_.txt"), ("a/b/../c.pdf", "c.pdf"), ("", "upload"),
])
def test_upload_names_are_sanitised(name, safe):
    from ui.app import safe_file_name

    assert safe_file_name(name) == safe
