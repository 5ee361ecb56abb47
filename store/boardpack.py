"""The frames of a board pack: one organisation's latest snapshot of every dataset, for ``analysis.boardpack``."""

from __future__ import annotations

from datetime import date

from analysis import boardpack
from store import actions, finance, overview, qipp
from store.snapshots import organisations


def contents(con, org: str, today: date | None = None) -> boardpack.PackContents:
    """Everything the board pack shows for ``org``: each dataset at its latest current snapshot."""
    tiles = overview.overview(con, org)
    pack = boardpack.pack(org, organisations(con), today or date.today(), tiles)
    if tiles["qipp"].loaded:
        as_at = qipp.scheme_dates(con, org)[-1]
        pack.qipp = boardpack.qipp_section(as_at, qipp.schemes(con, org, as_at), qipp.targets(con, org))
    if tiles["finance"].loaded:
        position = finance.position(con, org, tiles["finance"].as_at)
        pack.finance = boardpack.finance_section(tiles["finance"], position, finance.lines(con, org))
    if tiles["improvement"].loaded:
        pack.improvement = boardpack.improvement_section(actions.completion_trend(con, org), actions.actions(con, org))
    return pack
