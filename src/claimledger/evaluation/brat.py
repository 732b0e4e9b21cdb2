"""Read and write attribution annotations in brat standoff format (PolNeAR's format).

PolNeAR stores one ``.ann`` file per text and annotator, named ``<textname>_<annotator>.ann``, next to
``text/<textname>.txt``. Text-bound annotations look like ``T3<TAB>Content 115 290;301 340<TAB>words``
(``;`` separates the pieces of a discontinuous span) and one event ties them into an attribution:
``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1`` (``Content2`` marks a second content piece,
``Attribution-no-source`` events have no ``Source``). Other labels (``Discuss``, ``Discard``),
annotator notes and the continuation lines of entity texts that span a newline are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimledger.types import Attribution

__all__ = [
    "GoldAttribution",
    "Pieces",
    "choose_annotations",
    "load_polnear",
    "parse_brat",
    "write_brat",
]

Pieces = tuple[tuple[int, int], ...]
"""A possibly discontinuous span: ``(start, end)`` character pieces, in text order; ``()`` when absent."""

_TEXTBOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")
_CONTENT_ROLE = re.compile(r"^Content\d*$")


class BratFormatError(ValueError):
    """An ``.ann`` text that cannot be read as PolNeAR attributions; the message names the line."""


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: character pieces of its source (``()`` when none), cue and content."""

    source: Pieces
    cue: Pieces
    content: Pieces


def _pieces(spec: str) -> Pieces:
    out: list[tuple[int, int]] = []
    for piece in spec.split(";"):
        start, end = piece.split()
        out.append((int(start), int(end)))
    return tuple(sorted(out))


def parse_brat(ann: str, *, name: str = "<ann>") -> list[GoldAttribution]:
    """Parse one ``.ann`` text into attributions, in event order.

    Events without a cue or without any content (a few PolNeAR events are empty shells) are skipped:
    they cannot be matched by any scorer. A role pointing at an unknown entity raises `BratFormatError`.
    """
    entities: dict[str, Pieces] = {}
    events: list[tuple[int, str]] = []
    for lineno, line in enumerate(ann.splitlines(), 1):
        tb = _TEXTBOUND.match(line)
        if tb:
            entities[tb.group(1)] = _pieces(tb.group(3))
            continue
        ev = _EVENT.match(line)
        if ev:
            events.append((lineno, ev.group(2)))
    out: list[GoldAttribution] = []
    for lineno, body in events:
        kind = ""
        roles: dict[str, list[Pieces]] = {"Source": [], "Cue": [], "Content": []}
        for arg in body.split():
            if ":" not in arg:
                raise BratFormatError(f"{name}:{lineno}: event argument {arg!r} is not ROLE:ID")
            role, ref = arg.split(":", 1)
            if not kind:
                kind = role
                continue
            if ref not in entities:
                raise BratFormatError(f"{name}:{lineno}: role {role} points at unknown entity {ref!r}")
            key = "Content" if _CONTENT_ROLE.match(role) else role
            if key in roles:
                roles[key].append(entities[ref])
        if not kind.startswith("Attribution"):
            continue
        cue = tuple(sorted(p for ps in roles["Cue"] for p in ps))
        content = tuple(sorted(p for ps in roles["Content"] for p in ps))
        if not cue or not content:
            continue
        source = tuple(sorted(p for ps in roles["Source"] for p in ps))
        out.append(GoldAttribution(source=source, cue=cue, content=content))
    return out


def choose_annotations(ann_names: Iterable[str]) -> dict[str, str]:
    """Map each text name to one ``.ann`` file name: the alphabetically first annotator's.

    ``a_b_4e07.ann`` belongs to text ``a_b`` and annotator ``4e07``; names without an annotator
    suffix are refused.
    """
    chosen: dict[str, tuple[str, str]] = {}
    for ann_name in ann_names:
        stem = ann_name.removesuffix(".ann")
        text_name, sep, annotator = stem.rpartition("_")
        if not sep or not text_name or not annotator:
            raise BratFormatError(f"{ann_name}: expected <textname>_<annotator>.ann")
        if text_name not in chosen or annotator < chosen[text_name][0]:
            chosen[text_name] = (annotator, ann_name)
    return {text: ann for text, (_, ann) in sorted(chosen.items())}


def load_polnear(split_dir: str | Path) -> list[tuple[str, str, list[GoldAttribution]]]:
    """Load a PolNeAR split (``train/`` or ``dev/``) as ``(text name, text, attributions)``, sorted by name.

    Texts annotated twice use one annotator, the alphabetically first, so the result is deterministic.
    """
    split = Path(split_dir)
    ann_dir, text_dir = split / "attributions", split / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise FileNotFoundError(f"{split}: expected attributions/ and text/ folders (a PolNeAR split)")
    return load_brat(ann_dir, text_dir)


def _spec(pieces: Sequence[tuple[int, int]]) -> str:
    return ";".join(f"{s} {e}" for s, e in pieces)


def _entity_text(pieces: Sequence[tuple[int, int]], text: str) -> str:
    return " ".join(text[s:e].replace("\n", " ") for s, e in pieces)


def write_brat(attributions: Iterable[Attribution], text: str) -> str:
    """Render attributions as a PolNeAR-style ``.ann`` text (the inverse of `parse_brat`)."""
    lines: list[str] = []
    t = 0

    def entity(label: str, pieces: Sequence[tuple[int, int]]) -> str:
        nonlocal t
        t += 1
        lines.append(f"T{t}\t{label} {_spec(pieces)}\t{_entity_text(pieces, text)}")
        return f"T{t}"

    for e, att in enumerate(attributions, 1):
        cue = ((att.cue.start, att.cue.end),)
        content = tuple((s.start, s.end) for s in att.content)
        args = [f"Content:{entity('Content', content)}", f"Cue:{entity('Cue', cue)}"]
        if att.source is not None:
            args.append(f"Source:{entity('Source', ((att.source.start, att.source.end),))}")
            kind = "Attribution"
        else:
            kind = "Attribution-no-source"
        trigger = entity("Attribution", cue)
        lines.append(f"E{e}\t{kind}:{trigger} " + " ".join(args))
    return "\n".join(lines) + ("\n" if lines else "")


def load_brat(gold_dir: str | Path, text_dir: str | Path) -> list[tuple[str, str, list[GoldAttribution]]]:
    """Like :func:`load_polnear`, for any folder of ``.ann`` files and a folder of the matching ``.txt``."""
    gold, texts = Path(gold_dir), Path(text_dir)
    chosen = choose_annotations(p.name for p in gold.glob("*.ann"))
    if not chosen:
        raise FileNotFoundError(f"{gold}: no brat .ann files here")
    docs: list[tuple[str, str, list[GoldAttribution]]] = []
    for text_name, ann_name in chosen.items():
        text_path = texts / f"{text_name}.txt"
        if not text_path.exists():
            raise FileNotFoundError(f"{text_path}: annotation {ann_name} has no text")
        with open(text_path, encoding="utf-8", newline="") as fh:  # brat offsets count "\r\n" as two
            text = fh.read()
        docs.append((text_name, text, parse_brat((gold / ann_name).read_text(encoding="utf-8"), name=ann_name)))
    return docs
