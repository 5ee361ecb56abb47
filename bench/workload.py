"""The benchmark's inputs, generated once per set of parameters and cached under bench/out/."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from data.demo import generate

OUT = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True)
class Workload:
    orgs: int
    months: int
    tracker_rows: int
    seed: int = 1
    sizes: generate.Sizes = generate.NATIONAL

    def key(self) -> str:
        s = self.sizes
        return (
            f"o{self.orgs}-m{self.months}-s{self.seed}"
            f"-r{s.risks}-q{s.schemes}-f{s.finance_lines}-a{s.actions}-aa{s.action_areas}"
        )


NATIONAL = Workload(orgs=42, months=36, tracker_rows=200_000)
QUICK = Workload(orgs=2, months=3, tracker_rows=20_000)


def _complete(folder: Path, expected: dict) -> list[Path] | None:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    stated = json.loads(manifest.read_text())
    if stated.get("parameters") != expected:
        return None
    paths = [folder / name for name in stated["files"]]
    return paths if all(p.exists() for p in paths) else None


def workbooks(workload: Workload, out: Path = OUT, say=print) -> list[Path]:
    """One workbook per organisation per month, in organisation order; generated only when not cached."""
    folder = out / "workbooks" / workload.key()
    expected = {"orgs": workload.orgs, "months": workload.months, "seed": workload.seed, **asdict(workload.sizes)}
    cached = _complete(folder, expected)
    if cached:
        say(f"Workbooks: {len(cached)} cached in {folder}")
        return cached
    say(f"Generating {workload.orgs} x {workload.months} workbooks into {folder} ...")
    total = workload.orgs * workload.months

    def progress(path: Path, written=[0]) -> None:  # noqa: B006 - a counter shared by the calls
        written[0] += 1
        if written[0] % 100 == 0 or written[0] == total:
            say(f"  generated {written[0]}/{total}")

    paths = generate.generate(
        folder, orgs=workload.orgs, months=workload.months, seed=workload.seed, sizes=workload.sizes, progress=progress
    )
    (folder / "manifest.json").write_text(json.dumps({"parameters": expected, "files": [p.name for p in paths]}))
    return paths


def tracker(rows: int, seed: int = 1, out: Path = OUT, say=print) -> Path:
    """The single big QIPP tracker; generated only when not cached."""
    path = out / "trackers" / f"qipp-tracker-{rows}-s{seed}.xlsx"
    if path.exists():
        say(f"Tracker: cached {path}")
        return path
    say(f"Generating a {rows:,}-row QIPP tracker ...")
    partial = path.with_suffix(".partial.xlsx")
    generate.write_big_tracker(partial, rows, seed)
    partial.rename(path)
    return path


def organisation_of(path: Path) -> str:
    """The organisation slug a generated workbook's name starts with."""
    return path.name.rsplit("_", 1)[0]
