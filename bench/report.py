"""Machine facts, the targets of issue 4 judged on one run's results, and the Markdown tables."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
from datetime import datetime
from pathlib import Path

from bench.timing import load_average

LIBRARIES = (
    "streamlit",
    "duckdb",
    "pandas",
    "plotly",
    "pyarrow",
    "python-calamine",
    "openpyxl",
    "playwright",
)


def _memory_kb() -> int | None:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return None


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _chromium_version() -> str | None:
    try:
        out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _git_commit(root: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        )
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True)
        return out.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else "")
    except OSError:
        return None


def machine(root: Path) -> dict:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)),
        "cpu_model": _cpu_model(),
        "memory_mb": (_memory_kb() or 0) // 1024,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "chromium": _chromium_version(),
        "libraries": versions,
        "git": _git_commit(root),
        "load_average_start": load_average(),
    }


# ---------------------------------------------------------------- targets


def _ms(x: float | None) -> str:
    return "–" if x is None or x != x else f"{x * 1000:,.0f} ms".replace(",", " ")


def _s(x: float | None) -> str:
    return "–" if x is None or x != x else f"{x:.2f} s"


def _spread(d: dict | None, unit=_ms) -> str:
    if not d or not d.get("n"):
        return "–"
    if d["n"] == 1:
        return unit(d["median"])
    return f"{unit(d['median'])} ({unit(d['min'])[:-3]}–{unit(d['max'])})"


def _mb(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f} MB"


def largest_scales(results: dict) -> list[str]:
    """The scales at 100× (both variants) that were measured: the 100× targets are judged on these only."""
    return [n for n in results.get("scales", {}) if n.startswith("100x")]


def judge(results: dict) -> list[dict]:
    """Each target of issue 4 with the figure that decides it and whether it is met."""
    out = []
    pages = results.get("pages", {})
    base = pages.get("1x", {}).get("pages", {})
    big = [s for s in largest_scales(results) if s in pages and s != "1x"]

    def add(target: str, measured: str, met: bool | None, where: str = "") -> None:
        out.append({"target": target, "measured": measured, "met": met, "where": where})

    if base:
        worst = max(base.items(), key=lambda kv: kv[1]["warm_s"]["median"])
        add(
            "every page's warm AppTest run < 300 ms at 1×",
            f"slowest {worst[1]['title']}: {_ms(worst[1]['warm_s']['median'])}",
            all(p["warm_s"]["median"] < 0.3 for p in base.values()),
            ", ".join(
                f"{p['title']} {_ms(p['warm_s']['median'])}"
                for p in base.values()
                if p["warm_s"]["median"] >= 0.3
            ),
        )
    for scale in big:
        at = pages[scale]["pages"]
        worst = max(at.items(), key=lambda kv: kv[1]["warm_s"]["median"])
        slow = [
            f"{p['title']} {_ms(p['warm_s']['median'])}" for p in at.values() if p["warm_s"]["median"] >= 0.5
        ]
        add(
            f"every page's warm run < 500 ms at {scale}",
            f"slowest {worst[1]['title']}: {_ms(worst[1]['warm_s']['median'])}",
            not slow,
            ", ".join(slow),
        )
        if base:
            ratios = {
                path: at[path]["warm_s"]["median"] / base[path]["warm_s"]["median"]
                for path in at
                if path in base and base[path]["warm_s"]["median"]
            }
            over = [f"{at[p]['title']} ×{r:.1f}" for p, r in ratios.items() if r > 2]
            top = max(ratios.items(), key=lambda kv: kv[1]) if ratios else None
            add(
                f"every page's warm run ≤ 2× its 1× time at {scale}",
                f"largest ×{top[1]:.1f} ({at[top[0]]['title']})" if top else "–",
                not over if ratios else None,
                ", ".join(over),
            )
    status = results.get("status", {})
    for scale in [s for s in largest_scales(results) if s in status]:
        s = status[scale]
        add(
            f"status in DuckDB ≥ 10× faster than pandas at {scale}",
            f"×{s['speedup']:.1f} from the database (compute only ×{s['speedup_compute_only']:.1f})",
            s["speedup"] >= 10,
            "same result" if s["same_result"] else "RESULTS DIFFER",
        )
    books = results.get("workbooks", {})
    if "10000" in books:
        b = books["10000"]
        v = b["validate_preview_calamine_s"]
        add(
            "10 000-row workbook validated and previewed < 2 s",
            f"{_s(v['median'])} (min {_s(v['min'])})",
            v["median"] < 2,
            f"openpyxl {_s(b['validate_preview_openpyxl_s']['median'])}",
        )
    served = results.get("served", {})
    for scale in [s for s in largest_scales(results) if s in served]:
        peak = served[scale].get("memory_kb", {}).get("peak_VmHWM")
        if peak:
            add(f"app RSS < 600 MB at {scale}", _mb(peak) + " peak (VmHWM)", peak < 600 * 1024)
    if "1x" in served and served["1x"].get("first_chart"):
        fc = served["1x"]["first_chart"]
        later = fc["later_visitors_s"]["median"]
        returning = fc.get("returning_visitor_s", {}).get("median")
        add(
            "first chart visible < 3 s after load (1×)",
            f"new visitor {_s(later)}, returning visitor {_s(returning)}, first after start "
            f"{_s(fc['first_visitor_s'])}",
            later < 3 and (returning is None or returning < 3),
        )
    return out


# ---------------------------------------------------------------- Markdown


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Command: `{results['command']}` · {m['date']} · {results['elapsed_s']:.0f} s",
        "",
        f"Machine: {m['cpu_count']} CPU ({m['cpu_model']}), {m['memory_mb']} MB RAM, Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v)
        + f", {m['chromium'] or 'no Chromium'}; git {m['git']}; load average "
        f"{m['load_average_start'][0]:.1f} at start, {results.get('load_average_end', [0])[0]:.1f} at end.",
        "",
        "Times are median (min–max) of the runs shown in the JSON file; every ratio compares two figures "
        "measured in this run.",
        "",
    ]
    verdicts = judge(results)
    if verdicts:
        lines += ["### Targets (issue 4)", ""]
        mark = {True: "met", False: "**missed**", None: "–"}
        lines += _table(
            ["target", "measured", "verdict", "detail"],
            [[v["target"], v["measured"], mark[v["met"]], v["where"]] for v in verdicts],
        )
        lines.append("")

    scales = results.get("scales", {})
    if scales:
        lines += ["### Synthetic databases", ""]
        lines += _table(
            [
                "scale",
                "targets",
                "indicators",
                "tasks",
                "uploads",
                "revisions",
                "values in force",
                "× revisions of 1×",
            ],
            [
                [
                    f"{name} – {s['label']}",
                    *(
                        f"{s['counts'][k]:,}".replace(",", " ")
                        for k in (
                            "targets",
                            "indicators",
                            "tasks",
                            "uploads",
                            "actual_revisions",
                            "v_actuals",
                        )
                    ),
                    f"{s['counts']['actual_revisions'] / scales[next(iter(scales))]['counts']['actual_revisions']:.0f}",
                ]
                for name, s in scales.items()
            ],
        )
        lines.append("")

    pages = results.get("pages", {})
    if pages:
        lines += ["### 1. Page scripts under AppTest (whole app run: router, sidebar, page)", ""]
        base = pages.get("1x", {}).get("pages", {})
        rows = []
        for scale, data in pages.items():
            for path, p in data["pages"].items():
                vs = (
                    f"×{p['warm_s']['median'] / base[path]['warm_s']['median']:.1f}"
                    if path in base and base[path]["warm_s"]["median"] and scale != "1x"
                    else ""
                )
                rows.append(
                    [p["title"], scale, _spread(p["warm_s"]), _spread(p["cold_s"]), vs, p["exception"] or ""]
                )
        lines += _table(["page", "scale", "warm", "cold (data cache cleared)", "warm vs 1×", "error"], rows)
        lines.append("")

    status = results.get("status", {})
    if status:
        lines += ["### 2. Status of every target: DuckDB macro vs pandas reference", ""]
        lines += _table(
            [
                "scale",
                "targets",
                "values in force",
                "DuckDB target_status()",
                "pandas: read + compute",
                "pandas: compute only",
                "pandas / DuckDB",
                "compute only / DuckDB",
                "same result",
            ],
            [
                [
                    scale,
                    str(s["targets"]),
                    str(s["actuals"]),
                    _spread(s["duckdb_s"]),
                    _spread(s["pandas_with_read_s"]),
                    _spread(s["pandas_compute_s"]),
                    f"×{s['speedup']:.1f}",
                    f"×{s['speedup_compute_only']:.1f}",
                    "yes" if s["same_result"] else "**no**",
                ]
                for scale, s in status.items()
            ],
        )
        lines.append("")

    books = results.get("workbooks", {})
    if books:
        lines += [
            "### 3. Validating and previewing an uploaded workbook (1× database + one indicator per row)",
            "",
        ]
        lines += _table(
            [
                "rows",
                "file",
                "calamine: validate + preview",
                "same with openpyxl",
                "openpyxl / calamine",
                "without status preview",
                "read sheet: calamine",
                "openpyxl read-only",
                "openpyxl with formats",
                "read ratio",
            ],
            [
                [
                    f"{int(n):,}".replace(",", " ")
                    + (
                        ""
                        if b["value_rows"] == int(n)
                        else f" ({b['value_rows']:,} values)".replace(",", " ")
                    ),
                    f"{b['file_bytes'] / 1024:.0f} KB",
                    _spread(b["validate_preview_calamine_s"]),
                    _spread(b["validate_preview_openpyxl_s"]),
                    f"×{b['ratio_openpyxl_over_calamine']:.1f}",
                    _spread(b["validate_preview_no_status_s"]),
                    _spread(b["read_calamine_s"]),
                    _spread(b["read_openpyxl_s"]),
                    _spread(b["read_openpyxl_with_formats_s"]) if b["read_openpyxl_with_formats_s"] else "–",
                    f"×{b['ratio_read_openpyxl_over_calamine']:.1f}",
                ]
                for n, b in books.items()
            ],
        )
        lines.append("")

    commits = results.get("commit", {})
    if commits:
        lines += ["### 4. Lai Châu's quarterly file: preview and commit into a copy of each database", ""]
        base_commit = commits.get("1x", {}).get("commit_s", {}).get("median")
        lines += _table(
            ["scale", "values in file", "revisions written", "validate + preview", "commit", "commit vs 1×"],
            [
                [
                    scale,
                    str(c["filled_rows"]),
                    str(c["revisions_per_commit"]),
                    _spread(c["validate_preview_s"]),
                    _spread(c["commit_s"]),
                    f"×{c['commit_s']['median'] / base_commit:.1f}" if base_commit and scale != "1x" else "",
                ]
                for scale, c in commits.items()
            ],
        )
        lines.append("")

    snaps = results.get("snapshot", {})
    if snaps:
        lines += ["### Publishing a read-only snapshot (the writer after an upload; also a backup)", ""]
        lines += _table(
            [
                "scale",
                "file",
                "CHECKPOINT",
                "copy the file",
                "open the copy read-only + first status query",
                "entered tables to Parquet",
                "restore: build catalog + load them",
            ],
            [
                [
                    scale,
                    f"{s['file_bytes'] / 1024 / 1024:.1f} MB",
                    _spread(s["checkpoint_s"]),
                    _spread(s["copy_s"]),
                    _spread(s["open_and_first_status_s"]),
                    f"{_ms(s['export_parquet_s'])} ({s['export_bytes'] / 1024:.0f} KB)",
                    f"{_ms(s['import_s'])} ({s['restored_revisions']:,} revisions)".replace(",", " "),
                ]
                for scale, s in snaps.items()
            ],
        )
        lines.append("")

    charts = results.get("chart", {})
    if charts:
        lines += [
            "### 5a. The overview chart drawn by Plotly in Chromium (no Streamlit), by rows in the figure",
            "",
        ]
        rows = []
        for scale, c in charts.items():
            for n, r in c["rows"].items():
                rows.append([scale, n, f"{r['figure_kb']} KB", _spread(r["draw_s"])])
        lines += _table(
            ["scale", "rows (targets + group headers excluded)", "figure JSON", "Plotly.newPlot"], rows
        )
        lines.append("")

    served = results.get("served", {})
    if served:
        lines += [
            "### 5–6. The served app: first chart in headless Chromium, memory of the server process",
            "",
        ]
        rows = []
        for scale, s in served.items():
            fc = s.get("first_chart") or {}
            mem = s.get("memory_kb", {})
            rows.append(
                [
                    scale,
                    _s(fc.get("first_visitor_s")) if fc else s.get("first_chart_error", "–"),
                    _spread(fc.get("later_visitors_s"), _s) if fc else "–",
                    _spread(fc.get("returning_visitor_s"), _s) if fc else "–",
                    _spread(s.get("views", {}).get("/", {}).get("latency_s")),
                    _mb(mem.get("idle_VmRSS")),
                    _mb(mem.get("after_first_chart_VmRSS")),
                    _mb(mem.get("after_every_page_VmRSS")),
                    _mb(mem.get("peak_VmHWM")),
                ]
            )
        lines += _table(
            [
                "scale",
                "first chart: first visitor after start",
                "new visitors (empty browser cache)",
                "returning visitor (cached)",
                "overview over WebSocket (server only)",
                "RSS idle",
                "RSS after first chart",
                "RSS after every page",
                "peak RSS (VmHWM)",
            ],
            rows,
        )
        lines.append("")
        mark_rows = []
        for scale, s in served.items():
            fc = s.get("first_chart") or {}
            for who, key in (
                ("new visitor", "new_visitor_marks"),
                ("returning visitor", "returning_visitor_marks"),
            ):
                m = fc.get(key) or {}
                if m:
                    mark_rows.append(
                        [
                            scale,
                            who,
                            _spread(m.get("title"), _s),
                            _spread(m.get("chart_element"), _s),
                            _spread(m.get("chart_drawn"), _s),
                            f"{(m.get('bytes_fetched') or {}).get('median', 0) / 1024 / 1024:.1f} MB",
                        ]
                    )
        if mark_rows:
            lines += ["Where the time to the first chart goes (seconds since navigation started):", ""]
            lines += _table(
                ["scale", "visitor", "page title shown", "chart element inserted", "chart drawn", "fetched"],
                mark_rows,
            )
            lines.append("")
        idle = [(scale, s["idle_sessions"]) for scale, s in served.items() if s.get("idle_sessions")]
        if idle:
            lines += [
                "Memory per connected session (sessions that opened the overview and stay open): "
                + ", ".join(
                    f"{scale}: {i['per_session_kb'] / 1024:.1f} MB × {i['sessions']}" for scale, i in idle
                ),
                "",
            ]
        view_rows = []
        for scale, s in served.items():
            for v in s.get("views", {}).values():
                view_rows.append(
                    [
                        scale,
                        v["title"],
                        _spread(v["latency_s"]),
                        f"{v['bytes'] / 1024:.0f} KB",
                        v.get("note") or "",
                    ]
                )
        if view_rows:
            lines += ["Each page opened in a new session over the WebSocket (server time, warm cache):", ""]
            lines += _table(["scale", "page", "open page", "sent to browser", "note"], view_rows)
            lines.append("")
        load_rows = []
        for scale, s in served.items():
            if not s.get("load"):
                continue
            for n, e in s["load"]["levels"].items():
                load_rows.append(
                    [
                        scale,
                        n,
                        _spread(e["latency_s"]),
                        f"{e['views_per_s']:.1f}",
                        f"×{e['slowdown']:.1f}",
                        _mb(e["memory_kb"].get("VmRSS")),
                        ", ".join(e["errors"]),
                    ]
                )
        if load_rows:
            lines += [
                "Concurrent sessions on one server process, each opening the overview again and again:",
                "",
            ]
            lines += _table(
                [
                    "scale",
                    "sessions",
                    "time to open the overview",
                    "overviews / s",
                    "slowdown vs 1 session",
                    "RSS",
                    "errors",
                ],
                load_rows,
            )
            lines.append("")
            lines += [
                "Sessions one process holds before the overview takes 2× as long: "
                + ", ".join(
                    f"{scale}: {s['load']['sessions_before_2x_slowdown']}"
                    for scale, s in served.items()
                    if s.get("load")
                ),
                "",
            ]
        browser_rows = []
        for scale, s in served.items():
            for n, e in (s.get("browser_load") or {}).items():
                browser_rows.append(
                    [scale, n, _spread(e["to_chart_s"], _s), _mb(e["memory_kb"].get("VmRSS"))]
                )
        if browser_rows:
            lines += [
                "N headless Chromium pages opening the overview at once (browsers share the 2 cores with the server):",
                "",
            ]
            lines += _table(["scale", "pages", "navigation to chart", "RSS"], browser_rows)
            lines.append("")
    notes = results.get("notes", [])
    if notes:
        lines += ["Notes:", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys

    # python -m bench.report bench/results/latest.json: print the tables of a finished run again
    print(markdown(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
