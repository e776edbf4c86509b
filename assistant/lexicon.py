"""How a report may write a question's word: the same meaning in other words of news Chinese
(降雨量 / 降水量, 发改委 / 发展改革委, 警方 / 公安, 举行 / 开展, 说 / 表示), a two-character word
written out (老人 / 老年人), a doer's word as its activity (志愿者 / 志愿服务); and the words that
name another thing of the same kind (开幕 / 闭幕, 金牌 / 银牌): a sentence about one does not answer
a question about the other.

The gate's subject and name checks, the answer checks and the archive's topic search all read it,
so a word counts as stated in one way everywhere.

A word that names a field of news (体育, 教育, 航天) is stated by the words of its members too: a
sports report names its sport, not the word 体育 (`members`; the archive's topic search reads it)."""
from __future__ import annotations

import re
from functools import lru_cache

SAYING = frozenset("说 说话 讲话 介绍 表示 称 指出 透露 获悉 说明 强调 谈到 告诉".split())
HOLDING = frozenset("举行 举办 开展 召开 进行".split())  # 培训是哪天举行的 is answered by 开展…培训会
# each group: words that name one thing in news reports (the short official forms first)
SAME_MEANING: tuple[frozenset[str], ...] = SAYING, HOLDING, *(frozenset(group.split()) for group in (
    "降雨量 降水量 雨量",
    "降雨 降水",
    "暴雨 强降雨",
    "发改委 发展改革委 发展和改革委员会",
    "国新办 国务院新闻办公室 国务院新闻办",
    "人社部 人力资源和社会保障部 人力资源社会保障部",
    "工信部 工业和信息化部",
    "住建部 住房和城乡建设部",
    "网信办 互联网信息办公室",
    "警方 公安 警察 民警",
    "老兵 退役军人",
    "大运会 世界大学生夏季运动会",
    "高铁 高速铁路",
    "地铁 轨道交通",
    "国足 中国男足",
    "央行 人民银行 中国人民银行",
    "逝世 去世 离世",
    "空气污染 大气污染",
    "空气质量 大气质量 环境空气质量",
    "入选 当选 上榜 入围 在列",
    "带队 率队 领队",
))


@lru_cache(maxsize=8192)
def variants(word: str) -> tuple[str, ...]:
    """The word and the words a report may write for it."""
    found = [word]
    for group in SAME_MEANING:
        if word in group:
            found += sorted(group - {word})
    if len(word) == 3 and word.endswith("者"):  # 志愿者: 志愿(服务), 参与者: 参与
        found.append(word[:-1])
    return tuple(found)


def states(word: str, text: str) -> bool:
    """Whether a (lower-cased) text states a word: as written, in a word of the same meaning, or a
    two-character word written out with one character between (老人 / 老年人)."""
    if any(v in text for v in variants(word)):
        return True
    return len(word) == 2 and re.search(f"{re.escape(word[0])}[\u4e00-\u9fff]{re.escape(word[1])}", text) is not None


# each group: words for different things of one kind (a 开幕式 is not the 闭幕式)
CONTRASTS: tuple[tuple[str, ...], ...] = tuple(tuple(group.split()) for group in (
    "开幕 闭幕", "开工 竣工", "金牌 银牌 铜牌", "冠军 亚军 季军", "上半年 下半年", "上旬 中旬 下旬",
    "增长 下降", "增加 减少", "上涨 下跌", "出口 进口", "注册 注销", "首次 最后一次", "男子 女子", "城区 郊区",
    "初赛 复赛 半决赛 决赛", "一审 二审",
))


def contrasted(word: str, text: str) -> str | None:
    """The word of the same kind a text says instead of the one in `word` (闭幕式: 开幕), if any."""
    for group in CONTRASTS:
        asked = next((w for w in group if w in word), None)
        if asked and asked not in text:
            instead = next((w for w in group if w != asked and w in text), None)
            if instead:
                return instead
    return None


# each field of news a reader asks for (体育新闻, 教育方面的报道): words a report in that field states
FIELDS: dict[str, frozenset[str]] = {field: frozenset(words.split()) for field, words in {
    "体育": "运动员 赛事 冠军 金牌 奥运会 亚运会 大运会 全运会 世界杯 联赛 足球 篮球 排球 乒乓球 羽毛球 "
            "网球 游泳 田径 体操 击剑 跳水 举重 国足 球员 球队 村BA 马拉松",
    "足球": "国足 男足 女足 球员 球队 联赛 世界杯 中超 英超 西甲 欧冠 转会 进球",
    "篮球": "NBA CBA 村BA 球员 球队 投篮",
    "教育": "学校 学生 教师 高考 中考 录取 大学 高校 小学 中学 幼儿园 开学 招生 助学 升学 校长",
    "食品安全": "有毒、有害食品 有毒有害食品 食品添加剂 保健食品 不合格食品 菌群 非法添加 食品抽检",
    "航天": "火箭 卫星 空间站 航天员 宇航员 探月 飞船 太空",
    "科技": "科研 人工智能 芯片 机器人 大模型 航天 卫星 火箭 实验室",
    "演出": "上演 首演 巡演 舞剧 话剧 杂技 音乐会 演唱会 戏曲 歌剧",
    "展览": "展出 画展 书法展 博览会 展会",
    "文化": "文艺 演出 展览 博物馆 非遗 文物 书法 电影 图书 舞剧 话剧",
    "娱乐": "明星 艺人 歌手 演员 电影 电视剧 综艺 演唱会",
    "法治": "法院 检察院 公安 警方 判决 起诉 诈骗 刑拘 犯罪 案件 审理",
    "医疗": "医院 医生 患者 疾病 疫苗 医保 诊疗",
    "健康": "医院 医生 患者 疾病 疫苗 医保 诊疗 营养",
    "交通": "道路 公路 铁路 高铁 地铁 航班 机场 列车 高速公路",
    "天气": "气象 暴雨 台风 高温 降雨 预警 降水 气温",
    "灾害": "洪涝 洪灾 暴雨 地震 台风 泥石流 山洪 受灾 救灾 灾后",
    "环保": "环境 污染 生态 减排 碳排放",
    "农业": "粮食 种植 农民 丰收 农田 秋粮 农作物",
    "军事": "部队 武警 解放军 军队 演习 官兵",
}.items()}


def members(word: str) -> tuple[str, ...]:
    """The words that state a field of news (体育: 运动员, 金牌, 篮球…); () for any other word."""
    return tuple(sorted(FIELDS.get(word, ())))
