"""Check the pinned dependencies (requirements.lock) against published vulnerability records.

    .venv/bin/python scripts/audit_deps.py [--lock requirements.lock] [--strict] [--json OUT] [--pypi URL]

Use ``pip-audit -r requirements.lock`` where the OSV service (api.osv.dev) can be reached: it knows every
release. Where only PyPI can (as on this project's build machines), this script asks PyPI, which publishes
the known vulnerabilities of each project's *latest* release on its JSON page: a pin that is the latest
release is checked exactly; an older pin is listed as "not checked here" with the release it trails, so that
it can be checked by hand or with pip-audit elsewhere (``--strict`` makes those fail the run).

Exit status: 0 clean, 1 a pinned release has a known vulnerability (or, with ``--strict``, was not
checked), 2 PyPI could not be reached.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import sys
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYPI = "https://pypi.org/pypi/{name}/json"


@dataclass
class Verdict:
    name: str
    pinned: str
    latest: str = ""
    vulnerabilities: list[str] = field(default_factory=list)  # ids of records affecting the pinned release
    error: str = ""

    @property
    def checked(self) -> bool:
        return not self.error and self.pinned == self.latest


def pins(lock: Path) -> list[tuple[str, str]]:
    found = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found.append((name.strip(), version.split(";", 1)[0].strip()))
    return found


def judge(name: str, pinned: str, *, pypi: str = PYPI) -> Verdict:
    verdict = Verdict(name, pinned)
    try:
        with urllib.request.urlopen(pypi.format(name=name), timeout=30) as response:
            page: dict[str, Any] = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        verdict.error = str(exc)
        return verdict
    verdict.latest = page["info"]["version"]
    if verdict.latest == pinned:
        verdict.vulnerabilities = [
            record.get("id", "?") for record in page.get("vulnerabilities", []) if not record.get("withdrawn")
        ]
    return verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--strict", action="store_true", help="fail when a pin could not be checked here")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--pypi", default=PYPI, help="URL of a project's JSON page, with {name} (default: %(default)s)")
    args = parser.parse_args(argv)
    pinned = pins(args.lock)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        verdicts = list(pool.map(lambda pin: judge(*pin, pypi=args.pypi), pinned))
    if all(v.error for v in verdicts):
        print(f"cannot reach PyPI: {verdicts[0].error if verdicts else 'no pins'}", file=sys.stderr)
        return 2
    vulnerable = [v for v in verdicts if v.vulnerabilities]
    unchecked = [v for v in verdicts if not v.checked]
    for v in vulnerable:
        print(f"VULNERABLE {v.name}=={v.pinned}: {', '.join(v.vulnerabilities)}")
    for v in unchecked:
        why = v.error or f"not the latest release ({v.latest}); PyPI lists records for the latest only"
        print(f"not checked here: {v.name}=={v.pinned}: {why}")
    checked = len(verdicts) - len(unchecked)
    print(
        f"{len(verdicts)} pins: {checked} checked against PyPI's records, {len(vulnerable)} with a known "
        f"vulnerability, {len(unchecked)} not checked here (run pip-audit where api.osv.dev is reachable)"
    )
    if args.json:
        args.json.write_text(json.dumps([asdict(v) for v in verdicts], indent=2) + "\n", encoding="utf-8")
    return 1 if vulnerable or (args.strict and unchecked) else 0


if __name__ == "__main__":
    raise SystemExit(main())
