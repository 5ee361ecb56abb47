"""Organisations compared, as shown: dates as 21 Apr 2020, £'000 with thousands separators and negatives in
brackets, percentages to one decimal, a dash for what is not loaded (never None or nan)."""

from __future__ import annotations

import pandas as pd

import formats

NOT_LOADED = "–"


def _date(value) -> str:
    return formats.date(value, missing=NOT_LOADED)


def _number(value, column: str) -> str:
    if column.endswith("%"):
        return formats.percent(value, missing=NOT_LOADED, symbol=False)
    if "£" in column:
        return formats.money(value, missing=NOT_LOADED)
    return formats.count(value, missing=NOT_LOADED)


def _text(value) -> str:
    return NOT_LOADED if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def compared_table(compared: pd.DataFrame, date_columns: list[str]) -> pd.DataFrame:
    """The comparison with every cell as text; ``date_columns`` hold dates. The "Data" mark stays blank when empty."""
    shown = pd.DataFrame(index=compared.index)
    for column in compared.columns:
        values = compared[column]
        if column in date_columns:
            shown[column] = [_date(v) for v in values]
        elif column == "Data":
            shown[column] = values.fillna("")
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            shown[column] = [_number(v, column) for v in values]
        else:
            numbers = values.dropna()
            if len(numbers) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
                shown[column] = [_number(v, column) for v in values]
            else:
                shown[column] = [_text(v) for v in values]
    return shown.reset_index(drop=True)
