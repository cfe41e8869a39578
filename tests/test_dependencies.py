"""The installed libraries are inside the ranges pyproject.toml declares (the ones the
tests run against), and the page's own imports are declared."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DECLARED = [
    Requirement(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["app"]
]


@pytest.mark.parametrize("req", DECLARED, ids=str)
def test_installed_version_is_in_the_declared_range(req):
    version = importlib.metadata.version(req.name)
    assert req.specifier.contains(version, prereleases=True), f"{req.name} {version} not {req}"


def test_every_third_party_import_of_the_library_and_page_is_declared():
    declared = {r.name.lower() for r in DECLARED}
    sources = [*sorted((ROOT / "src" / "relulab").glob("*.py")), ROOT / "app.py"]
    sources += sorted((ROOT / "relulab_app").glob("*.py"))
    # import name -> distribution name, where they differ
    dist = {"_plotly_utils": "plotly"}
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("relulab", "relulab_app"):
                    continue
                assert dist.get(top, top).lower() in declared, f"{path.name} imports {top}"
