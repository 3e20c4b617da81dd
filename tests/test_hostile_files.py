"""Hostile files through ``sabueso ingest`` (issue 22), every one generated here.

For each bad kind: exactly one line naming the file (and the line, for JSONL) and saying why,
exit code 2, the good file of the same batch stored, nothing half-written (no row of another
document). Odd but readable kinds are stored with no line at all. Invented texts only.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sabueso.cli import app
from sabueso.ingest import sources
from sabueso.ingest.errors import printable

from .test_ingest import make_pdf

runner = CliRunner()
GOOD = ("The Grey Herons gang is based in Puerto Niebla. It is led by Ramiro Vellano Tusca, "
        "according to police investigators.")
ODD = ("La banda Los Tejones Rojos opera en Villa Señal. Su jefe es Tomás Ibáñez Cuervo, "
       "según la Fiscalía.")
ASCII = "The Blue Pumas clan runs the port of Villa Senal, prosecutors said."   # for PDFs
SMALL_LIMIT = 2_000_000                       # the file size limit, lowered for some kinds
# what must never reach a terminal: C0 controls but tab and newline, DEL, C1, bidi overrides
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def ingest(*args) -> tuple[int, str, str]:
    r = runner.invoke(app, ["ingest", *map(str, args)])
    return r.exit_code, r.stdout, r.stderr


def stored(db: Path) -> list[str]:
    """Stored document paths; asserts that no row belongs to a document that is not stored."""
    con = sqlite3.connect(db)
    try:
        ids = {i for (i,) in con.execute("SELECT id FROM documents")}
        for table in ("mentions", "claims", "events", "quantities", "entity_records"):
            owners = {i for (i,) in con.execute(f"SELECT DISTINCT doc_id FROM {table}")}
            assert owners <= ids, table
        return sorted(p for (p,) in con.execute("SELECT path FROM documents"))
    finally:
        con.close()


def text_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def _pdf(text: str = ASCII, password: str | None = None, owner: str = "owner",
         algorithm: str = "AES-256") -> bytes:
    from pypdf import PdfReader, PdfWriter
    data = make_pdf([[text]])
    if password is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _noise(n: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(n)


def _gzip_bomb(p: Path) -> None:
    with gzip.open(p, "wb", compresslevel=1) as fh:
        for _ in range(3):
            fh.write(b"\0" * 1_000_000)           # 3 MB inflated, a few KB on disk


def _pdf_bomb(p: Path) -> None:
    """A PDF whose one content stream inflates to 80 MB of spaces (a few KB on disk)."""
    import zlib
    squeeze = zlib.compressobj(9)
    stream = squeeze.compress(b"BT /F1 12 Tf 72 720 Td (Bomb) Tj ET\n")
    stream += b"".join(squeeze.compress(b" " * 1_000_000) for _ in range(80)) + squeeze.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    p.write_bytes(out + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


def _deep_json(depth: int) -> str:
    return '{"text": ' + "[" * depth + "]" * depth + "}"


def _jsonl(bad_line: str | bytes) -> bytes:
    """A good line, the bad one, another good line."""
    bad = bad_line if isinstance(bad_line, bytes) else bad_line.encode()
    return b"\n".join([json.dumps({"text": GOOD + " One."}).encode(), bad,
                       json.dumps({"text": GOOD + " Three."}).encode()]) + b"\n"


# kind: (file name, content or writer, words the one line must contain)
REFUSED = {
    "empty": ("bad.txt", b"", "empty file"),
    "blank": ("bad.md", b"  \n\n\t \n", "empty file"),
    "empty-pdf": ("bad.pdf", b"", "empty file"),
    "empty-gzip": ("bad.txt.gz", gzip.compress(b""), "empty file"),
    "binary-txt": ("bad.txt", _noise(4096), "binary file"),
    "binary-md": ("bad.md", b"\x7fELF\x02\x01\x01" + b"\0" * 500 + _noise(500), "binary file"),
    "binary-html": ("bad.html", _noise(4096, 1), "binary file"),
    "binary-jsonl": ("bad.jsonl", _noise(4096, 2), "binary file"),
    "binary-gzip": ("bad.txt.gz", gzip.compress(_noise(4096, 3)), "binary file"),
    "nul-bytes": ("bad.txt", b"Some words\0" * 300, "binary file"),
    "huge": ("bad.txt", b"word " * (SMALL_LIMIT // 5 + 100_000), "over the 2 mb limit"),
    "gzip-bomb": ("bad.txt.gz", _gzip_bomb, "too large after decompression (over the 2 mb limit)"),
    "corrupt-gzip": ("bad.txt.gz", b"\x1f\x8b\x08garbage", "corrupt gzip"),
    "truncated-gzip": ("bad.md.gz", gzip.compress(ODD.encode() * 50)[:40], "corrupt gzip"),
    "too-long-to-extract": ("bad.txt", (ODD + "\n").encode() * 20, "too long to extract"),
    "pdf-garbage": ("bad.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nnot a pdf", "not a valid pdf"),
    "pdf-truncated": ("bad.pdf", make_pdf([[ASCII]])[:150], "not a valid pdf"),
    "pdf-not-a-pdf": ("bad.pdf", b"just some words", "not a valid pdf"),
    "pdf-no-text": ("bad.pdf", make_pdf([[]]), "no extractable text"),
    "pdf-bomb": ("bad.pdf", _pdf_bomb, "could not extract text from pdf"),
    "pdf-encrypted": ("bad.pdf", lambda p: p.write_bytes(_pdf(password="secret")),
                      "encrypted pdf (password required)"),
    "html-scripts-only": ("bad.html", b"<html><head><script>var a = 1;</script></head><body>"
                          + b"<script>document.write('x')</script>" * 50 + b"</body></html>",
                          "no article text"),
    "html-empty-tags": ("bad.html", b"<html><body>" + b"<div></div>" * 100 + b"</body></html>",
                        "no article text"),
    "unsupported": ("bad.docx", b"PK\x03\x04", "unsupported file type"),
    "no-suffix": ("bad", ODD.encode(), "unsupported file type"),
    "missing": ("bad.txt", None, "no such file"),
    "broken-symlink": ("bad.txt", lambda p: p.symlink_to(p.parent / "nowhere.txt"), "broken symbolic link"),
    "symlink-loop": ("bad.txt", lambda p: p.symlink_to(p), "symbolic link loop"),
    "fifo": ("bad.txt", lambda p: os.mkfifo(p), "not a regular file"),
}
# kind: (the bad line, words its line must contain)
BAD_LINES = {
    "broken-json": ('{"text": "broken', "invalid json"),
    "lone-surrogate": ('{"text": "Bad \\ud800 text."}', "lone surrogate"),
    "not-an-object": ('["a list"]', "expected a json object"),
    "nested-too-deeply": (_deep_json(100_000), "nested too deeply"),
    "invalid-utf8": (b'{"text": "Se\xf1al"}', "not valid utf-8"),
    "no-text": ('{"title": "no text"}', 'missing "text" field'),
    "text-not-a-string": ('{"text": 12}', '"text" field must be a string'),
    "empty-text": ('{"text": "  "}', 'empty "text" field'),
    "nul-only-text": ('{"text": "\\u0000\\u0000"}', 'empty "text" field'),
    "title-not-a-string": ('{"text": "Some text.", "title": {"a": 1}}', 'field "title" must be a string'),
}


@pytest.fixture
def small_limits(monkeypatch):
    import sabueso.cli as cli
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", SMALL_LIMIT)
    monkeypatch.setattr(cli, "MAX_EXTRACT_CHARS", 1000)


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_refused_file_is_one_line_and_the_batch_goes_on(tmp_path, small_limits, kind) -> None:
    name, content, words = REFUSED[kind]
    bad, good = tmp_path / name, tmp_path / "good.txt"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        content(bad)
    good.write_text(GOOD, encoding="utf-8")
    code, out, err = ingest(bad, good, "--db", tmp_path / "x.db")
    assert code == 2, (out, err)
    lines = text_lines(err)
    assert len(lines) == 1 and f"{bad}: " in lines[0], err          # one line, naming the file...
    assert words in lines[0].lower(), lines                            # ...and saying why
    assert "the limit is 2 MB" not in lines[0]                         # not '(2 MB; the limit is 2 MB)'
    assert stored(tmp_path / "x.db") == [str(good)]
    assert "1 added, 0 already stored, 1 failed or skipped" in out


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_bad_jsonl_line_is_one_line_naming_it_and_the_others_are_stored(tmp_path, kind) -> None:
    line, words = BAD_LINES[kind]
    f = tmp_path / "batch.jsonl"
    f.write_bytes(_jsonl(line))
    code, out, err = ingest(f, "--db", tmp_path / "x.db")
    assert code == 2, (out, err)
    lines = text_lines(err)
    assert len(lines) == 1 and f"{f}:2: " in lines[0] and words in lines[0].lower(), err
    assert stored(tmp_path / "x.db") == [f"{f}#L1", f"{f}#L3"]


# -- odd but readable: stored, no line ------------------------------------------------------------

def _deep_html(depth: int) -> bytes:
    return ("<html><head><title>Deep page</title></head><body><p>First paragraph.</p>"
            + "<div>" * depth + f"<p>{ODD}</p>" + "</div>" * depth
            + "<p>Last paragraph.</p></body></html>").encode()


def _entity_bomb() -> bytes:
    """'Billion laughs': nine levels of entities, each ten of the one below."""
    entities = '<!ENTITY e0 "ha">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE html [{entities}]>'
            f"<html><body><p>{ODD} &e9;</p></body></html>").encode()


ACCEPTED = {  # kind: (file name, content, a passage the stored text must hold)
    "broken-utf8": ("odd.txt", ODD.encode() + b" Se\xf1al \xff\xfe.", "Tomás Ibáñez"),
    "latin-1": ("odd.txt", ODD.encode("latin-1"), "Tomás Ibáñez"),
    "utf-16-le-without-bom": ("odd.txt", ODD.encode("utf-16-le"), ODD),
    "utf-16-be-without-bom": ("odd.md", ODD.encode("utf-16-be"), ODD),
    "utf-16-html-without-bom": ("odd.html", f"<html><body><p>{ODD}</p></body></html>".encode("utf-16-le"),
                                ODD),
    "utf-16-with-bom-odd-length": ("odd.txt", ODD.encode("utf-16") + b"\x00", ODD),
    "utf-8-bom-crlf": ("odd.txt", b"\xef\xbb\xbf" + ODD.replace(". ", ".\r\n").encode(), "Villa Señal."),
    "cr-only": ("odd.txt", ODD.replace(". ", ".\r").encode(), "Villa Señal."),
    "html-entity-bomb": ("odd.html", _entity_bomb(), ODD),
    "html-nested-300-deep": ("odd.html", _deep_html(300), ODD),
    "html-nested-5000-deep": ("odd.html", _deep_html(5000), ODD),
    "pdf-aes-128-empty-password": ("odd.pdf", _pdf(password="", algorithm="AES-128"), ASCII),
    "pdf-aes-256-empty-password": ("odd.pdf", _pdf(password="", algorithm="AES-256"), ASCII),
    "pdf-rc4-empty-password": ("odd.pdf", _pdf(password="", algorithm="RC4-128"), ASCII),
    "pdf-repaired-xref": ("odd.pdf", make_pdf([[ASCII]]).replace(b"startxref\n", b"startxref\n9"), ASCII),
    "jsonl-nul": ("odd.jsonl", json.dumps({"text": ODD.replace("Villa", "Villa\u0000")}).encode(), ODD),
    "gzip-html": ("odd.html.gz", gzip.compress(f"<html><body><p>{ODD}</p></body></html>".encode()), ODD),
}


@pytest.mark.parametrize("kind", sorted(ACCEPTED))
def test_odd_but_readable_file_is_stored_without_a_line(tmp_path, kind, capfd) -> None:
    name, content, passage = ACCEPTED[kind]
    f = tmp_path / name
    f.write_bytes(content)
    db = tmp_path / "x.db"
    code, out, err = ingest(f, "--db", db)
    assert code == 0 and not text_lines(err), err
    assert not text_lines(capfd.readouterr().err)       # nothing from a library either (pypdf)
    con = sqlite3.connect(db)
    try:
        (text,), = con.execute("SELECT text FROM documents").fetchall()
    finally:
        con.close()
    assert passage in text and "\x00" not in text and len(text) < 10_000    # no bomb went off


def test_deep_html_keeps_every_paragraph_and_its_title(tmp_path) -> None:
    """libxml2 stops at 255 levels: the article and everything after it used to be lost, with
    'no article text found' at best."""
    from sabueso.ingest.htmlfile import read_html
    for depth in (300, 5000):
        doc = read_html(_deep_html(depth), "deep.html")
        assert doc.text.split("\n") == ["First paragraph.", ODD, "Last paragraph."]
        assert doc.title == "Deep page"


def test_pypdf_repairs_print_no_line_of_their_own(tmp_path) -> None:
    """pypdf logs each repair ('incorrect startxref pointer(2)', 'parsing for Object Streams');
    without logging configured Python printed them as lines naming no file. In a fresh process:
    pytest's own log capture would hide them here."""
    import subprocess
    import sys
    f = tmp_path / "repaired.pdf"
    f.write_bytes(make_pdf([[ASCII]]).replace(b"startxref\n", b"startxref\n9"))
    code = ("import sys; from sabueso.ingest import read_path; "
            "print([type(x).__name__ for x in read_path(sys.argv[1])])")
    run = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "['Document']", run.stderr
    assert run.stderr == ""


