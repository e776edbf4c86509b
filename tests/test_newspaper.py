"""Parsing the real seed page, and text copied from web pages, into articles."""
import json
from pathlib import Path

import pytest

from indexing.documents import SourceText
from indexing.newspaper import lead_people, parse_record, parse_source
from indexing.readers import read_file

from .conftest import SEED


@pytest.fixture(scope="module")
def articles():
    return parse_source(read_file(SEED, SEED.name))


def by_title(articles, fragment):
    found = [a for a in articles if fragment in a.title]
    assert len(found) == 1, f"no single article titled like {fragment!r}: {[a.title for a in articles]}"
    return found[0]


def test_seed_yields_eight_articles_and_two_photos(articles):
    assert len(articles) == 10
    assert sum(a.kind == "article" for a in articles) == 8
    photos = [a for a in articles if a.kind == "photo"]
    assert [(p.title, p.photographer) for p in photos] == [
        ("少先队员参加志愿服务活动", "郑亚丽"),
        ("退役军人为树木“穿冬衣”", "王浚洋"),
    ]
    assert all("摄" not in p.text[-3:] for p in photos)


def test_headlines_and_subtitles(articles):
    titles = [a.title for a in articles]
    assert titles == [
        "新华区为368家企业解决问题206个",
        "省第六批中小学名校长名单公布",
        "创建全国示范性老年友好型社区 中央花园社区“有经验”",
        "“鹰城大妈”平安志愿者参加培训",
        "少先队员参加志愿服务活动",
        "“鹰城大妈”显身手 利用特长清“飞线”",
        "退役军人为树木“穿冬衣”",
        "焦店镇到江苏 招商考察“取真经”",
        "走访排查确保惠民政策精准落地 香山街道筹备组助学圆梦",
        "精准施策让蓝天常驻",
    ]
    assert by_title(articles, "精准施策").subtitle == "截至10月18日,新华区今年优良天数居市内五区第一"
    assert by_title(articles, "368家企业").subtitle == "部门联动助力企业发展 服务形式多样“各显其能”"
    assert [a.position for a in articles] == list(range(1, 11))


def test_section_banner_is_not_an_article(articles):
    banner = "创建全国文明城市 巩固国家卫生城市"
    assert all(banner not in a.title and banner not in a.text for a in articles)
    assert by_title(articles, "平安志愿者参加培训").section == banner


def test_subhead_stays_inside_its_article(articles):
    enterprise = by_title(articles, "368家企业")
    assert enterprise.subheads == ["万人助万企 发展添活力"]
    assert "万人助万企 发展添活力\n同时,各部门联动" in enterprise.text
    assert "区环保局在企业环评" in enterprise.text  # the article continues past the sub-head


@pytest.mark.parametrize(
    "fragment, title",
    [
        ("春华国际茗都小区", "中央花园社区"),
        ("不断提高自己的服务水平", "平安志愿者参加培训"),
        ("(河南恒宇通信设备有限公司", "368家企业"),
        ("以“充电桩+App”为主的8台16枪", "368家企业"),
        ("使得多数企业发展陷入了瓶颈", "焦店镇"),
        ("当天,新华区退役军人事务局组织", "穿冬衣"),
        ("根据环境攻坚任务重点不同分为东、西两个片区", "精准施策"),
    ],
)
def test_page_breaks_are_repaired(articles, fragment, title):
    assert fragment in by_title(articles, title).text


def test_no_headline_is_glued_into_a_body(articles):
    for article in articles:
        for other in articles:
            assert other.title not in article.text, f"{other.title!r} inside {article.title!r}"


def test_bylines_become_reporters_and_correspondents_and_leave_the_text(articles):
    enterprise = by_title(articles, "368家企业")
    assert (enterprise.reporters, enterprise.correspondents) == (["毛玺玺"], ["苗娟"])
    assert not enterprise.text.startswith("本报讯")
    flying_wires = by_title(articles, "飞线")
    assert (flying_wires.reporters, flying_wires.correspondents) == (["毛玺玺"], ["陈莉娟"])
    assert flying_wires.text.endswith("户春香说。")
    assert all("本报讯" not in a.text for a in articles)


@pytest.mark.parametrize("lead, reporters", [
    ("四川在线记者 钟帆7月31日下午，成都FISU世界学术大会闭幕。", ["钟帆"]),
    ("广元观察 袁茹莉 实习生 苗雯雯 四川在线记者 张敏“秋老虎”发威，立秋暑未尽。", ["张敏"]),
    ("本报北京7月31日电（中青报·中青网记者 朱彩云）“消费提振年”进入下半场。", ["朱彩云"]),
    ("从雨萌 四川在线记者 边钰 摄影 韦维7月31日，成都体育学院综合馆。", ["边钰"]),  # 韦维 took the photos
    ("四川在线记者 王若晔当前，川渝天然气千亿立方米级产能基地建设正在稳步推进。", ["王若晔"]),  # the name jieba knows
    ("人民网记者 刘宾摄你追我赶。", []),  # a photo credit, not a byline
    ("原标题：黄山游客互殴？官方回应记者 | 王谰 实习生 | 唐诗近日，有网友发视频爆料。", ["王谰", "唐诗"]),  # set apart by bars
    ("工人忙生产。广元市自然资源局供图四川在线记者 张敏投资58亿元，可实现年产值80亿元。", ["张敏"]),  # after a photo's credit
    ("天府黑兔 川农大供图四川在线记者 徐莉莎四川是养兔大省。", ["徐莉莎"]),  # jieba cuts 徐莉|莎
    ("挂牌仪式现场。新京报记者 王颖 摄 当天上午9点41分左右，挂牌仪式开始。", []),  # took the photo
    ("【环球时报驻韩国特约记者  张静】近日在韩国发生多起无差别行凶案件。", ["张静"]),  # in 【】, after the outlet
    ("文/羊城晚报全媒体记者 胡广欣自李玟离世以来，其丈夫一直处在风口浪尖之中。", ["胡广欣"]),  # a 文/ credit, glued
])
def test_web_bylines_after_an_outlet_name(lead, reporters):
    assert lead_people(lead)[0] == reporters


