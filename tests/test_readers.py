"""Reading every supported format and encoding; refusing bad files with a specific reason."""
import json
from dataclasses import replace
from pathlib import Path

import pytest

from indexing.newspaper import parse_source
from indexing.readers import UnreadableFile, read_file

TEXT = "新华区优良天数为224天,排名第一。\n\n中央花园社区常驻居民6648人。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5"])
def test_chinese_encodings_are_detected(tmp_path: Path, encoding):
    text = TEXT if encoding != "big5" else "新華區優良天數為224天,排名第一。\n\n中央花園社區常駐居民6648人。"
    path = tmp_path / f"page-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    (record,) = read_file(path, path.name)
    assert record.text == text


def test_markdown_headings(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text("# 新华区空气质量排名第一\n\n新华区优良天数为224天,排名第一。\n", encoding="utf-8")
    (article,) = parse_source(read_file(path, "a.md"))
    assert article.title == "新华区空气质量排名第一"
    assert article.text == "新华区优良天数为224天,排名第一。"


def test_html_main_text_without_markup(tmp_path: Path):
    body = "".join(f"<p>{s}</p>" for s in ["新华区优良天数为224天,排名第一。" * 3, "中央花园社区常驻居民6648人。" * 3])
    html = (
        "<html><head><title>新闻</title><script>var tracking = 1;</script></head><body>"
        "<nav>首页 | 新闻 | 联系我们</nav>"
        f"<article><h1>新华区空气质量排名第一</h1>{body}</article><footer>版权所有</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("gbk").replace(b"<head>", b'<head><meta charset="gbk">'))
    (record,) = read_file(path, "page.html")
    assert "新华区优良天数为224天" in record.text and "中央花园社区" in record.text
    assert "<p>" not in record.text and "tracking" not in record.text


def test_docx(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_paragraph("新华区空气质量排名第一")
    document.add_paragraph("新华区优良天数为224天,排名第一。")
    path = tmp_path / "a.docx"
    document.save(str(path))
    (article,) = parse_source(read_file(path, "a.docx"))
    assert article.title == "新华区空气质量排名第一"
    assert "224天" in article.text


def test_jsonl_records_are_articles(tmp_path: Path):
    path = tmp_path / "docs.jsonl"
    rows = [
        {"doc_id": "d1", "title": "标题一", "text": "第一篇\u3000正文。\r\n第二句。"},
        {"doc_id": "d2", "title": None, "text": "没有标题的第二篇正文。"},
        {"doc_id": "d3", "title": "空", "text": ""},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    articles = parse_source(read_file(path, "docs.jsonl"))
    assert [(a.title, a.record_id) for a in articles] == [("标题一", "d1"), ("没有标题的第二篇正文", "d2")]
    assert articles[0].text == "第一篇 正文。\n第二句。"


def test_one_article_per_line_dump(tmp_path: Path):
    lines = [
        "[ 2023-07-28 16：40 ] ，正文：人民网柏林7月28日电 （记者刘仲华、张慧中）7月27日晚，大使馆举行招待会。约350人出席。",
        "[ 2023-07-29 09：00 ] ，正文：第二篇新闻正文。",
        "08/16  13:50，正文：第三篇,没有年份。",
    ]
    path = tmp_path / "dump.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    articles = parse_source(read_file(path, "dump.txt"))
    # a stamp without a year is in the year of the file's other stamps
    assert [a.date for a in articles] == ["2023-07-28", "2023-07-29", "2023-08-16"]
    assert articles[0].reporters == ["刘仲华", "张慧中"]
    assert articles[0].title == "7月27日晚，大使馆举行招待会"
    assert len({a.id for a in articles}) == 3


def test_web_articles_give_their_headline_and_byline_from_their_first_lines(tmp_path: Path):
    lines = [
        "2023-07-25 18:04，正文：原标题：浙江法院五年调撤涉外案件1.2万余件 金额达1325亿元新华社客户端浙江频道7月25日电（吴帅帅）记者从24日召开的发布会上获悉。",
        "2023-07-27 10:00，正文：宣城广德：提升百姓幸福感 文明菜市“暖民心”央广网宣城7月27日消息（记者徐秋韵 通讯员彭莘梓）据广德市介绍，菜市场完成改造。",
        "2023-07-25 20:37，正文：原标题：社工站开展社区公益夏令营社工站开展社区公益夏令营，共有30名儿童参加。",
        "2023-07-31 19:20，正文：文/羊城晚报全媒体记者 胡广欣7月31日16:00，李玟追思会在香港殡仪馆举行。",
    ]
    path = tmp_path / "web.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    first, second, third, fourth = parse_source(read_file(path, "web.txt"))
    assert first.title == "浙江法院五年调撤涉外案件1.2万余件 金额达1325亿元"
    assert second.title == "宣城广德：提升百姓幸福感 文明菜市“暖民心”"
    assert (second.reporters, second.correspondents) == (["徐秋韵"], ["彭莘梓"])
    assert third.title == "社工站开展社区公益夏令营"  # the headline repeated as the text's first line
    assert fourth.reporters == ["胡广欣"]  # 文/<outlet>记者 <name>


def test_an_untitled_web_article_is_titled_by_its_first_statement_not_its_credit(tmp_path: Path):
    texts = {
        "新京报贝壳财经讯（见习记者 韦博雅）8月1日，足球运动员梅西在微博上发布消息称，成为赤水河酒的品牌代言人。": "8月1日，足球运动员梅西",
        "中国青年报客户端讯（中青报·中青网记者 胡宁 实习生 陈智敏）北京近日的持续强降雨，导致丰沙铁路线多段遭遇严重水害。": "北京近日的持续强降雨",
        "四川在线记者 王若晔当前，共建成渝地区双城经济圈的重大项目正在稳步推进。": "当前，共建成渝地区",
        "7月24日，记者从西安市财政局获悉：财政部、交通运输部近日联合组织开展评审工作。": "7月24日，记者从西安市财政局获悉",
        "您的浏览器不支持此视频格式 龙奕彤 四川在线记者 李婷 雷倢 摄影 黄潇8月8日晚，成都大运会闭幕式上，有一群特别的演员。": "8月8日晚，成都大运会闭幕式上",
        "【环球网报道 见习记者 赵博元】据路透社8月2日报道，波兰总统外交政策顾问的言论引发争议。": "据路透社8月2日报道",
        "据央视新闻消息，记者今天从北京监管局了解到，北京保险行业累计收到报损案件2.74万件。": "记者今天从北京监管局了解到",
    }
    path = tmp_path / "web.txt"
    path.write_text("\n".join(f"2023-08-0{i} 10:00，正文：{t}" for i, t in enumerate(texts, 1)), encoding="utf-8")
    articles = parse_source(read_file(path, "web.txt"))
    assert [a.title[: len(start)] for a, start in zip(articles, texts.values())] == list(texts.values())
    assert all(a.title_derived and len(a.title) <= 31 for a in articles)
    assert articles[-1].reporters == []  # 记者今天: no name
    # the id does not hang on a derived title: a better derivation re-reads, never re-embeds
    renamed = replace(articles[0], title="另一个派生标题")
    assert renamed.id == articles[0].id


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", bytes(range(256)) * 4, "binary file"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unsupported file type '.png'"),
        ("broken.docx", b"not a zip", "not a readable .docx"),
        ("broken.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("bad.jsonl", b'{"doc_id": 1, "text": "ok"}\n{broken', "line 2 is not JSON"),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_file(path, name)


def test_truncated_utf8_is_still_read(tmp_path: Path):
    data = "新华区优良天数为224天,排名第一。".encode("utf-8") * 20
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1])  # last character cut in half
    (record,) = read_file(path, "cut.txt")
    assert record.text.startswith("新华区优良天数为224天")


def test_size_limit(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_bytes("新闻。".encode() * 100_000)
    with pytest.raises(UnreadableFile, match="too large"):
        read_file(path, "big.txt", max_bytes=10_000)
