"""The container image, built with `make image` and run for real with podman, as CI pipelines use it.

podman runs on a private configuration inside this test's temporary directory (containers.conf:
runc, cgroupfs, ulimits within the host's hard limits; storage.conf: its own image store), never the
host's. The Debian base (`make base-image`, debootstrap, ~45 s) is cached as a tarball in
~/.cache/mx-sandbox; `MX_SANDBOX_IMAGE_BASE` names an existing base instead. Prints the build time,
image size and start-to-health time.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from contract_tests.harness import free_port
from contract_tests.served import check_guide_journey

ROOT = Path(__file__).resolve().parents[1]
IMAGE = "localhost/mx-sandbox:container-test"
BASE = os.environ.get("MX_SANDBOX_IMAGE_BASE")

pytestmark = [
    pytest.mark.container,
    pytest.mark.skipif(shutil.which("podman") is None, reason="podman is not installed (.ci/run installs it)"),
    pytest.mark.skipif(BASE is None and shutil.which("debootstrap") is None,
                       reason="no base: install debootstrap or set MX_SANDBOX_IMAGE_BASE"),
]


def _limit(kind: int, cap: int) -> int:
    """At most the host's hard limit: runc cannot raise a limit without CAP_SYS_RESOURCE."""
    hard = resource.getrlimit(kind)[1]
    return cap if hard == resource.RLIM_INFINITY else min(hard, cap)


class Podman:
    def __init__(self, root: Path) -> None:
        (root / "containers.conf").write_text(
            "[containers]\n"
            f'default_ulimits = ["nofile={_limit(resource.RLIMIT_NOFILE, 4096)}:{_limit(resource.RLIMIT_NOFILE, 4096)}", '
            f'"nproc={_limit(resource.RLIMIT_NPROC, 4096)}:{_limit(resource.RLIMIT_NPROC, 4096)}"]\n'
            '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
        )
        (root / "storage.conf").write_text(
            f'[storage]\ndriver = "overlay"\ngraphroot = "{root / "graph"}"\nrunroot = "{root / "run"}"\n'
        )
        self.env = {**os.environ, "CONTAINERS_CONF": str(root / "containers.conf"),
                    "CONTAINERS_STORAGE_CONF": str(root / "storage.conf")}

    def __call__(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["podman", *args], env=self.env, capture_output=True, text=True, timeout=timeout)

    def make(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def podman(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("podman")
    engine = Podman(root)
    yield engine
    engine("system", "reset", "--force", timeout=120)  # the private store only (storage.conf above)
    shutil.rmtree(root, ignore_errors=True)


def _wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/_sandbox/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"container not healthy within {timeout} s")


def test_image_builds_and_serves_the_guide_journey(podman: Podman, record_property) -> None:
    started = time.perf_counter()
    build = podman.make("image", f"IMAGE={IMAGE}", *([f"BASE={BASE}"] if BASE else []))
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    build_seconds = time.perf_counter() - started

    inspected = json.loads(podman("image", "inspect", IMAGE).stdout)[0]
    config = inspected["Config"]
    assert config["User"] == "10001"  # not root
    assert "8080/tcp" in config["ExposedPorts"]
    healthcheck = inspected.get("Healthcheck") or config.get("Healthcheck")  # podman: top level; docker: Config
    assert "/_sandbox/health" in " ".join(healthcheck["Test"])

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    name = f"mx-sandbox-test-{port}"
    started = time.perf_counter()
    run = podman("run", "--detach", "--name", name, "--publish", f"127.0.0.1:{port}:8080",
                 "--env", f"MX_SANDBOX_PUBLIC_URL={url}", IMAGE)
    assert run.returncode == 0, run.stderr
    try:
        _wait_healthy(url)
        health_seconds = time.perf_counter() - started

        check_guide_journey(url)
        echoed = httpx.get(f"{url}/_sandbox/health", headers={"X-Request-Id": "ci-job-42"}, timeout=5)
        assert echoed.headers["x-request-id"] == "ci-job-42"
        assert podman("healthcheck", "run", name).returncode == 0
        assert podman("exec", name, "id", "-u").stdout.strip() == "10001"
        logs = podman("logs", name)
        assert "mx-sandbox listening on http://0.0.0.0:8080" in logs.stdout
        assert 'GET /_sandbox/health" 200' in logs.stdout and "id=ci-job-42" in logs.stdout  # access log is on
    finally:
        podman("rm", "--force", "--time", "2", name)

    record_property("mx_measured", f"container image: build {build_seconds:.1f} s (make image), "
                    f"size {inspected['Size'] / 1e6:.0f} MB, podman run to healthy {health_seconds:.2f} s")
