"""bench/generator.py: determinism, consistent values, planted errors, and parser round trips."""

import random
from collections import Counter
from decimal import Decimal

import pytest

from bench.generator import (
    ARITHMETIC_KINDS,
    CORPUS_LAYOUTS,
    ENCODINGS,
    KINDS,
    LAYOUTS,
    NARRATIVE_KEYS,
    REPORT_KINDS,
    GeneratedReport,
    carryover_failures,
    expected_failures,
    generate_corpus,
    generate_report,
    narrative_failures,
    template_for_year,
    write_corpus,
)
from pipeline.parsing import parse
from pipeline.parsing import template as tpl

VERSIONS = tpl.TEMPLATE_VERSIONS
# What the parser calls each generated layout (markdown tables are pipe rows with a rule).
PARSER_LAYOUT = {
    "tab_grid": "tab_grid",
    "pipe_rows": "pipe_rows",
    "markdown": "pipe_rows+markdown",
    "cell_per_line": "cell_per_line",
    "html": "html_tab_grid",
    "space_columns": "space_columns",
}
# The parser anchors on whole row labels; pdftotext wraps long labels inside their cell.
SPACE_COLUMNS_XFAIL = pytest.mark.xfail(
    strict=True,
    reason=(
        "labels wrapped over lines are not joined: a wrapped 一、本年新收…申请数量 loses table 三 "
        "(table_missing); a wrapped （二）部分公开… or 2021 （六） leaf is row_missing and its "
        "numbers land on the row above (row_value_count, 14 or 21 values, row NULL)"
    ),
)
ROUND_TRIP_LAYOUTS = [
    pytest.param(name, marks=SPACE_COLUMNS_XFAIL) if name == "space_columns" else name
    for name in LAYOUTS
]


def _report(seed: object, layout="tab_grid", version="2021", inject=None, **kw) -> GeneratedReport:
    return generate_report(
        random.Random(seed), 7, layout=layout, template_version=version, inject=inject, **kw
    )


@pytest.fixture(scope="module")
def clean_corpus() -> list[GeneratedReport]:
    return generate_corpus(200, seed=2, injected_share=0)


def _parsed_cells(parsed):
    return {(c.section, c.row_key, c.column_key): c.value for c in parsed.cells}


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_bytes_and_truth():
    first, again = generate_corpus(40, seed=3), generate_corpus(40, seed=3)
    assert [(r.name, r.data) for r in first] == [(r.name, r.data) for r in again]
    assert [(r.cells, r.narrative, r.injected) for r in first] == [
        (r.cells, r.narrative, r.injected) for r in again
    ]
    other = generate_corpus(40, seed=4)
    assert [r.data for r in other] != [r.data for r in first]


def test_corpus_spreads_over_layouts_templates_years_and_encodings():
    corpus = generate_corpus(300, seed=1)
    assert len(corpus) == 300
    assert len({r.name for r in corpus}) == 300
    assert {(r.layout, r.template_version) for r in corpus} == {
        (layout, version) for layout in CORPUS_LAYOUTS for version in VERSIONS
    }
    assert all(r.template_version == template_for_year(r.year) for r in corpus)
    assert {r.year for r in corpus} == set(range(2019, 2026))
    assert {r.encoding for r in corpus} == set(ENCODINGS)
    assert any(r.newline == "\r\n" for r in corpus)
    chained = [r for r in corpus if r.previous]
    assert len(chained) > 60
    assert len({r.agency for r in corpus}) > 100
    kinds = Counter(i.kind for r in corpus for i in r.injected)
    assert set(kinds) == set(KINDS)
    assert 0.12 < sum(kinds.values()) / len(corpus) < 0.3


def test_ground_truth_has_every_template_cell():
    for version in VERSIONS:
        report = _report("cells", version=version)
        assert set(report.cells) == tpl.expected_cells(version)
        assert set(report.narrative) == set(NARRATIVE_KEYS)
        assert report.name == "gen_00007.txt"
        assert report.agency in report.title and f"{report.year}年" in report.title


def test_unknown_layout_or_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown layout"):
        _report(0, layout="pdf")
    with pytest.raises(ValueError, match="unknown injection"):
        _report(0, inject="typo")
    with pytest.raises(ValueError, match="previous"):
        _report(0, inject="carryover")


# --------------------------------------------------------------------------- identities


