"""The compiled parser (mypyc, built by setup.py) reads every file as its Python source does, and a
module edited since the build runs from its source, never stale."""

from __future__ import annotations

import hashlib
import importlib.machinery
import itertools
import json
import os
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report_generator import LAYOUTS, QUIRKS, consistent_report
from pipeline.parsing import PARSER_BUILD, parse
from pipeline.parsing.native import (
    MANIFEST,
    PARSING_DIR,
    PURE_PARSER_ENV,
    compiled_modules,
    parser_build,
)

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT_ROOT = Path(__file__).parent.parent
# CI builds the compiled parser: there a pure-Python run is a failure, not a skip.
REQUIRE_COMPILED = os.environ.get("GOVREPORTS_REQUIRE_COMPILED") == "1"
EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]  # this Python's compiled modules

# Prints, for each file named on stdin, everything the parser returned.
_DUMP = """
import pickle, sys
from pathlib import Path
from pipeline.parsing import PARSER_BUILD, parse
files = [Path(line) for line in sys.stdin.read().splitlines()]
reports = [parse(f.read_bytes(), f.name, current_year=2026) for f in files]
sys.stdout.buffer.write(pickle.dumps((PARSER_BUILD, [repr(r) for r in reports])))
"""


def _needs_compiled() -> None:
    if PARSER_BUILD != "compiled":
        message = f"the parser runs {PARSER_BUILD} here (setup.py compiles it)"
        if REQUIRE_COMPILED:
            pytest.fail(message)
        pytest.skip(message)


def test_the_installed_parser_is_the_compiled_one():
    _needs_compiled()
    import pipeline.parsing.tokens as tokens

    assert Path(tokens.__file__).name.endswith(".so")
    assert json.loads((PARSING_DIR / MANIFEST).read_text()).keys() == compiled_modules(PARSING_DIR)


def test_compiled_and_pure_parsers_return_the_same_reports(tmp_path):
    """Every fixture (seeds, real reports, PDFs, broken files) and every generated layout with
    each quirk, read both ways."""
    _needs_compiled()
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".json")
    for index, (layout, quirk, year) in enumerate(
        itertools.product(LAYOUTS, ("", *QUIRKS), (2020, 2024))
    ):
        report = consistent_report(random.Random(index), f"g{index}.txt", "某某街道办事处", year)
        report.layout, report.quirks = layout, frozenset({quirk} - {""})
        files.append(tmp_path / report.name)
        files[-1].write_bytes(report.data())
    assert len(files) > 100
    result = subprocess.run(
        [sys.executable, "-c", _DUMP],
        input="\n".join(map(str, files)).encode(),
        capture_output=True,
        env={**os.environ, PURE_PARSER_ENV: "1"},
        cwd=PROJECT_ROOT,
        check=True,
    )
    build, pure = pickle.loads(result.stdout)
    assert build == "pure"
    compiled = [repr(parse(f.read_bytes(), f.name, current_year=2026)) for f in files]
    assert compiled == pure
    assert sum(r.count("Cell(") for r in compiled) > 5_000


def _fake_build(directory: Path, sources: dict[str, str]) -> None:
    for module, text in sources.items():
        (directory / f"{module}.py").write_text(text)
        (directory / f"{module}{EXTENSION}").write_bytes(b"")
    built = {m: hashlib.sha256(t.encode()).hexdigest() for m, t in sources.items()}
    (directory / MANIFEST).write_text(json.dumps(built))


def test_a_build_is_compiled_only_while_every_source_is_the_one_compiled(tmp_path):
    assert parser_build(tmp_path, {}) == "pure"  # nothing compiled
    _fake_build(tmp_path, {"tokens": "A = 1\n", "capture": "B = 2\n"})
    (tmp_path / "native.py").write_text("")  # a source without a compiled file: not counted
    assert compiled_modules(tmp_path) == {"tokens", "capture"}
    assert parser_build(tmp_path, {}) == "compiled"
    assert parser_build(tmp_path, {PURE_PARSER_ENV: "1"}) == "pure"
    (tmp_path / "capture.py").write_text("B = 3\n")  # edited after the build
    assert parser_build(tmp_path, {}) == "stale"
    (tmp_path / "capture.py").write_text("B = 2\n")
    assert parser_build(tmp_path, {}) == "compiled"
    (tmp_path / MANIFEST).unlink()
    assert parser_build(tmp_path, {}) == "stale"


def test_an_edited_module_runs_from_its_source_with_a_warning(tmp_path):
    """A copy of the built package with one module edited: every parser module loads from .py."""
    _needs_compiled()
    shutil.copytree(PROJECT_ROOT / "pipeline", tmp_path / "pipeline")
    for group in PROJECT_ROOT.glob(f"*__mypyc{EXTENSION}"):  # the modules' shared library
        shutil.copy(group, tmp_path)
    with (tmp_path / "pipeline" / "parsing" / "fused.py").open("a") as source:
        source.write("# edited\n")
    probe = (
        "import sys, pipeline.parsing as p;"
        "import pipeline.parsing.tokens as t, pipeline.parsing.fused as f;"
        "print(p.PARSER_BUILD, t.__file__.rsplit('/', 1)[1], f.__file__.rsplit('/', 1)[1]);"
        "print(p.parse(open(sys.argv[1], 'rb').read(), 'seed', current_year=2026).parse_status)"
    )
    seed = sorted((FIXTURES / "seeds").glob("*.txt"))[0]
    env = {k: v for k, v in os.environ.items() if k != PURE_PARSER_ENV}
    result = subprocess.run(
        [sys.executable, "-c", probe, str(seed)],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(tmp_path)},
        cwd=tmp_path,
        check=True,
    )
    assert result.stdout.split() == ["stale", "tokens.py", "fused.py", "parsed"]
    assert (
        "the compiled parser was not built from the current fused.py: running its Python"
        in result.stderr
    )
