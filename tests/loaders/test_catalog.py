"""The catalog is complete, resolvable and tied to the seeds it was transcribed from."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loaders import db
from loaders.build import CATALOG_TABLES, build
from loaders.catalog import CatalogError, load_catalog

SEEDS = db.ROOT.parent / "shared" / "seeds"


def rows(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def test_counts_per_plan(catalog_db):
    targets = rows(catalog_db, "SELECT plan_id, count(*) AS n FROM v_targets GROUP BY 1 ORDER BY 1")
    tasks = rows(catalog_db, "SELECT plan_id, count(*) AS n FROM v_tasks GROUP BY 1 ORDER BY 1")
    expected_targets = pd.DataFrame(
        {"plan_id": ["skhcn2025", "tu11", "ubnd2025", "ubnd6896"], "n": [9, 21, 37, 18]}
    )
    expected_tasks = pd.DataFrame({"plan_id": ["skhcn2025", "ubnd2025", "ubnd6896"], "n": [21, 75, 13]})
    assert_frame_equal(targets, expected_targets, check_dtype=False)
    assert_frame_equal(tasks, expected_tasks, check_dtype=False)
    assert targets["n"].sum() == 85
    assert tasks["n"].sum() == 109


def test_every_target_is_complete(catalog_db):
    t = rows(catalog_db, "SELECT * FROM v_targets")
    assert t["plan_id"].notna().all()
    assert set(t["horizon"]) == {"2025-Q4", "2030", "2045"}
    assert set(t["comparator"]) <= {">=", ">", "<=", "<", "=", "between", "text"}
    assert t["lead_agency"].notna().all(), t.loc[t["lead_agency"].isna(), "target_id"].tolist()
    assert t["target_text"].str.len().gt(0).all()
    numeric = t[t["comparator"] != "text"]
    assert numeric["target_value"].notna().all()
    between = t[t["comparator"] == "between"]
    assert (between["target_value_high"] > between["target_value"]).all()
    assert t["source_ref"].str.contains(r"dòng|ý thứ|STT").all()


def test_every_task_has_a_current_lead(catalog_db):
    k = rows(catalog_db, "SELECT * FROM v_tasks")
    assert k["lead_agency"].notna().all()
    assert k["title"].str.len().gt(10).all()


@pytest.mark.parametrize(
    ("as_written", "current"),
    [
        ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        ("Sở Thông tin truyền thông", "Sở Khoa học và Công nghệ"),
        ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
        ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
        ("Sở Giao thông vận tải", "Sở Xây dựng"),
        ("Ban Tuyên giáo Tỉnh uỷ", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        ("UBND các huyện, thành phố", "UBND các xã, phường"),
        ("Văn phòng Sở", "Sở Khoa học và Công nghệ"),
    ],
)
def test_merged_agencies_roll_up_to_their_successor(catalog_db, as_written, current):
    found = rows(
        catalog_db,
        "SELECT DISTINCT agency_name FROM v_target_agencies WHERE agency_as_written = ? "
        "UNION SELECT DISTINCT agency_name FROM v_task_agencies WHERE agency_as_written = ?",
        [as_written, as_written],
    )
    assert found["agency_name"].tolist() == [current]


def test_every_merged_agency_has_a_current_successor(catalog_db):
    merged = rows(
        catalog_db, "SELECT agency_id, current_agency_id, status FROM v_agencies WHERE status = 'merged'"
    )
    assert len(merged) >= 6
    currents = rows(catalog_db, "SELECT agency_id, status FROM agencies").set_index("agency_id")["status"]
    assert (merged["current_agency_id"].map(currents) == "current").all()
    unknown = rows(catalog_db, "SELECT name FROM agencies WHERE status = 'successor_unknown' ORDER BY 1")
    assert unknown["name"].tolist() == [
        "Cục thuế tỉnh Lai Châu",
        "Ngân hàng Nhà nước chi nhánh tỉnh Lai Châu",
    ]


def _squash(text: str) -> str:
    """Compare text the way a PDF-to-text seed breaks it: no whitespace, LaTeX signs undone."""
    text = text.replace("$", "").replace(r"\geq", "≥").replace(r"\%", "%")
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the repository")
def test_targets_are_tied_to_their_seed_file(catalog_db):
    """Each target's wording as printed is found in the seed file its plan names, and in no other plan's."""
    t = rows(catalog_db, "SELECT target_id, plan_source_file, target_text FROM v_targets")
    seeds = {f.name: _squash(f.read_text(encoding="utf-8")) for f in SEEDS.glob("*.txt")}
    # Page breaks in the OCR seed put a stray URL line inside this one sentence.
    interrupted = {"tu11-16"}
    missing = [
        r.target_id
        for r in t.itertuples()
        if r.target_id not in interrupted and _squash(r.target_text) not in seeds[r.plan_source_file]
    ]
    assert missing == []
    files = rows(catalog_db, "SELECT plan_id, source_file FROM plans ORDER BY plan_id")
    assert dict(zip(files.plan_id, files.source_file, strict=True)) == {
        "skhcn2025": "004_69261014f80d754d.txt",
        "tu11": "002_8450da1e5bc55cf7.txt",
        "ubnd2025": "001_5cdbf573dddbf3a5.txt",
        "ubnd6896": "000_68b50f7c809f97cc.txt",
    }


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the repository")
def test_task_titles_are_found_in_their_seed_file(catalog_db):
    k = rows(catalog_db, "SELECT task_id, plan_source_file, title FROM v_tasks")
    seeds = {f.name: _squash(f.read_text(encoding="utf-8")) for f in SEEDS.glob("*.txt")}
    found = [(_squash(r.title)[:60] in seeds[r.plan_source_file]) for r in k.itertuples()]
    assert sum(found) >= 100, "most task titles must start as printed in their seed"


SPOT_CHECKS = pd.DataFrame(
    [
        # target_id, indicator, horizon, comparator, value, high
        ("ubnd2025-03", "TFP", "2030", ">=", 37.6, None),
        ("ubnd2025-04", "KTS_GRDP", "2030", "between", 9.0, 10.0),
        ("ubnd2025-23", "KTS_GRDP", "2045", ">=", 20.0, None),
        ("ubnd6896-17", "KTS_GRDP", "2025-Q4", ">=", 6.5, None),
        ("ubnd2025-21", "PII", "2030", "<=", 57.0, None),
        ("ubnd2025-24", "PII", "2045", "<=", 55.0, None),
        ("skhcn2025-II.2", "PII", "2045", "<=", 55.0, None),
        ("ubnd2025-09", "HDI", "2030", ">", 0.623, None),
        ("skhcn2025-I.4", "HDI", "2030", ">", 0.623, None),
        ("ubnd2025-6.2", "DVC_TOAN_TRINH", "2030", ">=", 90.0, None),
        ("ubnd6896-11", "DVC_TOAN_TRINH", "2025-Q4", ">=", 80.0, None),
        ("tu11-12", "DVC_TOAN_TRINH", "2025-Q4", ">=", 80.0, None),
        ("ubnd6896-03", "BAN_LOM_SONG", "2025-Q4", ">=", 33.0, None),
        ("tu11-03", "BAN_LOM_SONG", "2025-Q4", ">=", 9.0, None),
        ("ubnd6896-04", "PHU_SONG_5G_DIEN_TICH", "2025-Q4", ">=", 45.0, None),
        ("ubnd2025-13.2", "PHU_SONG_5G_DAN_SO", "2030", ">=", 99.0, None),
        ("ubnd6896-16", "DNNVV_CNS", "2025-Q4", ">=", 30.0, None),
        ("ubnd2025-12", "DN_UNG_DUNG_CNS", "2030", ">=", 100.0, None),
        ("ubnd2025-10", "CHI_NS_KHCN", "2030", ">=", 3.0, None),
        ("ubnd2025-11", "NHAN_LUC_NC", "2030", ">=", 10.0, None),
        ("ubnd2025-15", "DN_CONG_NGHE_THU_HUT", "2030", ">=", 3.0, None),
        ("tu11-05", "TT_AN_NINH_MANG", "2025-Q4", "=", 1.0, None),
        ("tu11-18", "VNEID", "2025-Q4", ">=", 50.0, None),
        ("ubnd2025-01", "KHCN_TIEM_LUC", "2030", "text", None, None),
        ("skhcn2025-II.1", "KHCN_CDS_2045", "2045", "text", None, None),
        ("ubnd6896-02", "BAO_CAO_NQ57", "2025-Q4", "text", None, None),
        ("ubnd2025-20", "HSSK_DIEN_TU", "2030", ">=", 95.0, None),
    ],
    columns=["target_id", "indicator_id", "horizon", "comparator", "target_value", "target_value_high"],
)


def test_spot_checks_against_the_seeds(catalog_db):
    ids = SPOT_CHECKS["target_id"].tolist()
    got = (
        rows(
            catalog_db,
            "SELECT target_id, indicator_id, horizon, comparator, target_value, target_value_high "
            "FROM v_targets WHERE list_contains(?, target_id)",
            [ids],
        )
        .set_index("target_id")
        .loc[ids]
        .reset_index()
    )
    expected = SPOT_CHECKS.astype({"target_value": float, "target_value_high": float})
    assert_frame_equal(got, expected, check_dtype=False)


def test_also_rising_and_corrections_are_kept(catalog_db):
    t = rows(catalog_db, "SELECT * FROM v_targets").set_index("target_id")
    assert bool(t.loc["ubnd2025-10", "also_rising"]) is True
    assert "tăng dần" in t.loc["ubnd2025-10", "value_as_written"]
    assert t.loc["ubnd2025-21", "unit_as_written"] == "%"
    assert "thứ hạng" in t.loc["ubnd2025-21", "correction_note"]
    assert t.loc["ubnd2025-21", "direction"] == "lower"
    assert t.loc["tu11-06", "value_as_written"] == "> 3%"
    assert "OCR" in t.loc["tu11-06", "correction_note"]
    assert t.loc["tu11-03", "wording_restored"].startswith("Phấn đấu phủ sóng băng rộng di động đến 09/33")


def _all_tables(path: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df()
            for t in (*CATALOG_TABLES, "uploads", "actual_revisions", "meta")
        }
    finally:
        con.close()


def test_build_is_idempotent(built_db):
    before = _all_tables(built_db)
    build(built_db)
    after = _all_tables(built_db)
    for table, frame in before.items():
        assert_frame_equal(after[table], frame, obj=table)


def test_rebuild_keeps_uploaded_actuals(built_db):
    con = duckdb.connect(str(built_db))
    con.execute(
        "INSERT INTO uploads VALUES (1, 'import', 'q3.xlsx', 'abc', 'thu.ky', TIMESTAMP '2026-10-15 09:00:00', NULL, 1, NULL)"
    )
    con.execute(
        "INSERT INTO actual_revisions VALUES (1, 1, 'DVC_TOAN_TRINH', '2026-Q3', 84.5, NULL, NULL, NULL, false, "
        "'thu.ky', TIMESTAMP '2026-10-15 09:00:00')"
    )
    con.close()
    build(built_db)
    kept = rows(
        built_db, "SELECT indicator_id, period, value, recorded_by FROM v_actuals WHERE origin = 'upload'"
    )
    assert kept.to_dict("records") == [
        {"indicator_id": "DVC_TOAN_TRINH", "period": "2026-Q3", "value": 84.5, "recorded_by": "thu.ky"}
    ]


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(db.DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "targets.csv",
            "Sở Kế hoạch và Đầu tư",
            "Sở Không Tồn Tại",
            "data/targets.csv, dòng 4 (cột lead_agencies)",
        ),
        (
            "targets.csv",
            "ubnd2025-03,ubnd2025,3,,2030,TFP,>=",
            "ubnd2025-03,ubnd2025,3,,2030,TFP,≥",
            "data/targets.csv, dòng 4 (cột comparator)",
        ),
        ("targets.csv", "ubnd2025-04,ubnd2025", "ubnd2025-03,ubnd2025", "mã 'ubnd2025-03' trùng"),
        (
            "targets.csv",
            "ubnd2025-03,ubnd2025,3,,2030,TFP",
            "ubnd2025-03,ubnd2025,3,,2030,KHONG_CO",
            "data/targets.csv, dòng 4 (cột indicator_id)",
        ),
        (
            "targets.csv",
            "ubnd2025-03,ubnd2025",
            "ubnd2025-03,khong_co",
            "data/targets.csv, dòng 4 (cột plan_id)",
        ),
        ("targets.csv", ",37.6,", ",ba mươi,", "'ba mươi' không phải là số"),
        (
            "targets.csv",
            "ubnd2025-NV-I.5,ubnd2025,NV I.5,ubnd2025-T005,",
            "ubnd2025-NV-I.5,ubnd2025,NV I.5,skhcn2025-T008,",
            "cột source_task_id",
        ),
        ("targets.csv", ",KH 6896,,", ",,,", "cột lead_inferred_from"),
        (
            "published_actuals.csv",
            "PII,2023-Q4",
            "PII,2023-Q5",
            "data/published_actuals.csv, dòng 5 (cột period)",
        ),
        ("indicators.csv", ",0,1,,yearly", ",0,1,,monthly", "data/indicators.csv, dòng 44 (cột frequency)"),
        (
            "published_actuals.csv",
            'Bộ KH&CN.",true',
            'Bộ KH&CN.",có',
            "data/published_actuals.csv, dòng 5 (cột comparable)",
        ),
        (
            "agencies.csv",
            "so_tttt,Sở Thông tin và Truyền thông,Sở TT&TT,so,,so_khcn",
            "so_tttt,Sở Thông tin và Truyền thông,Sở TT&TT,so,,so_khong_co",
            "cột successor_id",
        ),
    ],
)
def test_bad_catalog_is_refused_with_file_row_and_column(data_copy, tmp_path, file, old, new, message):
    _edit(data_copy / file, old, new)
    with pytest.raises(CatalogError) as err:
        load_catalog(data_copy)
    assert any(message in p for p in err.value.problems), err.value.problems


def test_bad_catalog_leaves_the_database_as_it_was(built_db, data_copy):
    before = _all_tables(built_db)
    _edit(data_copy / "targets.csv", ",37.6,", ",37,6,")
    with pytest.raises(CatalogError):
        build(built_db, data_dir=data_copy)
    after = _all_tables(built_db)
    for table, frame in before.items():
        assert_frame_equal(after[table], frame, obj=table)


# ---------------------------------------------------------------- the catalog says only what the plans say


def test_no_11_kh_tu_target_has_a_lead_as_written(catalog_db):
    """11-KH/TU prints no lead per target: "as written" is empty, the inferred lead has its own column."""
    t = rows(catalog_db, "SELECT * FROM v_targets WHERE plan_id = 'tu11'")
    assert len(t) == 21
    assert t["lead_agency_as_written"].isna().all(), t.loc[t["lead_agency_as_written"].notna(), "target_id"]
    for column in ("lead_agency_inferred", "lead_basis", "lead_inferred_from", "lead_agency"):
        assert t[column].notna().all(), (column, t.loc[t[column].isna(), "target_id"].tolist())


def test_inferred_leads_and_leads_as_written_exclude_each_other(catalog_db):
    t = rows(catalog_db, "SELECT * FROM v_targets")
    inferred = t["lead_inferred_from"].notna()
    assert (inferred == t["lead_basis"].notna()).all()
    assert (inferred == t["lead_agency_inferred"].notna()).all()
    assert (inferred != t["lead_agency_as_written"].notna()).all()
    assert set(t.loc[inferred, "plan_id"]) == {"tu11"}


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the repository")
def test_every_lead_as_written_is_printed_in_its_seed(catalog_db):
    """A lead shown as written must be in the plan's own text: an inferred one would not be."""
    t = rows(catalog_db, "SELECT target_id, plan_source_file, lead_agency_as_written FROM v_targets")
    seeds = {f.name: _squash(f.read_text(encoding="utf-8")).casefold() for f in SEEDS.glob("*.txt")}
    missing = [
        (r.target_id, name)
        for r in t.dropna(subset=["lead_agency_as_written"]).itertuples()
        for name in r.lead_agency_as_written.split(" | ")
        if _squash(name).rstrip(".").casefold() not in seeds[r.plan_source_file]
    ]
    assert missing == []