def test_clean_corpus_satisfies_every_identity(clean_corpus):
    corpus = clean_corpus
    assert all(r.injected == [] for r in corpus)
    assert [r.name for r in corpus if expected_failures(r)] == []
    assert [r.name for r in corpus if narrative_failures(r)] == []
    assert carryover_failures(corpus) == set()
    # some reports print "/" for （七）总计's 总计, as the 2019 fixture does: NULL, not a failure
    assert any(None in r.cells.values() for r in corpus)


def test_chained_years_continue_carry_over_and_stock(clean_corpus):
    by_name = {r.name: r for r in clean_corpus}
    pairs = [(by_name[r.previous], r) for r in clean_corpus if r.previous]
    assert pairs
    for before, now in pairs:
        assert (now.agency, now.year) == (before.agency, before.year + 1)
        for col in tpl.APPLICANT_KEYS:
            forward = before.cells[("applications", "carried_forward", col)]
            assert now.cells[("applications", "carried_over", col)] == forward
        if before.template_version == now.template_version == "2021":
            for row in ("rules", "normative_documents"):
                stock = before.cells[("active_disclosure", row, "in_force")]
                issued, repealed, in_force = (
                    now.cells[("active_disclosure", row, c)]
                    for c in ("issued", "repealed", "in_force")
                )
                assert in_force == stock + issued - repealed


def test_oracle_finds_a_hand_made_break():
    report = _report("hand")
    cell = ("applications", "granted", "natural_person")
    report.cells[cell] += 1
    assert expected_failures(report) == {
        ("outcomes:natural_person", "natural_person"),
        ("row_total:granted", "total"),
    }
    report.cells[("appeals", "review", "pending")] += 2
    assert ("appeal_total:review", "total") in expected_failures(report)
    report.narrative["review_cases"] += 1
    assert narrative_failures(report) == {"review_cases"}


def test_null_terms_are_not_assessable():
    report = _report("null")
    report.cells[("applications", "total_processed", "total")] = None
    assert expected_failures(report) == set()
    report.cells[("applications", "total_processed", "natural_person")] += 1
    assert expected_failures(report) == {
        ("balance:natural_person", "natural_person"),
        ("outcomes:natural_person", "natural_person"),
    }  # row_total:total_processed has a NULL term


# Size of what each kind breaks: balance (column + total column), outcomes (column + row),
# row_total (row + the total column's outcomes and/or balance), appeal_total (one row).
BREAK_SIZES = {
    "balance": {2},
    "outcomes": {2},
    "row_total": {2, 3},
    "appeal_total": {1},
    "narrative": {1},
}


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_each_injection_breaks_exactly_its_documented_set(kind):
    for seed in range(30):
        version = VERSIONS[seed % 2]
        clean = _report(seed, version=version)
        broken = _report(seed, version=version, inject=kind)
        (injection,) = broken.injected
        assert injection.kind == kind
        assert len(injection.breaks) in BREAK_SIZES[kind]
        arithmetic = broken.failures_planted(kinds=ARITHMETIC_KINDS)
        stated = {rule.split(":")[1] for rule, _ in broken.failures_planted(kinds=["narrative"])}
        assert expected_failures(broken) == arithmetic
        assert narrative_failures(broken) == stated
        assert bool(arithmetic) == (kind in ARITHMETIC_KINDS)
        # the planted changes are the only difference from the same report left clean
        cell_changes = {
            (c.section, c.row_key, c.column_key): (c.original, c.printed)
            for c in injection.changes
            if c.section != "narrative"
        }
        differing = {
            key: (clean.cells[key], broken.cells[key])
            for key in clean.cells
            if clean.cells[key] is not None and clean.cells[key] != broken.cells[key]
        }
        assert differing == cell_changes
        assert all(c.printed >= 0 and c.printed != c.original for c in injection.changes)
        if kind == "narrative":
            (change,) = injection.changes
            assert broken.narrative[change.row_key] == change.printed
            assert f"{change.printed}件" in broken.text


def test_balance_injection_keeps_the_row_adding_up():
    report = _report(11, inject="balance")
    (injection,) = report.injected
    changed = {c.column_key for c in injection.changes}
    assert {c.row_key for c in injection.changes} == {"carried_forward"}
    assert "total" in changed and len(changed) == 2
    col = (changed - {"total"}).pop()
    assert injection.breaks == {(f"balance:{col}", col), ("balance:total", "total")}
    assert expected_failures(report) == injection.breaks


