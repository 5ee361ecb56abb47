"""Organisations compared, as shown: dates as 21 Apr 2020, £'000 with thousands separators, a dash for what is not
loaded (never None or nan)."""

from __future__ import annotations

import pandas as pd

NOT_LOADED = "–"


def _date(value) -> str:
    return NOT_LOADED if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%d %b %Y")


def _number(value, percent: bool) -> str:
    if value is None or pd.isna(value):
        return NOT_LOADED
    return f"{float(value):.1f}" if percent else f"{float(value):,.0f}"


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
            shown[column] = [_number(v, column.endswith("%")) for v in values]
        else:
            numbers = values.dropna()
            if len(numbers) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
                shown[column] = [_number(v, column.endswith("%")) for v in values]
            else:
                shown[column] = [_text(v) for v in values]
    return shown.reset_index(drop=True)
