"""Tests for sabueso.ingest. Every fixture is generated in tmp_path from our own sentences."""
from __future__ import annotations

import gzip
import io
import json
import pickle

import pytest

from sabueso.core import Document, normalise_text
from sabueso.ingest import (SUPPORTED_SUFFIXES, IngestError, iter_documents, iter_sources,
                            read_bytes, read_path, strip_markdown)
from sabueso.ingest import htmlfile, sources

SPANISH = "El estado Guárico registró tres operativos.\nLa señora Núñez declaró ante el fiscal."


def docs(items) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def errors(items) -> list[IngestError]:
    return [i for i in items if isinstance(i, IngestError)]


def only_doc(path) -> Document:
    items = list(read_path(path))
    assert len(items) == 1 and isinstance(items[0], Document), items
    return items[0]


def only_error(path) -> IngestError:
    items = list(read_path(path))
    assert len(items) == 1 and isinstance(items[0], IngestError), items
    return items[0]


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF written by hand: one Helvetica text stream per page."""
    font_id = 3 + 2 * len(pages)
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [%s] /Count %d >>"
               % (" ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages))), len(pages))]
    for i, lines in enumerate(pages):
        shown = " ".join("(%s) Tj T*" % line.replace("\\", r"\\").replace("(", r"\(")
                         .replace(")", r"\)") for line in lines)
        stream = f"BT /F1 12 Tf 72 720 Td 16 TL {shown} ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return out


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="es-VE"><head><meta charset="utf-8">
<title>Operativo en Guárico | Diario de Prueba</title>
<meta property="og:site_name" content="Diario de Prueba">
<meta property="article:published_time" content="2023-04-05T10:00:00Z">
<link rel="canonical" href="https://example.org/noticias/operativo">
<style>body { color: red } .STYLE_MARKER {}</style>
<script>var leaked = "SCRIPT_MARKER_HEAD";</script>
</head><body>
<nav>Inicio | Contacto</nav>
<article><h1>Operativo en Guárico</h1>
<p>Funcionarios de seguridad detuvieron a tres personas en el estado Guárico durante un
operativo realizado el martes por la mañana en las afueras de la capital regional.</p>
<img src="x.png" onerror="alert('ONERROR_MARKER')">
<p>Según el reporte oficial, los detenidos estaban vinculados a una red de extorsión que
operaba en varios municipios de la región central desde hace al menos dos años.</p>
<script>document.write("SCRIPT_MARKER_BODY")</script>
<noscript>NOSCRIPT_MARKER</noscript>
<p>Las autoridades indicaron que la investigación continúa y que no descartan nuevas
detenciones en los próximos días, según un vocero del cuerpo policial.</p>
</article>
<footer>Todos los derechos reservados</footer>
</body></html>
"""
MARKERS = ("SCRIPT_MARKER", "ONERROR_MARKER", "STYLE_MARKER", "NOSCRIPT_MARKER", "alert(",
           "color: red")


# --- errors -------------------------------------------------------------------------------

def test_ingest_error_formats_one_line_and_pickles():
    err = IngestError("data.jsonl", "invalid JSON (Expecting ',' delimiter)", line=17)
    assert str(err) == "data.jsonl:17: invalid JSON (Expecting ',' delimiter)"
    plain = IngestError("samples/x.pdf", "not a valid PDF\n(EOF marker not found)")
    assert str(plain) == "samples/x.pdf: not a valid PDF (EOF marker not found)"
    assert plain.line is None and plain.path == "samples/x.pdf"
    assert pickle.loads(pickle.dumps(err)) == err


def test_supported_suffixes():
    base = {".txt", ".md", ".html", ".htm", ".pdf", ".jsonl"}
    assert set(SUPPORTED_SUFFIXES) == base | {s + ".gz" for s in base}


# --- text and markdown ----------------------------------------------------------------------

def test_txt_utf8(tmp_path):
    path = tmp_path / "nota.txt"
    path.write_bytes(("\ufeff" + SPANISH + "\r\n\r\n\r\n\r\nSegundo párrafo.  \r\n").encode())
    doc = only_doc(path)
    assert doc.text == SPANISH + "\n\nSegundo párrafo."
    assert doc.title == "El estado Guárico registró tres operativos."
    assert doc.path == str(path)
    assert doc.id == Document(text=doc.text).id


@pytest.mark.parametrize("encoding", ["iso-8859-1", "cp1252"])
def test_txt_latin1(tmp_path, encoding):
    path = tmp_path / "latin.txt"
    path.write_bytes(SPANISH.encode(encoding))
    assert only_doc(path).text == SPANISH
    short = tmp_path / "short.txt"
    short.write_bytes("Guárico".encode(encoding))
    assert only_doc(short).text == "Guárico"