def test_carryover_injection_breaks_only_the_pair():
    first = _report("chain", version="2021", year=2022)
    clean = _report("next", previous=first)
    broken = _report("next", previous=first, inject="carryover")
    assert (clean.agency, clean.year) == (first.agency, 2023)
    assert carryover_failures([first, clean]) == set()
    (injection,) = broken.injected
    col = next(c.column_key for c in injection.changes if c.column_key != "total")
    assert carryover_failures([first, broken]) == {(broken.name, col), (broken.name, "total")}
    assert injection.breaks == {("carryover", col), ("carryover", "total")}
    assert expected_failures(broken) == set()  # the table itself stays consistent
    assert narrative_failures(broken) == set()


def test_corpus_oracles_equal_what_was_planted():
    corpus = generate_corpus(300, seed=5, injected_share=0.4)
    for report in corpus:
        assert expected_failures(report) == report.failures_planted(kinds=ARITHMETIC_KINDS)
        planted = report.failures_planted(kinds=["narrative"])
        assert narrative_failures(report) == {rule.split(":")[1] for rule, _ in planted}
    planted_carryover = {
        (r.name, col) for r in corpus for _, col in r.failures_planted(kinds=["carryover"])
    }
    assert planted_carryover
    assert carryover_failures(corpus) == planted_carryover


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("layout", ROUND_TRIP_LAYOUTS)
def test_round_trip_through_the_parser(layout, version):
    kinds = (None, None, *REPORT_KINDS)
    for seed in range(12):
        report = _report(f"{layout}{seed}", layout, version, inject=kinds[seed % len(kinds)])
        parsed = parse(report.data, report.name)
        assert (parsed.agency, parsed.year, parsed.template_version) == (
            report.agency,
            report.year,
            report.template_version,
        ), report.text[:200]
        assert parsed.parse_status == "parsed", [i.code for i in parsed.issues]
        assert parsed.layout == PARSER_LAYOUT[layout]
        assert _parsed_cells(parsed) == report.cells, report.name


def test_corpus_round_trip_with_encodings_chains_and_injections():
    for report in generate_corpus(100, seed=12, injected_share=0.3):
        parsed = parse(report.data, report.name)
        assert parsed.parse_status == "parsed", report.name
        assert (parsed.agency, parsed.year) == (report.agency, report.year)
        assert parsed.encoding == report.encoding
        assert _parsed_cells(parsed) == report.cells, report.name


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_parser_reads_the_narrative_numbers(layout):
    for seed in range(10):
        version = VERSIONS[seed % 2]
        inject = "narrative" if seed % 3 == 0 else None
        report = _report(f"n{layout}{seed}", layout, version, inject=inject)
        parsed = parse(report.data, report.name)
        assert {n.key: n.value for n in parsed.narrative} == report.narrative


@pytest.mark.parametrize(("encoding", "newline"), [("gb18030", "\r\n"), ("utf-8-sig", "\n")])
def test_encodings_round_trip(encoding, newline):
    report = _report("enc", "cell_per_line", encoding=encoding, newline=newline)
    assert report.data.decode(encoding).count(newline) > 100
    parsed = parse(report.data, report.name)
    assert parsed.encoding == encoding
    assert _parsed_cells(parsed) == report.cells


def test_printed_numbers_vary_like_real_reports(clean_corpus):
    text = "\n".join(r.text for r in clean_corpus)
    for printed in (
        "增",
        "减",
        "+",
        "万元",
        "元",
        ",",
        "社会组织",
        "结果 维持",
        "/",
        "\t",
        "|---|",
    ):
        assert printed in text, printed
    fees = [
        r.cells[("active_disclosure", "administrative_fees", "amount_10k_yuan")]
        for r in clean_corpus
        if r.template_version == "2021"
    ]
    assert Decimal(0) in fees and any(fee % 1 for fee in fees)  # mostly 0, sometimes 12.3456
    received = Counter(r.narrative["applications_received"] == 0 for r in clean_corpus)
    assert received[True] > 20 and received[False] > 100
    assert max(r.narrative["applications_received"] for r in clean_corpus) > 300


def test_write_corpus_writes_each_files_bytes(tmp_path):
    corpus = generate_corpus(12, seed=6)
    paths = write_corpus(corpus, tmp_path / "raw")
    assert [p.name for p in paths] == [r.name for r in corpus]
    assert all(p.read_bytes() == r.data for p, r in zip(paths, corpus, strict=True))


def test_corpus_can_include_every_layout():
    corpus = generate_corpus(60, seed=8, layouts=list(LAYOUTS))
    assert {r.layout for r in corpus} == set(LAYOUTS)
    assert "space_columns" not in CORPUS_LAYOUTS
