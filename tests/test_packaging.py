"""The package as installed, not as checked out: the wheel runs the pipeline from another
directory; pyproject.toml declares every package and only package data that exists; uv.lock pins
exactly what pyproject.toml asks for, from PyPI only."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import duckdb
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# What a build reads; everything else of the checkout (tests, bench, data, .venv) stays out.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "pipeline", "sql", "expectations")
# The environment variables that would make a child process find the checkout or our settings.
LEAKY_ENV = ("PYTHONPATH", "GOVREPORTS_RAW_DIR", "GOVREPORTS_WAREHOUSE", "DAGSTER_HOME")


def _source_dir(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {})
    return PROJECT_ROOT / mapped.get(package, package.replace(".", "/"))


def test_every_package_of_the_source_tree_is_declared():
    found = {
        ".".join(init.parent.relative_to(PROJECT_ROOT).parts)
        for init in (PROJECT_ROOT / "pipeline").rglob("__init__.py")
    }
    mapped = set(SETUPTOOLS["package-dir"])
    assert set(SETUPTOOLS["packages"]) == found | mapped
    assert mapped == {"pipeline._data.sql", "pipeline._data.expectations"}


def test_declared_package_data_exists():
    for package, patterns in SETUPTOOLS["package-data"].items():
        assert package in SETUPTOOLS["packages"], package
        for pattern in patterns:
            assert list(_source_dir(package).glob(pattern)), f"{package}: {pattern}"


def test_the_lock_pins_what_pyproject_asks_for_from_pypi_only():
    """`make lock` was run after the last change to the dependencies of pyproject.toml."""
    text = (PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8")
    assert "file://" not in text and "/opt/" not in text
    lock = tomllib.loads(text)
    registries = {
        p["source"]["registry"] for p in lock["package"] if "registry" in p.get("source", {})
    }
    assert len(registries) == 1
    (project,) = [p for p in lock["package"] if p["name"] == PYPROJECT["project"]["name"]]

    def canonical(requirements) -> set[tuple[str, str, str]]:
        parsed = map(Requirement, requirements)
        return {(canonicalize_name(r.name), str(r.specifier), str(r.marker)) for r in parsed}

    wanted = {*PYPROJECT["project"]["dependencies"]}
    for extra, requirements in PYPROJECT["project"]["optional-dependencies"].items():
        wanted |= {f'{r}; extra == "{extra}"' for r in requirements}
    locked = {
        f"{r['name']}{r.get('specifier', '')}" + (f"; {r['marker']}" if "marker" in r else "")
        for r in project["metadata"]["requires-dist"]
    }
    assert canonical(locked) == canonical(wanted)
    versions = {p["name"]: p["version"] for p in lock["package"]}
    for requirement in map(Requirement, PYPROJECT["project"]["dependencies"]):
        version = versions[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), requirement


def _find_uv() -> str | None:
    candidates = (os.environ.get("UV"), shutil.which("uv"), PROJECT_ROOT / ".tools" / "bin" / "uv")
    return next((str(c) for c in candidates if c and Path(c).is_file()), None)


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_ENV}
    return env | {"UV_PYTHON_DOWNLOADS": "never", "UV_LINK_MODE": "copy"}


def _run(
    args: list[str], cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``env``: variables set for the child on top of the cleaned environment."""
    result = subprocess.run(
        args,
        cwd=cwd,
        env=_child_env() | (env or {}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def _build_inputs(source: Path) -> Path:
    """A copy of what a build reads."""
    source.mkdir()
    for name in BUILD_INPUTS:
        if (PROJECT_ROOT / name).is_dir():
            # not what an editable install compiled into the checkout: the build compiles its own
            ignore = shutil.ignore_patterns("__pycache__", "*.so", "native.json")
            shutil.copytree(PROJECT_ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(PROJECT_ROOT / name, source / name)
    return source


@pytest.mark.slow
def test_without_a_c_compiler_the_wheel_holds_the_parser_as_python(tmp_path):
    """The build warns and goes on: the installed parser runs from its source."""
    uv = _find_uv()
    if uv is None:
        pytest.skip("needs uv (make test installs it in .tools/)")
    source = _build_inputs(tmp_path / "source")
    command = [uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(source)]
    built = _run(command, tmp_path, env={"CC": "/bin/false"})
    assert "warning: the parser could not be compiled (CompileError, output above)" in built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert not [n for n in names if n.endswith(".so") or n.endswith("native.json")]
        assert "pipeline/parsing/tokens.py" in names
        archive.extractall(tmp_path / "installed")
    seed = sorted((PROJECT_ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[0]
    probe = (
        "import sys, pipeline.parsing as p; print(p.PARSER_BUILD);"
        "print(p.parse(open(sys.argv[1], 'rb').read(), 'seed', current_year=2026).parse_status)"
    )
    env = {"PYTHONPATH": str(tmp_path / "installed")}
    ran = _run([sys.executable, "-c", probe, str(seed)], tmp_path / "installed", env=env)
    assert ran.stdout.split() == ["pure", "parsed"]


@pytest.mark.slow
def test_the_wheel_runs_the_pipeline_from_another_directory(tmp_path):
    """Build the sdist and the wheel from it, install the wheel with --no-deps into a new venv
    that reuses this environment's dependencies, and run `govreports run` from elsewhere."""
    uv = _find_uv()
    if uv is None:
        pytest.skip("needs uv (make test installs it in .tools/)")
    source = _build_inputs(tmp_path / "source")
    _run([uv, "build", "--quiet", "--out-dir", str(tmp_path / "dist"), str(source)], tmp_path)
    (wheel,) = (tmp_path / "dist").glob("*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("sql", "expectations"):
        for path in (PROJECT_ROOT / folder).iterdir():
            if not path.name.startswith("."):
                assert f"pipeline/_data/{folder}/{path.name}" in names
    assert {"pipeline/py.typed", "pipeline/quality/dashboard.html.j2"} <= names
    assert not any(name.startswith(("tests/", "bench/", "data/")) for name in names)
    # the parser compiled (setup.py), with the manifest of the sources it was compiled from
    assert "pipeline/parsing/native.json" in names
    assert any(n.startswith("pipeline/parsing/tokens.") and n.endswith(".so") for n in names)

    venv = tmp_path / "venv"
    _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path
        ).stdout.strip()
    )
    # Like --system-site-packages, but onto this environment: its installed dependencies. A plain
    # path line, so that environment's own .pth files (an editable govreports) are not run.
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "_govreports_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    _run(
        [uv, "pip", "install", "--quiet", "--no-deps", "--python", str(python), str(wheel)],
        tmp_path,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(
        [
            str(python),
            "-c",
            "import json, pipeline.settings as s, pipeline.parsing as p; print(json.dumps("
            "[str(s.SQL_DIR), str(s.EXPECTATIONS_DIR), str(s.load_settings().raw_dir),"
            " p.PARSER_BUILD]))",
        ],
        elsewhere,
    )
    *paths, parser_build = json.loads(where.stdout)
    assert parser_build == "compiled"
    sql_dir, expectations_dir, default_raw = map(Path, paths)
    assert sql_dir == purelib / "pipeline" / "_data" / "sql"
    assert expectations_dir == purelib / "pipeline" / "_data" / "expectations"
    assert default_raw == elsewhere / "data" / "raw"

    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    warehouse = tmp_path / "out" / "govreports.duckdb"
    govreports = str(venv / "bin" / "govreports")
    args = [govreports, "run", "--raw-dir", str(raw), "--warehouse", str(warehouse)]
    result = _run(args, elsewhere)
    assert "govreports run complete" in result.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute(
            "select count(*), count(*) filter (parse_status = 'parsed') from reports"
        ).fetchall() == [(5, 5)]
        assert con.execute("select count(*) from checks").fetchall()[0][0] > 0
    assert (tmp_path / "out" / "dashboard.html").is_file()
    assert list(elsewhere.iterdir()) == []


def test_an_editable_install_reads_the_checkout(tmp_path):
    """`make` installs the project editable: run from elsewhere, it reads this checkout's sql/."""
    # this environment's install, not the govreports.egg-info the build leaves in the checkout
    site = sysconfig.get_path("purelib")
    installed = list(importlib.metadata.distributions(name="govreports", path=[site]))
    if not installed:
        pytest.skip("govreports is not installed in this environment")
    direct_url = installed[0].read_text("direct_url.json")
    info = json.loads(direct_url or "{}")
    if not info.get("dir_info", {}).get("editable"):
        pytest.skip("govreports is not installed editable here")
    checkout = Path(info["url"].removeprefix("file://"))
    result = _run(
        [
            sys.executable,
            "-c",
            "import pipeline.settings as s; print(s.SQL_DIR, s.EXPECTATIONS_DIR)",
        ],
        tmp_path,
    )
    assert result.stdout.split() == [str(checkout / "sql"), str(checkout / "expectations")]