def test_txt_cp1252_punctuation_and_utf16(tmp_path):
    path = tmp_path / "quotes.txt"
    path.write_bytes("El “jefe” pagó 500 € – dijo.".encode("cp1252"))
    assert only_doc(path).text == "El “jefe” pagó 500 € – dijo."
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(SPANISH.encode("utf-16"))  # with BOM; full of NUL bytes, yet text
    assert only_doc(utf16).text == SPANISH


def test_txt_long_first_line_is_not_a_title(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("palabra " * 60 + "\nsegunda línea", encoding="utf-8")
    doc = only_doc(path)
    assert doc.title == "" and doc.text.endswith("segunda línea")


def test_markdown(tmp_path):
    path = tmp_path / "informe.md"
    path.write_text(
        "## Informe *preliminar* de Guárico ##\n\n"
        "Un [comunicado oficial](https://example.org/c) habla de **dos** detenidos y de\n"
        "_varios_ sospechosos; la variable snake_case_name queda igual y \\*esto\\* también.\n\n"
        "---\n\n"
        "- primer punto\n- segundo punto con `código`\n\n"
        "> Una cita textual del fiscal.\n\n"
        "![foto del lugar](img.png)\n", encoding="utf-8")
    doc = only_doc(path)
    assert doc.title == "Informe preliminar de Guárico"
    assert doc.text == (
        "Informe preliminar de Guárico\n\n"
        "Un comunicado oficial habla de dos detenidos y de\n"
        "varios sospechosos; la variable snake_case_name queda igual y *esto* también.\n\n"
        "primer punto\nsegundo punto con código\n\n"
        "Una cita textual del fiscal.\n\n"
        "foto del lugar")
    for leftover in ("#", "](", "**", "https://", "`", "---"):
        assert leftover not in doc.text


def test_strip_markdown_keeps_paragraphs():
    assert strip_markdown("# Uno\n\nDos *tres*.\n\nCuatro") == "Uno\n\nDos tres.\n\nCuatro"


def test_empty_files(tmp_path):
    for name, content in [("vacio.txt", b""), ("blanco.txt", b"  \n\t\r\n  "),
                          ("vacio.md", b"\n\n"), ("vacio.jsonl", b"\n \n"),
                          ("vacio.html", b"   "), ("vacio.pdf", b"")]:
        path = tmp_path / name
        path.write_bytes(content)
        err = only_error(path)
        assert err.reason == "empty file", (name, err)
        assert str(err) == f"{path}: empty file"


def test_binary_files(tmp_path):
    path = tmp_path / "imagen.txt"
    path.write_bytes(bytes(range(256)) * 8)
    assert only_error(path).reason == "binary file, not text"
    controls = tmp_path / "controles.md"
    controls.write_bytes(b"\x01\x02\x03\x04\x05\x06abc" * 100)  # no NUL, mostly control bytes
    assert only_error(controls).reason == "binary file, not text"
    html = tmp_path / "raro.html"
    html.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    assert only_error(html).reason == "binary file, not text"


# --- HTML -------------------------------------------------------------------------------------

def test_html_article_without_scripts(tmp_path):
    path = tmp_path / "articulo.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = only_doc(path)
    assert "detuvieron a tres personas en el estado Guárico" in doc.text
    assert "la investigación continúa" in doc.text
    for marker in MARKERS:
        assert marker not in doc.text
    assert doc.title.startswith("Operativo en Guárico")
    assert doc.url == "https://example.org/noticias/operativo"
    assert doc.publisher == "Diario de Prueba"
    assert doc.published == "2023-04-05"
    assert doc.lang == "es"


def test_html_fallback_when_trafilatura_finds_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(htmlfile, "_extract", lambda html: None)
    path = tmp_path / "articulo.htm"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = only_doc(path)
    assert "una red de extorsión" in doc.text
    for marker in MARKERS:
        assert marker not in doc.text
    assert doc.title.startswith("Operativo en Guárico")  # metadata still comes from trafilatura
    assert doc.publisher == "Diario de Prueba"


def test_html_declared_latin1_charset(tmp_path):
    path = tmp_path / "viejo.html"
    body = "<p>" + SPANISH.replace("\n", "</p><p>") + "</p>"
    path.write_bytes(f'<html><head><meta http-equiv="Content-Type" content="text/html; '
                     f'charset=iso-8859-1"></head><body>{body}</body></html>'.encode("latin-1"))
    assert "Guárico" in only_doc(path).text and "Núñez" in only_doc(path).text


def test_html_without_text(tmp_path):
    path = tmp_path / "solo_script.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body>"
                    "<img src=x onerror=alert(1)></body></html>", encoding="utf-8")
    assert only_error(path).reason == "no article text found in HTML"


