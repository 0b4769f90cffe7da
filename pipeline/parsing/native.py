"""Whether the parser runs compiled (mypyc, built by ``setup.py``) or from its Python source.

The build compiles the parser's modules beside their sources and writes ``native.json``, the
hash of each source it compiled. Python imports a compiled module before its source, so a module
edited since the build would run stale: unless every compiled module's source still has the hash
it was compiled from, all of them are imported from source (with a warning). Setting
``GOVREPORTS_PURE_PARSER=1`` imports the source too (for tracebacks, profilers, comparisons).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

PARSING_DIR = Path(__file__).parent
MANIFEST = "native.json"
PURE_PARSER_ENV = "GOVREPORTS_PURE_PARSER"


def compiled_modules(directory: Path) -> set[str]:
    """Modules of ``directory`` with a compiled file beside their source."""
    names = (
        path.name.split(".", 1)[0]
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        for path in directory.glob(f"*{suffix}")
    )
    return {name for name in names if (directory / f"{name}.py").is_file()}


def stale_modules(directory: Path, modules: set[str]) -> list[str]:
    """Compiled modules whose source is not the one the manifest says they were built from."""
    try:
        built = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        built = {}
    return sorted(
        module
        for module in modules | set(built)
        if not (directory / f"{module}.py").is_file()
        or built.get(module)
        != hashlib.sha256((directory / f"{module}.py").read_bytes()).hexdigest()
    )


def parser_build(directory: Path = PARSING_DIR, env: Mapping[str, str] = os.environ) -> str:
    """``compiled``, ``pure`` (not compiled, or the environment asks for the source) or
    ``stale`` (compiled from sources that have changed since)."""
    return _inspect(directory, env)[0]


def _inspect(directory: Path, env: Mapping[str, str]) -> tuple[str, set[str], list[str]]:
    """(build, compiled modules, stale modules): the sources hashed once."""
    modules = compiled_modules(directory)
    if not modules or env.get(PURE_PARSER_ENV) == "1":
        return "pure", modules, []
    stale = stale_modules(directory, modules)
    return ("stale" if stale else "compiled"), modules, stale


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Imports the named modules of this package from their ``.py`` files."""

    def __init__(self, package: str, directory: Path, modules: set[str]) -> None:
        self.package, self.directory, self.modules = package, directory, modules

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != self.package or name not in self.modules:
            return None
        return importlib.util.spec_from_file_location(fullname, self.directory / f"{name}.py")


BUILD, _COMPILED, _STALE = _inspect(PARSING_DIR, os.environ)
if _STALE:
    warnings.warn(
        "the compiled parser was not built from the current "
        + ", ".join(f"{m}.py" for m in _STALE)
        + ": running its Python source (`make venv` compiles it again)",
        stacklevel=2,
    )
if BUILD != "compiled" and _COMPILED:  # Python would import the compiled files first
    finder = _SourceFinder(__package__ or "pipeline.parsing", PARSING_DIR, _COMPILED)
    sys.meta_path.insert(0, finder)
