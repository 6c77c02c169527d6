"""`python -m exports pack|report|chart`: the commands the secretariat schedules, and their errors."""

from __future__ import annotations

import pytest
from PIL import Image

from exports.__main__ import main
from tests.exports.test_exports_images import require_browser
from tests.support import cli, databases


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return databases.demo_db(tmp_path_factory.mktemp("cli") / "demo.duckdb")


def test_report_command(db, tmp_path, capsys):
    assert main(["report", "--period", "2026-Q3", "--kind", "q3", "--db", str(db), "-o", str(tmp_path)]) == 0
    written = capsys.readouterr().out.split()
    assert written == [str(tmp_path / "nq57-bao-cao-9-thang-nam-2026-2026-q3.xlsx")]


def test_pack_command_for_one_agency(db, tmp_path, capsys):
    args = ["pack", "--horizon", "2030", "--period", "2026-Q3", "--agency", "so_khcn", "--no-charts"]
    assert main([*args, "--db", str(db), "-o", str(tmp_path)]) == 0
    names = sorted(p.rsplit("/", 1)[-1] for p in capsys.readouterr().out.split())
    assert names == ["nq57-giao-ban-2030-2026-q3-so-khcn.pdf", "nq57-giao-ban-2030-2026-q3-so-khcn.pptx"]


def test_period_defaults_to_the_latest_with_data(db, tmp_path, capsys):
    assert main(["report", "--db", str(db), "-o", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("nq57-bao-cao-9-thang-nam-2026-2026-q3.xlsx")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--period", "2026-Q2", "--kind", "q3"], "Báo cáo 9 tháng cần kỳ báo cáo quý III"),
        (["report", "--period", "2026-13"], "Kỳ báo cáo không hợp lệ"),
        (["pack", "--horizon", "2040", "--period", "2026-Q3"], "Mốc không hợp lệ"),
        (["chart", "indicator", "--period", "2026-Q3"], "--indicator"),
    ],
)
def test_mistakes_are_explained_in_vietnamese(db, tmp_path, capsys, args, message, monkeypatch):
    if args[0] == "chart":
        require_browser()
    assert main([*args, "--db", str(db), "-o", str(tmp_path)]) == 1
    assert message in capsys.readouterr().err


def test_a_missing_database_is_explained(tmp_path, capsys):
    assert main(["report", "--db", str(tmp_path / "none.duckdb"), "-o", str(tmp_path)]) == 1
    assert "python -m loaders build" in capsys.readouterr().err


@pytest.mark.slow  # drives Chromium
def test_chart_command_writes_png_and_svg(db, tmp_path, capsys, monkeypatch):
    require_browser()
    argv = [
        "chart",
        "overview",
        "--horizon",
        "2030",
        "--period",
        "2026-Q3",
        "--db",
        str(db),
        "-o",
        str(tmp_path),
    ]
    result = cli.run(main, argv, capsys, monkeypatch)
    assert result.returncode == 0, result.stderr
    png, svg = tmp_path / "nq57-tong-quan-2030-2026-q3.png", tmp_path / "nq57-tong-quan-2030-2026-q3.svg"
    assert result.stdout.split() == [str(png), str(svg)]
    with Image.open(png) as img:
        assert img.width == 3840
    assert "Tiến độ các chỉ tiêu mốc 2030" in svg.read_text(encoding="utf-8")


def test_chart_command_without_a_browser_says_why(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert main(["chart", "overview", "--db", str(db), "-o", str(tmp_path)]) == 1
    assert "Không tạo được ảnh biểu đồ" in capsys.readouterr().err


@pytest.mark.slow  # a process of its own
def test_python_m_exports_starts():
    """The one test in a process of its own: the module runs as `python -m exports` does in a scheduler."""
    done = cli.run_module("exports", "--help")
    assert done.returncode == 0, done.stderr
    assert "pack" in done.stdout and "report" in done.stdout