# --- PDF --------------------------------------------------------------------------------------

def test_pdf_text(tmp_path):
    path = tmp_path / "informe.pdf"
    path.write_bytes(make_pdf([["Informe sobre la red de extorsion", "Tres detenidos en Calabozo."],
                               ["Segunda pagina del informe (anexo)."]]))
    doc = only_doc(path)
    assert "Tres detenidos en Calabozo." in doc.text
    assert "Segunda pagina del informe (anexo)." in doc.text
    assert "\n\n" in doc.text  # pages are separated by a blank line
    assert doc.text.index("Calabozo") < doc.text.index("Segunda pagina")
    assert doc.title == "Informe sobre la red de extorsion"


def test_pdf_malformed(tmp_path):
    truncated = tmp_path / "roto.pdf"
    truncated.write_bytes(make_pdf([["Texto que se corta"]])[:150])
    err = only_error(truncated)
    assert err.reason.startswith("not a valid PDF (") and str(err).startswith(f"{truncated}: ")
    fake = tmp_path / "falso.pdf"
    fake.write_bytes(b"esto no es un PDF, solo texto")
    assert only_error(fake).reason.startswith("not a valid PDF")


def test_pdf_without_text_and_encrypted(tmp_path):
    from pypdf import PdfWriter

    def blank(password: str | None) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        if password:
            writer.encrypt(password)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    scanned = tmp_path / "escaneado.pdf"
    scanned.write_bytes(blank(None))
    assert only_error(scanned).reason == "PDF has no extractable text (scanned?)"
    locked = tmp_path / "cerrado.pdf"
    locked.write_bytes(blank("clave-secreta"))
    assert only_error(locked).reason.startswith("encrypted PDF")


# --- JSONL ------------------------------------------------------------------------------------

def test_jsonl_with_broken_line(tmp_path):
    path = tmp_path / "data.jsonl"
    lines = [json.dumps({"text": "Primera nota sobre Guárico.", "title": "Uno",
                         "url": "https://example.org/1", "published": "2022-01-02",
                         "publisher": "Diario", "lang": "es"}, ensure_ascii=False),
             '{"text": "falta una coma" "title": "x"}',
             "",
             json.dumps({"text": "Tercera nota.", "published": 2021}),
             json.dumps({"title": "sin texto"}),
             json.dumps(["no", "es", "objeto"])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_path(path))
    found = docs(items)
    assert [d.text for d in found] == ["Primera nota sobre Guárico.", "Tercera nota."]
    first = found[0]
    assert (first.title, first.url, first.published, first.publisher, first.lang) == \
        ("Uno", "https://example.org/1", "2022-01-02", "Diario", "es")
    assert first.path == f"{path}#L1" and found[1].path == f"{path}#L4"
    assert found[1].published == "2021"
    errs = errors(items)
    assert [e.line for e in errs] == [2, 5, 6]
    assert str(errs[0]) == f"{path}:2: invalid JSON (Expecting ',' delimiter)"
    assert errs[1].reason == 'missing "text" field'
    assert errs[2].reason.startswith("expected a JSON object")


def test_jsonl_wrong_field_type_and_bad_utf8(tmp_path):
    path = tmp_path / "tipos.jsonl"
    path.write_bytes(b'{"text": "Bien."}\n{"text": "Mal.", "title": ["lista"]}\n'
                     b'{"text": "caf\xe9"}\n')
    items = list(read_path(path))
    assert [d.text for d in docs(items)] == ["Bien."]
    assert [(e.line, e.reason.split(" (")[0]) for e in errors(items)] == \
        [(2, 'field "title" must be a string, not list'), (3, "not valid UTF-8")]


# --- gzip, size guard -------------------------------------------------------------------------

def test_gzip_txt_and_jsonl(tmp_path):
    txt = tmp_path / "nota.txt.gz"
    txt.write_bytes(gzip.compress(SPANISH.encode("latin-1")))
    assert only_doc(txt).text == SPANISH
    assert only_doc(txt).path == str(txt)
    jsonl = tmp_path / "lote.JSONL.GZ"
    jsonl.write_bytes(gzip.compress(b'{"text": "Uno."}\n{"text": "Dos."}\n{roto\n'))
    items = list(read_path(jsonl))
    assert [d.text for d in docs(items)] == ["Uno.", "Dos."]
    assert [d.path for d in docs(items)] == [f"{jsonl}#L1", f"{jsonl}#L2"]
    assert [e.line for e in errors(items)] == [3]


