"""Server settings are explicit, and nothing user-derived reaches raw HTML."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


OPTIONS = {
    "server.enableXsrfProtection": "True",
    "server.enableCORS": "True",
    "server.enableStaticServing": "False",
    "server.maxUploadSize": "1",
    "client.showErrorDetails": "type",
    "runner.postScriptGC": "False",
    "runner.magicEnabled": "False",
    "server.fileWatcherType": "none",
}


def test_server_settings_are_explicit_and_read_by_streamlit():
    code = (
        "from streamlit import config; config.get_config_options(force_reparse=True);"
        f"print(*[config.get_option(k) for k in {list(OPTIONS)!r}])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == list(OPTIONS.values())
    text = (ROOT / ".streamlit" / "config.toml").read_text()
    for key in OPTIONS:
        assert f"{key.split('.')[1]} =" in text  # set in the file, not left to defaults


def test_no_raw_html_in_the_page():
    # st.html, unsafe_allow_html and components would render markup; the page uses none,
    # so nothing a student types or puts in a URL can become HTML.
    tree = ast.parse((ROOT / "app.py").read_text())
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    keywords = {k.arg for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords}
    assert "html" not in names and "components" not in names
    assert "unsafe_allow_html" not in keywords
