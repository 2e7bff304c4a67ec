#!/usr/bin/env python3
"""Re-encodes an 8-bit RGB/RGBA PNG as a palette PNG (at most 256 colours), in place.

The app's icons are three flat colours with anti-aliased edges; as palette images they are a
third of their RGBA size, which counts in the first load (the manifest's icons are fetched
with the page). Colours beyond the 256 most frequent go to the nearest kept one (only edge
pixels). Pure Python (zlib), no image library: `python3 tests/tools/png_palette.py FILE...`.
"""
import struct
import sys
import zlib
from collections import Counter


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = ihdr
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"{path}: unsupported PNG"
    bpp = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    pixels = [[tuple(r[x * bpp:(x + 1) * bpp]) + ((255,) if bpp == 3 else ()) for x in range(w)] for r in rows]
    return w, h, pixels


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def write_palette_png(path, w, h, pixels):
    counts = Counter(p for row in pixels for p in row)
    palette = [c for c, _ in counts.most_common(256)]
    index = {c: i for i, c in enumerate(palette)}

    def nearest(c):
        return min(range(len(palette)), key=lambda i: sum((a - b) ** 2 for a, b in zip(palette[i], c)))

    for c in counts:
        if c not in index:
            index[c] = nearest(c)
    raw = b"".join(b"\x00" + bytes(index[p] for p in row) for row in pixels)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))
    out += chunk(b"PLTE", b"".join(bytes(c[:3]) for c in palette))
    if any(c[3] != 255 for c in palette):
        alphas = bytes(c[3] for c in palette)
        out += chunk(b"tRNS", alphas.rstrip(b"\xff") or b"\xff")
    out += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(out)
    return len(counts), len(palette)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        before = len(open(path, "rb").read())
        w, h, pixels = read_png(path)
        colours, kept = write_palette_png(path, w, h, pixels)
        after = len(open(path, "rb").read())
        print(f"{path}: {w}x{h}, {colours} colours ({kept} kept), {before} -> {after} bytes")
