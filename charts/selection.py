"""What a click on a chart sends back: the clicked point's ``customdata`` as a list of plain values."""

from __future__ import annotations


def point_values(point) -> list:
    """A selected point's ``customdata`` as a list ([] when it has none).

    Figures here give ``customdata`` as lists. Should a numeric array reach the browser as a typed array, each
    row comes back as an object keyed by position ({"0": 3}); it is read in that order rather than refused.
    """
    data = (point or {}).get("customdata")
    if data is None:
        return []
    if isinstance(data, dict):
        positions = sorted((int(k), v) for k, v in data.items() if str(k).isdigit())
        return [v for _, v in positions]
    if isinstance(data, list | tuple):
        return list(data)
    return [data]
