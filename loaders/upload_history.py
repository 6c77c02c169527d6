"""The history of uploads: every upload and revert, every value and task update recorded, and what may be undone.

The column maps give each history column its Vietnamese header, for the page's tables and the workbook alike.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from loaders.upload_store import KIND_IMPORT, KIND_REVERT

_HISTORY_SQL = """
WITH periods AS (
    SELECT upload_id, string_agg(DISTINCT period, ', ' ORDER BY period) AS periods
    FROM (SELECT upload_id, period FROM actual_revisions UNION ALL SELECT upload_id, period FROM task_updates)
    GROUP BY upload_id
)
SELECT u.upload_id, u.kind, u.file_name, u.uploaded_by, u.uploaded_at, u.n_revisions, p.periods,
       u.reverts_upload_id, r.upload_id AS reverted_by_upload_id, u.note, u.sha256
FROM uploads u
LEFT JOIN periods p USING (upload_id)
LEFT JOIN uploads r ON r.kind = 'revert' AND r.reverts_upload_id = u.upload_id
WHERE u.upload_id > 0
ORDER BY u.upload_id DESC
"""
_REVISIONS_SQL = """
SELECT r.revision_id, r.upload_id, u.kind, u.file_name, r.indicator_id, i.name AS indicator_name, i.unit,
       r.period, r.value, r.value_text, r.note, r.evidence, r.is_retraction, r.recorded_by, r.recorded_at
FROM actual_revisions r
JOIN uploads u USING (upload_id)
LEFT JOIN indicators i USING (indicator_id)
WHERE CAST(? AS BIGINT) IS NULL OR r.upload_id = ?
ORDER BY r.revision_id
"""


def upload_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every upload and revert, newest first, with what reverted it."""
    return con.execute(_HISTORY_SQL).df()


def revisions(con: duckdb.DuckDBPyConnection, upload_id: int | None = None) -> pd.DataFrame:
    """Every revision recorded (of one upload, if given), oldest first."""
    return con.execute(_REVISIONS_SQL, [upload_id, upload_id]).df()


_TASK_REVISIONS_SQL = """
SELECT t.update_id, t.upload_id, u.kind, u.file_name, t.task_id, k.plan_name, k.title, t.period, t.status,
       t.completed_on, t.evidence, t.note, t.is_retraction, t.recorded_by, t.recorded_at
FROM task_updates t
JOIN uploads u USING (upload_id)
LEFT JOIN v_tasks k USING (task_id)
WHERE CAST(? AS BIGINT) IS NULL OR t.upload_id = ?
ORDER BY t.update_id
"""


def task_revisions(con: duckdb.DuckDBPyConnection, upload_id: int | None = None) -> pd.DataFrame:
    """Every task status update recorded (of one upload, if given), oldest first."""
    return con.execute(_TASK_REVISIONS_SQL, [upload_id, upload_id]).df()


def revertible(history: pd.DataFrame) -> list[int]:
    """Uploads and reverts that can still be reverted (not yet reverted, not demonstration data), newest first."""
    if history.empty:
        return []
    mask = (
        history["reverted_by_upload_id"].isna()
        & (history["n_revisions"] > 0)
        & history["kind"].isin([KIND_IMPORT, KIND_REVERT])
    )
    return [int(x) for x in history.loc[mask, "upload_id"]]


HISTORY_COLUMNS = {
    "upload_id": "Lần tải",
    "kind": "Loại",
    "file_name": "Tên tệp",
    "uploaded_by": "Người tải",
    "uploaded_at": "Thời điểm",
    "n_revisions": "Số giá trị ghi",
    "periods": "Kỳ",
    "reverts_upload_id": "Hoàn tác lần",
    "reverted_by_upload_id": "Đã hoàn tác bởi lần",
    "note": "Ghi chú",
    "sha256": "SHA-256",
}
REVISION_COLUMNS = {
    "revision_id": "Mã bản ghi",
    "upload_id": "Lần tải",
    "kind": "Loại",
    "file_name": "Tên tệp",
    "indicator_id": "Mã chỉ tiêu",
    "indicator_name": "Tên chỉ tiêu",
    "unit": "Đơn vị tính",
    "period": "Kỳ",
    "value": "Giá trị",
    "value_text": "Kết quả đánh giá",
    "note": "Ghi chú",
    "evidence": "Nguồn/minh chứng",
    "is_retraction": "Rút lại",
    "recorded_by": "Người ghi",
    "recorded_at": "Thời điểm ghi",
}


TASK_REVISION_COLUMNS = {
    "update_id": "Mã bản ghi",
    "upload_id": "Lần tải",
    "kind": "Loại",
    "file_name": "Tên tệp",
    "task_id": "Mã nhiệm vụ",
    "plan_name": "Kế hoạch",
    "title": "Nhiệm vụ",
    "period": "Kỳ",
    "status": "Trạng thái",
    "completed_on": "Ngày hoàn thành",
    "evidence": "Minh chứng",
    "note": "Ghi chú",
    "is_retraction": "Rút lại",
    "recorded_by": "Người ghi",
    "recorded_at": "Thời điểm ghi",
}
