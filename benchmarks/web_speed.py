"""Workbench speed: the review page with 5,000 candidates, search over 100,000 concepts.

Both through the real server (Werkzeug, threaded) on 127.0.0.1 and real HTTP
requests, timed to the last byte of the answer:

1. Review: the ACTER Dutch texts (../shared/acter, when present) and the
   seeds are mined into 5,000 candidates (mining is timed apart: `glossary
   review` does it too); then the first render of /review (cold: the
   candidates' status against the shipped termbase and the template
   compiled), a second render, one candidate's panel, and one decision
   written to the termbase. With Chromium installed, also the browser's
   time to the page's load event.
2. Termbase: a generated 100,000-concept termbase (as termbase_speed.py
   makes it); the first search (the file read and parsed), the same search
   again, another search, page 1,000 of the whole list, one concept, a
   validation and a saved edit. Baseline: `glossary term search` on the
   same file (a fresh process that loads the file each time).

Run: .venv/bin/python benchmarks/web_speed.py [--candidates 5000] [--concepts 100000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from glossary.mining import candidates as mining  # noqa: E402
from glossary.reading import ingest  # noqa: E402
from glossary.web.server import Running, bind  # noqa: E402
from glossary.web.workbench import Workbench, concept_version  # noqa: E402
from mining_speed import chunks, source_texts  # noqa: E402
from termbase_speed import generate  # noqa: E402


class Client:
    """HTTP/1.1 requests to the workbench with its token, timed to the last byte."""

    def __init__(self, running: Running) -> None:
        parts = urlsplit(running.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = parts.query.removeprefix("token=")

    def call(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> tuple[float, int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=300)
        headers = {"X-Glossary-Token": self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - start
        connection.close()
        if response.status >= 400:
            raise SystemExit(f"{method} {path}: {response.status} {payload[:300]!r}")
        return elapsed, response.status, payload


def line(label: str, seconds: float, extra: str = "") -> None:
    print(f"  {label:<44} {seconds * 1000:9.0f} ms  {extra}")


def review_part(count: int, acter: Path, folder: Path) -> None:
    print(f"1. Review page with {count:,} candidates")
    texts = chunks(source_texts(acter))
    documents = [ingest.read_document(f"doc{n:04d}.txt", text=t) for n, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    candidates = mining.mine(documents, options=mining.Options(top=count, min_freq=1))
    mine_s = time.perf_counter() - start
    print(
        f"  mined {len(candidates):,} candidates from {len(documents)} documents "
        f"({words:,} words) in {mine_s:.1f} s (not part of the figures below)"
    )
    termbase = folder / "review" / "glossary" / "termbase.tsv"
    termbase.parent.mkdir(parents=True)
    shutil.copy(ROOT / "glossary" / "termbase.tsv", termbase)
    bench = Workbench(termbase, termbase.parent.parent, documents=documents, candidates=candidates)
    running = bind(bench, port=0)
    running.start_thread()
    try:
        client = Client(running)
        first, _, page = client.call("GET", "/review")
        rows = page.count(b'<li data-key="')
        line("first render of /review (cold)", first, f"{len(page) / 1e6:.2f} MB, {rows:,} rows")
        again, _, _ = client.call("GET", "/review")
        line("second render of /review", again)
        key = bench.queue()[len(bench.queue()) // 2]
        from glossary.mining.review import candidate_key

        item, _, _ = client.call("GET", f"/review/item?c={quote(candidate_key(key))}")
        line("one candidate's panel (/review/item)", item)
        decide, _, _ = client.call(
            "POST",
            "/api/review/decide",
            {"key": candidate_key(key), "decision": "accept", "en": "benchmark"},
        )
        line("one decision written (accept)", decide, f"termbase {len(bench.snapshot().termbase)}")
        browser = browser_load(running)
        if browser is not None:
            line("Chromium: address to load event", browser)
        print(f"  first render / mining time: {first / mine_s:.2f} (target: first render < 1 s)")
    finally:
        running.shutdown()


def browser_load(running: Running) -> float | None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        print("  (Chromium not installed: browser load time not measured)")
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]:
        options.add_argument(flag)
    profile = tempfile.mkdtemp()
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = chromium
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        driver.get(running.url)  # sets the cookie; lands on /review
        driver.get(running.url.split("/?")[0] + "/review")
        timing = driver.execute_script(
            "const t = performance.getEntriesByType('navigation')[0];"
            "return t.loadEventEnd - t.startTime;"
        )
        return float(timing) / 1000
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def search_part(count: int, folder: Path, repeat: int) -> None:
    print(f"\n2. Termbase of {count:,} concepts")
    termbase = folder / "big" / "glossary" / "termbase.tsv"
    termbase.parent.mkdir(parents=True)
    generate(termbase, count)
    cli = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "glossary",
                "term",
                "search",
                "term 4242",
                "--termbase",
                str(termbase),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cli.append(time.perf_counter() - start)
    baseline = statistics.median(cli)
    bench = Workbench(termbase, termbase.parent.parent)
    running = bind(bench, port=0)
    running.start_thread()
    try:
        client = Client(running)
        first, _, page = client.call("GET", "/termbase?q=term+4242")
        line(
            "first search (file read and parsed)",
            first,
            f"'term 4242': {page.count(b'<tr class=')} rows",
        )
        again, _, _ = client.call("GET", "/termbase?q=term+4242&page=2")
        line("same search, page 2", again)
        other = statistics.median(
            client.call("GET", f"/api/terms?q=term+{n}")[0] for n in (777, 9999, 31337)
        )
        line("another search (median of 3)", other)
        listing, _, _ = client.call("GET", "/termbase?page=1000")
        line("page 1,000 of the whole termbase", listing)
        one, _, data = client.call("GET", "/api/terms/concept?id=c4242")
        line("one concept", one)
        version = json.loads(data)["version"]
        check, _, _ = client.call(
            "POST", "/api/terms/validate", {"id": "c4242", "fields": {"en": "term 4242 b"}}
        )
        line("validate a form", check)
        save, _, _ = client.call(
            "POST",
            "/api/terms/concept",
            {"id": "c4242", "version": version, "fields": {"en": "term 4242 b"}},
        )
        line("save an edit (locked write of the file)", save)
        after, _, _ = client.call("GET", "/api/terms?q=term+4242")
        line("search after the save (file read again)", after)
        assert concept_version(bench.concept("c4242")) != version
        print(f"  baseline `glossary term search` (a fresh process, median of {repeat}):", end="")
        print(f" {baseline:.2f} s")
        print(
            f"  first search / baseline: {first / baseline:.2f}; "
            f"another search / baseline: {other / baseline:.3f}"
        )
    finally:
        running.shutdown()


def startup_part(repeat: int) -> None:
    print("\n3. Start-up: `glossary serve --no-browser` until it prints the address")
    import signal

    def until_address(*args: str) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "glossary",
                    "serve",
                    *args,
                    "--no-browser",
                    "--port",
                    "0",
                    "--no-suggest",
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert process.stdout is not None
            process.stdout.readline()
            times.append(time.perf_counter() - start)
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        return statistics.median(times)

    def command(*args: str) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "glossary", *args],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    bare = until_address()
    seeds = until_address("seeds")
    term_list = command("term", "list")
    mine = command("mine", "seeds", "--top", "300", "--no-suggest")
    line("serve, no documents (shipped termbase)", bare, f"baseline term list: {term_list:.2f} s")
    line("serve seeds/ (mining 300 candidates)", seeds, f"baseline mine seeds/: {mine:.2f} s")
    print(f"  serve / term list: {bare / term_list:.2f}; ", end="")
    print(f"serve seeds/ / mine seeds/: {seeds / mine:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--acter", default=str(ROOT.parent / "shared" / "acter"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("(figures from a shared 2-core machine: other jobs may be running)\n")
    with tempfile.TemporaryDirectory() as folder:
        review_part(args.candidates, Path(args.acter), Path(folder))
        search_part(args.concepts, Path(folder), args.repeat)
    startup_part(args.repeat)


if __name__ == "__main__":
    main()
