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
