"""Finance: the month-N position by line, risks and mitigations, and the plan bridge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from openpyxl.utils import get_column_letter

from config import settings
from loaders.cells import column_multiplier
from loaders.context import Context, table_financial_year, table_month
from loaders.headers import HeaderMatch, financial_year_in, normalise
from loaders.kinds.common import (
    Recorder,
    close,
    filled_rows,
    fmt,
    is_total_label,
    may_be_total,
    money,
    section_text,
    text,
    title_unit,
    whole,
)
from loaders.tables import Table, is_empty, is_number
from records import Dataset, empty_record

LINE_VALUES = ("ytd_budget", "ytd_actual", "ytd_variance", "annual_budget", "forecast_outturn", "forecast_variance")
RISK_VALUES = ("total_risk", "mitigated_risk", "in_forecast", "residual_risk")
VARIANCES = {"ytd_variance": ("ytd_budget", "ytd_actual"), "forecast_variance": ("annual_budget", "forecast_outturn")}
POUNDS = 0.001
LINE_MONEY = (*LINE_VALUES, "prior_forecast_variance")
VARIANCE_FIELDS = (*VARIANCES, "prior_forecast_variance")


@cache
def _roles() -> tuple[tuple[str, ...], tuple[str, ...]]:
    fin = settings().finance
    return tuple(map(normalise, fin.income_lines)), tuple(map(normalise, fin.derived_lines))


def line_role(label: str) -> str:
    """'income', 'derived' (surplus/deficit) or 'expenditure'."""
    income, derived = _roles()
    key = normalise(label)
    if any(key == w or key.startswith(w + " ") for w in income):
        return "income"
    if any(w in key.split() for w in derived):
        return "derived"
    return "expenditure"


def label_column(table: Table, numeric: list[int]) -> int | None:
    """The row-label column: the matched one, else the column left of the figures with most text."""
    for fld in ("line", "item"):
        if table.col(fld) is not None:
            return table.col(fld)
    limit = min(numeric) if numeric else len(table.rows[0]) if table.rows else 0
    best, best_count = None, 0
    for c in range(limit):
        count = sum(1 for r in table.body() if isinstance(table.rows[r][c], str) and table.rows[r][c].strip())
        if count > best_count:
            best, best_count = c, count
    return best


def _row_label(row: list, c_label: int | None) -> str | None:
    """The label column's text, else the row's first text."""
    label = text(row[c_label]) if c_label is not None and c_label < len(row) else None
    return label or next((text(v) for v in row if isinstance(v, str) and v.strip()), None)


def numeric_columns(table: Table, cols: dict[str, int], rec: Recorder) -> dict[str, int]:
    """Drop a money column that holds words (a comment column whose header looked like a figure's)."""
    out = {}
    for f, c in cols.items():
        values = [table.rows[r][c] for r in table.body() if not is_empty(table.rows[r][c])][:40]
        words = sum(1 for v in values if isinstance(v, str) and not v.startswith("#") and money(v)[1] is not None)
        if values and words > len(values) / 2:
            message = f"Column '{table.header(c)}' holds text, not figures; it is not read as {f.replace('_', ' ')}."
            rec.on_header("info", "column_not_numbers", c, message)
            continue
        out[f] = c
    return out


def _multipliers(table: Table, cols: dict[str, int], rec: Recorder, what: str) -> dict[str, float]:
    """Each column's unit; a table that states none and holds only small figures is in £m."""
    stated = {f: table.units.get(c, column_multiplier(table.header(c))) for f, c in cols.items()}
    title = title_unit(table)
    out = {f: (m if m is not None else title) for f, m in stated.items()}
    if all(m is None for m in out.values()):
        return dict.fromkeys(cols, _assumed_unit(table, list(cols.values()), rec, what))
    found = {f: (m if m is not None else 1.0) for f, m in out.items()}
    in_pounds = [f for f, m in found.items() if m == POUNDS]
    if in_pounds:
        message = f"The {what} states its figures in pounds (£); they are divided by 1,000 and shown in £'000."
        rec.on_header("info", "pounds_converted", cols[in_pounds[0]], message)
    return found


def _assumed_unit(table: Table, cols: list[int], rec: Recorder, what: str) -> float:
    """The unit of a table that states none: £m when it holds only small figures, else £'000; said either way."""
    largest = _largest(table, cols)
    if largest is not None and largest < settings().loader_vocabulary.millions_below:
        message = f"The {what} states no unit and its largest figure is {fmt(largest)}; read as £m."
        rec.issue("info", "unit_assumed", table.name, message)
        return 1000.0
    rec.issue("info", "unit_assumed", table.name, f"The {what} states no unit; figures are read as £'000.")
    return 1.0


def _largest(table: Table, cols: list[int]) -> float | None:
    found = (money(table.rows[r][c])[0] for r in table.body() for c in cols)
    return max((abs(v) for v in found if v is not None), default=None)


# --- month-N position ------------------------------------------------------------------------------


def accepts_lines(m: HeaderMatch) -> bool:
    found = [f for f in LINE_VALUES if f in m.columns]
    return len(found) >= 2 and any(f.startswith(("ytd", "forecast")) for f in found)


def build_lines(table: Table, ctx: Context) -> list[Dataset]:
    cols = {f: table.col(f) for f in LINE_MONEY if table.col(f) is not None}
    c_label = label_column(table, list(cols.values()))
    rec = Recorder("finance_lines", table)
    cols = numeric_columns(table, cols, rec)
    if c_label is None:
        rec.missing(["line"])
        return [rec.dataset]
    rec.dataset.columns["line"] = get_column_letter(c_label + 1)
    titles = [t for _, t in table.above] + [table.name]
    fy = table_financial_year(titles, ctx)
    month = table_month(titles, ctx)
    c_month, c_fy = table.col("month"), table.col("financial_year")
    if c_month is not None:
        stated = {whole(table.rows[r][c_month])[0] for r in table.body()} - {None}
        month = next(iter(stated)) if len(stated) == 1 else month
    if c_fy is not None:
        stated = {financial_year_in(str(table.rows[r][c_fy] or "")) for r in table.body()} - {None}
        fy = next(iter(stated)) if len(stated) == 1 else fy
    rec.dataset.financial_year = fy
    if month is None and ctx.as_at and ctx.as_at_cell:
        month = financial_month(ctx.as_at)  # "Position at 31 October 2023", "Period ending ...": month 7
    if month is None:
        message = "The position does not state its month (e.g. 'Month 3'); give it in a title row."
        rec.issue("warning", "missing_month", table.name, message)
    mult = _multipliers(table, cols, rec, "finance position")
    if table.adverse_positive is None:
        table.adverse_positive = frozenset(_adverse_positive(table, cols, mult, c_label))
    flipped = set(table.adverse_positive)
    for var in (v for v in VARIANCES if v in flipped):
        rec.on_header(
            "info",
            "variance_sign",
            cols[var],
            f"{table.header(cols[var])} states variances as actual - budget (overspends positive); their "
            "signs are turned so that favourable is positive, as everywhere in the dashboard.",
        )
    if "forecast_variance" in flipped:
        flipped.add("prior_forecast_variance")
    rows = _read_rows(table, rec, cols, mult, flipped, c_label)
    Sections(table, rec, cols, mult, rows, fy, month).read()
    _check_derived(table, rec, cols, mult)
    for record in rec.dataset.records:
        record.pop("_scope", None)
    return [rec.dataset]


def financial_month(iso: str) -> int:
    """The month of the financial year (1 = April) an ISO date falls in."""
    return (int(iso[5:7]) - 4) % 12 + 1


@dataclass
class _Row:
    r: int
    label: str | None
    values: dict[str, float | None]  # empty for a row with no figures
    flagged: bool | None = None  # what a "total?" column says, when there is one
    section: str | None = None  # what a section column says, when there is one

    @property
    def figures(self) -> bool:
        return any(v is not None for v in self.values.values())


def _read_rows(table, rec, cols, mult, flipped, c_label) -> list[_Row]:
    c_total, c_section = table.col("is_total"), table.col("section")
    rows = []
    for r, row in filled_rows(table):
        values = {f: rec.money(r, c, mult[f]) for f, c in cols.items()}
        for f in flipped & values.keys():
            if values[f] is not None:
                values[f] = -values[f]
        found = _Row(r, _row_label(row, c_label), values)
        if c_total is not None and not is_empty(row[c_total]):
            found.flagged = normalise(str(row[c_total])) in settings().loader_vocabulary.total_flag_words
        if c_section is not None and c_section < len(row):
            found.section = _section_cell(table, r, c_section, found.label)
        rows.append(found)
    return rows


def _section_cell(table: Table, r: int, c: int, label: str | None) -> str | None:
    """A section column's text for row r: its own, else that of a range merged down over it; a total's own label
    written in the section column ('Acute Services Total') names no section."""
    value = text(table.rows[r][c])
    if value is None:
        for r0, c0, r1, c1 in getattr(table.sheet, "merged", None) or []:
            if r0 < r <= r1 and c0 <= c <= c1:
                value = text(table.rows[r0][c0])
                break
    if value and (is_total_label(value) or may_be_total(value) or value == label and section_named(value)):
        return None
    return value


_TOTAL_WORDS = re.compile(r"^(?:grand |sub |net )?totals? (?:for |of )?|(?: sub)? totals?$")


def section_named(label: str | None) -> str | None:
    """What a total is named for: 'Total Mental Health' and 'Mental Health Total' -> 'mental health'."""
    if not label:
        return None
    key = normalise(label)
    rest = _TOTAL_WORDS.sub("", key).strip()
    return rest if rest and rest != key and rest not in ("sub", "grand", "net") else None


def _title_of(label: str | None) -> str | None:
    """'Total Mental Health' -> 'Mental Health', as written; None for a total named for no section."""
    if not section_named(label):
        return None
    words = label.split()
    while words and normalise(words[0]) in ("total", "totals", "sub", "subtotal", "grand", "for", "of"):
        words.pop(0)
    while words and normalise(words[-1]) in ("total", "totals", "subtotal", "sub"):
        words.pop()
    return " ".join(words).strip(" :-–") or label


class Sections:
    """Lines under their section headings, and each total checked against the lines it totals.

    A total closes its section's lines when it follows them ('Total Mental Health' after the mental health
    lines) and all lines when it totals every section; a total with no lines above it in its section, followed
    by lines, totals the lines after it (totals at the top), as does every later total in that table.
    """

    def __init__(self, table, rec, cols, mult, rows: list[_Row], fy, month) -> None:
        self.table, self.rec, self.cols, self.mult, self.rows = table, rec, cols, mult, rows
        self.fy, self.month = fy, month
        self.section: str | None = None
        self.section_lines: list[dict] = []
        self.all_lines: list[dict] = []
        self.by_section: dict[str, list[dict]] = {}
        self.sub_totals = 0
        self.top_mode = False
        self.open_tops: list[tuple[dict, int, list[dict]]] = []  # (total, row, its lines so far)

    def read(self) -> None:
        headings = self._headings_with_figures()
        until, heading = -1, None
        for i, row in enumerate(self.rows):
            if i in headings:
                until, heading = headings[i], row.label
                self._top_heading(row)
                continue
            if i <= until:
                self._line(row, heading)
                continue
            if not row.figures:
                self._no_figures(i, row)
                continue
            total = self._total_kind(i, row)
            if total is None:
                self._line(row)
            elif total == "top":
                self._top(i, row)
            else:
                self._bottom(row, *total)
        for top in self.open_tops:
            self._check_top(*top)

    # --- rows ---------------------------------------------------------------------------------------

    def _no_figures(self, i: int, row: _Row) -> None:
        if row.label and self._lines_follow(i, spending=False):
            self.section = row.label
            self.section_lines = []
            return
        self.rec.skipped(row.r, f"'{row.label}' has no figures" if row.label else "it has no label and no figures")

    def _record(self, row: _Row, total: bool, section: str | None, scope: str | None = None) -> dict:
        """A line, or a total (``scope``: "section" or "all", the lines it totals; dropped once all is read)."""
        record = empty_record("finance_lines")
        record.update(
            row.values,
            line=row.label or "Total",
            is_total=total,
            financial_year=self.fy,
            month=self.month,
            section=row.section or section,
        )
        if scope is not None:
            record["_scope"] = scope
        return record

    def _headings_with_figures(self) -> dict[int, int]:
        """Section rows that carry their section's figures, named for the section and not as a total ('Acute
        Services' above its lines): row -> its last line. Its figures must be the sum of two or more spending
        lines right below it, every figure stated agreeing."""
        found: dict[int, int] = {}
        i = 0
        while i < len(self.rows):
            row = self.rows[i]
            if not self._plain_line(row):
                i += 1
                continue
            block: list[dict] = []
            for j in range(i + 1, len(self.rows)):
                below = self.rows[j]
                if not self._plain_line(below):
                    break
                block.append({"line": below.label, **below.values})
                stated = [f for f, v in row.values.items() if v is not None]
                if len(block) >= 2 and len(stated) >= 2 and _equals_sum(row.values, block):
                    found[i] = j
                    break
            i = found.get(i, i) + 1
        return found

    @staticmethod
    def _plain_line(row: _Row) -> bool:
        label = row.label
        return (
            row.figures
            and bool(label)
            and row.flagged is not True
            and not is_total_label(label)
            and not may_be_total(label)
            and line_role(label) == "expenditure"
        )

    def _top_heading(self, row: _Row) -> None:
        # its figures are its lines' sum: that is how it was found
        record = self._record(row, True, row.section or row.label, "section")
        self.rec.add(record, row.r)
        self.sub_totals += 1
        self.section, self.section_lines = None, []

    def _line(self, row: _Row, heading: str | None = None) -> None:
        if row.label is None:
            self.rec.unreadable(row.r, "it has figures but no line label, and they are not the sum of the lines above")
            return
        section = self.open_tops[-1][0]["section"] if self.top_mode and self.open_tops else self.section
        section = heading or section
        record = self._record(row, False, section)
        if row.section and self.section_lines and self.section_lines[-1]["section"] != row.section:
            self.section_lines = []  # a section column names the next section
        _check_variance(self.rec, row.r, self.cols, self.mult, record)
        self.rec.add(record, row.r)
        for _, _, lines in self.open_tops:
            lines.append(record)
        self.section_lines.append(record)
        self.all_lines.append(record)
        if record["section"]:
            self.by_section.setdefault(normalise(record["section"]), []).append(record)

    def _top(self, i: int, row: _Row) -> None:
        """A total above the lines it totals: a grand total when another total follows it at once."""
        self.top_mode = True
        grand = i + 1 < len(self.rows) and self._total_kind(i + 1, self.rows[i + 1], looking_ahead=True) is not None
        if grand:
            record = self._record(row, True, None, "all")
        else:
            sections = [t for t in self.open_tops if t[0].get("_scope") != "all"]
            for top in sections:
                self._check_top(*top)
                self.open_tops.remove(top)
            named = row.section or _title_of(row.label) or self.section
            record = self._record(row, True, named, "section")
        self.rec.add(record, row.r)
        self.open_tops.append((record, row.r, []))

    def _bottom(self, row: _Row, scope: str, lines: list[dict]) -> None:
        if scope == "section":
            name = self.section or row.section or _title_of(row.label)
            if lines and all(line["section"] is None for line in lines) and name:
                for line in lines:
                    line["section"] = name
            section = lines[0]["section"] if lines else name
            self.sub_totals += 1
        else:
            section = None
        record = self._record(row, True, section, scope)
        self._check(record, row.r, lines)
        self.rec.add(record, row.r)
        self.section, self.section_lines = None, []

    # --- which rows are totals, and of what ----------------------------------------------------------

    def _total_kind(self, i: int, row: _Row, looking_ahead: bool = False):
        """None for a line; "top" for a total of the lines after it; else (scope, the lines it totals)."""
        if row.flagged is False or not row.figures:
            return None
        label = row.label
        explicit = row.flagged or is_total_label(label)
        possible = explicit or label is None or may_be_total(label)
        if not possible:
            return None
        if looking_ahead:
            return "top"
        named = section_named(label)
        if self.top_mode and (explicit or named):
            return "top"
        if (
            (explicit or (label and may_be_total(label)))
            and not self.section_lines
            and not (self.all_lines and _equals_sum(row.values, self.all_lines))
            and self._lines_follow(i)
        ):
            return "top"
        lines, every = self.section_lines, self.all_lines
        current = self.section or (lines[-1]["section"] if lines else None)
        if lines and current and named == normalise(current):
            return "section", lines
        if lines and (current or len(lines) < len(every)) and _equals_sum(row.values, lines):
            return "section", lines
        if every and _equals_sum(row.values, every):
            return "all", every
        if named and not lines and self.by_section.get(named):
            return "section", self.by_section[named]
        if label is None:
            return None
        if self.sub_totals:  # an unmatched total where sections have sub-totals: its section's, else all
            return ("section", lines) if lines else ("all", every)
        return ("all", every) if explicit else None

    def _lines_follow(self, i: int, spending: bool = True) -> bool:
        """The next row with figures is a line of spending, or another total; for a heading (not ``spending``),
        a line of any kind."""
        for row in self.rows[i + 1 :]:
            if not row.figures:
                continue
            if not row.label or is_total_label(row.label) or may_be_total(row.label):
                return spending and row.flagged is not False
            return not spending or line_role(row.label) == "expenditure"
        return False

    def _check_top(self, record: dict, r: int, lines: list[dict]) -> None:
        if lines:
            self._check(record, r, lines)

    def _check(self, record: dict, r: int, lines: list[dict]) -> None:
        _check_sums(self.table, self.rec, r, record["line"], record, self.cols, self.mult, _expenditure(lines))


def _adverse_positive(table: Table, cols: dict[str, int], mult: dict[str, float], c_label: int | None) -> set[str]:
    """Variance columns whose spending lines all read actual - budget rather than budget - actual."""
    flipped = set()
    for var, (budget, actual) in VARIANCES.items():
        if not {var, budget, actual} <= set(cols):
            continue
        ours = theirs = 0
        for r in table.body():
            row = table.rows[r]
            label = _row_label(row, c_label)
            if not label or line_role(label) != "expenditure" or is_total_label(label):
                continue
            v, b, a = (money(row[cols[f]], mult[f])[0] for f in (var, budget, actual))
            if None in (v, b, a) or close(b, a):
                continue
            ours += close(v, b - a)
            theirs += close(v, a - b)
        if theirs >= 2 and ours == 0:
            flipped.add(var)
    return flipped


def _expenditure(block: list[dict]) -> list[dict]:
    return [b for b in block if line_role(b["line"]) == "expenditure"]


def _equals_sum(values: dict, block: list[dict]) -> bool:
    return _sums_match(values, _expenditure(block), within=1.0)


def _check_sums(table, rec, r, label, values, cols, mult, lines, summed_from="its lines") -> None:
    """Each figure of total row ``r`` (``values`` by key, in the key's column of ``cols``) against the sum of
    ``lines``, the records it totals."""
    for key, c in cols.items():
        stated = values.get(key)
        summed = sum(line.get(key) or 0 for line in lines)
        if stated is not None:
            message = f"{label}: {table.header(c)} is {fmt(stated)} but {summed_from} sum to {fmt(summed)}."
            rec.total(r, c, stated, summed, message, mult[key])


def _check_variance(rec, r, cols, mult, record) -> None:
    """Variance = budget - actual for spend, actual - budget for income and derived lines."""
    sign = -1 if line_role(record["line"]) in ("income", "derived") else 1
    for var, (budget, actual) in VARIANCES.items():
        if var not in cols or record.get(var) is None or record.get(budget) is None or record.get(actual) is None:
            continue
        expected = sign * (record[budget] - record[actual])
        how = "actual - budget" if sign < 0 else "budget - actual"
        message = f"{record['line']}: variance {fmt(record[var])} is not {how} = {fmt(expected)}."
        rec.total(r, cols[var], record[var], expected, message, mult[var], code="variance_mismatch")


def _check_derived(table, rec, cols, mult) -> None:
    """A surplus/deficit line after a total: income less the total (variances: their sum)."""
    records = rec.dataset.records
    income = [b for b in records if not b["is_total"] and line_role(b["line"]) == "income"]
    if not income:
        return
    for i, record in enumerate(records):
        if record["is_total"] or line_role(record["line"]) != "derived":
            continue
        before = [t for t in records[:i] if t["is_total"]]
        total = next((t for t in reversed(before) if t.get("_scope") == "all"), before[-1] if before else None)
        if total is None:
            continue
        row = record["source"]["row"] - 1
        for f, c in cols.items():
            stated = record.get(f)
            if stated is None or total.get(f) is None:
                continue
            inc = sum(b.get(f) or 0 for b in income)
            expected = inc + total[f] if f in VARIANCE_FIELDS else inc - total[f]
            how = "income variance plus spend variance" if f in VARIANCE_FIELDS else "income less total spend"
            message = f"{record['line']}: {table.header(c)} is {fmt(stated)} but {how} is {fmt(expected)}."
            rec.total(row, c, stated, expected, message, mult[f])


# --- risks and mitigations -------------------------------------------------------------------------


def accepts_risks(m: HeaderMatch) -> bool:
    return m.has("total_risk") and m.has_any("mitigated_risk", "in_forecast", "residual_risk")


def build_risks(table: Table, ctx: Context) -> list[Dataset]:
    cols = {f: table.col(f) for f in RISK_VALUES if table.col(f) is not None}
    c_label = label_column(table, list(cols.values()))
    rec = Recorder("finance_risks", table)
    cols = numeric_columns(table, cols, rec)
    if c_label is not None:
        rec.dataset.columns["item"] = get_column_letter(c_label + 1)
    mult = _multipliers(table, cols, rec, "risks and mitigations table")
    section = None
    block: list[dict] = []
    for r, row in filled_rows(table):
        label = _row_label(row, c_label)
        heading = section_text(row)
        values = {f: rec.money(r, c, mult[f]) for f, c in cols.items()}
        if all(v is None for v in values.values()):
            if heading:
                section = heading
            else:
                rec.skipped(r, "it has no figures")
            continue
        total = is_total_label(label) or (may_be_total(label) and _sums_match(values, block))
        record = empty_record("finance_risks")
        record.update(values, section=None if total else section, item=label, is_total=total)
        if total:
            _check_sums(table, rec, r, label, values, cols, mult, block, "the rows above")
            block = []
        else:
            _check_residual(rec, r, cols, mult, record)
            block.append(record)
        rec.add(record, r)
    return [rec.dataset]


def _sums_match(values: dict, block: list[dict], within: float | None = None) -> bool:
    """Every figure stated is the sum of the block's, to ``within`` (else to half a percent)."""
    checks = [(v, sum(b.get(k) or 0 for b in block)) for k, v in values.items() if v is not None]
    return bool(block) and bool(checks) and all(close(v, t, within or 0.005 * max(1, abs(t))) for v, t in checks)


def _check_residual(rec, r, cols, mult, record) -> None:
    m, f, res = record.get("mitigated_risk"), record.get("in_forecast"), record.get("residual_risk")
    if m is None or f is None or res is None or "residual_risk" not in cols:
        return
    message = f"{record['item']}: residual {fmt(res)} is not mitigated less in forecast = {fmt(m - f)}."
    rec.total(r, cols["residual_risk"], res, m - f, message, mult["residual_risk"])


# --- plan bridge -------------------------------------------------------------------------------------


def accepts_plan(m: HeaderMatch) -> bool:
    return len(m.repeated.get("plan_column", [])) >= 3


def build_plan(table: Table, ctx: Context) -> list[Dataset]:
    rec = Recorder("finance_plan", table)
    c_label = table.col("line") or 0  # else the first column
    value_cols = [c for c in sorted(table.match.texts) if c != c_label and not _percent_column(table, c, rec)]
    rec.dataset.columns = {"line": get_column_letter(c_label + 1)}
    if value_cols:
        rec.dataset.columns["value"] = f"{get_column_letter(value_cols[0] + 1)}:{get_column_letter(value_cols[-1] + 1)}"
    mult = _plan_multipliers(table, c_label, value_cols, rec)
    block: list[dict] = []
    for r, row in filled_rows(table):
        label = text(row[c_label]) if c_label < len(row) else None
        values = {c: rec.money(r, c, mult[c]) for c in value_cols}
        if all(v is None for v in values.values()):
            rec.skipped(r, f"'{label}' has no figures" if label else "it has no figures")
            continue
        if label is None:
            rec.unreadable(r, "it has figures but no line label")
            continue
        spend = [v for lbl, v in block if line_role(lbl) == "expenditure"]
        total = is_total_label(label) or (may_be_total(label) and _sums_match(values, spend))
        if total:
            _check_sums(table, rec, r, label, values, {c: c for c in value_cols}, mult, spend)
        else:
            block.append((label, values))
        for c in value_cols:
            if values[c] is not None:
                rec.add(
                    {"line": label, "plan_column": _column_name(table, c), "value": values[c], "is_total": total}, r
                )
    return [rec.dataset]


_UNIT_IN_HEADER = re.compile(r"\(?\s*£\s*'?\s*(?:m|000s?|k)\b\s*\)?", re.IGNORECASE)


def _column_name(table: Table, c: int) -> str:
    """The header as written, less its unit (the values are converted to £'000)."""
    return " ".join(_UNIT_IN_HEADER.sub(" ", table.header(c)).split()) or table.header(c)


def _percent_column(table: Table, c: int, rec: Recorder) -> bool:
    values = [table.rows[r][c] for r in table.body() if not is_empty(table.rows[r][c])]
    if not values:
        return False
    percent = sum(1 for v in values if isinstance(v, str) and v.strip().endswith("%"))
    if not percent and all(is_number(v) for v in values[:20]):
        fmts = [table.sheet.number_format(r, c) or "" for r in table.body() if is_number(table.rows[r][c])][:5]
        percent = sum(1 for f in fmts if "%" in f)
        values = values[: len(fmts)] or values
    if percent > len(values) / 2:
        message = f"Column '{table.header(c)}' holds percentages, not money; it is not loaded."
        rec.on_header("info", "percent_column", c, message)
        return True
    return False


def _plan_multipliers(table: Table, c_label: int, cols: list[int], rec: Recorder) -> dict[int, float]:
    corner = column_multiplier(table.header(c_label)) if c_label in table.match.texts else None
    table_unit = corner if corner is not None else title_unit(table)
    stated = {c: column_multiplier(table.header(c)) for c in cols}
    out = {c: table_unit if unit is None else unit for c, unit in stated.items()}
    if all(v is None for v in out.values()):
        return dict.fromkeys(cols, _assumed_unit(table, cols, rec, "plan"))
    in_millions = [c for c in cols if out[c] == 1000.0]
    if in_millions:
        largest = _largest(table, in_millions)
        if largest is not None and largest >= settings().loader_vocabulary.plan_thousands_threshold:
            rec.on_header(
                "warning",
                "unit_mismatch",
                c_label if corner is not None else in_millions[0],
                f"The header says £m but figures such as {fmt(largest)} are plainly £'000 "
                f"(£{fmt(largest / 1000)}bn in £m would be implausible); they are read as £'000.",
            )
            for c in in_millions:
                out[c] = 1.0
    return {c: (m if m is not None else 1.0) for c, m in out.items()}
