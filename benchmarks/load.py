"""The web server under load: requests per second and latency of /claims and /api/claims at 10,000 claims.

    .venv/bin/python benchmarks/load.py [--claims 10000] [--duration 10] [--connections 8] [--json OUT]

Synthesises a ledger through the store as ``benchmarks/web.py`` does (no NLP), starts the real server
(``claimledger serve``) on a free port of 127.0.0.1 only, and loads each URL for a fixed time with a fixed
number of keep-alive connections: with ``wrk`` when it is installed (``apt-get install wrk``), otherwise with
a small asyncio load generator over httpx (``--tool python`` forces it). Reports requests per second,
p50/p99 latency and errors (connection errors, timeouts, any status but 200) for each URL, and, as the
baseline measured in the same run, a static file (the server's own floor). Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402

from web import synthesise  # noqa: E402

CLI = str(Path(sys.executable).with_name("claimledger"))
HOST = "127.0.0.1"  # never anything else: this tool loads a local server only
URLS = {
    "claims first page": "/claims",
    "claims filtered": "/claims?status=disputed&q=quay+at+velby",
    "api claims first page": "/api/claims",
    "static file (baseline)": "/static/style.css",
}
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT_MS[unit]


def run_wrk(url: str, *, duration: int, connections: int, threads: int) -> dict[str, float]:
    """One wrk run with its latency distribution; errors are socket errors plus non-2xx/3xx replies."""
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout  # fmt: skip
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, flags=re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = re.search(r"(\d+) requests in", out)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": round(_ms(percentiles["50"]), 1),
        "p99_ms": round(_ms(percentiles["99"]), 1),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


async def _python_load(url: str, *, duration: int, connections: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok

    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p99_ms": round(cuts[98], 1),
        "errors": errors,
    }


def run_python(url: str, *, duration: int, connections: int) -> dict[str, float]:
    """The same measurement without wrk: one client process, so it measures less than wrk can."""
    return asyncio.run(_python_load(url, duration=duration, connections=connections))


def serve(db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [CLI, "serve", "--db", db, "--host", HOST, "--port", str(port)], stdout=sink, stderr=sink
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://{HOST}:{port}/api/claims", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit(f"the server did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=8, help="concurrent keep-alive connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        started = time.perf_counter()
        synthesise(db, args.claims)
        build_s = time.perf_counter() - started
        port = _free_port()
        log = Path(tmp) / "serve.log"
        server = serve(db, port, log)
        results: dict[str, dict[str, float]] = {}
        try:
            for name, path in URLS.items():
                url = f"http://{HOST}:{port}{path}"
                for _ in range(5):  # warm-up, and a check that the URL answers at all
                    assert httpx.get(url, timeout=10).status_code == 200, url
                if tool == "wrk":
                    results[name] = run_wrk(
                        url, duration=args.duration, connections=args.connections, threads=args.threads
                    )
                else:
                    results[name] = run_python(url, duration=args.duration, connections=args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
        server_log = log.read_text(errors="replace")
    tracebacks = server_log.count("Traceback")
    print(
        f"{args.claims:,} claims synthesised in {build_s:.1f} s; {tool}, {args.connections} connections, "
        f"{args.duration} s per URL, server `claimledger serve` on {HOST}"
    )
    print(f"{'URL':28} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, row in results.items():
        print(
            f"{name:28} {row['requests']:>9.0f} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['errors']:>7.0f}"
        )
    errors = sum(row["errors"] for row in results.values()) + tracebacks
    print(f"errors: {errors:.0f} (tracebacks in the server log: {tracebacks})")
    if args.json:
        figures: dict[str, Any] = {
            "claims": args.claims, "tool": tool, "connections": args.connections, "duration_s": args.duration,
            "build_s": round(build_s, 1), "urls": {name: {"path": URLS[name], **row} for name, row in results.items()},
            "server_tracebacks": tracebacks,
        }  # fmt: skip
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
