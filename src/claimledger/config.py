"""Settings, declared once as data.

Precedence: defaults < TOML file (``--config``) < ``CLAIMLEDGER_*`` environment < flags.
Unknown keys are errors, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.errors import ConfigError

__version__ = "0.1.0"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


def _setting(default: Any, help: str) -> Any:
    return dataclasses.field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Options:
    """Every setting, with its default and help; ``SETTINGS`` lists them for docs and CLIs."""

    db: str = _setting("claimledger.db", "Database: a SQLite file path, or a postgresql:// URL.")
    max_input_bytes: int = _setting(50_000_000, "Inputs larger than this many bytes are refused.")
    max_decompressed_bytes: int = _setting(200_000_000, "Cap on the bytes a .gz input may expand to.")
    near_duplicate_threshold: float = _setting(
        0.5, "Estimated Jaccard similarity of word 5-grams above which documents are linked as near-duplicates."
    )
    fetch_timeout: float = _setting(20.0, "Seconds before a URL fetch gives up (connect and read).")
    fetch_retries: int = _setting(2, "Retries with exponential backoff on connection errors and 429/5xx.")
    fetch_max_redirects: int = _setting(5, "Redirects followed per URL.")
    respect_robots: bool = _setting(True, "Honour robots.txt when fetching URLs.")
    allow_private_addresses: bool = _setting(
        False,
        "Fetch URLs whose host is a private, loopback, link-local or other non-public address "
        "(off: refused, so a URL or redirect cannot reach internal services).",
    )
    fetch_per_host_interval: float = _setting(
        1.0, "Seconds between two requests to the same host (robots.txt, redirects, retries included); 0: no pause."
    )
    user_agent: str = _setting(
        f"claimledger/{__version__} (+https://pypi.org/project/claimledger/)", "User-Agent header for fetches."
    )
    max_document_chars: int = _setting(
        200_000,
        "Clean text kept per document; longer ones are cut at a paragraph break with a recorded warning (0: no limit).",
    )
    parse_timeout: float = _setting(
        60.0, "Seconds text extraction may spend on one document before it is refused as no article (0: no limit)."
    )
    min_text_chars: int = _setting(1, "Documents with less clean text than this are refused as empty.")
    token: str = _setting("", "Write token `claimledger serve` asks for on ingest; required beyond loopback.")

    def replace(self, **changes: Any) -> Options:
        return dataclasses.replace(self, **_checked(changes, "argument"))


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, f.default, f.metadata["help"]) for f in dataclasses.fields(Options)
)
_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    kind = type(setting.default)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() in {"1", "true", "yes", "on"}:
                    return True
                if text.lower() in {"0", "false", "no", "off"}:
                    return False
                raise ValueError(text)
            return kind(text)
        except ValueError:
            pass
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    raise ConfigError(f"{origin}: setting {setting.name!r} wants a {kind.__name__}, got {value!r}")


def _checked(values: Mapping[str, Any], origin: str) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        if key not in _BY_NAME:
            known = ", ".join(sorted(_BY_NAME))
            raise ConfigError(f"{origin}: unknown setting {key!r}. Available: {known}")
        out[key] = _coerce(_BY_NAME[key], value, origin)
    return out


def load_options(
    config_file: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Options:
    """Resolve options from defaults, a TOML file, ``CLAIMLEDGER_*`` variables and flags."""
    values: dict[str, Any] = {}
    if config_file is not None:
        path = Path(config_file)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        values.update(_checked(data.get("claimledger", data), str(path)))
    env = os.environ if environ is None else environ
    prefixed = {k[len("CLAIMLEDGER_") :].lower(): v for k, v in env.items() if k.startswith("CLAIMLEDGER_")}
    values.update(_checked(prefixed, "environment"))
    values.update(_checked({k: v for k, v in (overrides or {}).items() if v is not None}, "flag"))
    return Options(**values)
