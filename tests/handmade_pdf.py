"""Hand-written PDF bytes for tests that need a structure no PDF library would write (lying page counts,
reference loops, huge pages, content bombs)."""

from __future__ import annotations


def pdf(objects: list[bytes], header: bytes = b"%PDF-1.7\n") -> bytes:
    """A PDF of numbered objects (object 1 the catalog) with a correct cross-reference table."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    """A stream object with its /Length and any further dictionary ``entries`` (e.g. b"/Filter /FlateDecode")."""
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries.strip(), data)
