"""Dagster entry point: every definition is loaded from ``pipeline/defs/``.

Not ``dg.load_from_defs_folder``: it looks for the project's pyproject.toml (``[tool.dg]``) above
the package, which a wheel install does not have. The same component tree is built from the
``defs`` package itself, so a checkout, an editable install and a wheel load the same definitions.
"""

import warnings

import dagster as dg

import pipeline.defs
from pipeline.settings import PROJECT_ROOT


@dg.definitions
def defs() -> dg.Definitions:
    # as load_from_defs_folder does: the loader's own preview warnings are not ours to act on
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=dg.PreviewWarning)
        tree = dg.ComponentTree.from_module(defs_module=pipeline.defs, project_root=PROJECT_ROOT)
        return tree.build_defs()
