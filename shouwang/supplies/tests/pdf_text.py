"""The text a PDF drawn by reportlab shows, for tests to read: each string
drawn (`Tj`) on a line, decoded in its font's encoding (UCS-2 for the CJK
font, Latin-1 otherwise). Enough for our own letters, not a general reader."""

from __future__ import annotations

import base64
import re
import zlib

STREAM = re.compile(rb"<<(?P<dict>.*?)>>\s*stream\r?\n(?P<data>.*?)endstream", re.S)
CID_FONT = re.compile(rb"/Encoding /UniGB-UCS2-H /Name /(F\d+)")
TOKENS = re.compile(rb"/(?P<font>F\d+) [\d.]+ Tf|\((?P<text>(?:\\.|[^\\)])*)\) Tj", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        char = raw[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        following = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += ESCAPES.get(following, following)
            i += 2
    return bytes(out)


def _decode(data: bytes, filters: bytes) -> bytes:
    if b"ASCII85Decode" in filters:
        data = base64.a85decode(data.strip(), adobe=True)
    if b"FlateDecode" in filters:
        data = zlib.decompress(data)
    return data


def pdf_text(pdf: bytes) -> str:
    cid_fonts = set(CID_FONT.findall(pdf))
    lines = []
    for stream in STREAM.finditer(pdf):
        content = _decode(stream["data"], stream["dict"])
        font = b""
        for token in TOKENS.finditer(content):
            if token["font"]:
                font = token["font"]
                continue
            raw = _unescape(token["text"])
            lines.append(raw.decode("utf-16-be") if font in cid_fonts else raw.decode("latin-1"))
    return "\n".join(lines)
