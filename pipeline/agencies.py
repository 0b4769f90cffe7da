"""Issuing bodies: a normalised name, the administrative level, the region path, and one id for
the same body's reports across years however its name is spelt (no Dagster).

The name printed in a report (``reports.agency``) is kept as printed; this module only reads it::

    describe("老城区西南隅街道办事处")
    # AgencyName(normalised='老城区西南隅街道办事处', level='township',
    #            government_level='township', region_path=('老城区', '西南隅街道'))

``link(names_with_years)`` groups printed names into bodies and says why each name belongs to
its body (``link_basis``): ``same_name`` (the canonical spelling itself), ``normalised`` (equal
after width, space and ``关于`` normalisation), ``abbreviation`` (equal once a known short form
such as 科委 is expanded), ``ocr_variant`` (one character apart, the two characters a known
look-alike pair such as 沐/沭, never two reports of the same year).

Levels: ``ministry`` (a national body), ``province``, ``prefecture``, ``county`` (county, district,
banner, county-level city), ``township`` (township, town, street, 片区) for a government itself;
``department`` for a body of a government (a 局, 委员会, 办公室 …), with ``government_level`` the
level of the government it belongs to; ``unknown`` when the name gives no unit.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pyarrow as pa

from pipeline.sql import load_sql
from pipeline.warehouse import fetch_arrow, run_in_transaction, staged

# Names are normalised several times each per run: remembered, up to this many.
NAME_CACHE_SIZE = 1 << 18
LEVELS = ("ministry", "province", "prefecture", "county", "township", "department", "unknown")

# Unit suffixes, longest first; the tier a unit of that suffix has (市 depends on what precedes).
_UNIT_SUFFIXES = (
    ("特别行政区", "province"),
    ("综合实验区", "county"),
    ("自治区", "province"),
    ("自治州", "prefecture"),
    ("自治县", "county"),
    ("开发区", "county"),
    ("街道", "township"),
    ("片区", "township"),
    ("新区", "county"),
    ("地区", "prefecture"),
    ("省", "province"),
    ("市", "city"),
    ("州", "prefecture"),
    ("盟", "prefecture"),
    ("县", "county"),
    ("旗", "county"),
    ("区", "county"),
    ("镇", "township"),
    ("乡", "township"),
)
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# A unit's own name never holds these: they start the body (局, 委员会, 人民政府 …).
_BODY_CHARACTERS = frozenset("局委厅部府政办署院")
# The unit suffixes by first character, in their order of preference (a name is scanned once
# per character: only the suffixes that can start there are tried).
_UNIT_SUFFIXES_BY_FIRST: dict[str, tuple[tuple[str, str], ...]] = {
    first: tuple(item for item in _UNIT_SUFFIXES if item[0][0] == first)
    for first in {suffix[0] for suffix, _ in _UNIT_SUFFIXES}
}
_UNIT_NAME_MAX = 8
# What a government calls itself after its unit: the name is then the government, not a body.
_GOVERNMENT_BODIES = ("", "人民政府", "办事处", "街道办事处", "政府", "管理委员会", "管委会")
# 片区/开发区 governments are 管理局 or 管委会.
_AREA_GOVERNMENT_BODIES = ("管理局",)
_NATIONAL_PREFIXES = ("国务院", "国家", "中华人民共和国", "中国")

# Short forms officials and crawlers use, expanded before two names are compared.
ABBREVIATIONS = (
    ("发改委", "发展和改革委员会"),
    ("科委", "科学技术委员会"),
    ("教委", "教育委员会"),
    ("经信委", "经济和信息化委员会"),
    ("卫健委", "卫生健康委员会"),
    ("国资委", "国有资产监督管理委员会"),
    ("住建委", "住房和城乡建设委员会"),
    ("住建局", "住房和城乡建设局"),
    ("人社局", "人力资源和社会保障局"),
    ("市监局", "市场监督管理局"),
    ("政府办", "人民政府办公室"),
    ("区府办", "区人民政府办公室"),
)
# Characters OCR and hurried typing confuse; a name one such character apart is the same body.
LOOK_ALIKES = frozenset(
    frozenset(pair)
    for pair in ("沐沭", "己已", "已巳", "末未", "土士", "戌戍", "汩汨", "淅浙", "侯候", "柬束")
)
_LOOK_ALIKE_CHARACTERS = frozenset(character for pair in LOOK_ALIKES for character in pair)


@dataclass(frozen=True)
class AgencyName:
    normalised: str
    level: str
    government_level: str | None
    region_path: tuple[str, ...]


@dataclass(frozen=True)
class AgencyLink:
    """One printed name and the body it belongs to."""

    agency: str  # as printed in reports.agency
    agency_id: str  # the body: its canonical normalised name
    link_basis: str  # same_name, normalised, abbreviation, ocr_variant
    link_note: str | None  # what made the link, e.g. ``科委 = 科学技术委员会`` or ``沐 / 沭``


@lru_cache(maxsize=NAME_CACHE_SIZE)
def normalise(name: str) -> str:
    """Full-width letters and digits to half-width, spaces dropped, a leading 关于 removed."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    text = text.removeprefix("关于")
    return text.strip("：:，,。.")


