"""The lecture-hall layout (deploy/cluster.py): two replicas of the page behind a real
nginx, sharing a real redis-server. A teacher on one replica and students on the
other share a class; the students' replica dies mid-question and their pages move to
the other without a reload, no answer lost; the page's files load through nginx."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from serve import READY
from test_browser_class import (
    CONNECTED,
    _open_class,
    _send_with_enter,
    _teacher_writes,
    _wait_text,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
from cluster import ROUTE_COOKIE, Cluster  # noqa: E402

WATCH_DROP = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__relulabDropped = false;
  new MutationObserver(() => {
    if (app.dataset.testConnectionState !== "CONNECTED") window.__relulabDropped = true;
  }).observe(app, { attributes: true });
}"""


def _require(tool: str) -> None:
    if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
        if os.environ.get("RELULAB_REQUIRE_CLUSTER") == "1":
            pytest.fail(f"RELULAB_REQUIRE_CLUSTER=1 but {tool} is missing (apt-get install)")
        pytest.skip(f"{tool} is not installed (apt-get install {tool})")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    _require("nginx")
    _require("redis-server")
    with Cluster(replicas=2, logs=tmp_path_factory.mktemp("cluster-logs")) as c:
        yield c


def _get(url: str, route: str | None = None) -> tuple[bytes, dict]:
    headers = {"Cookie": f"{ROUTE_COOKIE}={route}"} if route else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
        return r.read(), dict(r.headers)


def _route_to(cluster: Cluster, i: int) -> str:
    """A route key nginx sends to replica ``i`` (found by asking, as a browser would)."""
    for _ in range(200):
        key = secrets.token_hex(8)
        if _get(f"{cluster.url}/_stcore/health", key)[1]["X-Relulab-Replica"] == (
            cluster.nodes[i].address
        ):
            return key
    raise AssertionError(f"no route key reaches replica {i}")


def test_the_page_and_its_elements_files_load_through_the_balancer(cluster):
    html, headers = _get(f"{cluster.url}/")
    assert b"<noscript>" in html or b'<div id="root">' in html
    assert f"{ROUTE_COOKIE}=" in headers["Set-Cookie"] or ROUTE_COOKIE in str(headers)
    assets = ROOT / "relulab_app" / "webchart"
    for name in ("chart.js", "plotly-basic.min.js.gz", "reconnect.js"):
        body, _ = _get(f"{cluster.url}/_stcore/bidi-components/relulab_app.chart/{name}")
        assert body == (assets / name).read_bytes(), name


def test_a_browser_stays_on_its_replica_and_moves_when_it_dies(cluster):
    routes = [_route_to(cluster, i) for i in (0, 1)]
    for i, route in enumerate(routes):
        for _ in range(5):
            answered = _get(f"{cluster.url}/_stcore/health", route)[1]["X-Relulab-Replica"]
            assert answered == cluster.nodes[i].address


@pytest.mark.browser
def test_a_class_spans_two_replicas_and_survives_losing_one(cluster, browser):
    teacher_route, student_route = _route_to(cluster, 0), _route_to(cluster, 1)

    def open_on(route: str, url: str, *, phone: bool = False):
        size = {"width": 390, "height": 844} if phone else {"width": 1024, "height": 768}
        context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
        context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": cluster.url}])
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(READY, timeout=60_000)
        return page

    teacher = open_on(teacher_route, f"{cluster.url}/?present=1")
    code = _open_class(teacher)
    students = [
        open_on(student_route, f"{cluster.url}/?class={code}", phone=True) for _ in range(3)
    ]
    _wait_text(teacher, r"\b3\s+students joined")
    _teacher_writes(teacher, "What is f′(−2) of Leaky ReLU at leak 0.1?", "-0.2", "0.01")
    for s in students:
        _wait_text(s, "What is f′\\(−2\\)")
    _send_with_enter(students[0], "-0.2")
    _send_with_enter(students[1], "5")
    _wait_text(teacher, r"2 of 3 answered")

    for s in students:  # the moment the connection drops: nginx reconnects at once
        s.evaluate(WATCH_DROP)
    cluster.kill(1)  # the students' replica, mid-question
    for s in students:
        s.wait_for_function("window.__relulabDropped === true", timeout=30_000)
        s.wait_for_selector(CONNECTED, timeout=60_000)  # nginx moved them to replica 0
    _send_with_enter(students[2], "-0.2")
    _wait_text(teacher, r"3 of 3 answered")  # nobody lost, nobody counted twice
    _wait_text(students[0], r"Sent: -0\.2\.")
    teacher.get_by_role("button", name="Reveal to the class").click()
    _wait_text(teacher, r"3 of 3 answered; 2 right")
    _wait_text(students[1], r"Not quite: you sent 5; the answer is -0\.2")
    _wait_text(students[2], r"Right: -0\.2")
    for page in (teacher, *students):
        assert page.locator('[data-testid="stException"]').count() == 0
        page.context.close()
    cluster.start_replica(1)


def test_the_deployment_files_pass_their_linters():
    # On paper (no Kubernetes or Docker here): the manifest against Kubernetes's own
    # schema, strictly (an unknown field fails), and both YAML files' syntax.
    deploy = ROOT / "deploy"
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "kubernetes-validate", "--strict", "--quiet", deploy / "kubernetes.yaml"],
        check=True,
    )
    rules = "{extends: default, rules: {line-length: {max: 100}, document-start: disable}}"
    subprocess.run(
        [bin_dir / "yamllint", "--strict", "-d", rules, deploy / "compose.yaml",
         deploy / "kubernetes.yaml"],
        check=True,
    )  # fmt: skip
