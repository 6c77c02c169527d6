"""The app against the floor of its own stack, measured in the same run, alternating (issue 18).

    python -m bench.ratios [--quick]          # prints the ratio table, writes bench/results/ratios-latest.*

Floor: bench/floor/app.py, a minimal `st.navigation` app with one 40-row horizontal Plotly bar chart, and the
same page reading its rows through a cached DuckDB query (the denominator for pages, which read DuckDB).
Every measure alternates app and floor (a, b, a, b…) so both see the machine's load; medians are compared.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import generate, generate_reporting
from bench.timing import load_average, summary

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FLOOR_SCRIPT = "bench/floor/app.py"
FLOOR_PAGE = "duckdb"  # url_path of the cached-DuckDB floor page

GOALS = {
    "warm_1x": 5.0,
    "warm_100x": 10.0,
    "new_session": 3.0,
    "chart_new": 1.2,
    "chart_returning": 1.3,
    "ws_bytes_1x": 3.0,
    "import_actuals": 3.0,
    "cli_start_abs_s": 0.3,
    "pack_abs_s": 15.0,
    "rss_100x": 2.0,
    "reporting_60x12_abs_s": 0.3,  # issue 15: Tình hình báo cáo at 60 agencies × 12 periods, warm
}
REPORTING_PAGE = "pages/reporting.py"


@dataclass
class Plan:
    warm: int = 7
    views: int = 5
    chart_rounds: int = 2
    chart_loads: int = 2
    import_runs: int = 3
    cli_runs: int = 7
    rss_visits: int = 5
    scales: tuple[str, ...] = ("1x", "100x")
    pack: bool = True


QUICK = Plan(
    warm=3,
    views=2,
    chart_rounds=1,
    chart_loads=1,
    import_runs=1,
    cli_runs=3,
    rss_visits=2,
    scales=("1x",),
    pack=False,
)


def log(text: str) -> None:
    print(f"[ratios {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _median(s: dict | None) -> float:
    return float("nan") if not s else float(s["median"])


# ---------------------------------------------------------------- warm AppTest runs


def apptest(db: Path, warm: int, pages: tuple[str, ...] = ()) -> dict:
    only = [arg for page in pages for arg in ("--page", page)]
    done = subprocess.run(
        [sys.executable, "-m", "bench.floor.apptest", "--db", str(db), "--warm", str(warm), *only],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.floor.apptest failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- served: sessions, bytes, chart, memory


def served(db: Path, plan: Plan, chart: bool, rss_visits: int) -> dict:
    from bench import serve
    from bench.pages import discover_pages
    from devtools.serve import serve as serve_app

    pages = discover_pages()
    out: dict = {"pages": {}}
    with serve_app(db) as app, serve_app(db, script=FLOOR_SCRIPT) as floor:
        floor_views: list = []
        for page in pages:
            url = page["url_path"]
            got = []
            for _ in range(plan.views):  # alternating: app, floor, app, floor…
                got.append(serve.views(app, url, 1)[0])
                floor_views.append(serve.views(floor, FLOOR_PAGE, 1)[0])
            out["pages"][url or "/"] = {
                "title": page["title"],
                "new_session_s": summary([v.seconds for v in got]),
                "bytes": got[-1].bytes,
                "ok": all(v.ok for v in got),
                "note": got[-1].note,
            }
        out["floor"] = {
            "new_session_s": summary([v.seconds for v in floor_views]),
            "bytes": floor_views[-1].bytes,
        }
        if chart:
            app_runs, floor_runs = [], []
            for _ in range(plan.chart_rounds):
                app_runs.append(serve.first_chart(app, plan.chart_loads, timeout_s=90))
                floor_runs.append(serve.first_chart(floor, plan.chart_loads, query=FLOOR_PAGE, timeout_s=90))

            def pick(runs, key):
                return summary([r[key]["median"] for r in runs])

            out["first_chart"] = {
                "app_new_s": pick(app_runs, "later_visitors_s"),
                "app_returning_s": pick(app_runs, "returning_visitor_s"),
                "floor_new_s": pick(floor_runs, "later_visitors_s"),
                "floor_returning_s": pick(floor_runs, "returning_visitor_s"),
                "app_exceptions": sum(r["exceptions"] for r in app_runs),
            }
        if rss_visits:
            for _ in range(rss_visits):
                for page in pages:
                    serve.views(app, page["url_path"], 1)
                serve.views(floor, FLOOR_PAGE, 1)
            out["rss_kb"] = {"app": app.memory()["VmRSS"], "floor": floor.memory()["VmRSS"]}
    if rss_visits:
        out["rss_kb"]["stack_floor"] = stack_floor_rss()
    return out


STACK = "import streamlit, pandas, plotly.graph_objects, duckdb, openpyxl, python_calamine, pyarrow"


def stack_floor_rss() -> int:
    """kB resident in a process that only imports the app's libraries: what no page can go below."""
    code = f"{STACK}\nimport pathlib\nprint(next(l for l in pathlib.Path('/proc/self/status').read_text().splitlines() if l.startswith('VmRSS')).split()[1])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    return int(done.stdout.strip())


