"""Run by the crash-safety tests in a subprocess: ingest a large synthetic workbook result."""

from __future__ import annotations

import resource
import signal
import sys

import store
from records import Dataset, WorkbookResult


def big_result(tag: str, rows: int) -> WorkbookResult:
    records = [
        {
            "ref": f"Q{n}",
            "name": f"Scheme {n}",
            "area": "Acute",
            "stage": n % 6,
            "rag": "green",
            "value": float(n % 97),
            "lead": "CFO",
            "recurrent": True,
            "source": {"sheet": "Tracker", "row": n + 3},
        }
        for n in range(rows)
    ]
    return WorkbookResult(
        file=f"tracker-{tag}.xlsx",
        sha256=f"sha-{tag}",
        org="Crash CCG",
        as_at="2019-03-31",
        datasets=[Dataset(kind="qipp_schemes", sheet="Tracker", header_row=2, records=records)],
    )


def main() -> int:
    db, tag, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if len(sys.argv) > 4:  # a file-size limit stands in for a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = int(sys.argv[4])
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    result = big_result(tag, rows)
    try:
        con = store.connect(db)
        store.ingest(con, result)
        con.close()
    except store.StoreError as exc:
        print(exc)
        return 2
    print("stored")
    return 0


if __name__ == "__main__":
    sys.exit(main())