@lru_cache(maxsize=NAME_CACHE_SIZE)
def expand(name: str) -> str:
    """``normalise(name)`` with known short forms written out.

    ``上海市科委`` → ``上海市科学技术委员会``.
    """
    text = normalise(name)
    for short, full in ABBREVIATIONS:
        if short in text and full not in text:
            text = text.replace(short, full)
    return text


def split_units(name: str) -> tuple[list[tuple[str, str]], str]:
    """The administrative units at the start of a name, each with its tier, and the rest (body).

    ``平潭综合实验区金井片区管理局`` → ``([('平潭综合实验区', 'county'), ('金井片区', 'township')],
    '管理局')``. A unit is 2–8 characters of name (1 before a two-character suffix such as
    街道) and a unit suffix; the shortest such unit is taken at each position, and the units
    stop at the first position where none starts.
    """
    units: list[tuple[str, str]] = []
    position = 0
    while position < len(name):
        unit = _unit_at(name, position)
        if unit is None:
            break
        text, tier = unit
        if tier == "city":
            tier = _city_tier(text, units)
        units.append((text, tier))
        position += len(text)
    return units, name[position:]


def _unit_at(name: str, start: int) -> tuple[str, str] | None:
    for end in range(start + 1, min(len(name), start + _UNIT_NAME_MAX) + 1):
        if name[end - 1] in _BODY_CHARACTERS:
            return None
        for suffix, tier in _UNIT_SUFFIXES_BY_FIRST.get(name[end : end + 1], ()):
            # a one-character name only before a two-character suffix (甲街道, not 东区 of 东区局)
            if name.startswith(suffix, end) and (end - start > 1 or len(suffix) > 1):
                return name[start : end + len(suffix)], tier
    return None


def _city_tier(text: str, before: list[tuple[str, str]]) -> str:
    if not before:
        return "province" if text in _MUNICIPALITIES else "prefecture"
    return "prefecture" if before[-1][1] == "province" else "county"


def describe(name: str) -> AgencyName:
    """The normalised name, level, government level and region path of one printed name."""
    text = normalise(name)
    units, body = split_units(text)
    if not units:
        national = text.startswith(_NATIONAL_PREFIXES) or text.endswith("部")
        level = "ministry" if national else "unknown"
        return AgencyName(text, level, "national" if national else None, ())
    tier = units[-1][1]
    is_government = body in _GOVERNMENT_BODIES or (
        body in _AREA_GOVERNMENT_BODIES and units[-1][0].endswith(("片区", "开发区", "新区"))
    )
    level = tier if is_government else "department"
    return AgencyName(text, level, tier, tuple(unit for unit, _ in units))


