"""Command line: ``python -m loaders inspect FILE [--json]`` and ``python -m loaders ingest FILE...``.

Exit status: 0 when every file was read (and, for ingest, stored), 2 when a file could not be read,
the store refused it or the configuration is not valid. Problems are one sentence each, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections import Counter
from pathlib import Path

import config
from loaders import load_path
from loaders.layout_profiles import profile_sentence
from loaders.mapping import MappingError, from_dict
from records import WorkbookResult

EXIT_OK = 0
EXIT_UNREADABLE = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="Read NHS assurance workbooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="show what the loaders find in a workbook (the store is untouched)")
    inspect.add_argument("file")
    inspect.add_argument("--json", action="store_true", help="print the records and issues as JSON")
    inspect.add_argument("--org", help="organisation (overrides what the workbook states)")
    inspect.add_argument("--as-at", dest="as_at", help="as-at date YYYY-MM-DD (overrides the workbook)")
    inspect.add_argument("--mapping", help="read the workbook with this import mapping (JSON) instead of detecting one")
    inspect.add_argument("--mapping-out", dest="mapping_out", help="write the import mapping it was read with to FILE")
    ingest = commands.add_parser("ingest", help="load workbooks into the store")
    ingest.add_argument("files", nargs="+")
    ingest.add_argument("--db", help="store file (default: ASSURANCE_DB or data/assurance.duckdb)")
    ingest.add_argument("--org", help="organisation (overrides what the workbook states)")
    ingest.add_argument("--as-at", dest="as_at", help="as-at date YYYY-MM-DD (overrides the workbook)")
    ingest.add_argument("--mapping", help="read every file with this import mapping (JSON) instead of detecting one")
    ingest.add_argument("--allow-errors", action="store_true", help="store datasets even when they have errors")
    ingest.add_argument(
        "--allow-future", action="store_true", help="store an as-at date more than a month ahead (confirm it is right)"
    )
    args = parser.parse_args(argv)
    try:
        config.settings()
        mapping = _mapping(args)
    except (config.ConfigError, MappingError) as exc:
        print(exc, file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        if args.command == "inspect":
            return _inspect(args, mapping)
        return _ingest(args, mapping)
    except KeyboardInterrupt:
        print("Interrupted; nothing more was done.", file=sys.stderr)
        return EXIT_UNREADABLE


def _mapping(args) -> dict | None:
    """The --mapping file's Mapping; MappingError with one sentence when it cannot be used."""
    if not args.mapping:
        return None
    try:
        data = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
    except OSError as exc:
        raise MappingError(f"The mapping file '{args.mapping}' could not be opened ({exc.strerror}).") from None
    except (ValueError, UnicodeDecodeError):
        raise MappingError(f"The mapping file '{args.mapping}' is not JSON.") from None
    return from_dict(data).to_dict()


def _inspect(args, mapping: dict | None) -> int:
    result = load_path(args.file, org=args.org, as_at=args.as_at, mapping=mapping)
    if args.mapping_out and result.mapping is not None:
        try:
            Path(args.mapping_out).write_text(
                json.dumps(result.mapping, indent=1, ensure_ascii=False), encoding="utf-8"
            )
        except OSError as exc:
            print(f"The mapping could not be written to '{args.mapping_out}' ({exc.strerror}).", file=sys.stderr)
            return EXIT_UNREADABLE
    if args.json:
        print(json.dumps(result.to_dict(), indent=1, ensure_ascii=False, default=str))
    else:
        print(summary(result))
    return EXIT_UNREADABLE if result.errors else EXIT_OK


def summary(result: WorkbookResult) -> str:
    """A few lines a person can read: what was found, and how many issues of each kind."""
    if result.errors:
        return result.errors[0]
    lines = [
        f"{result.file}: {result.org or 'organisation not stated'}, as at {result.as_at or 'date not stated'}"
        + (" (synthetic demo data)" if result.synthetic else "")
    ]
    if result.profile:
        lines.append(f"  {profile_sentence(result.profile)}")
    if not result.datasets:
        lines.append("  no table the loaders recognise")
    for d in result.datasets:
        counts = Counter(i.severity for i in d.issues)
        found = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in sorted(counts.items())) or "no issues"
        lines.append(f"  {d.kind} on sheet '{d.sheet}' (header row {d.header_row}): {len(d.records)} records, {found}")
        lines += [f"    {i.severity}: {i.cell}: {i.message}" for i in d.issues if i.severity != "info"]
    lines += [f"  {i.severity}: {i.cell or result.file}: {i.message}" for i in result.issues if i.severity != "info"]
    return "\n".join(lines)


def _who() -> str:
    """The audit log's "who" for a change made from the command line."""
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):  # no user name in this environment
        return "command line"


def _ingest(args, mapping: dict | None) -> int:
    import importer
    import store

    try:
        con = store.connect(Path(args.db) if args.db else store.db_path())
    except Exception as exc:  # the store's own sentence, or the reason it could not open
        print(f"The store could not be opened: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    status = EXIT_OK
    total = len(args.files)
    imports = importer.import_files(
        con,
        args.files,
        org=args.org,
        as_at=args.as_at,
        allow_errors=args.allow_errors,
        allow_future=args.allow_future,
        who=_who(),
        mapping=mapping,
    )
    try:
        for n, (file, imported) in enumerate(zip(args.files, imports, strict=True), 1):
            if total > 1:
                print(f"[{n}/{total}] {Path(file).name}", flush=True)
            if imported.future:
                print(f"{imported.refusal[:-1]} (--allow-future).", file=sys.stderr)
            elif imported.refusal:
                print(imported.refusal, file=sys.stderr)
            for outcome in imported.outcomes:
                print(f"  {outcome.sentence()}")
            if not imported.stored:
                status = EXIT_UNREADABLE
    finally:
        con.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