# ---------------------------------------------------------------- import-actuals, CLI start, pack


def import_actuals(base: Path, runs: int, work: Path) -> dict:
    """`python -m loaders import-actuals … --yes` on 10 000 rows (in process: preview then commit) against a
    bare calamine read of the same file, alternating."""
    import python_calamine

    from devtools import workbooks
    from loaders import cli_uploads, db
    from loaders.excel import contract

    rows = min(10_000, contract.MAX_ROWS - 1)
    app_s, bare_s = [], []
    from loaders import auth

    users = work / "users.toml"
    os.environ["NQ57_USERS"] = str(users)
    if not users.exists():
        auth.add_user("bench", "bench-password-1", path=users, rounds=4)
    for i in range(runs):
        path = work / f"import-{i}.duckdb"
        shutil.copyfile(base, path)
        con = db.connect(path)
        try:
            workbooks.add_bench_indicators(con, rows)
            if i == 0:
                data = workbooks.make_large_workbook(rows, period=workbooks.PERIOD)
                xlsx = work / "actuals-10k.xlsx"
                xlsx.write_bytes(data)
        finally:
            con.close()
        start = time.perf_counter()
        wb = python_calamine.CalamineWorkbook.from_path(str(xlsx))
        wb.get_sheet_by_name(contract.SHEET_DATA).to_python()
        bare_s.append(time.perf_counter() - start)
        args = argparse.Namespace(file=str(xlsx), db=str(path), by="bench", yes=True)
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # the preview lists every row
            code = cli_uploads.cmd_import(args)
        app_s.append(time.perf_counter() - start)
        if code != 0:
            raise RuntimeError(f"import-actuals exited {code}")
        path.unlink(missing_ok=True)
    return {"rows": rows, "app_s": summary(app_s), "calamine_s": summary(bare_s)}


def cli_start(runs: int) -> dict:
    cmds = {"cli": [sys.executable, "-m", "loaders", "--help"], "python": [sys.executable, "-c", "pass"]}
    samples: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True, timeout=120)
            samples[key].append(time.perf_counter() - start)
    return {k: summary(v) for k, v in samples.items()}


