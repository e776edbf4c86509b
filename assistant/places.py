"""Which places lie within a place: a report about 西安 is a report from 陕西, one about 南山区 is
from 深圳. China's administrative divisions come from the `cpca` package's adcode table (province,
city, county by code prefix); its data file is read directly, as importing `cpca` itself needs the
old `pkg_resources` and builds a matcher that is not used here."""
from __future__ import annotations

import csv
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

SUFFIX = re.compile(r"(?:省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$")


def short(name: str) -> str:
    """广东省 -> 广东, 西安市 -> 西安 (a county keeps its suffix: 南山 alone names too many places)."""
    stripped = SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


@lru_cache(maxsize=1)
def _divisions() -> dict[str, list[str]]:
    """Code prefix (2 digits: a province, 4: a city) -> the names of the places under it."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or spec.origin is None:
        return {}
    table = Path(spec.origin).parent / "resources" / "adcodes.csv"
    under: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    with table.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            code, name = row["adcode"][:6], row["name"]
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


def within(place: str) -> list[str]:
    """The names of the cities and counties inside a province or city (陕西: 西安市, 西安, 宝鸡…);
    [] for anything else."""
    return _by_name().get(place, [])
