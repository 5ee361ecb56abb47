"""A page run's view of the store answers each query once, and sees its own writes at once."""

from __future__ import annotations

from store.db import ReadView, query_df, transaction


def test_a_query_is_read_once_per_view_and_each_caller_gets_its_own_frame(con):
    view = ReadView(con)
    first = query_df(view, "SELECT count(*) AS n FROM organisations")
    first.loc[0, "n"] = 99  # a caller changing its frame changes nobody else's
    with transaction(con) as cur:  # another session's write, on the connection underneath
        cur.execute("INSERT INTO organisations (name, synthetic) VALUES ('Elsewhere ICB', false)")
    again = query_df(view, "SELECT count(*) AS n FROM organisations")
    assert again.loc[0, "n"] == 0  # the same committed state for the whole run


def test_a_write_through_the_view_is_seen_by_the_rest_of_the_run(con):
    view = ReadView(con)
    assert query_df(view, "SELECT name FROM organisations").empty
    with transaction(view) as cur:
        cur.execute("INSERT INTO organisations (name, synthetic) VALUES ('Here ICB', false)")
    assert query_df(view, "SELECT name FROM organisations").name.tolist() == ["Here ICB"]
    assert query_df(view, "SELECT name FROM organisations WHERE name = ?", ["Nowhere"]).empty


def test_views_share_answers_only_while_the_store_is_unchanged(con):
    from store.db import shared_results

    shared_results.clear()
    first = query_df(ReadView(con), "SELECT count(*) AS n FROM organisations")
    first.loc[0, "n"] = 99  # a caller's change reaches no other view
    assert query_df(ReadView(con), "SELECT count(*) AS n FROM organisations").loc[0, "n"] == 0
    with transaction(con) as cur:
        cur.execute("INSERT INTO organisations (name, synthetic) VALUES ('Elsewhere ICB', false)")
    view = ReadView(con)
    assert query_df(view, "SELECT count(*) AS n FROM organisations").loc[0, "n"] == 1
    assert ReadView(con).state() == view.state()


def test_shared_answers_are_bounded():
    import pandas as pd

    from store.db import SharedResults

    kept = SharedResults(max_entries=2, max_cells=10)
    for n in range(3):
        kept.put(("state", n), pd.DataFrame({"a": [n]}))
    assert kept.get(("state", 0)) is None and kept.get(("state", 2)) is not None
    kept.put(("state", "big"), pd.DataFrame({"a": range(11)}))  # larger than the whole budget: not kept
    assert kept.get(("state", "big")) is None
    kept.put(("state", "wide"), pd.DataFrame({"a": range(9)}))  # fits only by dropping the least recently used
    assert kept.get(("state", 1)) is None and kept.get(("state", 2)) is not None
    assert kept.get(("state", "wide")) is not None