def test_size_messages_never_repeat_the_limit_as_the_size() -> None:
    limit = f"{sources.MAX_FILE_BYTES / 1e6:.0f} MB"
    assert sources._too_large(after=" after decompression") == \
        f"file too large after decompression (over the {limit} limit)"
    assert sources._too_large(sources.MAX_FILE_BYTES + 1) == f"file too large (over the {limit} limit)"
    assert sources._too_large(3 * sources.MAX_FILE_BYTES) == \
        f"file too large ({3 * sources.MAX_FILE_BYTES / 1e6:.0f} MB; the limit is {limit})"


# -- weird file names -------------------------------------------------------------------------

NAMES = {
    "escape-sequence": "clear\x1b[2Jscreen",
    "newline": "two\nlines",
    "carriage-return": "over\rwritten",
    "bell-and-tab": "bell\x07and\ttab",
    "bidi-override": "right\u202etxt.exe",
    "c1-control": "c1\x9bcontrol",
    "not-utf8": os.fsdecode(b"latin\xf1o"),
    "markup": "[red]odd[bold] [dim]",
    "spaces-and-quotes": " spaced 'quoted' \"name\" ",
    "long": "n" * 240,
}


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_weird_file_name_is_escaped_on_one_line_and_its_document_stored(tmp_path, kind) -> None:
    stem = NAMES[kind]
    empty, good = tmp_path / f"{stem}.txt", tmp_path / f"{stem[:200]}-good.txt"
    empty.write_bytes(b"")
    good.write_text(GOOD, encoding="utf-8")
    code, out, err = ingest(empty, good, "--db", tmp_path / "x.db")
    assert code == 2, (out, err)
    assert not RAW_CONTROL.search(err + out), repr(err)
    assert text_lines(err) == [f"skipped {printable(empty)}: empty file"]
    paths = stored(tmp_path / "x.db")                                # the name is stored as text
    assert len(paths) == 1 and paths[0].endswith("-good.txt"), paths
    assert paths[0] == str(good) or kind == "not-utf8"
    if kind == "not-utf8":
        assert paths[0].endswith("latin\\xf1o-good.txt")


