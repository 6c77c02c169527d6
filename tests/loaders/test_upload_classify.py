"""The vectorised classification of an import's rows gives what the per-row rule gives, row for row."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from loaders.upload_preview import CHANGE_CHANGED, CHANGE_NEW, CHANGE_UNCHANGED, _classify, classify_values


def test_classify_values_matches_the_row_rule_on_every_combination():
    numbers = [None, np.nan, 1.0, 1.0 + 1e-12, 2.5, 0.0]
    texts = [None, np.nan, "", "có", "không"]
    rows = []
    for has_old, (v, ov), (t, ot), (n, on) in itertools.product(
        [True, False],
        itertools.product(numbers, numbers),
        itertools.product(texts[:4], texts[:4]),
        itertools.product(texts, texts[:4]),
    ):
        rows.append(
            {
                "has_old": has_old,
                "value": v,
                "old_value": ov,
                "value_text": t,
                "old_value_text": ot,
                "note": n,
                "old_note": on,
                "evidence": on,
                "old_evidence": n,
            }
        )
    table = pd.DataFrame(rows)
    got = classify_values(table)
    expected = [_classify(r) for r in table.to_dict("records")]
    assert got.tolist() == expected
    assert {CHANGE_NEW, CHANGE_CHANGED, CHANGE_UNCHANGED} <= set(expected)  # every outcome is exercised


def test_classify_values_of_no_rows_is_empty():
    assert classify_values(pd.DataFrame(columns=["has_old", "value"])).empty
