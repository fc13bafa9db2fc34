"""Write tests/resumes/resume.pdf from tests/resumes/resume.txt: one page of Helvetica text, as a word
processor exports it, with "•" bullets. Byte-for-byte reproducible (no dates, no ids):

    python scripts/make_resume_pdf.py [FOLDER]   (FOLDER holds resume.txt; default tests/resumes)
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "tests" / "resumes"


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF 1.4 showing lines top to bottom; text in WinAnsi, the encoding of the standard fonts."""
    def escaped(line: str) -> bytes:
        raw = line.encode("cp1252")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    text = b"BT /F1 10 Tf 14 TL 56 770 Td " + b" ".join(b"(" + escaped(line) + b") '" for line in lines) + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    lines = [("• " + line[2:]) if line.startswith("- ") else line
             for line in (folder / "resume.txt").read_text(encoding="utf-8").splitlines()]
    (folder / "resume.pdf").write_bytes(pdf(lines))


if __name__ == "__main__":
    main()
