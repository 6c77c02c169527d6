"""Command line: `python -m exports pack|report|chart …`, so the secretariat can schedule the files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from charts.common import slug
from loaders import db, locking, read
from metrics.periods import current_period, is_period

MISSING = "Chưa có cơ sở dữ liệu {path}: chạy `python -m loaders build` trước (hoặc chỉ --db)."


class CliError(Exception):
    """A problem the user can fix, said in Vietnamese."""


def _open(path: str | None) -> duckdb.DuckDBPyConnection:
    file = db.db_path(path)
    if not file.exists():
        raise CliError(MISSING.format(path=file))
    try:
        # One read-only connection for the whole run: no writer can change the file while it is open, so
        # every file made reads one committed state; a writer's brief lock is waited out (loaders.locking).
        return locking.connect(file, read_only=True, wait=locking.write_wait())
    except locking.DatabaseError as exc:
        raise CliError(str(exc)) from None


def _period(con: duckdb.DuckDBPyConnection, value: str | None) -> str:
    if value in (None, "latest"):
        return read.latest_period(con) or current_period()
    if not is_period(value):
        raise CliError(f"Kỳ báo cáo không hợp lệ: {value!r} (cần dạng YYYY-Qn, ví dụ 2026-Q3).")
    return value


def _horizon(value: str) -> str | None:
    if value == "all":
        return None
    if value not in ("2025-Q4", "2030", "2045"):
        raise CliError(f"Mốc không hợp lệ: {value!r} (2025-Q4, 2030 hoặc 2045).")
    return value


def _cmd_pack(args: argparse.Namespace) -> int:
    from exports.pack import build_pack

    horizon = _horizon(args.horizon)
    if horizon is None:
        raise CliError("Bộ tài liệu giao ban cần một mốc: 2025-Q4, 2030 hoặc 2045.")
    con = _open(args.db)
    try:
        paths = build_pack(
            con, horizon, _period(con, args.period), args.agency, args.out, charts=not args.no_charts
        )
    finally:
        con.close()
    for path in paths:
        print(path)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from exports.report import build_report

    con = _open(args.db)
    try:
        try:
            path = build_report(
                con, _period(con, args.period), args.kind, args.out, agency=args.agency, month=args.month
            )
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    finally:
        con.close()
    print(path)
    return 0


def _cmd_chart(args: argparse.Namespace) -> int:
    from exports import figures, images

    reason = images.unavailable_reason()
    if reason:
        raise CliError(reason)
    con = _open(args.db)
    try:
        period = _period(con, args.period)
        if args.kind == "overview":
            horizon = _horizon(args.horizon)
            if horizon is None:
                raise CliError("Biểu đồ tổng quan cần một mốc: 2025-Q4, 2030 hoặc 2045.")
            chart = figures.overview_chart(con, horizon, period, agency=args.agency)
        elif args.kind == "agencies":
            chart = figures.agencies_chart(con, _horizon(args.horizon), period, agency=args.agency)
        else:
            if not args.indicator:
                raise CliError("Biểu đồ chỉ tiêu cần --indicator MÃ (ví dụ --indicator KTS_GRDP).")
            chart = figures.indicator_chart(con, args.indicator, period)
    finally:
        con.close()
    if chart is None:
        raise CliError("Không có biểu đồ cho lựa chọn này (không có chỉ tiêu nào, hoặc chỉ tiêu định tính).")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    formats = ("png", "svg") if args.format == "both" else (args.format,)
    for fmt in formats:
        data = images.chart_png(chart.figure) if fmt == "png" else images.chart_svg(chart.figure)
        path = out / f"{slug(chart.name)}.{fmt}"
        path.write_bytes(data)
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m exports", description="Xuất ảnh biểu đồ, bộ tài liệu giao ban và báo cáo định kỳ NQ57"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--period", help="kỳ báo cáo YYYY-Qn (mặc định: kỳ mới nhất có số liệu)")
        p.add_argument("--db", help="tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb), mở chỉ đọc")
        p.add_argument("-o", "--out", default="out", help="thư mục ghi tệp (mặc định out/)")

    pack = sub.add_parser("pack", help="bộ tài liệu giao ban: PDF và PowerPoint")
    pack.add_argument("--horizon", required=True, help="mốc: 2025-Q4, 2030 hoặc 2045")
    pack.add_argument("--agency", help="mã cơ quan chủ trì (ví dụ so_khcn); bỏ trống = mọi cơ quan")
    pack.add_argument("--no-charts", action="store_true", help="không vẽ biểu đồ (không cần trình duyệt)")
    common(pack)
    pack.set_defaults(func=_cmd_pack)

    report = sub.add_parser("report", help="báo cáo định kỳ cho Ban Chỉ đạo (Excel)")
    report.add_argument(
        "--kind",
        default="auto",
        help="month, q1, 6m (q2), 9m (q3), year (q4); mặc định theo quý của kỳ báo cáo",
    )
    report.add_argument("--month", type=int, help="tháng của báo cáo tháng (mặc định tháng cuối quý)")
    report.add_argument("--agency", help="chỉ các chỉ tiêu, nhiệm vụ do cơ quan này chủ trì")
    common(report)
    report.set_defaults(func=_cmd_report)

    chart = sub.add_parser("chart", help="ảnh một biểu đồ (PNG 1920 px × 2, SVG)")
    chart.add_argument("kind", choices=("overview", "agencies", "indicator"))
    chart.add_argument("--horizon", default="2030", help="mốc: 2025-Q4, 2030, 2045 (agencies: cả 'all')")
    chart.add_argument("--indicator", help="mã chỉ tiêu, cho biểu đồ indicator")
    chart.add_argument("--agency", help="mã cơ quan chủ trì")
    chart.add_argument("--format", choices=("png", "svg", "both"), default="both")
    common(chart)
    chart.set_defaults(func=_cmd_chart)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