def link(names: Iterable[tuple[str, int | None]]) -> list[AgencyLink]:
    """Group printed names (each with a report year) into bodies; one link per distinct name.

    Names equal after :func:`expand` are one body. Then bodies whose expanded names are the same
    length and differ in exactly one character, a known look-alike pair, are one body when they
    never report the same year. The canonical name of a body is its most frequent spelling
    (ties: one printed as normalised, then the one of the latest report, then the longest).
    """
    years: dict[str, set[int]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for name, year in names:
        counts[name] += 1
        if year is not None:
            years[name].add(year)
    groups: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        groups[expand(name)].append(name)
    keys = sorted(groups)
    parent = {key: key for key in keys}
    notes: dict[str, str] = {}
    by_shape = _shapes_with_look_alikes(keys)
    for (index, _), similar in sorted(by_shape.items()):
        for a, b in itertools.pairwise(similar):
            if frozenset((a[index], b[index])) not in LOOK_ALIKES:
                continue
            root_a, root_b = _root(parent, a), _root(parent, b)
            years_a = {y for n in _members(parent, groups, root_a) for y in years[n]}
            years_b = {y for n in _members(parent, groups, root_b) for y in years[n]}
            if root_a != root_b and not years_a & years_b:
                parent[max(root_a, root_b)] = min(root_a, root_b)
                notes[b] = notes[a] = f"{a[index]} / {b[index]}"
    links = []
    bodies: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        bodies[_root(parent, key)].append(key)
    for members in bodies.values():
        printed = [name for key in members for name in groups[key]]
        canonical = min(
            printed,
            key=lambda n: (
                -counts[n],
                n != normalise(n),
                -max(years[n], default=0),
                -len(normalise(n)),
                n,
            ),
        )
        canonical_key = expand(canonical)
        agency_id = normalise(canonical)
        for name in printed:
            basis, note = _basis(name, canonical, canonical_key, notes)
            links.append(AgencyLink(name, agency_id, basis, note))
    return sorted(links, key=lambda item: (item.agency_id, item.agency))


def _shapes_with_look_alikes(keys: list[str]) -> dict[tuple[int, str], list[str]]:
    """The sorted ``keys`` grouped by shape (one position blanked), for the shapes where some
    key has a look-alike character at that position: only there can two keys be linked. Each
    group has every key of its shape, in order, as when every shape is listed."""
    shapes = {
        (index, key[:index] + "\0" + key[index + 1 :])
        for key in keys
        for index, character in enumerate(key)
        if character in _LOOK_ALIKE_CHARACTERS
    }
    positions: dict[int, set[int]] = defaultdict(set)  # key length -> positions to blank
    for index, shape in shapes:
        positions[len(shape)].add(index)
    by_shape: dict[tuple[int, str], list[str]] = defaultdict(list)
    for key in keys:
        for index in positions.get(len(key), ()):
            shape = (index, key[:index] + "\0" + key[index + 1 :])
            if shape in shapes:
                by_shape[shape].append(key)
    return by_shape


def _basis(
    name: str, canonical: str, canonical_key: str, notes: dict[str, str]
) -> tuple[str, str | None]:
    if name == canonical:
        return "same_name", None
    if normalise(name) == normalise(canonical):
        return "normalised", None
    if expand(name) == canonical_key:
        used = [f"{short} = {full}" for short, full in ABBREVIATIONS if short in normalise(name)]
        used += [f"{short} = {full}" for short, full in ABBREVIATIONS if short in canonical]
        return "abbreviation", "; ".join(used) or None
    return "ocr_variant", notes.get(expand(name)) or notes.get(canonical_key)


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        key = parent[key]
    return key


def _members(parent: dict[str, str], groups: dict[str, list[str]], root: str) -> list[str]:
    return [name for key in groups if _root(parent, key) == root for name in groups[key]]


AGENCIES_SCHEMA = pa.schema(
    [
        pa.field("agency_id", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("level", pa.string(), nullable=False),
        pa.field("government_level", pa.string()),
        pa.field("region", pa.string()),
        pa.field("region_path", pa.string()),
    ]
)
AGENCY_NAMES_SCHEMA = pa.schema(
    [
        pa.field("agency", pa.string(), nullable=False),
        pa.field("agency_id", pa.string(), nullable=False),
        pa.field("normalised_name", pa.string(), nullable=False),
        pa.field("link_basis", pa.string(), nullable=False),
        pa.field("link_note", pa.string()),
    ]
)
REGION_SEPARATOR = " › "
WRITE_STATEMENTS = (
    "delete_agencies",
    "delete_agency_names",
    "insert_agencies",
    "insert_agency_names",
)


def agency_tables(
    names: Iterable[tuple[str, int | None]], known: Mapping[str, dict[str, object]] | None = None
) -> dict[str, pa.Table]:
    """``agencies`` (one row per body) and ``agency_names`` (one row per printed name).

    ``known``: rows of ``agencies`` already written, by name; a body's row depends on its
    canonical name only, so those are not described again."""
    links = link(names)
    known = known or {}
    bodies = {}
    for item in links:
        if item.link_basis == "same_name":
            row = known.get(item.agency)
            if row is not None and row["agency_id"] == item.agency_id:
                bodies[item.agency_id] = row
                continue
            described = describe(item.agency)
            path = described.region_path
            bodies[item.agency_id] = {
                "agency_id": item.agency_id,
                "name": item.agency,
                "level": described.level,
                "government_level": described.government_level,
                "region": path[0] if path else None,
                "region_path": REGION_SEPARATOR.join(path) or None,
            }
    names_rows = [
        {
            "agency": item.agency,
            "agency_id": item.agency_id,
            "normalised_name": normalise(item.agency),
            "link_basis": item.link_basis,
            "link_note": item.link_note,
        }
        for item in links
    ]
    return {
        "agencies": pa.Table.from_pylist(list(bodies.values()), schema=AGENCIES_SCHEMA),
        "agency_names": pa.Table.from_pylist(names_rows, schema=AGENCY_NAMES_SCHEMA),
    }


def write_agencies(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild ``agencies`` and ``agency_names`` from every agency name in ``reports`` (only
    the rows that changed are written)."""
    names = con.execute(load_sql("select_report_agency_names")).fetchall()
    known = {row["name"]: row for row in fetch_arrow(con, "select_agencies").to_pylist()}
    with staged(con, agency_tables(names, known)):
        run_in_transaction(con, WRITE_STATEMENTS)
