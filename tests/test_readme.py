"""The README's commands are the real ones: its first query runs and returns the seed values."""

import re
from contextlib import closing

from pipeline import warehouse
from pipeline.ingest import parse_files, scan_raw_dir
from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_quickstart_is_make_run_then_make_test_and_ci_runs_make_test():
    quickstart = README.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quickstart.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test", "dev", "lint", "bench", "lock"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_first_query_runs_on_the_sample(tmp_path):
    query = re.search(r'duckdb data/warehouse/govreports\.duckdb \\\n\s*"([^"]+)"', README)
    assert query is not None
    parsed = parse_files(DEFAULT_RAW_DIR, scan_raw_dir(DEFAULT_RAW_DIR)["source_path"].to_list())
    with closing(warehouse.connect(tmp_path / "wh.duckdb")) as con:
        warehouse.ensure_schema(con)
        warehouse.load(con, warehouse.reports_to_arrow(parsed))
        rows = con.execute(query.group(1)).fetchall()
    assert [(agency, year, int(value)) for agency, year, _, _, value in rows] == [
        ("环南街道", 2021, 0),
        ("老城区人民政府办公室", 2021, 16),
        ("老城区西南隅街道办事处", 2022, 0),
        ("北新桥街道", 2023, 5),
        ("民权县绿洲街道办事处", 2023, 0),
    ]
