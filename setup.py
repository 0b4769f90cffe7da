"""Build hook: the parser's pure-Python core compiled to C with mypyc (about 1.3x the parse rate).

Everything else of the package is in pyproject.toml. The compiled modules are the same source
files, type-checked by mypy and compiled; ``pipeline/parsing/native.py`` loads them only when
the build manifest written here matches the sources (an edited module runs from its source).
``GOVREPORTS_PURE_PYTHON=1`` builds without compiling.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, ExecError, PlatformError

PARSING = Path("pipeline", "parsing")
# The text parser's modules. decode, html and pdf lean on untyped libraries and are not hot.
COMPILED = (
    "capture",
    "detached",
    "flat",
    "fused",
    "identities",
    "labels",
    "metadata",
    "narrative",
    "parser",
    "regions",
    "tables",
    "template",
    "tokens",
    "values",
)
MANIFEST = "native.json"  # {module: sha256 of the source it was compiled from}


class BuildExtWithManifest(build_ext):
    """Writes the manifest beside the compiled modules (the checkout for an editable install).

    Where they cannot be compiled (no C compiler, no Python headers) the build goes on without
    them: the parser then runs from its source, as ``GOVREPORTS_PURE_PYTHON=1`` would."""

    def run(self) -> None:
        try:
            super().run()
        except (CCompilerError, ExecError, PlatformError) as exc:
            _warn(f"the parser could not be compiled ({type(exc).__name__}, output above)")
            for extension in self.extensions:  # all or none: the modules share one library
                Path(self.get_ext_fullpath(extension.name)).unlink(missing_ok=True)
            return
        if not self.extensions:
            return
        target = PARSING if self.inplace else Path(self.build_lib, PARSING)
        target.mkdir(parents=True, exist_ok=True)
        for leftover in target.glob("*.so"):  # a module compiled by an earlier build, not now
            if leftover.name.split(".", 1)[0] not in COMPILED:
                leftover.unlink()
        sources = {
            m: hashlib.sha256((PARSING / f"{m}.py").read_bytes()).hexdigest() for m in COMPILED
        }
        (target / MANIFEST).write_text(json.dumps(sources, indent=1, sort_keys=True) + "\n")


def _warn(problem: str) -> None:
    sys.stderr.write(f"warning: {problem}; installing its pure-Python source (slower)\n")


def compiled_modules() -> list:
    if os.environ.get("GOVREPORTS_PURE_PYTHON") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # built without the build requirements (--no-build-isolation)
        _warn("mypyc is not installed")
        return []
    return mypycify(
        ["--ignore-missing-imports", *(str(PARSING / f"{m}.py") for m in COMPILED)],
        opt_level="3",
    )


setup(ext_modules=compiled_modules(), cmdclass={"build_ext": BuildExtWithManifest})
