"""The installed libraries are inside the ranges the two pyproject.toml files declare
(the ones the tests run against); the library imports only its own dependencies, and
the page only what it or the library declares."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent


def _declared(pyproject: Path) -> list[Requirement]:
    return [Requirement(r) for r in tomllib.loads(pyproject.read_text())["project"]["dependencies"]]


LIBRARY = _declared(ROOT / "pyproject.toml")
PAGE = _declared(ROOT / "relulab_app" / "pyproject.toml")


@pytest.mark.parametrize("req", LIBRARY + PAGE, ids=str)
def test_installed_version_is_in_the_declared_range(req):
    version = importlib.metadata.version(req.name)
    assert req.specifier.contains(version, prereleases=True), f"{req.name} {version} not {req}"


def _third_party_imports(path: Path) -> set[str]:
    tops = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        tops |= {n.split(".")[0] for n in names}
    return {t for t in tops if t not in sys.stdlib_module_names and t not in ("relulab",)}


@pytest.mark.parametrize(
    ("sources", "declared"),
    [
        (sorted((ROOT / "src" / "relulab").rglob("*.py")), LIBRARY),
        # The page may import its own package; the library may not (it is only the math).
        (
            [ROOT / "app.py", ROOT / "page.py", *sorted((ROOT / "relulab_app").rglob("*.py"))],
            [*LIBRARY, *PAGE, Requirement("relulab_app")],
        ),
    ],
    ids=["library", "page"],
)
def test_every_third_party_import_is_declared(sources, declared):
    names = {r.name.lower() for r in declared}
    for path in sources:
        for top in _third_party_imports(path):
            assert top.lower() in names, f"{path.name} imports {top}"


def test_import_relulab_loads_only_the_math():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, relulab; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    page_only = {m.split(".")[0] for m in loaded} & {
        "plotly",
        "streamlit",
        "redis",
        "pandas",
        "segno",
        "psutil",
        "relulab_app",
    }
    assert not page_only, f"import relulab loaded {sorted(page_only)}"