def test_the_leads_11_kh_tu_points_to(catalog_db):
    t = rows(catalog_db, "SELECT * FROM v_targets WHERE plan_id = 'tu11'").set_index("target_id")
    # VNeID accounts are issued and run by the police: the owner the wording points to.
    assert t.loc["tu11-18", "lead_agency"] == "Công an tỉnh"
    assert "VNeID" in t.loc["tu11-18", "lead_inferred_from"]
    # 6896 row 2 is the same nq57.vn reporting duty, led by the Department of Science and Technology.
    assert t.loc["tu11-02", "lead_agency"] == "Sở Khoa học và Công nghệ"
    assert t.loc["tu11-02", "lead_inferred_from"] == "KH 6896"
    assert "dòng 2" in t.loc["tu11-02", "lead_basis"]
    from_6896 = t[t["lead_inferred_from"] == "KH 6896"]
    assert len(from_6896) >= 15
    assert from_6896["lead_basis"].str.contains("6896").all()


def test_lead_labels_mark_inferred_leads():
    from ui.labels import lead_label, lead_labels

    assert lead_label("Sở Tài chính", "KH 6896") == "Sở Tài chính (suy ra từ KH 6896)"
    assert lead_label("Sở Tài chính", None) == "Sở Tài chính"
    assert lead_label("Sở Tài chính", float("nan")) == "Sở Tài chính"
    frame = pd.DataFrame({"lead_agency": ["A", "B"], "lead_inferred_from": [None, "KH 6896"]})
    assert lead_labels(frame) == ["A", "B (suy ra từ KH 6896)"]


