"""Server settings are explicit, and nothing user-derived reaches raw HTML."""

from __future__ import annotations

import ast
import gzip
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

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
    # The menu keeps Settings, where the theme is switched (the README says so).
    "client.toolbarMode": "viewer",
    # A repaired link sets widget values through session state on purpose.
    "global.disableWidgetStateDuplicationWarning": "True",
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


PAGE = [ROOT / "page.py", *sorted((ROOT / "relulab_app").glob("*.py"))]


def _shipped_css(tree: ast.Module) -> set[str]:
    """Module names bound to a style sheet shipped beside the module:
    ``NAME = Path(__file__).with_name("x.css")``."""
    return {
        t.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign)
        and isinstance(n.value, ast.Call)
        and isinstance(n.value.func, ast.Attribute)
        and n.value.func.attr == "with_name"
        and isinstance(n.value.args[0], ast.Constant)
        and str(n.value.args[0].value).endswith(".css")
        for t in n.targets
        if isinstance(t, ast.Name)
    }


def test_no_raw_html_in_the_page():
    # st.html and unsafe_allow_html would render markup; the page never gives them any,
    # so nothing a student types or puts in a URL can become HTML. st.html only ever
    # takes a style sheet shipped beside the module (present.css, classroom.css), which
    # Streamlit puts in a <style> that takes no room. The components are the chart
    # element (relulab_app/chart.py), whose data is JSON that relulab_app.wire encodes from
    # the figures, the reconnection element (relulab_app/reconnect.py), whose data is
    # two fixed sentences, and the cookies element (relulab_app/cookies.py), whose names
    # and values are checked to be letters, digits, '-' and '_', and the sketch element
    # (relulab_app/sketch_view.py), whose data are numbers (sketches read back through
    # relulab_app.sketch.parse, curves from the library) and a label it sets as an
    # attribute, and the class news element (relulab_app/news.py), whose data are a
    # relative URL made from a checked class code, the news text (digits and dots) and
    # numbers; the code and style of each are files shipped with the package.
    for path in PAGE:
        tree = ast.parse(path.read_text())
        css = _shipped_css(tree)
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "html":
                (arg,) = n.args
                assert isinstance(arg, ast.Name) and arg.id in css, (path, n.lineno)
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        keywords = {k.arg for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords}
        assert "unsafe_allow_html" not in keywords and "html" not in keywords, path
        if path.name not in ("chart.py", "reconnect.py", "cookies.py", "sketch_view.py", "news.py"):
            assert "components" not in names, path
    source = (ROOT / "relulab_app" / "reconnect.py").read_text()
    assert 'js="reconnect.js", css="reconnect.css"' in source
    assert source.count("_RECONNECT(") == 1
    assert '_RECONNECT(data={"away": AWAY, "lost": LOST}' in source
    assets = ROOT / "relulab_app" / "webchart"
    for script in ("reconnect.js", "cookies.js", "sketch.js", "news.js"):
        text = (assets / script).read_text()
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text


def test_the_cookies_element_takes_only_safe_names_and_values():
    import importlib

    cookies = importlib.import_module("relulab_app.cookies")
    for bad in [{"a": "b;c"}, {"a b": "c"}, {"a": "<x>"}, {"a": ""}, {"a": "x" * 65}]:
        with pytest.raises(ValueError):
            cookies.keep(bad)


def test_the_chart_element_takes_only_encoded_numbers_and_shipped_files():
    source = (ROOT / "relulab_app" / "chart.py").read_text()
    assert 'js="chart.js", css="chart.css"' in source
    # The payloads go through pack(), JSON from relulab_app.wire only; the element is
    # mounted once, with those and the slider's numbers and fixed texts.
    assert "data = wire.encode(" in source and source.count("_CHART(") == 1
    assert source.count('_CHART(data=data, key="charts"') == 1
    for view in (ROOT / "relulab_app").glob("*.py"):  # the packed payloads come from pack()
        text = view.read_text()
        for call in text.split("chart.chart_pair(")[1:]:
            arg = call.split(",")[0].split(")")[0]
            assert (
                arg.startswith("chart.pack(")
                or f"{arg} = chart.pack(" in text
                or (f"{arg} = steps(" in text and "return chart.pack(" in text)
            ), (view.name, arg)
    assets = ROOT / "relulab_app" / "webchart"
    assert {p.name for p in assets.iterdir()} >= {
        "chart.js", "chart.css", "plotly-basic.min.js", "plotly-basic.min.js.gz",
    }  # fmt: skip
    # The script writes text with textContent, never as markup.
    script = (assets / "chart.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_the_gzipped_plotly_js_is_the_vendored_file():
    # The browser loads plotly-basic.min.js.gz (the server sends it as it is) and falls
    # back to the plain file: both must be the same plotly.js (scripts/vendor_plotly.sh
    # writes both).
    assets = ROOT / "relulab_app" / "webchart"
    packed = (assets / "plotly-basic.min.js.gz").read_bytes()
    assert gzip.decompress(packed) == (assets / "plotly-basic.min.js").read_bytes()


def test_make_run_listens_on_every_address():
    # Phones join a class run from a laptop at the laptop's network address (README:
    # "Running a class from a laptop"), so `make run` must listen on every address:
    # `server.address` stays unset (config.toml says why) and the Makefile's run passes
    # none. What Streamlit itself would bind, with this repository's settings:
    code = (
        "from streamlit import config; config.get_config_options(force_reparse=True)\n"
        "from streamlit.web.server.starlette import starlette_server as s\n"
        "print(repr(config.get_option('server.address')),"
        " s._get_bind_address(s._get_server_address()))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["None", "::" if socket.has_ipv6 else "0.0.0.0"]
    run = re.search(r"^run:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert run and "streamlit run app.py" in run[1] and "--server.address" not in run[1]
