"""Questions about the archive itself (which reports, who wrote them, what the page holds, how
many), filters through each interface, and time read against the archive, not the clock."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from assistant import Assistant
from assistant.filters import Filters
from assistant.timeline import resolve

from .conftest import make_settings, post, run_cli

NEWEST = date(2021, 10, 20)  # the seed page's newest report


@pytest.mark.parametrize("text, reference, start, end", [
    ("今年新华区优良天数", NEWEST, date(2021, 1, 1), date(2021, 12, 31)),  # the clock says 2026: the archive says 2021
    ("今年以来有哪些报道", NEWEST, date(2021, 1, 1), NEWEST),
    ("去年的报道", NEWEST, date(2020, 1, 1), date(2020, 12, 31)),
    ("上周有哪些新闻", date(2023, 8, 17), date(2023, 8, 7), date(2023, 8, 13)),
    ("本周的报道", date(2023, 8, 17), date(2023, 8, 14), date(2023, 8, 17)),
    ("上月的报道", date(2023, 8, 17), date(2023, 7, 1), date(2023, 7, 31)),
    ("10月中旬新华区有哪些活动", NEWEST, date(2021, 10, 11), date(2021, 10, 20)),
    ("7月底有哪些报道", date(2023, 8, 17), date(2023, 7, 21), date(2023, 7, 31)),
    ("8月8日到10日北京有哪些报道", date(2023, 8, 17), date(2023, 8, 8), date(2023, 8, 10)),
    ("近日有什么新闻", date(2023, 8, 17), date(2023, 8, 11), date(2023, 8, 17)),
    ("2023年上半年的报道", None, date(2023, 1, 1), date(2023, 6, 30)),
    ("8月第一周成都大运会", date(2023, 8, 17), date(2023, 8, 1), date(2023, 8, 7)),
    ("17号有哪些警方的报道", date(2023, 8, 17), date(2023, 8, 17), date(2023, 8, 17)),  # a day of the newest month
    ("25号的新闻", date(2023, 8, 17), date(2023, 7, 25), date(2023, 7, 25)),  # not yet in August: July's
])
def test_relative_dates_are_read_against_the_archive(text, reference, start, end):
    period = resolve(text, reference)
    assert (period.start, period.end) == (start, end)


def test_a_line_or_building_number_is_no_day():
    assert resolve("上海地铁3号线扶梯上摔倒的吴某赔了多少钱？", date(2023, 8, 17)) is None
    assert resolve("17号楼的居民什么时候搬回去？", date(2023, 8, 17)) is None


def test_a_vague_recent_does_not_narrow_a_search_for_a_fact():
    """最近运到的那批葡萄柚 may have come a month before the newest report; 上周 is a bound."""
    assert not resolve("最近运到洋山口岸的那批葡萄柚是从哪国进口的？", date(2023, 8, 17)).narrows
    assert resolve("上周洋山口岸进口了什么？", date(2023, 8, 17)).narrows


def test_a_relative_date_with_no_dated_report_has_no_reference():
    assert resolve("上周有哪些新闻", None) is None


def ask(assistant: Assistant, question: str, **filters):
    return assistant.ask(question, answerer="extractive", filters=Filters.parse(**filters) if filters else None)


def test_reports_by_a_reporter_are_listed_with_their_dates_and_cited(seed_assistant):
    answer = ask(seed_assistant, "毛玺玺写了哪些报道？")
    assert answer.answerer == "archive" and not answer.refused
    assert "共8篇" in answer.text and len(answer.citations) == 8
    assert "《精准施策让蓝天常驻》（2021-10-19，记者毛玺玺 通讯员张祎）" in answer.text


def test_reports_of_the_page_on_a_topic_are_only_those_on_it(seed_assistant):
    """这一版有哪些关于志愿者的报道 lists the page's reports that speak of volunteers (志愿者, 志愿服务),
    says so, and shows for each the sentence that does."""
    listing = ask(seed_assistant, "这一版有哪些关于志愿者的报道？").text
    assert "关于“志愿者”" in listing and "少先队员参加志愿服务活动" in listing and "平安志愿者参加培训" in listing
    assert "精准施策让蓝天常驻" not in listing and "名校长" not in listing


def test_who_wrote_and_who_photographed_a_report(seed_assistant):
    assert "通讯员罗恩颖" in ask(seed_assistant, "焦店镇去江苏招商那篇，通讯员是谁？").text
    assert "王浚洋" in ask(seed_assistant, "退役军人给树木刷白的照片是谁拍的？").text
    # asked by its headline, which the article's text does not repeat
    assert "记者毛玺玺 通讯员张祎" in ask(seed_assistant, "《精准施策让蓝天常驻》是谁写的？").text
    assert "记者毛玺玺" in ask(seed_assistant, "《省第六批中小学名校长名单公布》的作者").text
    who = ask(seed_assistant, "毛玺玺是什么身份？")
    assert "毛玺玺是记者" in who.text and who.citations


def test_a_report_described_in_other_words_is_found_for_its_byline(seed_assistant):
    """The question describes the report (穿冬衣 for 刷白, 写户春香清理飞线那篇): the retriever finds it;
    a report the archive does not have is not replaced by the nearest one."""
    assert "王浚洋" in ask(seed_assistant, "退役军人给树木穿冬衣的照片，摄影者是谁？").text
    assert "陈莉娟" in ask(seed_assistant, "写户春香清理飞线那篇报道，署名的通讯员叫什么？").text
    assert "张祎" in ask(seed_assistant, "《精准施策让蓝天常驻》这篇稿子的通讯员是谁？").text
    assert "毛玺玺" in ask(seed_assistant, "户春香清飞线那篇报道的作者是谁？").text  # jieba's 户春香清 is 户春香
    assert "郑亚丽是摄影者" in ask(seed_assistant, "版面上署名的郑亚丽是干什么的？").text
    missing = ask(seed_assistant, "大熊猫那篇报道是谁写的？")
    assert missing.refused and "大熊猫" in missing.notice


def test_what_the_page_holds_and_how_many_reports(seed_assistant):
    edition = ask(seed_assistant, "这一版一共有几篇报道？")
    assert "共有10篇（8篇报道、2张图片新闻）" in edition.text and "2021年10月14日至10月20日" in edition.text
    day = ask(seed_assistant, "10月20日有哪些新闻？")
    assert "共3篇" in day.text and all(t in day.text for t in ("368家企业", "中央花园社区", "利用特长清"))
    named = ask(seed_assistant, "新华区这版里，10月19号发生的新闻有哪些？")  # 新华区 names the page, not a topic
    assert "10月19日的共有3篇" in named.text and "焦店镇" in named.text
    topic = ask(seed_assistant, "关于鹰城大妈的报道有哪些？")
    assert "共2篇" in topic.text and all("鹰城大妈" in c.title for c in topic.citations)
    summary = ask(seed_assistant, "这一版讲了什么？")
    assert summary.text.count("\n") >= 10  # a line per item: 8 reports and 2 photos


def test_what_happened_in_a_period_includes_reports_of_it_made_later(seed_assistant):
    """这几天有哪些活动 asks what happened then: the 10-19 report of the 10月15日至18日 trip is one;
    《精准施策让蓝天常驻》's 截至10月18日 only ends a count; 新华区, the page's own district, is no
    topic that leaves out a report naming only its town (焦店镇)."""
    events = ask(seed_assistant, "10月15日到18日这几天，新华区有哪些活动？")
    titles = [c.title for c in events.citations]
    assert any("焦店镇到江苏" in t for t in titles) and any("飞线" in t for t in titles), events.text
    assert not any("蓝天" in t for t in titles) and events.text.startswith("2021年10月15日至10月18日的事见于4篇报道"), events.text
    published = ask(seed_assistant, "10月18日有哪些报道？")  # reports of the day: as published
    assert "共1篇" in published.text and "香山街道" in published.text, published.text


def test_a_report_by_its_place_on_the_page_and_by_a_correspondent(seed_assistant):
    last = ask(seed_assistant, "这一版最后一篇是什么？讲了啥")
    assert last.text.startswith("这一版") and "的最后一篇是《精准施策让蓝天常驻》" in last.text, last.text
    assert [c.title for c in last.citations] == ["精准施策让蓝天常驻"]
    third = ask(seed_assistant, "这版第三篇讲的什么？")
    assert "的第三篇是《" in third.text and len({c.title for c in third.citations}) == 1, third.text
    assert ask(seed_assistant, "这版第十一篇讲的什么？").refused  # a page of 10: said, no traceback
    second_last = ask(seed_assistant, "这版报纸倒数第二篇讲的是什么？")
    assert "的倒数第二篇是《" in second_last.text and "香山街道" in second_last.text, second_last.text
    words = ask(seed_assistant, "不算图片新闻的话，这一版有几篇文字报道？")
    assert "共有8篇报道" in words.text and not any(c.title.startswith(("少先队员", "退役军人")) for c in words.citations), words.text
    signed = ask(seed_assistant, "通讯员张祎参与写的是哪一篇？")
    assert "《精准施策让蓝天常驻》" in signed.text and "共1篇" in signed.text, signed.text
    other = ask(seed_assistant, "讲新华区帮368家企业解决问题的那篇稿子，除了记者毛玺玺，还署了哪个通讯员？")
    assert "苗娟" in other.text and not other.refused, other.text  # 毛玺玺 set aside: the report's byline
    role = ask(seed_assistant, "王浚洋在这版上是干啥的？")
    assert "摄影" in role.text and not role.refused, role.text


def test_the_local_places_a_page_names_are_listed_each_with_its_report(seed_assistant):
    places = ask(seed_assistant, "这版报纸都写到了新华区哪些街道、乡镇？")
    named = re.findall(r"^\d+\. (\S+?)：", places.text, re.M)
    assert set(named) == {"中兴路街道", "香山街道", "曙光街街道", "焦店镇", "西高皇街道", "新新街街道"}, places.text
    assert "共6个" in places.text and len(places.citations) == 6 and places.verified
    communities = ask(seed_assistant, "这一版提到了哪些社区？")
    assert set(re.findall(r"^\d+\. (\S+?)：", communities.text, re.M)) == {"文化宫社区", "曙北社区", "中央花园社区", "兴华社区"}


@pytest.mark.parametrize("question, says", [
    ("张三写了哪些报道？", "没有署名“张三”"),
    ("2023年9月1日有哪些报道？", "资料的日期范围是2021年10月14日至10月20日"),
    ("10月20日到10月18日之间有哪些报道？", "日期范围颠倒"),
])
def test_questions_about_what_the_archive_lacks_say_what_it_has(seed_assistant, question, says):
    answer = ask(seed_assistant, question)
    assert answer.refused and says in answer.notice


def test_a_filter_through_the_python_api(seed_assistant):
    answer = ask(seed_assistant, "新华区有哪些活动？", since="2021-10-19", until="2021-10-19")
    assert answer.citations and all(c.date == "2021-10-19" for c in answer.citations)
    hits = seed_assistant.search("志愿者", k=10, filters=Filters.parse(reporter="郑亚丽"))
    assert hits and {h["title"] for h in hits} == {"少先队员参加志愿服务活动"}
    with pytest.raises(ValueError, match="日期范围颠倒"):
        Filters.parse("2021-10-20", "2021-10-18")
    with pytest.raises(ValueError, match="相近的署名：毛玺玺"):
        ask(seed_assistant, "新华区有哪些活动？", reporter="毛玺")


def test_a_filter_through_the_cli(seed_assistant):
    s = seed_assistant.settings
    env = {"XINWEN_DATA_DIR": str(s.data_dir), "XINWEN_CORPUS_DIR": str(s.corpus_dir)}
    done = run_cli("search", "志愿者", "--reporter", "王浚洋", "--json", env=env)
    assert done.returncode == 0 and {h["title"] for h in json.loads(done.stdout)} == {"退役军人为树木“穿冬衣”"}
    bad = run_cli("ask", "志愿者", "--since", "2021-13-01", env=env)
    assert bad.returncode == 2 and "日期格式错误" in bad.stderr


def post_json(url: str, body: dict) -> dict:
    return json.load(post(url, body))


def test_a_filter_through_rest_and_v1(server):
    rest = post_json(server.url + "/api/ask", {"question": "新华区有哪些活动？",
                                          "filters": {"since": "2021-10-18", "until": "2021-10-18"}})
    assert rest["citations"] and all(c["date"] == "2021-10-18" for c in rest["citations"])
    v1 = post_json(server.url + "/v1/chat/completions", {"messages": [{"role": "user", "content": "这张照片是谁拍的？"}],
                                                    "filters": {"reporter": "郑亚丽"}})
    assert "郑亚丽" in v1["choices"][0]["message"]["content"]


def test_a_corpus_without_dates_still_answers_and_says_dates_are_unknown(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.txt").write_text("城南社区组织志愿者清理了12处卫生死角，共有40名居民参加。", encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    report = assistant.index(progress=False)
    assert report.undated and report.undated[0]["articles"] == 1  # indexed, with the reason
    assert "40名" in assistant.ask("城南社区有多少名居民参加？", answerer="extractive").text
    answer = assistant.ask("上周有哪些新闻？", answerer="extractive")
    assert answer.refused and "没有日期" in answer.notice


def test_places_inside_a_province_are_the_province():
    from assistant.places import within

    assert {"西安", "西安市", "宝鸡"} <= set(within("陕西")) and "深圳" in within("广东省")
    assert "福田区" in within("深圳") and within("新华区") == []
    assert "城区" not in within("山西")  # a name several provinces have says nothing of which
    assert {"波兰", "美国", "日本"} <= set(within("国际")) and not {"蒙古", "中国"} & set(within("国外"))
    assert "宁乡市" in within("湖南")  # today's divisions: 宁乡县 became a city in 2017
    assert {"辽宁", "大连", "长春", "哈尔滨"} <= set(within("东北"))  # a region is its provinces


def test_a_place_read_across_another_place_is_not_named():
    from assistant.archive import about_the_kind
    from indexing.keyword import Tokenizer

    shanghai = "8月4日，2023上海城市设计挑战赛启动会在上海城市规划展示馆举行。挑战赛面向全球征集上海城市设计方案。"
    assert not about_the_kind("辽宁", "上海城市设计挑战赛", shanghai, Tokenizer())  # 海城市 is in 辽宁: not here
    ningxiang = "记者从宁乡市人民检察院获悉，14人获刑。宁乡市人民检察院以涉嫌销售有毒、有害食品罪提起公诉。"
    assert about_the_kind("湖南", "面粉做成“壮阳神药”？", ningxiang, Tokenizer())


def test_a_listing_of_a_province_finds_reports_that_name_only_its_cities(tmp_path, embedder):
    """广东有哪些新闻 lists a report from 深圳 that never writes 广东, and not one from 西安."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "shenzhen.txt").write_text("深圳福田区新开通两条公交线路，方便市民出行。", encoding="utf-8")
    (corpus / "xian.txt").write_text("西安雁塔区举办夏季读书会，吸引了200名市民参加。", encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    listing = assistant.ask("广东有哪些新闻？", answerer="extractive")
    assert listing.answerer == "archive" and "共1篇" in listing.text and "公交" in listing.text
    assert "读书会" in assistant.ask("陕西有哪些报道？", answerer="extractive").text


def test_a_listing_of_a_field_or_of_abroad_finds_the_reports_about_it_not_those_naming_it_in_passing(tmp_path, embedder):
    """体育 and 国际 are written in none of the reports: the sports report names its sport, the
    foreign one names 波兰 twice. A report that names 美国 once in passing, or whose 上海地铁 holds
    the letters of 海地, is not foreign news; one that writes 教育 once in passing (教育引导) is not
    education news, nor is one with a 文体体育活动 and a 比赛活动 for the elderly sports news."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    reports = {
        "poland.txt": "波兰总统顾问就边境问题发表言论。\n波兰外交部随后召见邻国大使，双方互召大使。",
        "metro.txt": "上海地铁10号线暑期延长夜间运营。\n上海地铁17号线同步调整末班车时间。",
        "bakery.txt": "市民张先生开了一家面包店，生意红火。\n他去年从美国回来后学会了烘焙，每天售出面包300个。",
        "swim.txt": "我市游泳运动员在全国锦标赛上夺得两枚金牌。\n教练说队员们备战了整整一年。",
        "school.txt": "区教育局新建三所小学，新增学位2700个。\n新学校将于九月开学。",
        "elderly.txt": "中央花园社区创建老年友好型社区。\n社区开展老年文体体育活动，通过版面宣传、教育引导，营造敬老氛围。\n社区还经常举办老年人参加的比赛活动。",
    }
    for name, text in reports.items():
        (corpus / name).write_text(text, encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    abroad = assistant.ask("有哪些国际新闻？", answerer="extractive")
    assert abroad.answerer == "archive" and "共1篇" in abroad.text and "波兰" in abroad.text
    sports = assistant.ask("有没有体育方面的报道？", answerer="extractive")
    assert "共1篇" in sports.text and "金牌" in sports.text and "意思相近" not in sports.text and "中央花园" not in sports.text
    schools = assistant.ask("有没有教育方面的报道？", answerer="extractive")
    assert "共1篇" in schools.text and "小学" in schools.text and "中央花园" not in schools.text


def test_a_listing_line_says_the_news_of_a_report_not_only_its_scene_setting_lead(tmp_path, embedder):
    """A report that opens with the weather and then says what was decided: its line in a listing
    carries the decision (the sentence that shares most with the rest of the report)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report = ("2023-08-17 10:00，正文：人民网北京8月17日电（记者杜燕飞）近日，受台风影响，我国多地出现极端降雨过程，造成人员伤亡和财产损失。"
              "此前，金融监管总局印发通知，要求27家银行在48小时内为12类小微企业开通绿色通道。"
              "人民银行决定增加受灾省份支农支小再贷款额度350亿元，支持受灾地区灾后重建。"
              "受灾地区的小微企业和农户可以通过银行申请再贷款资金支持，利率优惠。"
              "再贷款额度将按受灾程度分配到各省份。")
    (corpus / "news.txt").write_text(report + "\n", encoding="utf-8")
    for n, text in enumerate(REPORTS):  # the rest of the archive: what makes a word telling
        (corpus / f"r{n:02d}.txt").write_text(text, encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    listing = assistant.ask("杜燕飞写了哪些报道？", answerer="extractive")
    assert "共1篇" in listing.text and "350亿元" in listing.text


REPORTS = [
    "中国男足在世预赛中以2比0击败泰国队，武磊梅开二度。", "梅西加盟迈阿密国际队后首秀打进制胜任意球。",
    "城南社区组织志愿者清理了12处卫生死角。", "市气象台发布暴雨黄色预警，预计降雨量达80毫米。",
    "区教育局新建三所小学，新增学位2700个。", "高速公路一辆货车追尾，造成两人受伤。",
    "上半年全市地区生产总值同比增长5.6%。", "市图书馆推出夜间阅读服务，开放至晚上十点。",
    "警方破获一起电信诈骗案，抓获嫌疑人12名。", "新建的湿地公园迎来黑鹳等珍稀鸟类栖息。",
    "市人民医院开通心脏急救绿色通道。", "夏粮收购价格保持稳定，农民售粮积极。",
    "地铁5号线延伸段开通试运营。", "老旧小区改造完成加装电梯46部。",
    "文化馆举办暑期公益书法培训班。", "市场监管局抽检食品300批次，合格率98%。",
    "新能源汽车充电桩覆盖全部乡镇。", "消防员成功救出被困电梯的三名乘客。",
    "高校毕业生就业招聘会提供岗位5000个。", "农业农村局推广水稻新品种，亩产提高一成。",
    "博物馆新展出土青铜器80余件。", "自来水厂完成管网改造，供水更稳定。",
]


def test_a_listing_of_a_kind_of_news_no_report_names_finds_the_reports_close_in_meaning(tmp_path, embedder):
    """野生动物 is written in none of the reports: the one about rare birds is listed, saying so; a
    topic nothing is about (核污水排海) is still refused."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, text in enumerate(REPORTS):
        (corpus / f"r{n:02d}.txt").write_text(text, encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    listing = assistant.ask("有没有野生动物方面的新闻？", answerer="extractive")
    assert listing.answerer == "archive" and "意思相近的报道共1篇" in listing.text and "黑鹳" in listing.text
    assert assistant.ask("有没有关于核污水排海的报道？", answerer="extractive").refused


DATED_REPORTS = [
    "2023-08-02 10:00，正文：新京报讯（记者张明）白酒板块今日走高，贵州茅台股价创出新高。",
    "2023-08-09 10:00，正文：新京报讯（记者李华）一家酒企发布半年报，白酒销量同比增长12%。",
    "2023-08-16 10:00，正文：新京报讯（记者王强）行业协会发布报告，高端白酒需求回暖。",
    "2023-08-16 11:00，正文：新京报讯（记者赵磊）市气象台发布高温预警，最高气温38摄氏度。",
    "2023-08-10 09:00，正文：新京报讯（记者钱进）今年高考录取工作结束，本科批次共录取新生3万人。",
    "2023-08-11 09:00，正文：新京报讯（记者孙悦）多所大学的新生录取通知书开始寄送。",
    "2023-08-03 09:00，正文：新京报讯（记者周平）房山区抢修受损线路，受灾村庄的供电已恢复六成。抢修队伍仍在山区作业。",
    "2023-08-08 09:00，正文：新京报讯（记者吴川）截至8日，房山区受灾村庄全部恢复供电，复电率达到100%。抢修人员转入巡检。",
]


def test_a_vague_recent_orders_a_listing_alternatives_each_count_and_the_latest_is_the_newest(tmp_path, embedder):
    """白酒最近有啥新闻 lists every 白酒 report, newest first (最近 leaves nothing out: a week's window
    would drop two of three); 高考录取、大学录取 lists the reports on either; 最新进展 says what the
    newest report on it says, and its date."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "news.txt").write_text("\n".join(DATED_REPORTS) + "\n", encoding="utf-8")
    assistant = Assistant(make_settings(tmp_path, corpus))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    recent = assistant.ask("白酒最近有啥新闻？", answerer="extractive")
    assert recent.answerer == "archive" and "共3篇" in recent.text and "由近及远" in recent.text
    assert recent.text.index("高端白酒") < recent.text.index("销量") < recent.text.index("茅台")
    either = assistant.ask("高考录取、大学录取方面有哪些报道？", answerer="extractive")
    assert "共2篇" in either.text and "录取通知书" in either.text and "高温" not in either.text
    latest = assistant.ask("房山恢复供电的最新进展", answerer="extractive")  # what the newest report on it says
    assert "最新的相关报道（2023年8月8日）" in latest.text and "100%" in latest.text and "六成" not in latest.text
    assert latest.verified  # the date it opens with is the cited report's own
