"""The command line: every command has help with an example, and every error path has an exit status."""

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.config import Options
from claimledger.store import open_store

STORY = (
    "Harbour master Tomas Quill said on Monday that the ferry Aurelia had been held at Port Velden.\n\n"
    "The Velden port authority denied reports that the crew had been detained, a spokeswoman told Northwire.\n"
)


def commands() -> list[str]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help_with_an_example(runner: CliRunner, name: str) -> None:
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"claimledger {name}" in result.output or name == "settings"


def test_top_level_help_and_version(runner: CliRunner) -> None:
    assert "ingest" in runner.invoke(cli, ["--help"]).output
    assert runner.invoke(cli, ["--version"]).output.startswith("claimledger, version ")


def test_ingest_list_show_round_trip(runner: CliRunner, tmp_path: Path, options: Options) -> None:
    db = options.db
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    result = runner.invoke(cli, ["ingest", "--db", db, str(story)])
    assert result.exit_code == 0, result.output
    assert "1 added, 0 already stored, 0 failed; 1 documents" in result.stdout

    again = runner.invoke(cli, ["ingest", "--db", db, "--json", str(story)])
    assert json.loads(again.stdout) | {"db": db} == {
        "added": 0, "unchanged": 1, "failed": 0, "near_duplicates": [], "documents_in_db": 1, "db": db,
    }  # fmt: skip

    listing = runner.invoke(cli, ["documents", "--db", db, "--json"])
    row = json.loads(listing.stdout)
    assert row["source"] == str(story)
    table = runner.invoke(cli, ["documents", "--db", db])
    assert row["id"] in table.stdout

    shown = runner.invoke(cli, ["show", "--db", db, row["id"][:6], "--json", "--boilerplate"])
    record = json.loads(shown.stdout)
    assert record["id"] == row["id"]
    assert "Northwire" in record["text"]
    assert record["sources"] == [str(story)]
    assert "boilerplate" in record
    plain = runner.invoke(cli, ["show", "--db", db, row["id"]])
    assert "Tomas Quill" in plain.stdout


def test_db_from_environment(runner: CliRunner, tmp_path: Path, options: Options) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    result = runner.invoke(cli, ["ingest", str(story)], env={"CLAIMLEDGER_DB": options.db})
    assert result.exit_code == 0, result.output
    with open_store(options.db) as store:
        assert store.count_documents() == 1


def test_failures_are_one_line_each_and_set_the_exit_status(
    runner: CliRunner, tmp_path: Path, options: Options
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STORY)
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xff" * 100)
    db = options.db
    result = runner.invoke(cli, ["ingest", "--db", db, str(junk), str(good), str(tmp_path / "missing.html")])
    assert result.exit_code == 1
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert len(errors) == 2
    assert f"{junk}: looks like binary data" in errors[0]
    assert errors[0].endswith("[E101]")
    assert errors[1].endswith("missing.html: no such file or directory, and not an http(s) URL [E100]")
    assert "1 added" in result.stdout


def test_extract_prints_jsonl_without_a_database(runner: CliRunner, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY)
    result = runner.invoke(cli, ["extract", str(story), str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    record = json.loads(result.stdout.splitlines()[0])
    assert set(record) >= {"document", "title", "text", "outlet", "published", "author", "language", "url"}
    assert record["document"] == str(story)
    assert "nope.txt" in result.stderr
    assert not list(tmp_path.glob("*.db"))


def test_extract_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "-"], input=STORY)
    assert result.exit_code == 0, result.output
    assert "Northwire" in json.loads(result.stdout)["text"]


def test_show_unknown_document_exits_3(runner: CliRunner, options: Options) -> None:
    result = runner.invoke(cli, ["show", "--db", options.db, "deadbeef"])
    assert result.exit_code == 3
    assert "no document with id 'deadbeef'" in result.stderr


def test_empty_database_listing(runner: CliRunner, options: Options) -> None:
    result = runner.invoke(cli, ["documents", "--db", options.db])
    assert result.exit_code == 0
    assert "No documents" in result.stdout


def test_bad_database_and_config_errors(runner: CliRunner, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite" * 200)
    result = runner.invoke(cli, ["documents", "--db", str(junk)])
    assert result.exit_code == 1
    assert "Is it a claimledger SQLite file" in result.stderr
    config = tmp_path / "c.toml"
    config.write_text("unknown_thing = 1\n")
    result = runner.invoke(cli, ["--config", str(config), "documents", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "unknown setting 'unknown_thing'" in result.stderr
    result = runner.invoke(cli, ["documents"], env={"CLAIMLEDGER_FETCH_TIMEOUT": "soon"})
    assert result.exit_code == 2


def test_unreachable_postgres_is_one_line_and_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["documents", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot connect to PostgreSQL at postgresql://nobody@127.0.0.1:1/none" in result.stderr
    assert "Traceback" not in result.output


def test_settings_lists_every_setting(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["settings"])
    assert "near_duplicate_threshold" in result.stdout
    assert "max_input_bytes" in result.stdout


def test_usage_errors(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["ingest"]).exit_code == 2
    assert runner.invoke(cli, ["documents", "--limit", "0"]).exit_code == 2


def test_ingest_urls_and_feeds_from_a_local_server(runner: CliRunner, tmp_path: Path) -> None:
    from .conftest_http import LocalServer, Reply

    paragraphs = "".join(f"<p>{p}</p>" for p in STORY.split("\n\n"))
    html = f"<html><head><title>Ferry held</title></head><body><article>{paragraphs}</article></body></html>".encode()
    with LocalServer() as server:
        server.route("/story.html", Reply(200, html, (("Content-Type", "text/html; charset=utf-8"),)))
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Velden Post</title>'
            f"<item><title>Ferry held</title><link>{server.url('/story.html')}</link>"
            "<description>Short teaser about the ferry at Port Velden.</description></item></channel></rss>"
        )
        server.route("/feed.xml", Reply(200, feed.encode(), (("Content-Type", "application/rss+xml"),)))
        db = str(tmp_path / "web.db")
        local = {"CLAIMLEDGER_ALLOW_PRIVATE_ADDRESSES": "1", "CLAIMLEDGER_FETCH_PER_HOST_INTERVAL": "0"}
        result = runner.invoke(
            cli, ["ingest", "--db", db, "--json", server.url("/story.html"), server.url("/gone")], env=local
        )
        assert result.exit_code == 1
        assert json.loads(result.stdout)["added"] == 1
        assert "/gone" in result.stderr
        assert "404" in result.stderr
        followed = runner.invoke(cli, ["ingest", "--db", db, "--json", "--follow", server.url("/feed.xml")], env=local)
        assert followed.exit_code == 0, followed.output
        summary = json.loads(followed.stdout)
        assert summary["unchanged"] == 1  # the followed page is the story stored above
    shown = json.loads(runner.invoke(cli, ["documents", "--db", db, "--json"]).stdout.splitlines()[0])
    assert shown["source"] == server.url("/story.html")