def pack(db: Path, work: Path) -> dict:
    """The briefing pack for every agency from a cold `python -m exports pack` process."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "exports",
            "pack",
            "--horizon",
            "2030",
            "--db",
            str(db),
            "-o",
            str(work / "pack"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return {"s": time.perf_counter() - start, "ok": done.returncode == 0, "stderr": done.stderr[-500:]}


# ---------------------------------------------------------------- the table


def _ratio(a: float, b: float) -> float:
    return float("nan") if not b else a / b


def rows(r: dict) -> list[tuple[str, str, str, str, str]]:
    """(measure, app, floor, ratio, goal met?) for every line of the table."""
    out = []

    def line(name, app, floor, ratio, goal, ok):
        verdict = "–" if ok is None else ("met" if ok else "**missed**")
        out.append((name, app, floor, ratio, f"{goal}: {verdict}"))

    for scale, got in r.get("apptest", {}).items():
        floor = _median(got["floor_duckdb"]["warm_s"])
        goal = GOALS["warm_1x"] if scale == "1x" else GOALS["warm_100x"]
        for key, page in got.items():
            if key.startswith("floor_"):
                continue
            app = _median(page["warm_s"])
            ratio = _ratio(app, floor)
            line(
                f"warm AppTest run {scale}: {page['title']}",
                f"{app * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                f"×{ratio:.1f}",
                f"≤ ×{goal:g}",
                ratio <= goal,
            )
    for scale, got in r.get("served", {}).items():
        floor = got["floor"]
        for page in got["pages"].values():
            app = _median(page["new_session_s"])
            ratio = _ratio(app, _median(floor["new_session_s"]))
            line(
                f"new-session run {scale}: {page['title']}",
                f"{app * 1000:.0f} ms",
                f"{_median(floor['new_session_s']) * 1000:.0f} ms",
                f"×{ratio:.1f}",
                f"≤ ×{GOALS['new_session']:g}",
                ratio <= GOALS["new_session"],
            )
        for page in got["pages"].values():
            ratio = _ratio(page["bytes"], floor["bytes"])
            goal = GOALS["ws_bytes_1x"] if scale == "1x" else None
            line(
                f"websocket bytes {scale}: {page['title']}",
                f"{page['bytes'] / 1000:.1f} KB",
                f"{floor['bytes'] / 1000:.1f} KB",
                f"×{ratio:.1f}",
                f"≤ ×{goal:g}" if goal else "< linear in data",
                (ratio <= goal) if goal else None,
            )
        chart = got.get("first_chart")
        if chart:
            for who, key in (("new", "chart_new"), ("returning", "chart_returning")):
                app, fl = _median(chart[f"app_{who}_s"]), _median(chart[f"floor_{who}_s"])
                ratio = _ratio(app, fl)
                line(
                    f"first chart {scale}, {who} visitor (Chromium)",
                    f"{app:.2f} s",
                    f"{fl:.2f} s",
                    f"×{ratio:.2f}",
                    f"≤ ×{GOALS[key]:g}",
                    ratio <= GOALS[key],
                )
        rss = got.get("rss_kb")
        if rss:
            ratio = _ratio(rss["app"], rss["stack_floor"])
            line(
                f"RSS after every page ×{r['plan']['rss_visits']}, {scale}",
                f"{rss['app'] / 1024:.0f} MB",
                f"{rss['floor'] / 1024:.0f} MB (stack floor {rss['stack_floor'] / 1024:.0f} MB)",
                f"×{ratio:.1f} of the stack floor",
                f"≤ ×{GOALS['rss_100x']:g}",
                ratio <= GOALS["rss_100x"] if scale != "1x" else None,
            )
    rep = r.get("apptest_reporting")
    if rep:
        page, floor = rep[REPORTING_PAGE], _median(rep["floor_duckdb"]["warm_s"])
        app = _median(page["warm_s"])
        goal = GOALS["reporting_60x12_abs_s"]
        line(
            f"warm run 60 agencies × 12 periods: {page['title']}",
            f"{app * 1000:.0f} ms",
            f"{floor * 1000:.0f} ms",
            f"×{_ratio(app, floor):.1f}",
            f"< {goal * 1000:.0f} ms",
            app < goal and not page.get("exception"),
        )
    imp = r.get("import_actuals")
    if imp:
        app, fl = _median(imp["app_s"]), _median(imp["calamine_s"])
        ratio = _ratio(app, fl)
        line(
            f"import-actuals {imp['rows']:,} rows vs bare calamine read",
            f"{app:.2f} s",
            f"{fl:.2f} s",
            f"×{ratio:.1f}",
            f"≤ ×{GOALS['import_actuals']:g}",
            ratio <= GOALS["import_actuals"],
        )
    cli = r.get("cli_start")
    if cli:
        app, fl = _median(cli["cli"]), _median(cli["python"])
        line(
            "CLI start `python -m loaders --help` vs `python -c pass`",
            f"{app:.2f} s",
            f"{fl:.2f} s",
            f"×{_ratio(app, fl):.0f}",
            f"≤ {GOALS['cli_start_abs_s']} s",
            app <= GOALS["cli_start_abs_s"],
        )
    p = r.get("pack")
    if p:
        line(
            "briefing pack, cold `python -m exports pack`",
            f"{p['s']:.1f} s" + ("" if p["ok"] else " (failed)"),
            "–",
            "–",
            f"< {GOALS['pack_abs_s']:g} s",
            p["ok"] and p["s"] < GOALS["pack_abs_s"],
        )
    return out


def markdown(r: dict) -> str:
    head = [
        f"Ratios against the floor (bench/floor/), one run: `{r['command']}`, load average "
        f"{r['load_average_start']} → {r['load_average_end']}, {r['elapsed_s']:.0f} s.",
        "",
        "| measure | app | floor | ratio | goal |",
        "|---|---|---|---|---|",
    ]
    body = [f"| {' | '.join(cells)} |" for cells in rows(r)]
    errors = [f"- {e}" for e in r.get("errors", [])]
    return "\n".join(head + body + ([""] + errors if errors else []))


def run(plan: Plan, command: str, chromium: bool) -> dict:
    started = time.perf_counter()
    r: dict = {"command": command, "plan": plan.__dict__, "load_average_start": load_average(), "errors": []}
    data = RESULTS / "data"
    data.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="nq57-ratios-"))

    def guarded(name, fn):
        try:
            return fn()
        except Exception as exc:  # one failing measure keeps the others
            log(f"{name} failed: {exc}")
            r["errors"].append(f"{name}: {type(exc).__name__}: {str(exc)[:400]}")
            return None

    try:
        dbs = {}
        for scale in plan.scales:
            log(f"generating {scale}")
            dbs[scale] = generate.generate(data / f"ratios-{scale}.duckdb", scale)
        r["apptest"], r["served"] = {}, {}
        for scale, path in dbs.items():
            log(f"warm AppTest runs at {scale}")
            got = guarded(f"apptest {scale}", lambda path=path: apptest(path, plan.warm))
            if got:
                r["apptest"][scale] = got
        log("generating the reporting cycle, 60 agencies × 12 periods")
        reporting_db = generate_reporting.generate(data / "ratios-reporting-60x12.duckdb")
        log("warm AppTest run of Tình hình báo cáo at 60 agencies × 12 periods")
        r["apptest_reporting"] = guarded(
            "apptest reporting 60x12", lambda: apptest(reporting_db, plan.warm, (REPORTING_PAGE,))
        )
        for scale, path in dbs.items():
            log(f"served at {scale}")
            chart = chromium and scale == "1x"
            rss = plan.rss_visits if scale == plan.scales[-1] else 0
            got = guarded(f"served {scale}", lambda path=path, c=chart, n=rss: served(path, plan, c, n))
            if got:
                r["served"][scale] = got
        log("import-actuals")
        r["import_actuals"] = guarded(
            "import-actuals", lambda: import_actuals(dbs["1x"], plan.import_runs, work)
        )
        log("CLI start")
        r["cli_start"] = guarded("cli start", lambda: cli_start(plan.cli_runs))
        if plan.pack:
            log("briefing pack")
            r["pack"] = guarded("pack", lambda: pack(dbs["1x"], work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    r["load_average_end"] = load_average()
    r["elapsed_s"] = time.perf_counter() - started
    return r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ratios", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="1× only, fewer repeats, no pack: under 3 minutes"
    )
    parser.add_argument("--judge", type=Path, help="print the table of a results file (ratios-latest.json)")
    args = parser.parse_args(argv)
    if args.judge:
        print(
            "\n".join("| " + " | ".join(cells) + " |" for cells in rows(json.loads(args.judge.read_text())))
        )
        return 0
    plan = QUICK if args.quick else Plan()
    command = "python -m bench.ratios" + (" --quick" if args.quick else "")
    r = run(plan, command, Path("/usr/bin/chromium").exists())
    text = markdown(r)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ratios-latest.json").write_text(json.dumps(r, ensure_ascii=False, indent=1, default=str))
    (RESULTS / "ratios-latest.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 1 if r["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
