"""The HTTP API under gunicorn: requests per second for GET customer and for a credit
check, measured by a load generator in a second process on loopback.

The storage is a fresh SQLite file by default (or the database of ``--url``, e.g.
``postgresql+psycopg://user:pw@127.0.0.1/bench``, migrated first), seeded with the demo
tenant. The server is ``customer-master serve`` (gunicorn, ``--workers`` processes, no
access log). The load comes from ``wrk`` when it is installed (Debian package ``wrk``),
else from a small Python generator: ``--connections`` keep-alive connections spread
over threads of one separate process. Every run is bounded by ``--seconds``.

Run: .venv/bin/python bench/bench_http.py [--url URL] [--workers 2] [--seconds 10] [--connections 32]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from customer_master import Actor, CustomerMaster
from customer_master_cli.demo import seed_demo_tenant


@dataclass(frozen=True)
class Target:
    """One request to repeat."""

    label: str
    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    seconds: float
    latency_ms: str = ""

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------


def prepare(url: str, customers: int) -> tuple[str, str, str]:
    """Migrate and seed the storage; returns an API key, a customer id and its entity."""
    if not url.startswith("memory:"):
        from customer_master_sql import migrate

        migrate(url)
    cm = CustomerMaster.from_url(url)
    try:
        tenant = f"bench{int(time.time())}"
        seed_demo_tenant(cm, tenant=tenant, customers=customers, seed=7)
        secret, _ = cm.access.create_api_key(tenant, "bench", ["admin"])
        page = cm.customers.search(Actor(tenant, "bench", {"admin"}))
        customer = next(c for c in page.items if c.kind == "company" and c.credit_limit)
        return secret, customer.id, customer.legal_entity
    finally:
        cm.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(url: str, port: int, workers: int) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        sys.executable,
        "-m",
        "customer_master_cli",
        "--url",
        url,
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"the server stopped: {message.strip().splitlines()[-1:] or process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up in time")


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the server and its workers, from /proc
    (0 where there is no /proc): on a shared machine, requests a CPU second of the server
    is the figure that does not depend on what else runs."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        process, parent = int(stat.parent.name), int(fields[1])
        if process == pid or parent == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


# ---------------------------------------------------------------------------
# Load generators
# ---------------------------------------------------------------------------


def with_wrk(port: int, target: Target, seconds: float, connections: int) -> Figures:
    """Load from wrk (two threads), with a Lua script for the method, headers and body."""
    script = "\n".join(
        [f'wrk.method = "{target.method}"', f"wrk.body = {json.dumps(target.body.decode())}"]
        + [f'wrk.headers["{name}"] = "{value}"' for name, value in target.headers.items()]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "-s",
                lua.name,
                f"http://127.0.0.1:{port}{target.path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        )
    finally:
        os.unlink(lua.name)
    out = result.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    elapsed = float(re.search(r"requests in ([\d.]+)s", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    latency = f"p50 {p50.group(1)}, p99 {p99.group(1)}" if p50 and p99 else ""
    return Figures(requests=requests, errors=errors, seconds=elapsed, latency_ms=latency)


def _python_load(port: int, target: Target, seconds: float, connections: int, out: Any) -> None:
    """The body of the load process: ``connections`` threads, one keep-alive each."""
    counts = [0] * connections
    errors = [0] * connections
    stop = time.monotonic() + seconds

    def hammer(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            try:
                connection.request(
                    target.method, target.path, body=target.body or None, headers=dict(target.headers)
                )
                response = connection.getresponse()
                response.read()
                if 200 <= response.status < 400:
                    counts[slot] += 1
                else:
                    errors[slot] += 1
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    started = time.monotonic()
    threads = [threading.Thread(target=hammer, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((sum(counts), sum(errors), time.monotonic() - started))


def with_python(port: int, target: Target, seconds: float, connections: int) -> Figures:
    queue: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=_python_load, args=(port, target, seconds, connections, queue))
    process.start()
    requests, errors, elapsed = queue.get(timeout=seconds + 60)
    process.join()
    return Figures(requests=requests, errors=errors, seconds=elapsed)


# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="storage URL (default: a new SQLite file)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="cm-bench-"))
    url = args.url or f"sqlite:///{workdir / 'bench.db'}"
    use_wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk") is not None)
    generator = "wrk" if use_wrk else "python (threads, one process)"
    key, customer_id, entity = prepare(url, args.customers)
    headers = {"X-API-Key": key}
    check = json.dumps({"entity": entity, "amount": "1000.00", "document_type": "order"}).encode()
    targets = [
        Target("GET /customers/{id}", "GET", f"/customers/{customer_id}", headers),
        Target(
            "POST /customers/{id}/credit-check",
            "POST",
            f"/customers/{customer_id}/credit-check",
            {**headers, "Content-Type": "application/json"},
            check,
        ),
    ]
    port = free_port()
    safe_url = re.sub(r"//([^:/@]+):[^@]+@", r"//\1:***@", url)
    print(
        f"storage {safe_url}; gunicorn {args.workers} workers; load: {generator}, "
        f"{args.connections} connections, {args.seconds:g} s each; {os.cpu_count()} CPUs"
    )
    with server(url, port, args.workers) as process:
        for target in targets:
            run = with_wrk if use_wrk else with_python
            run(port, target, min(2.0, args.seconds), args.connections)  # warm-up
            cpu = server_cpu_seconds(process.pid)
            figures = run(port, target, args.seconds, args.connections)
            used = server_cpu_seconds(process.pid) - cpu
            latency = f"  ({figures.latency_ms})" if figures.latency_ms else ""
            print(f"{target.label:<36} {figures.per_second:>10,.0f} req/s   errors {figures.errors}{latency}")
            if used > 0:
                print(
                    f"{'':<36} {figures.requests / used:>10,.0f} req per server CPU second "
                    f"({used:.1f} s of CPU in {figures.seconds:.1f} s)"
                )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
