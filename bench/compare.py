"""Before and after a proposed patch: the page scripts (AppTest) and the chart drawing, same run, interleaved.

    python -m bench.compare path/to/change.diff [--scales 1x,100x] [--rounds 2]

The working tree is copied to a scratch folder, the patch applied there with `git apply`, and the page and
chart benchmarks run alternately in the current tree and the patched copy (before, after, before, after…)
so both see the same load on the machine. Nothing in the working tree is changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import generate
from bench.timing import summary

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(
    ".git",
    "results",
    "*.duckdb",
    "*.duckdb.wal",
    "__pycache__",
    ".hypothesis",
    ".ruff_cache",
    ".pytest_cache",
    "artifacts",
    ".venv",
)


def patched_tree(patches: list[Path]) -> Path:
    tree = Path(tempfile.mkdtemp(prefix="nq57-bench-patched-")) / "tree"
    shutil.copytree(ROOT, tree, ignore=SKIP)
    for patch in patches:
        subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch.resolve())], cwd=tree, check=True)
    return tree


def _json(cmd: list[str], cwd: Path, timeout: int = 900) -> dict:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} in {cwd}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(patches: list[Path], scales: list[str], rounds: int, chart: bool) -> dict:
    tree = patched_tree(patches)
    data = Path(tempfile.mkdtemp(prefix="nq57-bench-compare-"))
    out: dict = {"patches": [str(p) for p in patches], "scales": {}}
    try:
        for scale in scales:
            db = generate.generate(data / f"{scale}.duckdb", scale)
            samples: dict = {"before": {}, "after": {}}
            charts: dict = {"before": [], "after": []}
            for _ in range(rounds):
                for side, cwd in (("before", ROOT), ("after", tree)):
                    got = _json(
                        [sys.executable, "-m", "bench.pages", "--db", str(db), "--cold", "2", "--warm", "3"],
                        cwd,
                    )
                    for path, page in got["pages"].items():
                        entry = samples[side].setdefault(
                            path, {"title": page["title"], "warm": [], "cold": []}
                        )
                        entry["warm"].append(page["warm_s"]["median"])
                        entry["cold"].append(page["cold_s"]["median"])
                    if chart:
                        drawn = _json(
                            [
                                sys.executable,
                                "-m",
                                "bench.chart",
                                "--db",
                                str(db),
                                "--runs",
                                "2",
                                "--sizes",
                                "",
                            ],
                            cwd,
                        )
                        charts[side].append(next(iter(drawn["rows"].items())))
            pages = {}
            for path, before in samples["before"].items():
                after = samples["after"].get(path)
                if after is None:
                    continue
                pages[path] = {
                    "title": before["title"],
                    "warm_before_s": summary(before["warm"]),
                    "warm_after_s": summary(after["warm"]),
                    "cold_before_s": summary(before["cold"]),
                    "cold_after_s": summary(after["cold"]),
                }
            entry = {"pages": pages}
            if chart:
                entry["chart"] = {
                    side: {"rows": int(v[0][0]), "draw_s": summary([x[1]["draw_s"]["median"] for x in v])}
                    for side, v in charts.items()
                }
            out["scales"][scale] = entry
    finally:
        shutil.rmtree(tree.parent, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    return out


def markdown(result: dict) -> str:
    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    lines = [
        "| scale | page | warm before | warm after | ×faster | cold before | cold after |",
        "|---|---|---|---|---|---|---|",
    ]
    for scale, entry in result["scales"].items():
        for page in entry["pages"].values():
            wb, wa = page["warm_before_s"]["median"], page["warm_after_s"]["median"]
            lines.append(
                f"| {scale} | {page['title']} | {ms(wb)} | {ms(wa)} | ×{wb / wa:.1f} | "
                f"{ms(page['cold_before_s']['median'])} | {ms(page['cold_after_s']['median'])} |"
            )
        if "chart" in entry:
            b, a = entry["chart"]["before"], entry["chart"]["after"]
            lines.append(
                f"| {scale} | overview chart drawn by Plotly ({b['rows']} rows) | {ms(b['draw_s']['median'])} | "
                f"{ms(a['draw_s']['median'])} | ×{b['draw_s']['median'] / a['draw_s']['median']:.1f} | | |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare")
    parser.add_argument("patches", nargs="+", type=Path)
    parser.add_argument("--scales", default="1x,100x")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-chart", action="store_true")
    args = parser.parse_args(argv)
    result = compare(args.patches, args.scales.split(","), args.rounds, chart=not args.no_chart)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    print(markdown(result))


if __name__ == "__main__":
    main()
