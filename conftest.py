"""Doctests run in the library and in the page's model (relulab_app's modules that do
not import Streamlit). The page's views register Streamlit elements when imported,
which needs Streamlit's server; tests/ runs them in one."""

from pathlib import Path

PAGE = Path(__file__).parent / "relulab_app"


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    if collection_path.suffix == ".py" and collection_path.is_relative_to(PAGE):
        return "import streamlit" in collection_path.read_text() or None
    return None
