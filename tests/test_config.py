"""The configuration is read once into typed objects; a key that is unknown, missing or of the wrong type stops
the app and the command line with one sentence naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config
import safe_text
from tests.conftest import ROOT

TEXT = config.DEFAULT_PATH.read_text()


@pytest.fixture
def configured(tmp_path, monkeypatch):
    """Point ASSURANCE_CONFIG at a copy of the configuration with ``old`` replaced by ``new``."""

    def use(old: str, new: str) -> Path:
        assert TEXT.count(old) == 1, old
        path = tmp_path / "assurance.toml"
        path.write_text(TEXT.replace(old, new))
        monkeypatch.setenv("ASSURANCE_CONFIG", str(path))
        config.settings.cache_clear()
        return path

    yield use
    config.settings.cache_clear()


def problem(configured, old: str, new: str) -> str:
    path = configured(old, new)
    with pytest.raises(config.ConfigError) as raised:
        config.settings()
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and message.endswith(".") and "\n" not in message
    return message[len(f"{path}: ") :]


def test_the_shipped_configuration_is_valid_and_typed():
    settings = config.settings()
    assert isinstance(settings, config.Settings)
    assert settings.risks.review_overdue_days == 90 and settings.totals.rounding == 1.0
    assert settings.qipp.stages[0] == "Pipeline" and settings.loader_vocabulary.series_words["outturn"] == "actual"


def test_a_file_in_the_repository_is_named_from_its_root(monkeypatch):
    monkeypatch.delenv("ASSURANCE_CONFIG", raising=False)
    monkeypatch.setattr(config, "DEFAULT_PATH", ROOT / "config" / "missing.toml")
    config.settings.cache_clear()
    try:
        with pytest.raises(config.ConfigError, match=r"^config/missing\.toml: cannot be read \(No such file"):
            config.settings()
    finally:
        config.settings.cache_clear()


def test_a_misspelt_section_is_named_with_the_likely_one(configured):
    said = problem(configured, "[risk_bands]\n", "[risk_bnads]\n")
    assert said == "unknown key 'risk_bnads' (did you mean 'risk_bands'?)."


def test_a_misspelt_key_inside_a_section_is_named_with_its_section(configured):
    said = problem(configured, "review_overdue_days = 90", "review_overdue_dayz = 90")
    assert said == "unknown key 'risks.review_overdue_dayz' (did you mean 'risks.review_overdue_days'?)."


def test_a_missing_key_is_named(configured):
    assert problem(configured, "rounding = 1\n", "\n") == "missing key 'totals.rounding'."


def test_a_value_of_the_wrong_type_is_named(configured):
    said = problem(configured, "amber = 0.7", 'amber = "0.7"')
    assert said == "'qipp.risk_adjustment.amber' should be a number, not text ('0.7')."
    said = problem(configured, "min_points = 13", "min_points = 13.5")
    assert said.startswith("'spc.min_points' should be a whole number")


def test_a_word_outside_its_choices_is_named(configured):
    said = problem(configured, 'local_role = "editor"', 'local_role = "admin"')
    assert said == "'access.local_role' is 'admin', not one of 'editor', 'viewer'."


def test_a_colour_is_a_palette_name_or_hex(configured):
    said = problem(configured, 'favourable_colour = "blue"', 'favourable_colour = "bleu"')
    assert said == "'finance.favourable_colour' is 'bleu', which is neither #RRGGBB nor a colour named in [palette]."
    configured('favourable_colour = "blue"', 'favourable_colour = "#123456"')
    assert config.settings().finance.favourable_colour == "#123456"


def test_palette_names_resolve_to_one_colour_everywhere():
    settings = config.settings()
    palette = settings.palette
    assert settings.finance.adverse_colour == settings.qipp.rag_colours["red"] == palette.red
    assert config.risk_bands()[0]["colour"] == settings.improvement_plan.rag_colours["green"] == palette.green


def test_invalid_toml_is_one_sentence(configured):
    said = problem(configured, "[totals]\n", "[totals\n")
    assert said.startswith("is not valid TOML")


def test_the_size_limits_are_stated_in_the_file_only(configured):
    from loaders import guard

    configured("max_rows = 500000", "max_rows = 1234")
    assert guard.limits()["max_rows"] == 1234
    problem(configured, "max_rows = 500000 ", " ")


def test_the_app_stops_with_the_sentence_and_no_traceback(configured):
    from streamlit.testing.v1 import AppTest

    path = configured("[risk_bands]\n", "[risk_bnads]\n")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    sentence = f"{path}: unknown key 'risk_bnads' (did you mean 'risk_bands'?)."
    assert [e.value for e in at.error] == [safe_text.markdown(sentence)]  # shown as written, never as Markdown
    assert not at.sidebar.selectbox and not at.title


def test_the_command_line_stops_with_the_sentence_and_exit_2(configured, tmp_path):
    path = configured("[risk_bands]\n", "[risk_bnads]\n")
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "inspect", str(tmp_path / "any.xlsx")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ASSURANCE_CONFIG": str(path)},
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"{path}: unknown key 'risk_bnads' (did you mean 'risk_bands'?).\n"
