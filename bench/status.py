"""Status of every target: the DuckDB macro target_status(as_of) against metrics.status_reference.compute_status.

Both start from the same database file and end with a frame: the macro is read with .df(); the pandas path
reads v_targets and v_actuals into frames, then computes. The pandas compute alone is reported too. The two
frames are compared (coerce_status_frame, then equality) so a speed-up never hides a different answer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.timing import interleave, ratio
from loaders import db
from metrics.status_reference import coerce_status_frame, compute_status

THRESHOLDS_SQL = "SELECT key, value FROM status_thresholds"
MACRO_SQL = "SELECT * FROM target_status(?)"
AS_OF_SQL = "SELECT max_by(period, period_index(period)) FROM v_actuals"


def measure(path: Path, runs: int) -> dict:
    con = db.connect(path, read_only=True)
    try:
        as_of = con.execute(AS_OF_SQL).fetchall()[0][0]
        thresholds = dict(con.execute(THRESHOLDS_SQL).fetchall())

        def macro() -> pd.DataFrame:
            return con.execute(MACRO_SQL, [as_of]).df()

        def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
            return con.execute("SELECT * FROM v_targets").df(), con.execute("SELECT * FROM v_actuals").df()

        targets, actuals = frames()

        def pandas_all() -> pd.DataFrame:
            t, a = frames()
            return compute_status(t, a, as_of, thresholds)

        macro()  # first query plans and warms the file cache for both sides
        timed = interleave(
            {
                "duckdb": macro,
                "pandas_compute": lambda: compute_status(targets, actuals, as_of, thresholds),
                "pandas_with_read": pandas_all,
            },
            runs,
        )
        duck, py_compute, py_all = timed["duckdb"], timed["pandas_compute"], timed["pandas_with_read"]
        try:  # the unit tests' own comparison (float noise in the last bits is allowed)
            pd.testing.assert_frame_equal(
                coerce_status_frame(macro()), compute_status(targets, actuals, as_of, thresholds)
            )
            same = True
        except AssertionError:
            same = False
        return {
            "as_of": as_of,
            "targets": len(targets),
            "actuals": len(actuals),
            "duckdb_s": duck,
            "pandas_compute_s": py_compute,
            "pandas_with_read_s": py_all,
            "speedup": ratio(py_all, duck),
            "speedup_compute_only": ratio(py_compute, duck),
            "same_result": bool(same),
        }
    finally:
        con.close()
