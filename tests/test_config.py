from pathlib import Path

import pytest

from claimledger.config import SETTINGS, Options, load_options
from claimledger.errors import ConfigError


def test_defaults_match_declared_settings() -> None:
    options = load_options(environ={})
    for setting in SETTINGS:
        assert getattr(options, setting.name) == setting.default
        assert setting.help


def test_precedence_file_then_environment_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[claimledger]\nfetch_retries = 7\nfetch_timeout = 3\ndb = "file.db"\n')
    options = load_options(config, environ={"CLAIMLEDGER_FETCH_RETRIES": "9"}, overrides={"db": "flag.db"})
    assert options.fetch_retries == 9
    assert options.fetch_timeout == 3.0
    assert options.db == "flag.db"


def test_none_flags_do_not_override(tmp_path: Path) -> None:
    assert load_options(environ={"CLAIMLEDGER_DB": "env.db"}, overrides={"db": None}).db == "env.db"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CLAIMLEDGER_FETCH_RETRYS": "1"}, "unknown setting 'fetch_retrys'. Available:"),
        ({"CLAIMLEDGER_FETCH_RETRIES": "many"}, "wants a int"),
        ({"CLAIMLEDGER_RESPECT_ROBOTS": "perhaps"}, "wants a bool"),
    ],
)
def test_bad_environment_is_an_error(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_options(environ=environ)


@pytest.mark.parametrize("value", ["true", "1", "yes", "on"])
def test_boolean_spellings(value: str) -> None:
    assert load_options(environ={"CLAIMLEDGER_RESPECT_ROBOTS": value}).respect_robots is True


def test_missing_and_invalid_config_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_options(tmp_path / "nope.toml", environ={})
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_options(bad, environ={})
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_options(unknown, environ={})


def test_replace_checks_names_and_types() -> None:
    assert Options().replace(fetch_retries="3").fetch_retries == 3
    with pytest.raises(ConfigError):
        Options().replace(nonsense=1)
