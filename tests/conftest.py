"""Shared fixtures: a private copy of the seed sample, so tests never touch data/."""

import shutil

import pytest

from pipeline.settings import DEFAULT_RAW_DIR


@pytest.fixture
def seed_raw_dir(tmp_path):
    """A raw dir in tmp_path holding copies of the five seed reports."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in sorted(DEFAULT_RAW_DIR.glob("*.txt")):
        shutil.copy(seed, raw / seed.name)
    return raw


# A small warehouse with something to review, built once for the analysts' tests (dashboard,
# CLI, views, README): the five seeds, reports that do not add up, one unreadable file, one
# report without year or agency, and one agency name carrying markup.
SEED_002 = DEFAULT_RAW_DIR / "002_1fda27c24fffeb28.txt"
CURRENT_YEAR = 2026
CARRIED_FORWARD = "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
APPEALS = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
HOSTILE_AGENCY = '乙</script><script>document.title="pwned"</script>街道办事处'
REVIEW_VARIANTS = {
    # carried_forward 2 more in natural_person and total: balance fails in those two columns
    "balance_2023.txt": (
        "甲街道办事处",
        2023,
        {CARRIED_FORWARD: "四、结转下年度继续办理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"},
    ),
    # 未经复议直接起诉 总计 printed 3 over four zeros
    "appeal_total_2023.txt": (
        "丁街道办事处",
        2023,
        {APPEALS: "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 0 |"},
    ),
    "hostile_2022.txt": (
        "乙街道办事处",
        2022,
        {APPEALS: "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 |"},
    ),
}


def seed_variant(agency: str, year: int, replacements: dict[str, str]) -> bytes:
    """Seed 002 (pipe rows, 2021 format) titled for ``agency`` and ``year``, cells replaced."""
    text = f"{agency}{year}年政府信息公开工作年度报告\n" + SEED_002.read_text(encoding="utf-8")
    for printed, replacement in replacements.items():
        assert text.count(printed) == 1, printed
        text = text.replace(printed, replacement)
    return text.encode()


# Two bodies over two years, each under two spellings: 上海市科委's applications jump from 5
# to 500 (its 2023 report does not balance), 沐阳/沭阳县 republishes its 2022 report.
YEAR_PAIRS = {
    "kewei_2022.txt": ("上海市科委", 2022, {}),
    "kewei_2023.txt": (
        "上海市科学技术委员会",
        2023,
        {
            "一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 | ||": (
                "一、本年新收政府信息公开申请数量 | 500 | 0 | 0 | 0 | 0 | 0 | 500 | ||"
            )
        },
    ),
    "muyang_2022.txt": ("沐阳县人民政府", 2022, {}),
    "shuyang_2023.txt": ("沭阳县人民政府", 2023, {}),
}


# What two runs that should agree are compared by (ingested_at: when a file was first seen).
COMPARED_TABLES = {
    "reports": "select * exclude (ingested_at) from reports",
    "facts": "select * from facts",
    "parse_issues": "select * from parse_issues",
    "narrative_numbers": "select * from narrative_numbers",
    "checks": "select * from checks",
    "report_flags": "select * from report_flags",
}


def warehouse_contents(warehouse) -> dict[str, list[tuple]]:
    """The rows of each compared table of a warehouse file, in a stable order."""
    from contextlib import closing

    import duckdb

    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        return {
            name: sorted(con.execute(sql).fetchall(), key=repr)
            for name, sql in COMPARED_TABLES.items()
        }


def build_review_warehouse(folder, extra=None):
    """Load the review corpus (and ``extra`` variants: file -> (agency, year, replacements))
    into ``folder/govreports.duckdb`` and run the quality step."""
    import re
    from contextlib import closing

    from pipeline.parsing import parse
    from pipeline.quality import assess
    from pipeline.settings import dashboard_path, data_docs_dir
    from pipeline.warehouse import connect, ensure_schema, load, reports_to_arrow

    parsed = [
        (p.name, parse(p.read_bytes(), p.name, current_year=CURRENT_YEAR))
        for p in sorted(DEFAULT_RAW_DIR.glob("*.txt"))
    ]
    for name, (agency, year, replacements) in REVIEW_VARIANTS.items():
        data = seed_variant(agency, year, replacements)
        parsed.append((name, parse(data, name, current_year=CURRENT_YEAR)))
    parsed[-1][1].agency = HOSTILE_AGENCY  # as if a title had carried it
    for name, (agency, year, replacements) in (extra or {}).items():
        data = seed_variant(agency, year, replacements)
        parsed.append((name, parse(data, name, current_year=CURRENT_YEAR)))
    anonymous = re.sub(r"(?:19|20)\d{2}年", "本年", SEED_002.read_text(encoding="utf-8"))
    parsed.append(
        ("anonymous.txt", parse(anonymous.encode(), "anonymous.txt", current_year=CURRENT_YEAR))
    )
    garbage = parse(b"\x00\xff" * 64, "garbage.txt", current_year=CURRENT_YEAR)
    parsed.append(("garbage.txt", garbage))
    warehouse = folder / "govreports.duckdb"
    with closing(connect(warehouse)) as con:
        ensure_schema(con)
        load(con, reports_to_arrow(parsed))
        assess(
            con,
            data_docs_dir=data_docs_dir(warehouse),
            dashboard=dashboard_path(warehouse),
            current_year=CURRENT_YEAR,
        )
    return warehouse


@pytest.fixture(scope="session")
def review_warehouse(tmp_path_factory):
    """Path of the review warehouse (read it; never write to it)."""
    return build_review_warehouse(tmp_path_factory.mktemp("review"))


def execute_job(raw_dir, warehouse, workers: int = 1):
    """The real ``govreports_job``, in-process, on ``raw_dir`` into ``warehouse``."""
    import dagster as dg

    from pipeline.definitions import defs

    job = defs().resolve_job_def("govreports_job")
    run_config = {
        "resources": {
            "raw_files": {"config": {"raw_dir": str(raw_dir), "workers": workers}},
            "warehouse": {"config": {"path": str(warehouse)}},
        }
    }
    return job.execute_in_process(run_config=run_config, instance=dg.DagsterInstance.ephemeral())


@pytest.fixture(scope="session")
def run_pipeline():
    """Run the real job: ``run_pipeline(raw_dir, warehouse)`` -> the in-process result."""
    return execute_job
