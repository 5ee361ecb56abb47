"""analysis/ is pure domain logic: importing every module of it loads no database, web framework, figure library or workbook parser."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import analysis

FORBIDDEN = ("duckdb", "streamlit", "plotly", "store", "pages", "charts", "loaders", "python_calamine", "openpyxl")


def test_analysis_modules_import_no_store_streamlit_or_plotly():
    modules = [f"analysis.{m.name}" for m in pkgutil.iter_modules(analysis.__path__)]
    assert {"analysis.risks", "analysis.wording", "analysis.spc_rules", "analysis.overview"} <= set(modules)
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = json.loads(
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    )
    found = [name for name in loaded if name.split(".")[0] in FORBIDDEN]
    assert found == []
