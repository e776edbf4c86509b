"""Hybrid retrieval and cited answers over the indexed seed page (real model, real Chroma)."""
import json
import re
from pathlib import Path

import pytest

from assistant.citations import attribute, strip_invalid_markers, verify, without_unsupported
from assistant.answer import Citation
from assistant.answerers.extractive import ExtractiveAnswerer
from assistant.prompts import REFUSAL
from assistant.answering import answer
from assistant.question import parse_question
from assistant.retrieval import Passage, Retrieval, select_evidence
from indexing.keyword import Tokenizer

from .conftest import free_port

GOLDEN = Path(__file__).parent / "golden"


def load(name):
    return [json.loads(line) for line in (GOLDEN / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def correct(text: str, facts: list[list[str]]) -> bool:
    return all(any(alt in text for alt in alternatives) for alternatives in facts)


def test_keyword_search_keeps_local_names_whole(seed_assistant):
    tokens = seed_assistant.keyword.tokenizer("新华区“鹰城大妈”在中央花园社区和焦店镇")
    assert tokens == ["新华区", "鹰城大妈", "中央花园社区", "焦店镇"]
    hits = seed_assistant.search("鹰城大妈", k=10, mode="keyword")
    assert hits and all("鹰城大妈" in h["text"] or "鹰城大妈" in h["title"] for h in hits)


def test_a_train_number_keeps_the_noun_after_it_a_word():
    """jieba reads K396次列车 as k396|次列车; the reports write K396次和Z180次旅客列车."""
    from indexing.keyword import Tokenizer

    assert Tokenizer().tokens("K396次列车被困") == ["k396", "次", "列车", "被困"]
    assert Tokenizer().tokens("这次列车") == ["这次", "列车"]


def test_a_name_jieba_glues_to_the_next_word_is_found_and_its_title_given(seed_assistant):
    """主任李闯向大家宣读: jieba's token is 李闯向, so keyword search never sees 李闯; the question is
    about the passage all the same, and who he is is the title before his name."""
    for question in ("李闯是什么职务？", "李闯是谁？"):
        answer = seed_assistant.ask(question, answerer="extractive")
        assert not answer.refused and "综治中心主任" in answer.text, answer.text


def test_a_headline_is_quoted_by_the_line_that_states_the_fact(seed_assistant):
    """The subtitle 截至10月18日,新华区今年优良天数居市内五区第一 states the rank; the title before it
    (精准施策让蓝天常驻) is not part of the quote."""
    answer = seed_assistant.ask("新华区今年优良天数在全省排第几？", answerer="extractive")
    assert answer.partial and "市内五区" in answer.text and "精准施策让蓝天常驻" not in answer.text, answer.text


def test_user_dictionary_file_extends_the_dictionary(seed_assistant, tmp_path):
    from indexing.keyword import KeywordIndex

    words = tmp_path / "userdict.txt"
    words.write_text("# 本地词表\n平安爱心超市\n", encoding="utf-8")
    index = KeywordIndex(tmp_path / "kw", words)
    index.rebuild(seed_assistant.store)
    assert "平安爱心超市" in index.tokenizer("曙北社区设立有平安爱心超市")
    reloaded = KeywordIndex(tmp_path / "kw", words)  # persisted
    assert reloaded.in_step_with(seed_assistant.store)
    assert reloaded.search("平安爱心超市", 1)[0][0] == index.search("平安爱心超市", 1)[0][0]


@pytest.mark.parametrize("mode", ["dense", "keyword", "hybrid"])
def test_search_modes_find_the_air_quality_article(seed_assistant, mode):
    hits = seed_assistant.search("新华区优良天数排名", k=3, mode=mode)
    assert hits[0]["title"] == "精准施策让蓝天常驻"


@pytest.mark.parametrize("item", load("seed.jsonl"), ids=lambda item: item["q"])
def test_extractive_answers_golden_questions(seed_assistant, item):
    answer = seed_assistant.ask(item["q"], answerer="extractive")
    assert not answer.refused
    assert correct(answer.text, item["facts"]), answer.text
    assert re.search(r"\[\d\]", answer.text) and answer.citations and answer.verified
    for citation in answer.citations:  # every marker opens a passage with the sentence in place
        article = next(a for a in seed_assistant.articles() if a["id"] == citation.article_id)
        assert article["text"][citation.start : citation.end] == citation.sentence


@pytest.mark.parametrize("item", load("seed-unanswerable.jsonl"), ids=lambda item: item["q"])
def test_unanswerable_questions_are_refused_with_related_passages(seed_assistant, item):
    answer = seed_assistant.ask(item["q"], answerer="extractive")
    assert answer.refused and answer.text == REFUSAL and answer.citations == []
    assert answer.related  # the nearest passages, offered as 可能相关


@pytest.mark.parametrize("year, refused", [("2019年", True), ("2021年", False), ("2020", True)])
def test_a_question_about_another_year_is_refused_and_says_why(seed_assistant, year, refused):
    """The seed page is from 2021. Quoting its ranking for 2019 would answer a neighbouring question."""
    answer = seed_assistant.ask(f"{year}新华区优良天数排名", answerer="extractive")
    assert answer.refused is refused
    if refused:
        assert year[:4] in answer.notice and answer.related
    else:
        assert "第一" in answer.text


def ask_follow_up(assistant, turns: list[str], answerer: str):
    history = []
    for turn in turns[:-1]:
        previous = assistant.ask(turn, history, answerer)
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": previous.text}]
    return assistant.ask(turns[-1], history, answerer)


@pytest.mark.parametrize("item", load("seed-followups.jsonl"), ids=lambda item: item["turns"][-1])
def test_follow_up_carries_the_subject_over(seed_assistant, item):
    answer = ask_follow_up(seed_assistant, item["turns"], "extractive")
    assert answer.question != item["turns"][-1]  # made standalone before retrieval
    assert correct(answer.text, item["facts"]), (answer.question, answer.text)


def test_dead_endpoint_falls_back_to_extractive_with_a_notice(seed_assistant):
    settings = seed_assistant.settings.model_copy(
        update={"llm_base_url": f"http://127.0.0.1:{free_port()}/v1", "llm_retries": 0}
    )
    original = seed_assistant.settings
    seed_assistant.settings = settings
    try:
        answer = seed_assistant.ask("新华区优良天数排名", answerer="llm")
    finally:
        seed_assistant.settings = original
    assert answer.answerer == "extractive" and "第一" in answer.text
    assert "已改用摘录回答" in answer.notice


def test_bad_questions_get_clear_errors(seed_assistant):
    for bad in ["", "   \n\t", "\x00\x01"]:
        with pytest.raises(ValueError, match="问题为空"):
            seed_assistant.ask(bad)
    with pytest.raises(ValueError, match="问题太长"):
        seed_assistant.ask("新华区" * 7000)
    with pytest.raises(ValueError, match="history 格式错误"):
        seed_assistant.ask("新华区优良天数排名", history=[{"role": "user"}])


def _citation(n, text):
    return Citation(n, "a1", "t", "s", None, text, 0, len(text), text)


def test_citation_check():
    citations = [_citation(1, "优良天数为224天,排名第一。"), _citation(2, "常驻居民6648人。")]
    assert strip_invalid_markers("排名第一[1][3]。", 2) == "排名第一[1]。"
    assert verify("优良天数224天[1]。", citations) == (True, "")
    assert not verify("优良天数225天[1]。", citations)[0]  # a number no cited passage has
    assert not verify("优良天数224天。", citations)[0]  # no citation at all
    assert not verify("居民6648人[1]。", citations)[0]  # the number is in a passage it did not cite


def test_uncited_model_sentences_get_the_marker_of_their_source():
    citations = [_citation(1, "优良天数为224天,排名第一。"), _citation(2, "中央花园社区常驻居民6648人。")]
    assert strip_invalid_markers("常驻居民6648人。[2][2]", 2) == "常驻居民6648人。[2]"
    assert attribute("中央花园社区常驻居民有6648人。", citations) == "中央花园社区常驻居民有6648人。[2]"
    assert attribute("北京今天晴。", citations) == "北京今天晴。"  # nothing it came from: stays uncited
    titled = [_citation(1, "8月10日发布《我又被奥运健儿们种草了！》一文。")]  # the marker never lands inside 《》
    assert attribute("8月10日发布的《我又被奥运健儿们种草了！》一文谈奥运。", titled).endswith("》一文谈奥运。[1]")
    # a marker after the full stop is the sentence's own; a short reply (是的。) claims nothing to cite
    assert without_unsupported("优良天数为224天。[1]是的。北京今天晴，气温适宜。") == ("优良天数为224天。[1]是的。", 1)


def test_a_count_in_another_measure_word_is_not_supported():
    citations = [_citation(1, "已有20个大学生家庭提交了申报材料。")]
    assert verify("已有20个家庭提交[1]。", citations)[0]
    assert not verify("新华区有20所大学[1]。", citations)[0]
    people = [_citation(1, "登记在册60岁以上的老年人有254人。")]
    assert verify("60岁以上老人有254名[1]。", people)[0]  # people are counted in 名, 人 or 位 alike
    assert not verify("60岁以上老人有254户[1]。", people)[0]
    headline = [Citation(1, "a1", "新华区为368家企业解决问题206个", "s", None, "累计收集问题99个。", 0, 9)]
    assert verify("新华区为368家企业解决问题206个[1]。", headline)[0]  # the headline of the cited article states it


def test_a_sentence_that_only_repeats_the_question_is_never_quoted_as_the_answer(seed_assistant):
    """A search page repeats the asked question word for word; it matches every term and answers nothing."""
    tokenizer = Tokenizer()
    question = parse_question("滨江马拉松男子冠军是谁？", tokenizer)
    passage = Passage("c1", "a1", "", "s", None, "滨江马拉松男子冠军是谁？冠军名单一站式查询。肯尼亚选手基普罗诺夺得滨江马拉松男子组冠军。", 0)
    evidence = select_evidence(question, [passage], tokenizer, budget=600)
    retrieval = Retrieval(question, [passage], evidence, has_keyword=True)
    events = list(answer(retrieval, ExtractiveAnswerer(), seed_assistant.settings, {}))
    reply = events[-1]["answer"].text
    assert "基普罗诺" in reply and "是谁" not in reply


def test_a_role_answer_names_the_person_not_a_place_inside_the_title():
    """谈到…的许震中，在洋山海关担任什么职务？ names 洋山海关 (and jieba finds 山海关 in it): the lead
    says who holds the title, 许震中, never a place the title contains."""
    from assistant.answerers.extractive import _lead
    from assistant.gate import Found
    from assistant.statements import match

    question = parse_question("谈到鱼粉在湿热天气下通关的许震中，在洋山海关担任什么职务？", Tokenizer())
    sentence = "洋山海关物流监控五科副科长许震中介绍说，湿热天气下鱼粉容易变质。"
    passage = Passage("c1", "a1", "", "s", None, sentence, 0)
    found = Found(passage, match(question, sentence, sentence), (0, len(sentence)))
    lead = _lead(question, [found])
    assert lead.startswith("许震中是") and "副科长" in lead, lead


def test_a_model_answer_that_also_says_only_partly_keeps_its_answer_and_quote():
    """The bundled model sometimes answers, then quotes its source after "资料只提到：": that answer
    is not partial, and the phrase would tell the reader it was."""
    from assistant.prompts import PARTIAL, reads_as, without_stray_partial

    reply = "3.8%。[1]资料只提到：老年人口占总人口比例3.8%。[1]"
    assert without_stray_partial(reply) == "3.8%。[1]老年人口占总人口比例3.8%。[1]"
    partial = f"{PARTIAL}新华区PM10平均浓度排名第一。[1]"
    assert without_stray_partial(partial) == partial and reads_as(partial) == "partial"


def test_a_summary_quotes_a_speaker_whole_with_who_said_it(seed_assistant):
    """A quote of two sentences and the line naming its speaker are one point, not a half-quote
    and a bare "…负责人说。"."""
    answer = seed_assistant.ask("总结一下《新华区为368家企业解决问题206个》这篇报道", answerer="extractive")
    assert "解决率84%。”10月20日,新华区工信局有关负责人说。" in answer.text, answer.text
    assert answer.verified and len(re.findall(r"\[\d\]", answer.text)) >= 3


def test_a_span_of_days_answers_how_long_with_its_length(seed_assistant):
    answer = seed_assistant.ask("焦店镇招商考察去了几天？", answerer="extractive")
    assert answer.text.startswith("共4天（10月15日至18日）") and answer.verified, answer.text


def test_a_part_counted_is_no_older_figure_of_the_whole(seed_assistant):
    """首批67名 trained (10-19) is not an earlier count of the 500余名 volunteers (10-20)."""
    answer = seed_assistant.ask("鹰城大妈平安志愿者有多少人？", answerer="extractive")
    assert "500余名" in answer.text and "此前" not in answer.text, answer.text


def test_a_how_question_need_not_find_its_outcome_worded(seed_assistant):
    """空气质量是怎么改善的: the report tells the way (督导考评…) without the word 改善."""
    answer = seed_assistant.ask("空气质量是怎么改善的？", answerer="extractive")
    assert not answer.refused and "精准施策让蓝天常驻" in {c.title for c in answer.citations}, answer.text


def test_whether_one_paid_alone_names_all_the_page_says_took_part(seed_assistant):
    answer = seed_assistant.ask("新华区那个生态智慧产业发展基金是区政府自己单独出的钱吗？", answerer="extractive")
    assert answer.text.startswith("不是") and "东方集团" in answer.text and "金沙江联合资本" in answer.text, answer.text


def test_a_name_the_page_does_not_give_is_not_answered_by_a_sentence_without_one(seed_assistant):
    for question in ("户春香的父亲叫什么名字？", "新华区成功申报A级的那家企业叫什么名字？"):
        answer = seed_assistant.ask(question, answerer="extractive")
        assert answer.refused or answer.partial, answer.text


def test_a_summary_of_a_topic_takes_the_sentences_on_it_from_each_report(seed_assistant):
    """No report named: the points are the sentences on the topic, from both reports on 鹰城大妈
    (the training and 户春香's wires), not one report's lead and scene; and a topic inside a long
    report (区科技局) is its sentences, not the report's lead."""
    both = seed_assistant.ask("把这版上关于“鹰城大妈”平安志愿者的内容总结一下", answerer="extractive")
    titles = " ".join(c.title for c in both.citations)
    assert "平安志愿者参加培训" in titles and "显身手" in titles, both.text
    assert "67名" in both.text and "500余名" in both.text and both.verified, both.text
    office = seed_assistant.ask("区科技局在帮企业这块都做了哪些事？简单总结下", answerer="extractive")
    assert office.text.startswith("区科技局培育3家高新技术企业") and "科技创新券" in office.text, office.text


def test_a_verb_jieba_glues_to_a_name_is_read_apart_and_a_year_comes_from_the_report(seed_assistant):
    """里有恒宇通信吗: jieba reads 有恒 as a person; the archive knows 恒宇, so 有 is the verb and the
    answer is 有. 是哪一年的事 of a trip the report dates 10月15日至18日: the report's year (率队 is 带队)."""
    listed = seed_assistant.ask("区科技局今年培育的高新技术企业里有恒宇通信吗？", answerer="extractive")
    assert listed.text.startswith("有。") and "恒宇通信" in listed.text, listed.text
    year = seed_assistant.ask("焦店镇党委书记带队去江苏招商考察，是哪一年的事？", answerer="extractive")
    assert year.text.startswith("2021年") and not year.partial, year.text