CONCLUSIONS = ("01-TB/BCĐTW", "25-TB/TGV")


def test_6896_conclusions_note_covers_rows_4_to_12(catalog_db):
    """The "Ghi chú" cell citing the conclusions is merged over rows 4–12 of Phụ lục I."""
    t = rows(catalog_db, "SELECT * FROM v_targets WHERE plan_id = 'ubnd6896'")
    t["row"] = t["row_ref"].astype(int)
    cites = t["plan_note"].fillna("").map(lambda n: all(c in n for c in CONCLUSIONS))
    assert sorted(t.loc[cites, "row"]) == list(range(4, 13))
    assert t.loc[t["row"].between(4, 12), "plan_note"].nunique() == 1
    assert t.loc[t["row"].between(4, 12), "interpretation_note"].str.contains("4–12").all()


def test_digital_economy_q4_reads_the_same_in_both_plans(catalog_db):
    t = rows(catalog_db, "SELECT * FROM v_targets").set_index("target_id")
    columns = ["indicator_id", "comparator", "target_value", "unit_as_written", "interpretation_note"]
    assert t.loc["tu11-20", columns].tolist() == t.loc["ubnd6896-17", columns].tolist()
    assert t.loc["tu11-20", "unit_as_written"] == "% GRDP"


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the repository")
def test_11_kh_tu_says_its_task_appendix_is_missing(catalog_db):
    seed = (SEEDS / "002_8450da1e5bc55cf7.txt").read_text(encoding="utf-8")
    assert "Nhiém vu cu thé: C6 Phu luc kém theo" in seed  # what the plan says about its tasks
    plans = rows(catalog_db, "SELECT * FROM plans").set_index("plan_id")
    assert "Phụ lục kèm theo" in plans.loc["tu11", "note"]
    assert "không có phụ lục" in plans.loc["tu11", "tasks_note"]
    counts = rows(
        catalog_db,
        "SELECT plan_id, count(k.task_id) AS n FROM plans LEFT JOIN v_tasks k USING (plan_id) GROUP BY 1",
    )
    no_tasks = set(counts.loc[counts["n"] == 0, "plan_id"])
    assert no_tasks == {"tu11"}
    assert plans.loc[list(no_tasks), "tasks_note"].notna().all(), "a plan with 0 tasks must say why"


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the repository")
def test_aims_printed_inside_tasks_are_targets_citing_the_task_row(catalog_db):
    t = rows(
        catalog_db,
        "SELECT t.*, k.title, k.section, k.row_no, k.plan_id AS task_plan FROM v_targets t "
        "JOIN v_tasks k ON k.task_id = t.source_task_id ORDER BY t.target_id",
    )
    assert t["target_id"].tolist() == ["skhcn2025-NV-I.8", "ubnd2025-NV-I.5"]
    assert (t["plan_id"] == t["task_plan"]).all()
    assert t[["section", "row_no"]].astype(str).agg(".".join, axis=1).tolist() == ["I.8", "I.5"]
    assert set(t["indicator_id"]) == {"CBCC_DAO_TAO_KHCN"}
    assert (t["target_value"] == 100).all() and (t["comparator"] == ">=").all()
    for r in t.itertuples():
        assert "100% cán bộ, công chức được đào tạo" in r.target_text
        assert _squash(r.target_text) in _squash(r.title), r.target_id
        assert f"Phụ lục II, mục {r.section}, STT {r.row_no}" in r.source_ref
        assert "không có trong Phụ lục I" in r.interpretation_note