def test_extract_with_a_weird_file_name_prints_no_raw_control_character(tmp_path) -> None:
    f = tmp_path / "clear\x1b[2Jscreen\n.txt"
    f.write_bytes(b"")
    r = runner.invoke(app, ["extract", str(f)])
    assert r.exit_code == 1 and not RAW_CONTROL.search(r.stderr)
    assert text_lines(r.stderr) == [f"error: {printable(f)}: empty file"]
    g = tmp_path / (os.fsdecode(b"latin\xf1o") + ".txt")
    g.write_text(GOOD, encoding="utf-8")
    r = runner.invoke(app, ["extract", str(g), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["doc"] == "latin\\xf1o.txt"


# -- unreadable files, symlink loops and deep folders ----------------------------------------

def test_unreadable_file_named_on_the_command_line_does_not_stop_the_batch(tmp_path, monkeypatch) -> None:
    """The argument parser refused the whole batch ("path 'x' is not readable"). Tests may run
    as root, who reads everything, so the refusal is simulated where it is checked."""
    bad, good = tmp_path / "locked.txt", tmp_path / "good.txt"
    bad.write_text(ODD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    real_access, real_read = os.access, Path.read_bytes

    def access(path, mode, *args, **kwargs):
        return False if os.fspath(path) == str(bad) else real_access(path, mode, *args, **kwargs)

    def read_bytes(self):
        if str(self) == str(bad):
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)
    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = ingest(bad, good, "--db", tmp_path / "x.db")
    assert code == 2, (out, err)
    assert text_lines(err) == [f"skipped {bad}: cannot read file (Permission denied)"]
    assert stored(tmp_path / "x.db") == [str(good)]


def test_unreadable_file_for_real(tmp_path) -> None:
    """The same with a real permission, in a process of an unprivileged user."""
    import shutil
    import subprocess
    import sys
    import tempfile
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv is not available to drop privileges")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    folder = Path(tempfile.mkdtemp(prefix="sabueso-unreadable-"))
    try:
        folder.chmod(0o777)
        bad, good = folder / "locked.txt", folder / "good.txt"
        bad.write_text(ODD, encoding="utf-8")
        good.write_text(GOOD, encoding="utf-8")
        bad.chmod(0)
        good.chmod(0o644)
        cli = Path(sys.executable).with_name("sabueso")
        run = subprocess.run([*prefix, str(cli), "ingest", str(bad), str(good), "--db", str(folder / "x.db")],
                             capture_output=True, text=True, timeout=300, cwd=folder)
        if "Permission denied" in run.stderr and "x.db" in run.stderr:
            pytest.skip("the unprivileged user cannot use this folder or the interpreter")
        assert run.returncode == 2, run.stderr
        assert text_lines(run.stderr) == [f"skipped {bad}: cannot read file (Permission denied)"]
        assert stored(folder / "x.db") == [str(good)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_symlink_loops_and_deep_folders(tmp_path) -> None:
    """A folder linking to itself is walked once; a link to itself is skipped in a folder and
    named on the command line; 1200 nested folders used to overflow the recursion limit."""
    top = tmp_path / "top"
    folders = [top]
    for _ in range(1200):
        folders.append(folders[-1] / "d")
    for folder in folders:
        folder.mkdir()
    deep = folders[-1] / "deep.txt"
    deep.write_text(GOOD, encoding="utf-8")
    (top / "loop").symlink_to(top)
    (top / "self.txt").symlink_to(top / "self.txt")
    (top / "odd.txt").write_text(ODD, encoding="utf-8")
    try:
        code, out, err = ingest(top, "--db", tmp_path / "x.db")
        assert code == 0 and not text_lines(err), err
        assert stored(tmp_path / "x.db") == sorted([str(deep), str(top / "odd.txt")])
    finally:  # pytest's clean-up (shutil.rmtree) recurses and would overflow on 1200 levels
        deep.unlink()
        for folder in reversed(folders[1:]):
            folder.rmdir()
