"""The app as Streamlit Community Cloud serves it: from a fresh copy of the repository,
in a fresh virtual environment built with uv from requirements.txt alone.

What Cloud does (docs.streamlit.io, deploy/streamlit-community-cloud): it clones the
repository, takes the first dependency file it finds (uv.lock, Pipfile, environment.yml,
requirements.txt, pyproject.toml; here requirements.txt), installs it with uv (falling
back to pip), then runs ``streamlit run app.py`` from the repository root with the
Python version picked in the deploy dialog; there is no file in the repository that
pins it. So this check:

1. copies the working tree as a clone would see it: tracked files plus untracked ones
   that are not git-ignored (no .venv, no caches, no build leftovers);
2. makes a fresh venv with ``uv venv`` on this Python (or RELULAB_CLOUD_PYTHON), then
   ``uv pip install -r requirements.txt`` from PyPI (uv's default cache makes reruns
   fast);
3. serves the copy with that venv's Python, waits for /_stcore/health, opens the page in
   headless Chromium and checks the first render, then reads the server's stderr.

A file that the app needs but git does not hold, or a runtime dependency that is only in
requirements-dev.txt (or only installed by hand in .venv), fails here and not on Cloud.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from serve import READY, serve

ROOT = Path(__file__).resolve().parent.parent
INSTALL_TIMEOUT = 900  # s; a cold cache downloads streamlit, scipy, pyarrow... from PyPI
# Cloud's Python is picked in its deploy dialog (default 3.12); no file in the repository
# sets it. This check uses the Python running the tests unless told another, e.g.
# RELULAB_CLOUD_PYTHON=/path/to/python3.12 (uv downloads none).
CLOUD_PYTHON = os.environ.get("RELULAB_CLOUD_PYTHON") or sys.executable

# Settings that Community Cloud forces whatever config.toml says (its docs' "Status and
# limitations"), minus runOnSave (needs a file watcher) and gatherUsageStats (telemetry
# to hosts outside this machine).
CLOUD_OVERRIDES = [
    "--client.showErrorDetails", "false",
    "--runner.fastReruns", "true",
    "--server.enableXsrfProtection", "true",
]  # fmt: skip

FAILED = '[data-testid="stException"], [data-testid="stAlertContentError"]'

pytestmark = pytest.mark.browser


def _git(*args: str) -> list[str]:
    out = subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, timeout=60
    ).stdout
    return [os.fsdecode(p) for p in out.split(b"\0") if p]


def copy_as_cloned(dest: Path) -> list[str]:
    """Copy the files a clone of the working tree would hold into `dest`."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: cannot tell which files a clone would hold")
    names = sorted(
        set(_git("ls-files", "-z") + _git("ls-files", "-z", "--others", "--exclude-standard"))
    )
    copied = []
    for name in names:
        src = ROOT / name
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree, not yet committed
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / name, follow_symlinks=False)
        copied.append(name)
    return copied


def _uv() -> str:
    from uv import find_uv_bin  # requirements-dev.txt pins uv

    return find_uv_bin()


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.monotonic()
    result = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
    )
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return time.monotonic() - start


@pytest.fixture(scope="module")
def cloud_copy(chromium):
    """(copy of the repository, the fresh venv's python, timings), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="relulab-cloud-") as tmp:
        repo, venv = Path(tmp) / "repo", Path(tmp) / "venv"
        repo.mkdir()
        files = copy_as_cloned(repo)
        assert "app.py" in files and "requirements.txt" in files
        # No UV_* settings from the caller (uv reads no pip.conf): PyPI, default cache.
        env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
        env |= {"UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(venv)}
        env.pop("PYTHONPATH", None)
        uv, python = _uv(), venv / "bin" / "python"
        timings = {
            "uv venv": _run([uv, "venv", "--python", CLOUD_PYTHON, str(venv)], repo, env),
            "uv pip install": _run(
                [uv, "pip", "install", "--python", str(python), "-r", "requirements.txt"], repo, env
            ),
        }
        spent = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
        print(f"\nhosting check: {len(files)} files copied; {spent}")
        yield repo, python, timings


def test_fresh_venv_has_the_chosen_python_and_the_pinned_streamlit(cloud_copy):
    repo, python, _timings = cloud_copy
    probe = (
        "import platform, relulab, streamlit; "
        "print(platform.python_version(), streamlit.__version__, relulab.__file__)"
    )
    out = subprocess.run(
        [str(python), "-c", probe], check=True, capture_output=True, text=True, timeout=120
    ).stdout.split()
    wanted = subprocess.run(
        [CLOUD_PYTHON, "-c", "import platform; print(platform.python_version())"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    assert out[0] == wanted
    pinned = [
        line.split("==")[1].split()[0]
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("streamlit==")
    ]
    assert [out[1]] == pinned
    # relulab comes from the copy (requirements.txt's `-e .`), not from this checkout
    assert Path(out[2]).resolve().is_relative_to(repo.resolve())
    # scipy is imported on first use only (relulab.catalogue), so the first render would
    # not notice it missing; and the resolved set must be consistent.
    subprocess.run([str(python), "-c", "from scipy.special import erfc"], check=True, timeout=120)
    check = subprocess.run(
        [_uv(), "pip", "check", "--python", str(python)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_first_render_as_served_on_cloud(cloud_copy, browser, tmp_path):
    repo, python, _timings = cloud_copy
    log = tmp_path / "streamlit-stderr.log"
    errors: list[str] = []
    start = time.monotonic()
    with serve(
        repo / "app.py", cwd=repo, python=str(python), args=CLOUD_OVERRIDES, log=log, timeout=120
    ) as (url, _pid):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            page.wait_for_selector(READY, timeout=90_000)
            # both charts drawn, or an exception or the page's own error message (page.py
            # catches a failing view, logs it and shows st.error) instead: fail fast
            page.wait_for_function(
                "[...document.querySelectorAll('.js-plotly-plot')]"
                ".filter(el => el.querySelector('.main-svg')).length >= 2"
                f" || document.querySelector('{FAILED}')",
                timeout=90_000,
            )
            print(f"\nhosting check: first render {time.monotonic() - start:.1f} s")
            shown = page.locator(FAILED).all_inner_texts()
            assert shown == [], (shown, log.read_text(errors="replace")[-4000:])
            assert page.locator(".js-plotly-plot").count() == 2
            assert page.title().startswith("ReLU Lab")
            heading = page.locator("h1").filter(has_text="ReLU Lab")
            assert heading.count() == 1, page.locator("h1").all_inner_texts()
            assert errors == [], errors
            # A shared link that needs repairs (a reversed x-range, a leak off the step):
            # a notice on the page, and nothing in the server's log.
            page.goto(f"{url}/?x_range=9&x_range=-9&leak=0.123")
            page.wait_for_selector(READY, timeout=90_000)
            page.get_by_text("rounded to the slider step").wait_for(timeout=30_000)
        finally:
            page.close()
    stderr = log.read_text(errors="replace")
    for bad in ("Traceback", "Error", "Exception", "Uncaught", "WARNING", "Warning"):
        assert bad not in stderr, stderr[-4000:]
