"""A file -> text records, or a specific reason why it cannot be read.

Formats: .txt .md .html/.htm .docx .pdf .jsonl, and one-article-per-line dumps
(`[ 2023-07-28 16：40 ] ，正文：…`). Encodings are detected with charset-normalizer.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from charset_normalizer import from_bytes

from .documents import SourceText

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".jsonl"}
DUMP_LINE = re.compile(r"^\[?\s*([^，,\]]{0,30}?)\s*\]?\s*[，,]\s*正文[：:](.*)$")
DUMP_DATE = re.compile(r"(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})")
YEAR_IN_NAME = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
CJK = re.compile(r"[\u4e00-\u9fff]")


class UnreadableFile(Exception):
    """The file cannot be indexed; the message says why, in words a user can act on."""


def decode_bytes(data: bytes) -> str:
    """Decode text in UTF-8 (with or without BOM), GB18030/GBK, Big5 or what charset-normalizer finds."""
    if not data.strip():
        raise UnreadableFile("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and len(data) - exc.start < 4:
            return data[: exc.start].decode("utf-8")  # a file cut inside its last character
        utf8_error = exc
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is None or best.encoding in (None, "ascii"):
        raise UnreadableFile(
            f"cannot decode text: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
            "and no GB18030/GBK/Big5 reading fits"
        )
    text = str(best)
    if len(CJK.findall(text)) < 0.05 * len(text) and best.chaos > 0.2:
        raise UnreadableFile(f"cannot decode text: best guess {best.encoding} gives garbage")
    return text


def _read_html(data: bytes) -> str:
    import trafilatura

    html = decode_bytes(data)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if not text or not text.strip():
        raise UnreadableFile("HTML page has no main text")
    return text


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for broken zips
        raise UnreadableFile(f"not a readable .docx file ({type(exc).__name__})") from exc
    return "\n\n".join(p.text for p in document.paragraphs)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, OSError) as exc:
        raise UnreadableFile(f"not a readable PDF ({exc})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise UnreadableFile("PDF has no text layer (scanned images need OCR)")
    return text


def _read_jsonl(text: str, source: str) -> list[SourceText]:
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnreadableFile(f"line {number} is not JSON ({exc.msg})") from exc
        body = (obj.get("text") or "").strip() if isinstance(obj, dict) else ""
        if not body:
            continue
        records.append(
            SourceText(
                source=source,
                text=body,
                title=(obj.get("title") or "").strip(),
                date=obj.get("date"),
                record_id=str(obj.get("doc_id") or obj.get("id") or number),
            )
        )
    if not records:
        raise UnreadableFile('no records with a "text" field')
    return records


def _dump_date(stamp: str) -> str | None:
    """`2023-07-28 16：40`, `08/16  13:50`, `07-20 22:43` -> ISO date, or 月/日 when the year is missing."""
    match = DUMP_DATE.search(stamp)
    if not match:
        return None
    year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    return f"{int(year):04d}-{month:02d}-{day:02d}" if year else f"{month}月{day}日"


def _read_dump(text: str, source: str) -> list[SourceText] | None:
    """One-article-per-line dumps (`[ 2023-07-28 16：40 ] ，正文：…`); None when the text is not one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:20]
    if not lines or sum(bool(DUMP_LINE.match(line)) for line in lines) < 0.8 * len(lines):
        return None
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        match = DUMP_LINE.match(line.strip())
        if match and match.group(2).strip():
            stamp, body = match.groups()
            records.append(SourceText(source, body.strip(), title="", date=_dump_date(stamp), record_id=f"L{number}"))
    years = [r.date[:4] for r in records if r.date and r.date[:4].isdigit()]
    if years:  # a stamp without its year (`07-25 13:48`) is in the year the file's other stamps give
        year = max(set(years), key=years.count)
        for record in records:
            if record.date and not record.date[:4].isdigit():
                month, day = re.match(r"(\d+)月(\d+)日", record.date).groups()
                record.date = f"{year}-{int(month):02d}-{int(day):02d}"
    return records


def read_file(path: Path, source: str, max_bytes: int | None = None, data: bytes | None = None) -> list[SourceText]:
    """Read one file into text records. Raises UnreadableFile with a specific reason. `data`: the
    file's bytes when the caller already read them (so what is parsed is what was hashed)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(f"unsupported file type '{suffix or path.name}'")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise UnreadableFile(f"file too large ({size / 2**20:.1f} MB > {max_bytes / 2**20:.0f} MB limit)")
        if suffix == ".docx":
            text = _read_docx(path)
        elif suffix == ".pdf":
            text = _read_pdf(path)
        else:
            data = path.read_bytes() if data is None else data
            text = _read_html(data) if suffix in (".html", ".htm") else decode_bytes(data)
    except PermissionError as exc:
        raise UnreadableFile("permission denied") from exc
    except (IsADirectoryError, FileNotFoundError) as exc:
        raise UnreadableFile(f"not a readable file ({exc.strerror})") from exc
    if not text.strip():
        raise UnreadableFile("no text in file")
    if suffix == ".jsonl":
        return _read_jsonl(text, source)
    dump = _read_dump(text, source)
    if dump is not None:
        return dump
    year = YEAR_IN_NAME.search(path.name)
    return [SourceText(source, text, year_hint=int(year.group(1)) if year else None)]
