"""The orchestrator over every input kind, bad inputs included: nothing stored is ever lost."""

import gzip
import io
import json
from pathlib import Path

import pytest

from claimledger.config import Options
from claimledger.ingest.sources import kind_of, plan, sniff
from claimledger.pipeline import extract_documents, ingest_articles
from claimledger.store import SQLiteStore
from claimledger.types import Document, Failure

STORY = (
    "Harbour master Tomas Quill said on Monday that the ferry Aurelia had been held at the outer mole of Port "
    "Velden for six hours.\n\nThe Velden port authority denied reports that the crew had been detained, and a "
    "spokeswoman told the Northwire agency that inspections were routine.\n\nFishermen in the bay described armed "
    "boats circling the vessel before dawn, while the coast guard declined to comment on the operation.\n"
)
OTHER = (
    "The council of Lindmark voted on Tuesday to close the old tram depot, mayor Odile Fenn said.\n\n"
    "Opposition councillor Ravi Sallow told the Lindmark Echo that the vote was rushed and that residents "
    "had not been consulted about the plan.\n"
)
PAGE = f"""<!doctype html><html lang="en"><head><title>Ferry held at Port Velden</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>Ferry held at Port Velden</h1>
{"".join(f"<p>{p}</p>" for p in STORY.split(chr(10) * 2))}</article><footer>© Velden Post</footer></body></html>"""


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def docs_and_failures(inputs: list[str], options: Options) -> tuple[list[Document], list[Failure]]:
    items = list(extract_documents(inputs, options=options))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Failure)]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.html", "html"), ("a.HTM", "html"), ("a.html.gz", "html"), ("a.txt", "text"), ("a.jsonl", "jsonl"),
     ("a.warc.gz", "warc"), ("a.warc", "warc"), ("feed.rss", "feed"), ("feed.xml", "feed"), ("a.pdf", None),
     ("README", None)],
)  # fmt: skip
def test_kind_of_suffixes(name: str, kind: str | None) -> None:
    assert kind_of(Path(name)) == kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"WARC/1.0\r\n", "warc"), (b'{"text": "x"}\n', "jsonl"), (b"<!DOCTYPE html><html>", "html"),
     (b'<?xml version="1.0"?><rss version="2.0">', "feed"), (b"Plain words here.", "text"),
     (b"\xef\xbb\xbf<html><body>", "html")],
)  # fmt: skip
def test_sniffing_unknown_inputs(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_folders_are_read_recursively_skipping_hidden_and_unknown(tmp_path: Path, options: Options) -> None:
    write(tmp_path / "in" / "a.txt", STORY)
    write(tmp_path / "in" / "deep" / "b.html", PAGE)
    write(tmp_path / "in" / ".hidden" / "c.txt", OTHER)
    write(tmp_path / "in" / "notes.pdf", b"%PDF-1.4")
    items, failures = plan([str(tmp_path / "in")])
    assert [Path(i.value).name for i in items] == ["a.txt", "b.html"]
    assert failures == []


def test_every_input_kind_in_one_run(tmp_path: Path, options: Options) -> None:
    write(tmp_path / "story.txt", STORY)
    write(tmp_path / "page.html.gz", gzip.compress(PAGE.encode()))
    write(tmp_path / "more.jsonl", json.dumps({"text": OTHER, "title": "Depot to close", "outlet": "Lindmark Echo",
                                                "published": "2026-03-11"}) + "\n")  # fmt: skip
    docs, failures = docs_and_failures(
        [str(tmp_path / n) for n in ("story.txt", "page.html.gz", "more.jsonl")], options
    )
    assert failures == []
    assert [d.format for d in docs] == ["text", "html", "jsonl"]
    assert docs[2].title == "Depot to close"
    assert docs[2].outlet == "Lindmark Echo"
    assert docs[2].source.endswith("more.jsonl#1")
    assert "Northwire" in docs[0].text
    assert "Northwire" in docs[1].text


def test_stdin_is_sniffed(options: Options) -> None:
    items = list(extract_documents(["-"], options=options, stdin=io.BytesIO(PAGE.encode())))
    assert len(items) == 1
    assert isinstance(items[0], Document)
    assert items[0].format == "html"
    empty = list(extract_documents(["-"], options=options, stdin=io.BytesIO(b"")))
    assert isinstance(empty[0], Failure)
    assert "empty" in empty[0].reason


BAD_INPUTS = {
    "junk.txt": (b"\x00\x01\x02\xff" * 64, "E101", "binary"),
    "empty.txt": (b"", "E103", "empty"),
    "blank.txt": (b"   \n\n  \t\n", "E103", ""),
    "truncated.html.gz": (gzip.compress(PAGE.encode() * 50)[:300], "E101", "truncated"),
    "broken.jsonl": (b'{"text": "unterminated\n', "E102", "not valid JSON"),
    "list.jsonl": (b"[1, 2, 3]\n", "E102", "expected a JSON object"),
    "notext.jsonl": (b'{"title": "only a title"}\n', "E102", "needs a non-empty 'text' or 'html'"),
    "huge.txt": (b"word " * 3000, "E104", "limit"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_fail_alone_with_a_clear_reason(tmp_path: Path, name: str) -> None:
    data, code, words = BAD_INPUTS[name]
    bad = write(tmp_path / name, data)
    good = write(tmp_path / "good.txt", STORY)
    options = Options(db=str(tmp_path / "t.db"), max_input_bytes=10_000)
    docs, failures = docs_and_failures([str(bad), str(good)], options)
    assert len(docs) == 1
    assert docs[0].source == str(good)
    assert len(failures) == 1
    assert failures[0].code == code
    assert failures[0].source.startswith(str(bad))
    assert words in failures[0].reason
    assert "\n" not in failures[0].reason


def test_malformed_html_still_extracts(tmp_path: Path, options: Options) -> None:
    broken = PAGE.replace("</p>", "").replace("</article>", "").replace("</body></html>", "<div><span>")
    docs, failures = docs_and_failures([str(write(tmp_path / "broken.html", broken))], options)
    assert failures == []
    assert "Northwire" in docs[0].text


def test_mixed_encoding_file_is_read_with_a_warning(tmp_path: Path, options: Options) -> None:
    data = (
        "Port Velden — a report.\n\n" + STORY
    ).encode() + "Zoë Marrak, a café owner in Velden, said she saw the boats.\n".encode("cp1252")
    docs, failures = docs_and_failures([str(write(tmp_path / "mixed.txt", data))], options)
    assert failures == []
    assert "Zoë Marrak" in docs[0].text
    assert any("mixed encodings" in w for w in docs[0].warnings)


def test_jsonl_bad_lines_do_not_stop_good_ones(tmp_path: Path, options: Options) -> None:
    lines = [json.dumps({"text": STORY}), "{oops", "", json.dumps({"html": PAGE, "url": "https://velden-post.example/a"}),
             json.dumps({"text": 42})]  # fmt: skip
    docs, failures = docs_and_failures([str(write(tmp_path / "mix.jsonl", "\n".join(lines)))], options)
    assert [d.source.rsplit("#", 1)[1] for d in docs] == ["1", "4"]
    assert docs[1].url == "https://velden-post.example/a"
    assert [f.source.rsplit("#", 1)[1] for f in failures] == ["2", "5"]


def test_missing_paths_and_empty_folders_are_failures(tmp_path: Path, options: Options) -> None:
    (tmp_path / "empty-folder").mkdir()
    _, failures = docs_and_failures([str(tmp_path / "nope.txt"), str(tmp_path / "empty-folder")], options)
    assert [f.code for f in failures] == ["E100", "E103"]


def test_ingest_is_idempotent_and_links_syndicated_copies(tmp_path: Path, store: SQLiteStore, options: Options) -> None:
    original = write(tmp_path / "a.txt", STORY)
    syndicated = write(tmp_path / "b.txt", "VELDEN (Northwire) — " + STORY + "\nAdditional reporting by Mara Lind.\n")
    unrelated = write(tmp_path / "c.txt", OTHER)
    first = ingest_articles([str(original), str(syndicated), str(unrelated)], store=store, options=options)
    assert len(first.added) == 3
    assert first.ok
    assert len(first.near_duplicates) == 1
    new_id, old_id, score = first.near_duplicates[0]
    assert score >= options.near_duplicate_threshold
    assert store.near_duplicates(old_id) == [(new_id, score)]

    again = ingest_articles([str(original), str(tmp_path)], store=store, options=options)
    assert again.added == ()
    assert store.count_documents() == 3
    copy = write(tmp_path / "copy" / "same.txt", STORY.replace("\n\n", "\n\n\n"))
    third = ingest_articles([str(copy)], store=store, options=options)
    assert third.unchanged == (first.added[0],)
    assert str(copy) in store.sources(first.added[0])


def test_interrupted_ingest_resumes_without_loss_or_duplicates(
    tmp_path: Path, store: SQLiteStore, options: Options, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(6):
        write(tmp_path / "in" / f"{i}.txt", f"Report number {i} from Velden. " + STORY)
    real_add = store.add_document
    calls = {"n": 0}

    def flaky_add(*args: object, **kwargs: object) -> bool:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # the user pressed Ctrl-C half-way
        return real_add(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "add_document", flaky_add)
    with pytest.raises(KeyboardInterrupt):
        ingest_articles([str(tmp_path / "in")], store=store, options=options)
    assert store.count_documents() == 3
    assert store.integrity_check() == "ok"
    monkeypatch.setattr(store, "add_document", real_add)
    report = ingest_articles([str(tmp_path / "in")], store=store, options=options)
    assert len(report.added) == 3
    assert len(report.unchanged) == 3
    assert store.count_documents() == 6


def test_an_unreadable_file_in_a_folder_is_reported_and_the_rest_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder walk that meets an entry the OS will not stat (/proc/1/cwd, a dead mount) reports it, E100, and
    plans every other file (found by the property test on plan(), which fed it "/")."""
    (tmp_path / "a.txt").write_text("Alpha text of an article.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Beta text of an article.", encoding="utf-8")
    real = Path.is_file

    def is_file(self: Path) -> bool:
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    items, failures = plan([str(tmp_path)])
    assert [Path(item.value).name for item in items] == ["a.txt"]
    assert [(f.source, f.code) for f in failures] == [(str(tmp_path / "b.txt"), "E100")]
    assert "Permission denied" in failures[0].reason
