"""The README is what runs: its commands, its first query (with the real DuckDB CLI), its ten
questions, its configuration table and its table reference are checked against the code."""

from __future__ import annotations

import csv
import io
import re
import shlex
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline import analyst_cli
from pipeline.cli import app
from pipeline.schema_doc import readme_with_reference
from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT, RAW_DIR_ENV, WAREHOUSE_ENV
from tests.conftest import YEAR_PAIRS, build_review_warehouse

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"  # the duckdb-cli package's command


def section(title: str) -> str:
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """The review corpus plus two bodies over two years (see tests/conftest.py)."""
    return build_review_warehouse(tmp_path_factory.mktemp("readme"), YEAR_PAIRS)


def test_quickstart_is_make_run_then_make_test_and_ci_runs_make_test():
    quickstart = section("Quickstart").split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quickstart.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "dev", "lint", "bench", "lock"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_first_query_runs_in_the_duckdb_cli_and_answers_the_question(warehouse):
    command = re.search(
        r"(\.venv/bin/duckdb -readonly data/warehouse/govreports\.duckdb \\\n\s*\"([^\"]+)\")",
        section("The first question: which reports don't add up, and by how much?"),
    )
    assert command is not None
    assert DUCKDB_CLI.is_file(), "duckdb-cli is a pinned dependency: make installs it"
    result = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-csv", str(warehouse), command.group(2)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))

    assert [(r["source_path"], r["rule_id"], r["difference"]) for r in rows[:3]] == [
        ("kewei_2023.txt", "balance:natural_person", "-495.000000"),
        ("kewei_2023.txt", "balance:total", "-495.000000"),
        ("appeal_total_2023.txt", "appeal_total:litigation_direct", "-3.000000"),
    ]
    assert len(rows) == 8
    # the example the README explains: balance:total · 5 · 7 · 2
    assert ("balance_2023.txt", "balance:total", "5.000000", "7.000000", "2.000000") in [
        (r["source_path"], r["rule_id"], r["expected"], r["actual"], r["difference"]) for r in rows
    ]


# question number -> what its SQL returns on the fixture warehouse (selected columns)
ANSWERS = {
    "1": [
        ("kewei_2023.txt", "balance:natural_person", -495),
        ("kewei_2023.txt", "balance:total", -495),
        ("appeal_total_2023.txt", "appeal_total:litigation_direct", -3),
        ("balance_2023.txt", "balance:natural_person", 2),
        ("balance_2023.txt", "balance:total", 2),
        ("hostile_2022.txt", "appeal_total:litigation_after_review", -1),
        ("anonymous.txt", "structure:agency_present", None),
        ("anonymous.txt", "structure:year_present", None),
    ],
    "2": [("appeal_total", 2, 2), ("balance", 2, 4), ("structure", 1, 2)],
    "3": [
        ("anonymous.txt", "partial", "agency_not_found"),
        ("anonymous.txt", "partial", "year_not_found"),
        ("garbage.txt", "failed", "agency_not_found"),
        ("garbage.txt", "failed", "not_a_report"),
        ("garbage.txt", "failed", "year_not_found"),
    ],
    # kewei_2023's balance in natural_person: 500 + 0 printed against 5 + 0, lines 30/31/56/57
    "4": [
        ("balance:natural_person", "actual", "carried_forward", "natural_person", 0, "0", 57),
        ("balance:natural_person", "actual", "total_processed", "natural_person", 5, "5", 56),
        ("balance:natural_person", "expected", "carried_over", "natural_person", 0, "0", 31),
        ("balance:natural_person", "expected", "new_received", "natural_person", 500, "500", 30),
    ],
    "6": [
        ("老城区人民政府办公室", 2021, 1, 5, 0.8),
        ("丁街道办事处", 2023, 0, 3, 0.0),
        ('乙</script><script>document.title="pwned"</script>街道办事处', 2022, 0, 1, 0.0),
    ],
    "7": [
        ("county", 2022, 1, 0),
        ("county", 2023, 1, 0),
        ("department", 2021, 1, 0),
        ("department", 2022, 1, 0),
        ("department", 2023, 1, 1),
        ("township", 2021, 1, 0),
        ("township", 2022, 1, 0),
        ("township", 2023, 4, 2),
        ("unknown", 2022, 1, 1),
        ("unknown", None, 1, 1),
    ],
    "8": [("上海市科学技术委员会", 2023, 5, 500, 495), ("沭阳县人民政府", 2023, 5, 5, 0)],
    "9": [
        ("jump", "上海市科学技术委员会", 2023, "received"),
        ("republished", "沭阳县人民政府", 2023, "every cell"),
    ],
    "10": [
        ("appeal_total_2023.txt", "appeal_total:litigation_direct"),
        ("kewei_2023.txt", "balance:natural_person"),
        ("kewei_2023.txt", "balance:total"),
        ("hostile_2022.txt", "appeal_total:litigation_after_review"),
        ("balance_2023.txt", "balance:natural_person"),
        ("balance_2023.txt", "balance:total"),
        ("anonymous.txt", "structure:agency_present"),
        ("anonymous.txt", "structure:year_present"),
    ],
}
COLUMNS = {
    "1": (2, 3, 6),
    "2": (0, 1, 2),
    "3": (0, 1, 2),
    "4": (0, 1, 2, 3, 4, 5, 6),
    "6": (0, 1, 2, 3, 6),
    "7": (0, 1, 2, 3),
    "8": (0, 1, 2, 3, 4),
    "9": (0, 1, 2, 3),
    "10": (2, 3),
}


def plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def test_the_ten_questions_run_and_give_these_answers(warehouse):
    questions = re.findall(
        r"\*\*(\d+)\. ([^*]+)\*\*.*?```sql\n(.*?)```", section("Ten questions, in SQL"), re.S
    )
    assert [number for number, _, _ in questions] == [str(n) for n in range(1, 11)]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        answers = {number: con.execute(sql).fetchall() for number, _, sql in questions}

    for number, expected in ANSWERS.items():
        picked = [tuple(plain(row[i]) for i in COLUMNS[number]) for row in answers[number]]
        assert picked == expected, number
    # 5: every report read, the largest intake first: 上海市科学技术委员会's 500
    assert len(answers["5"]) == 13
    assert [plain(v) for v in answers["5"][0][:3]] == ["上海市科学技术委员会", 2023, 500]
    assert [plain(v) for v in answers["5"][1][:3]] == ["老城区人民政府办公室", 2021, 16]


def test_the_more_queries_run(warehouse):
    block = section("Data quality: which reports do not add up").split("```sql", 1)[1]
    statements = [s for s in block.split("```", 1)[0].split(";") if s.strip()]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        results = [con.execute(sql).fetchall() for sql in statements]

    assert len(results) == 2
    # anonymous.txt is partial and has no year: complete_cells and year_range cannot be judged
    assert results[0] == [("structure", 2)]
    assert results[1] == []


def readme_commands(title: str) -> list[list[str]]:
    """The ``govreports …`` command lines of a README section, without comments/redirects."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", section(title), re.S):
        for line in block.splitlines():
            if line.startswith(".venv/bin/govreports"):
                words = shlex.split(line.split("  #")[0].split(" > ")[0])
                commands.append(words[1:])
    return commands


def test_every_govreports_command_in_the_readme_runs(warehouse, tmp_path, monkeypatch):
    copy = tmp_path / "wh"
    shutil.copytree(warehouse.parent, copy)
    monkeypatch.setenv(WAREHOUSE_ENV, str(copy / warehouse.name))
    monkeypatch.setenv(RAW_DIR_ENV, str(DEFAULT_RAW_DIR))  # the samples, read only
    monkeypatch.setattr(analyst_cli.console, "width", 250)
    runner = CliRunner()
    flagged = {
        "balance:total": "kewei_2023.txt",
        "appeal_total:litigation_direct": "appeal_total_2023.txt",
    }

    commands = readme_commands(
        "The first question: which reports don't add up, and by how much?"
    ) + readme_commands("Reviewing flags")
    ran = []
    for words in commands:
        words = [flagged[words[3]] if word == "REPORT" else word for word in words]
        result = runner.invoke(app, words)
        assert result.exit_code == 0, (words, result.output)
        ran.append(words[:2] if words[0] == "review" else words[:1])
    assert ran == [
        ["flags"],
        ["flags"],
        ["show"],
        ["query"],
        ["review", "confirm"],
        ["review", "dismiss"],
    ]
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.startswith("govreports ")


def test_every_environment_variable_is_in_the_configuration_table():
    table = section("Configuration")
    used = set()
    for folder in ("pipeline", "tests", "bench"):
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            used |= set(re.findall(r"GOVREPORTS_[A-Z_]+", path.read_text(encoding="utf-8")))
    for script in (PROJECT_ROOT / ".ci" / "run", PROJECT_ROOT / "setup.py"):
        used |= set(re.findall(r"GOVREPORTS_[A-Z_]+", script.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^\| `(GOVREPORTS_[A-Z_]+)` \|", table, re.MULTILINE))

    assert used == documented
    assert "| `DAGSTER_HOME` |" in table


def test_the_table_reference_is_generated_from_the_schema():
    assert readme_with_reference(README) == README, "run: python -m pipeline.schema_doc --write"
    reference = section("Table reference")
    for relation in ("reports", "facts", "report_flags", "agencies", "check_reviews"):
        assert f"| `{relation}` |" in reference