def test_a_correspondent_after_a_reporter_with_no_space_between():
    lead = "原标题：武汉黄陂城管走进垃圾发电厂极目新闻记者 卢成汉通讯员 陈雷 刘娱7月25日，为进一步推进垃圾分类工作。"
    assert lead_people(lead) == (["卢成汉"], ["陈雷", "刘娱"])


@pytest.mark.parametrize("text, photographers", [
    ("四川在线记者 肖莹佩 摄影 欧阳杰 何海洋 李强8月8日20时许，闭幕式现场。烟花。C视觉签约摄影师 邓志昂 摄据了解，闭幕。",
     "欧阳杰 何海洋 李强 邓志昂"),  # the byline's 摄影 and a caption's credit
    ("新京报讯（记者裴剑飞）列车滞留。武警送物资。新京报记者 王巍 摄 由于降雨原因，信号不畅。", "王巍"),
    ("新京报讯（记者裴剑飞）摄影家和摄影爱好者喜爱的拍摄题材。记者在现场拍摄了视频。", None),  # no credit
])
def test_a_web_articles_photo_credits(text, photographers):
    article = parse_record(SourceText("a.jsonl", text, title="", record_id="p1"), 1)
    assert article.photographer == photographers
    assert "记者" not in article.title


def test_the_metadata_of_every_item_on_the_page(articles):
    """Kind, reporters, correspondents, photographer and date of the page's ten items, in page order."""
    assert [(a.kind, a.reporters, a.correspondents, a.photographer, a.date) for a in articles] == [
        ("article", ["毛玺玺"], ["苗娟"], None, "2021-10-20"),
        ("article", ["毛玺玺"], [], None, None),
        ("article", ["毛玺玺"], [], None, "2021-10-20"),
        ("article", ["毛玺玺"], ["来鑫鑫"], None, "2021-10-19"),
        ("photo", [], [], "郑亚丽", "2021-10-14"),
        ("article", ["毛玺玺"], ["陈莉娟"], None, "2021-10-20"),  # dated in its second paragraph
        ("photo", [], [], "王浚洋", "2021-10-17"),
        ("article", ["毛玺玺"], ["罗恩颖"], None, "2021-10-19"),
        ("article", ["毛玺玺"], ["胡晓丽"], None, "2021-10-18"),
        ("article", ["毛玺玺"], ["张祎"], None, "2021-10-19"),
    ]


def test_self_stated_dates(articles):
    # year from the file name, month/day from the lead's own "M月D日," clause
    assert by_title(articles, "精准施策").date == "2021-10-19"
    assert by_title(articles, "368家企业").date == "2021-10-20"
    assert by_title(articles, "少先队员").date == "2021-10-14"
    # "近日" gives no date; "随着10月18日…的启动" is an event, not a date clause: the next paragraph's
    # "10月20日,她在…" dates the news
    assert by_title(articles, "名校长").date is None
    assert by_title(articles, "飞线").date == "2021-10-20"


def test_ids_are_stable_and_unique(articles):
    again = parse_source(read_file(SEED, SEED.name))
    assert [a.id for a in articles] == [a.id for a in again]
    assert len({a.id for a in articles}) == 10


def test_plain_text_without_headings_is_one_article(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text("今天天气很好,我们去公园散步。\n\n公园里有很多人在锻炼身体。", encoding="utf-8")
    (article,) = parse_source(read_file(path, "note.txt"))
    assert article.title == "今天天气很好,我们去公园散步"
    assert article.text == "今天天气很好,我们去公园散步。\n公园里有很多人在锻炼身体。"


WEB_COPY = (
    "当前位置：首页 > 新闻 > 正文 扫一扫下载APP\n"
    "[下载APP看直播/预测领166元红包]新华社杭州5月8日电 跨海大桥昨日建成通车，全长12公里。"
    "视觉中国曾将黑洞照片标注为版权所有，引发公众质疑。市民扫码即可乘车，分享到朋友圈的视频很多。\n"
    "版权所有：某某网 京ICP备00000000号\n"
    "（编译/赵丽娜）返回搜狐，查看更多 责任编辑：王明\n"
)


def test_web_page_chrome_is_removed_and_the_news_kept(tmp_path: Path):
    path = tmp_path / "web.jsonl"
    records = [{"doc_id": "page", "title": None, "text": WEB_COPY},
               {"doc_id": "search", "title": None, "text": "您在查找跨海大桥通车吗？抖音综合搜索帮你找到更多相关视频、图文、直播内容。"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    articles = parse_source(read_file(path, "web.jsonl"))
    assert [a.record_id for a in articles] == ["page"]  # the search-page scrap held nothing but chrome
    text = articles[0].text
    for news in ("新华社杭州5月8日电 跨海大桥昨日建成通车，全长12公里。", "视觉中国曾将黑洞照片标注为版权所有，引发公众质疑。",
                 "市民扫码即可乘车，分享到朋友圈的视频很多。", "（编译/赵丽娜）"):
        assert news in text
    for chrome in ("当前位置", "首页", "正文", "扫一扫", "下载APP", "红包", "版权所有：", "ICP备", "返回搜狐", "责任编辑"):
        assert chrome not in text, chrome