def test_gzip_corrupt(tmp_path):
    bad = tmp_path / "roto.txt.gz"
    bad.write_bytes(b"esto no es gzip")
    assert only_error(bad).reason.startswith("corrupt gzip file")
    truncated = tmp_path / "cortado.md.gz"
    truncated.write_bytes(gzip.compress(SPANISH.encode() * 50)[:40])
    assert only_error(truncated).reason.startswith("corrupt gzip file")


def test_size_guard(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "grande.txt"
    big.write_text("a" * 1001)
    assert only_error(big).reason.startswith("file too large")
    ok = tmp_path / "justo.txt"
    ok.write_text("b" * 1000)
    assert only_doc(ok).text == "b" * 1000
    bomb = tmp_path / "bomba.txt.gz"
    bomb.write_bytes(gzip.compress(b"c" * 5000))  # small on disk, too large inflated
    assert only_error(bomb).reason.startswith("file too large")


# --- sources, iter_documents ------------------------------------------------------------------

def test_nonexistent_path(tmp_path):
    missing = tmp_path / "no-existe.txt"
    assert str(only_error(missing)) == f"{missing}: no such file or directory"
    items = list(iter_sources([missing]))
    assert len(items) == 1 and isinstance(items[0], IngestError)
    assert items[0].reason == "no such file or directory"


def test_folder_expansion(tmp_path):
    root = tmp_path / "corpus"
    (root / "b_sub" / "deep").mkdir(parents=True)
    (root / ".oculto").mkdir()
    for rel in ["z.txt", "a.md", "b_sub/c.html", "b_sub/deep/d.pdf", "b_sub/e.jsonl.gz",
                "notas.docx", "tabla.csv", ".secreto.txt", ".oculto/f.txt"]:
        (root / rel).write_bytes(b"x")
    found = list(iter_sources([root]))
    assert all(not isinstance(f, IngestError) for f in found)
    assert [f.relative_to(root).as_posix() for f in found] == \
        ["a.md", "b_sub/c.html", "b_sub/deep/d.pdf", "b_sub/e.jsonl.gz", "z.txt"]
    assert found == list(iter_sources([str(root)]))  # deterministic, str or Path
    again = list(iter_sources([root, root / "z.txt"]))  # each file once
    assert len(again) == 5


def test_explicit_unsupported_file(tmp_path):
    path = tmp_path / "notas.docx"
    path.write_bytes(b"PK\x03\x04")
    items = list(iter_sources([path]))
    assert len(items) == 1 and isinstance(items[0], IngestError)
    assert items[0].reason.startswith("unsupported file type .docx")
    assert only_error(path).reason.startswith("unsupported file type")


def test_iter_documents_mixed_and_strict(tmp_path):
    (tmp_path / "a.txt").write_text("Primero.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.md").write_text("# Tercero\n\nTexto.", encoding="utf-8")
    items = list(iter_documents([tmp_path, tmp_path / "falta.txt"]))
    assert [d.text for d in docs(items)] == ["Primero.", "Tercero\n\nTexto."]
    assert [e.reason for e in errors(items)] == ["empty file", "no such file or directory"]
    strict = iter_documents([tmp_path], strict=True)
    assert next(strict).text == "Primero."
    with pytest.raises(IngestError) as info:
        next(strict)
    assert info.value.path == str(tmp_path / "b.txt") and info.value.reason == "empty file"
    with pytest.raises(IngestError, match="no such file"):
        list(iter_documents([tmp_path / "falta.txt"], strict=True))


def test_same_text_same_id(tmp_path):
    (tmp_path / "uno.txt").write_text(SPANISH, encoding="utf-8")
    (tmp_path / "dos.txt.gz").write_bytes(gzip.compress((SPANISH + "\r\n\n").encode("cp1252")))
    (tmp_path / "tres.jsonl").write_text(json.dumps({"text": SPANISH}) + "\n", encoding="utf-8")
    (tmp_path / "otro.txt").write_text(SPANISH + " Otra frase.", encoding="utf-8")
    by_name = {d.path.split("/")[-1]: d for d in docs(iter_documents([tmp_path]))}
    assert by_name["uno.txt"].id == by_name["dos.txt.gz"].id == by_name["tres.jsonl#L1"].id
    assert by_name["otro.txt"].id != by_name["uno.txt"].id
    assert by_name["uno.txt"].id == Document(text=normalise_text(SPANISH)).id


def test_read_bytes_dispatches_on_name():
    items = list(read_bytes(b'{"text": "Hola."}\n', "subida.jsonl"))
    assert [d.text for d in docs(items)] == ["Hola."] and items[0].path == "subida.jsonl#L1"
    assert isinstance(next(read_bytes(b"x", "foto.png")), IngestError)
