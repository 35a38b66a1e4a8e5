"""A run as the Prefect UI shows it: starts `prefect server start` on a free port, runs
`communique run` against it, and takes screenshots of the run's page and of its artifacts
with headless Chromium (Debian package `chromium`).

    .venv/bin/python bench/ui_screenshot.py [--source seeds] [--out /tmp/communique-ui]

Prints the run's URL and the PNG files written."""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the Prefect server at {url} did not answer within {timeout:.0f} s")


def artifact_id(api: str, run_id: str, key: str) -> str:
    import json
    body = json.dumps({"artifacts": {"key": {"any_": [key]}, "flow_run_id": {"any_": [run_id]}}, "limit": 1}).encode()
    req = urllib.request.Request(f"{api}/artifacts/filter", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())[0]["id"]


def screenshot(browser: str, url: str, png: Path) -> None:
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1440,1000", "--virtual-time-budget=20000", f"--screenshot={png}", url],
                   check=True, capture_output=True, timeout=120)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=str(ROOT / "seeds"))
    ap.add_argument("--out", default="/tmp/communique-ui")
    a = ap.parse_args()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("needs Chromium: apt-get install chromium")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    home = Path(tempfile.mkdtemp(prefix="prefect-home-"))
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_API_PORT": str(port),
           "PREFECT_UI_API_URL": api, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_healthy(api)
        wh = out / "ui.duckdb"
        run = subprocess.run([str(BIN / "communique"), "run", "--source", a.source, "--warehouse", str(wh),
                              "--full-refresh"], env={**env, "PREFECT_API_URL": api}, capture_output=True, text=True)
        print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()[-300:])
        import duckdb
        con = duckdb.connect(str(wh), read_only=True)
        run_id = con.execute("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()[0]
        con.close()
        page = f"http://127.0.0.1:{port}/runs/flow-run/{run_id}"
        print("run page:", page)
        base = f"http://127.0.0.1:{port}"
        pages = [("run", page)]
        for key in ("communique-run-summary", "communique-rejects"):
            pages.append((key, f"{base}/artifacts/artifact/{artifact_id(api, run_id, key)}"))
        for name, url in pages:
            png = out / f"prefect-{name}.png"
            screenshot(browser, url, png)
            print("screenshot:", png, f"{png.stat().st_size} bytes")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
