"""The reporting calendar: the Decree 09/2019 rule, the csv that follows it, and the build's checks."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from loaders.__main__ import main
from loaders.build import build
from loaders.catalog import CatalogError, load_catalog
from loaders.db import DATA_DIR
from loaders.reporting_calendar import CALENDAR_FILE, generated_rows
from metrics.reporting_calendar import default_row, working_days_before

HOLIDAYS = frozenset({date(2025, 9, 1), date(2025, 9, 2)})


@pytest.mark.parametrize(
    ("day", "n", "holidays", "expected"),
    [
        (date(2025, 12, 25), 5, (), date(2025, 12, 18)),  # Thursday: the week before, same weekday
        (date(2026, 5, 25), 5, (), date(2026, 5, 18)),  # Monday: Fri, Thu, Wed, Tue, Mon
        (date(2027, 9, 25), 5, (), date(2027, 9, 20)),  # Saturday: the weekend itself is not counted
        (date(2027, 9, 27), 1, (), date(2027, 9, 24)),  # Monday: one working day back is Friday
        (date(2025, 9, 5), 3, HOLIDAYS, date(2025, 8, 29)),  # 1-2/9 skipped like a weekend
        (date(2025, 9, 5), 3, (), date(2025, 9, 2)),  # without holidays they count
        (date(2025, 12, 25), 0, (), date(2025, 12, 25)),  # zero: the province's own day
    ],
)
def test_working_days_before(day, n, holidays, expected):
    assert working_days_before(day, n, frozenset(holidays)) == expected


@pytest.mark.parametrize(
    ("period", "start", "end", "province"),
    [
        ("2026-Q1", date(2025, 12, 15), date(2026, 3, 14), date(2026, 3, 25)),  # crosses the year
        ("2026-Q2", date(2026, 3, 15), date(2026, 6, 14), date(2026, 6, 25)),
        ("2025-Q4", date(2025, 9, 15), date(2025, 12, 14), date(2025, 12, 25)),
    ],
)
def test_default_row_follows_the_decree(period, start, end, province):
    row = default_row(period, 5)
    assert (row.cutoff_start, row.cutoff_end, row.province_deadline) == (start, end, province)
    assert row.agency_deadline == working_days_before(province, 5)
    assert row.cutoff_end < row.agency_deadline < row.province_deadline


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def test_the_shipped_calendar_is_what_the_rule_gives_except_edited_rows():
    shipped = _read(DATA_DIR / CALENDAR_FILE)
    assert shipped[0]["period"] == "2025-Q4" and shipped[-1]["period"] == "2030-Q4"
    assert generated_rows(DATA_DIR, "2025-Q4", "2030-Q4") == shipped
    for row in shipped:
        if row["edited"] == "false":
            rule = default_row(row["period"], 5)
            assert row["agency_deadline"] == rule.agency_deadline.isoformat()


@pytest.fixture
def data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst, ignore=shutil.ignore_patterns("*.duckdb*"))
    return dst


def _rewrite(path: Path, change) -> None:
    rows = _read(path)
    fields = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_the_generator_keeps_edited_rows_and_follows_the_setting(data_copy):
    def edit(rows):
        rows[1].update(agency_deadline="2026-03-20", edited="true", note="Sở KH&CN lùi hạn (CV số …)")

    _rewrite(data_copy / CALENDAR_FILE, edit)
    _rewrite(data_copy / "reporting_settings.csv", lambda rows: rows[0].update(value="3"))
    assert main(["calendar", "--until", "2027-Q1", "--data-dir", str(data_copy)]) == 0
    rows = _read(data_copy / CALENDAR_FILE)
    assert [r["period"] for r in rows] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert rows[1]["agency_deadline"] == "2026-03-20" and rows[1]["edited"] == "true"
    assert rows[0]["agency_deadline"] == working_days_before(date(2025, 12, 25), 3).isoformat()
    load_catalog(data_copy)  # still valid


@pytest.mark.parametrize(
    ("file", "change", "words"),
    [
        (
            CALENDAR_FILE,
            lambda rows: rows[2].update(agency_deadline="2026-06-31"),
            ("dòng 4", "agency_deadline"),
        ),
        (
            CALENDAR_FILE,
            lambda rows: rows[0].update(agency_deadline="2025-12-26"),
            ("dòng 2", "hạn của tỉnh"),
        ),
        (CALENDAR_FILE, lambda rows: rows[0].update(cutoff_end="2025-12-19"), ("dòng 2", "agency_deadline")),
        (CALENDAR_FILE, lambda rows: rows.pop(3), ("dòng 5", "period", "không liền sau")),
        (CALENDAR_FILE, lambda rows: rows[1].update(edited="có"), ("dòng 3", "edited")),
        ("reporting_settings.csv", lambda rows: rows[0].update(value="năm"), ("dòng 2", "value")),
        (
            "public_holidays.csv",
            lambda rows: rows[0].update(holiday_date="02/09/2025"),
            ("dòng 2", "holiday_date"),
        ),
    ],
)
def test_bad_calendar_files_are_refused_naming_file_row_and_column(data_copy, tmp_path, file, change, words):
    target = tmp_path / "nq57.duckdb"
    build(target, data_dir=DATA_DIR)
    con = duckdb.connect(str(target))
    before = con.execute("SELECT * FROM reporting_calendar ORDER BY period").fetchall()
    con.close()
    _rewrite(data_copy / file, change)
    with pytest.raises(CatalogError) as caught:
        build(target, data_dir=data_copy)
    message = str(caught.value)
    assert f"data/{file}" in message
    for word in words:
        assert word in message
    con = duckdb.connect(str(target))
    assert con.execute("SELECT * FROM reporting_calendar ORDER BY period").fetchall() == before
    con.close()


def test_the_calendar_is_loaded_into_the_database(catalog_db):
    con = duckdb.connect(str(catalog_db), read_only=True)
    try:
        n, first, last = con.execute(
            "SELECT count(*), min(period), max(period) FROM v_reporting_calendar"
        ).fetchone()
        kinds = dict(
            con.execute(
                "SELECT typeof(agency_deadline), count(*) FROM reporting_calendar GROUP BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    assert (n, first, last) == (len(_read(DATA_DIR / CALENDAR_FILE)), "2025-Q4", "2030-Q4")
    assert kinds == {"DATE": n}
