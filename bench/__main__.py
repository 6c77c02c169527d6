"""python -m bench [--quick]: every measurement of issue 4, printed and written to bench/results/.

    python -m bench                      # full run, under 10 minutes on 2 cores
    python -m bench --quick              # about a minute: 1× only, fewer repeats (the smoke test uses it)
    python -m bench --only status,pages --scales 1x,100x

Writes bench/results/bench-<time>.json (every sample summary, machine facts) and .md (the tables), and
latest.json / latest.md beside them. Synthetic databases go to bench/results/data/, never data/nq57.duckdb.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench import generate, report
from bench.timing import load_average, summary

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MEASURES = ("status", "pages", "workbooks", "commit", "snapshot", "chart", "served")


@dataclass
class Plan:
    scales: list[str]
    status_runs: int = 5
    page_cold: int = 2
    page_warm: int = 3
    workbook_sizes: list[int] = field(default_factory=lambda: [1_000, 10_000, 50_000])
    workbook_runs: int = 3
    commit_runs: int = 5
    chart_loads: int = 2
    chart_timeout_s: float = 45
    view_runs: int = 2
    load_levels: list[int] = field(default_factory=lambda: [1, 2, 4, 8])
    load_views: int = 3
    load_budget_s: float = 45
    browser_levels: list[int] = field(default_factory=list)  # --browser-load: N Chromium pages at once
    browser_scales: list[str] = field(default_factory=lambda: ["1x"])
    chart_scales: list[str] = field(default_factory=lambda: ["1x", "100x", "tiny"])  # others draw 1×'s rows
    idle_sessions: int = 10
    load_scales: list[str] = field(default_factory=lambda: ["1x", "100x", "tiny"])
    budget_s: float = 540  # optional parts (load tests, browser load) are skipped past this
    snapshot_runs: int = 3
    chart_runs: int = 3
    chart_sizes: list[int] = field(default_factory=lambda: [40, 320])


FULL = Plan(scales=["1x", "10x", "100x", "100x_communes"])
QUICK = Plan(
    scales=["1x"],
    status_runs=2,
    page_cold=1,
    page_warm=2,
    workbook_sizes=[1_000],
    workbook_runs=1,
    commit_runs=2,
    chart_loads=1,
    view_runs=1,
    load_levels=[1, 2],
    load_views=1,
    load_budget_s=20,
    browser_levels=[],
    idle_sessions=5,
    snapshot_runs=1,
    chart_runs=1,
    chart_sizes=[],
)


def log(text: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def measure_pages(db: Path, plan: Plan) -> dict:
    """bench.pages in its own process (Streamlit caches would otherwise mix scales)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.pages",
            "--db",
            str(db),
            "--cold",
            str(plan.page_cold),
            "--warm",
            str(plan.page_warm),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.pages failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_chart(db: Path, plan: Plan) -> dict:
    """bench.chart in its own process (it imports the charts of the tree it runs in)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.chart",
            "--db",
            str(db),
            "--runs",
            str(plan.chart_runs),
            "--sizes",
            ",".join(map(str, plan.chart_sizes)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.chart failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_served(db: Path, scale: str, plan: Plan, chromium: bool, time_left) -> dict:
    from bench import serve
    from bench.pages import discover_pages
    from devtools.serve import serve as serve_app

    out: dict = {"memory_kb": {}, "errors": []}

    def part(name: str, fn):
        try:
            return fn()
        except Exception as exc:  # one part failing keeps the others
            out["errors"].append(f"{name}: {type(exc).__name__}: {str(exc)[:300]}")
            log(f"served {scale} {name} failed: {exc}")
            return None

    charted = scale in plan.chart_scales or len(plan.scales) == 1
    heavy = scale in plan.load_scales or len(plan.scales) == 1
    with serve_app(db) as server:
        mem = out["memory_kb"]
        mem["idle_VmRSS"] = server.memory()["VmRSS"]
        if chromium and charted:
            try:
                out["first_chart"] = serve.first_chart(
                    server, plan.chart_loads, timeout_s=plan.chart_timeout_s
                )
            except serve.ChartTimeout as exc:
                out["first_chart"] = None
                out["first_chart_error"] = str(exc)
            except Exception as exc:
                out["errors"].append(f"first_chart: {type(exc).__name__}: {str(exc)[:300]}")
            mem["after_first_chart_VmRSS"] = server.memory()["VmRSS"]
        out["views"] = {}
        for page in discover_pages():
            url = page["url_path"]
            got = part(f"views {url or '/'}", lambda url=url: serve.views(server, url, plan.view_runs))
            if got:
                out["views"][url or "/"] = {
                    "title": page["title"],
                    "latency_s": summary([v.seconds for v in got]),
                    "bytes": got[-1].bytes,
                    "note": got[-1].note,
                }
        mem["after_every_page_VmRSS"] = server.memory()["VmRSS"]
        if plan.idle_sessions and heavy:
            out["idle_sessions"] = part(
                "idle sessions", lambda: serve.idle_sessions(server, plan.idle_sessions)
            )
        if plan.load_levels and heavy and time_left() > 60:
            out["load"] = part(
                "load",
                lambda: serve.load(server, plan.load_levels, plan.load_views, budget_s=plan.load_budget_s),
            )
        if chromium and scale in plan.browser_scales and plan.browser_levels and time_left() > 60:
            out["browser_load"] = part(
                "browser load", lambda: serve.browser_load(server, plan.browser_levels, 1)
            )
        final = server.memory()
        mem["end_VmRSS"] = final["VmRSS"]
        mem["peak_VmHWM"] = final["VmHWM"]
    return out


def run(plan: Plan, only: list[str], out_dir: Path, command: str) -> dict:
    started = time.perf_counter()
    results: dict = {
        "command": command,
        "machine": report.machine(ROOT),
        "plan": plan.__dict__,
        "scales": {},
        "errors": [],
        "notes": [],
    }
    data_dir = out_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    dbs: dict[str, Path] = {}

    def guarded(name: str, fn):
        try:
            return fn()
        except Exception as exc:  # one failing measurement must not lose the others
            log(f"{name} failed: {exc}")
            results["errors"].append(
                {
                    "measure": name,
                    "error": f"{type(exc).__name__}: {exc}",
                    "trace": traceback.format_exc()[-3000:],
                }
            )
            return None

    for name in plan.scales:
        log(f"generating {name}")
        start = time.perf_counter()
        path = generate.generate(data_dir / f"{name}.duckdb", name)
        scale = generate.SCALES[name]
        results["scales"][name] = {
            "label": scale.label,
            "provinces": scale.provinces,
            "quarters": scale.quarters,
            "revisions": scale.revisions,
            "factor": scale.factor,
            "counts": generate.counts(path),
            "file_bytes": path.stat().st_size,
            "generate_s": time.perf_counter() - start,
        }
        dbs[name] = path

    if "status" in only:
        from bench import status

        results["status"] = {}
        for name, path in dbs.items():
            log(f"status at {name}")
            got = guarded(f"status {name}", lambda path=path: status.measure(path, plan.status_runs))
            if got:
                results["status"][name] = got

    if "pages" in only:
        results["pages"] = {}
        for name, path in dbs.items():
            log(f"pages at {name}")
            got = guarded(f"pages {name}", lambda path=path: measure_pages(path, plan))
            if got:
                results["pages"][name] = got

    if "workbooks" in only or "commit" in only:
        from bench import uploads

        work = uploads.scratch()
        try:
            base = dbs.get("1x") or next(iter(dbs.values()))
            if "workbooks" in only:
                log(f"workbooks {plan.workbook_sizes}")
                got = guarded(
                    "workbooks",
                    lambda: uploads.measure_workbooks(base, plan.workbook_sizes, plan.workbook_runs, work),
                )
                if got:
                    results["workbooks"] = got
                    if any(b["value_rows"] != int(n) for n, b in got.items()):
                        results["notes"].append(
                            "The reader refuses sheets over 50 000 rows, header included (MAX_ROWS): the "
                            "50 000-row workbook holds 49 999 values under its header."
                        )
            if "commit" in only:
                results["commit"] = {}
                for name, path in dbs.items():
                    log(f"commit at {name}")
                    got = guarded(
                        f"commit {name}",
                        lambda path=path: uploads.measure_commit(path, plan.commit_runs, work),
                    )
                    if got:
                        results["commit"][name] = got
        finally:
            shutil.rmtree(work, ignore_errors=True)

    if "snapshot" in only:
        from bench import snapshot

        results["snapshot"] = {}
        work = Path(tempfile.mkdtemp(prefix="nq57-bench-snapshot-"))
        try:
            for name, path in dbs.items():
                log(f"snapshot at {name}")
                got = guarded(
                    f"snapshot {name}", lambda path=path: snapshot.measure(path, work, plan.snapshot_runs)
                )
                if got:
                    results["snapshot"][name] = got
        finally:
            shutil.rmtree(work, ignore_errors=True)

    chromium = Path("/usr/bin/chromium").exists()
    if "chart" in only and chromium:
        results["chart"] = {}
        for name, path in [(n, p) for n, p in dbs.items() if n in plan.chart_scales or len(dbs) == 1]:
            log(f"chart drawing at {name}")
            got = guarded(f"chart {name}", lambda path=path: measure_chart(path, plan))
            if got:
                results["chart"][name] = got

    if "served" in only:
        if not chromium:
            results["notes"].append("No /usr/bin/chromium: first-chart and browser measurements skipped.")
        results["served"] = {}
        # the scales with load tests first, so a tight time budget never skips those
        for name, path in sorted(dbs.items(), key=lambda kv: kv[0] not in plan.load_scales):
            log(f"served app at {name}")
            got = guarded(
                f"served {name}",
                lambda path=path, name=name: measure_served(
                    path, name, plan, chromium, lambda: plan.budget_s - (time.perf_counter() - started)
                ),
            )
            if got:
                results["served"][name] = got

    results["load_average_end"] = load_average()
    results["elapsed_s"] = time.perf_counter() - started
    results["targets"] = report.judge(results)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1× only, fewer repeats: about a minute")
    parser.add_argument("--scales", help="comma-separated, from " + ", ".join(generate.SCALES))
    parser.add_argument("--only", help="comma-separated, from " + ", ".join(MEASURES))
    parser.add_argument("--out", type=Path, default=RESULTS, help="where results go (default bench/results)")
    parser.add_argument(
        "--browser-load",
        action="store_true",
        help="also N = 1, 2, 4 Chromium pages opening the overview at once",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.scales:
        plan.scales = [s.strip() for s in args.scales.split(",") if s.strip()]
        unknown = [s for s in plan.scales if s not in generate.SCALES]
        if unknown:
            parser.error(f"unknown scales {unknown}")
    if args.browser_load:
        plan.browser_levels = [1, 2, 4]
    only = [m.strip() for m in args.only.split(",")] if args.only else list(MEASURES)
    if any(m not in MEASURES for m in only):
        parser.error(f"--only takes {', '.join(MEASURES)}")
    command = "python -m bench" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    args.out.mkdir(parents=True, exist_ok=True)
    results = run(plan, only, args.out, command)
    text = report.markdown(results)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"bench-{stamp}", "latest"):
        (args.out / f"{name}.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
        (args.out / f"{name}.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    log(f"results in {args.out}/bench-{stamp}.json and .md ({results['elapsed_s']:.0f} s)")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
