"""Reviewer decisions: recorded through the CLI, shown by ``flags`` and the dashboard, kept in the
decisions file, and back after a re-run and after the warehouse is deleted and rebuilt."""

from __future__ import annotations

import csv
import io
import shutil
from contextlib import closing

import duckdb
from typer.testing import CliRunner

from pipeline import analyst_cli
from pipeline.cli import app
from pipeline.reviews import REVIEWS_FILENAME
from pipeline.settings import WAREHOUSE_ENV, dashboard_path
from tests.conftest import build_review_warehouse

runner = CliRunner()


def statuses(warehouse) -> dict[tuple[str, str], tuple[str, str | None]]:
    with closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        rows = con.execute(
            "select source_path, rule_id, review_status, review_note from check_reviews"
        ).fetchall()
    return {(path, rule): (status, note) for path, rule, status, note in rows}


def test_decisions_survive_a_rerun_and_a_rebuild(review_warehouse, tmp_path, monkeypatch):
    folder = tmp_path / "warehouse"
    shutil.copytree(review_warehouse.parent, folder)
    warehouse = folder / review_warehouse.name
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))
    monkeypatch.setattr(analyst_cli.console, "width", 250)

    confirmed = runner.invoke(
        app,
        ["review", "confirm", "balance_2023.txt", "balance:total", "--reviewer", "王审核"],
    )
    no_note = runner.invoke(
        app, ["review", "dismiss", "appeal_total_2023.txt", "appeal_total:litigation_direct"]
    )
    dismissed = runner.invoke(
        app,
        [
            "review",
            "dismiss",
            "appeal_total_2023.txt",
            "appeal_total:litigation_direct",
            "--note",
            "3 read from the 复议后起诉 column",
        ],
    )
    unknown = runner.invoke(app, ["review", "confirm", "balance_2023.txt", "outcomes:total"])

    assert confirmed.exit_code == 0, confirmed.output
    assert "confirmed: balance_2023.txt balance:total total" in confirmed.stdout
    assert no_note.exit_code == 2 and "Missing option '--note'" in no_note.output
    assert dismissed.exit_code == 0, dismissed.output
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("error: no failed check 'outcomes:total' in report")

    expected = {
        ("balance_2023.txt", "balance:total"): ("confirmed", None),
        ("balance_2023.txt", "balance:natural_person"): ("unreviewed", None),
        ("appeal_total_2023.txt", "appeal_total:litigation_direct"): (
            "dismissed",
            "3 read from the 复议后起诉 column",
        ),
    }
    assert {key: statuses(warehouse)[key] for key in expected} == expected
    with (folder / REVIEWS_FILENAME).open(encoding="utf-8", newline="") as handle:
        saved = list(csv.DictReader(handle))
    assert [(r["source_path"], r["rule_id"], r["row_key"], r["column_key"]) for r in saved] == [
        ("appeal_total_2023.txt", "appeal_total:litigation_direct", "litigation_direct", "total"),
        ("balance_2023.txt", "balance:total", "", "total"),
    ]
    assert saved[1]["reviewer"] == "王审核" and len(saved[0]["source_sha256"]) == 64

    flags = runner.invoke(app, ["flags", "--csv"])
    by_rule = {r["rule_id"]: r["review_status"] for r in csv.DictReader(io.StringIO(flags.stdout))}
    assert by_rule["balance:total"] == "confirmed"
    assert by_rule["appeal_total:litigation_direct"] == "dismissed"
    assert by_rule["balance:natural_person"] == "unreviewed"

    # delete the warehouse (derived data) and rebuild it beside the decisions file
    for path in folder.iterdir():
        if path.name != REVIEWS_FILENAME:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    build_review_warehouse(folder)

    assert {key: statuses(warehouse)[key] for key in expected} == expected
    page = dashboard_path(warehouse).read_text(encoding="utf-8")
    assert "<b>1</b> confirmed (the report is wrong), <b>1</b> dismissed" in page
    assert "dismissed: 3 read from the 复议后起诉 column" in page
