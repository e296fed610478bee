#!/usr/bin/env python3
"""Writes src/Reasoner.Model/Tokenization/nfc-table.txt, the Unicode data Nfc.cs needs (the runtime runs with
invariant globalization, where string.Normalize does nothing): canonical decompositions ("D cp a b"), canonical
combining classes ("C cp class", ranges "C first-last class"), and primary composites ("P a b cp": pairs that NFC
composes, composition exclusions left out). Hex code points. From python3's unicodedata (its Unicode version is the
file's first line). Usage: scripts/make_nfc_table.py > src/Reasoner.Model/Tokenization/nfc-table.txt
       scripts/make_nfc_table.py --cases > tests/fixtures/nfc-cases.json (NFC of random text, for NfcTests)"""
import sys, unicodedata

def table():
    print(f"# unicode {unicodedata.unidata_version}")
    ranges, start, prev, cls = [], None, None, None
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000 or 0xAC00 <= cp <= 0xD7A3:
            continue  # surrogates; Hangul syllables are algorithmic
        c = chr(cp)
        d = unicodedata.decomposition(c)
        if d and not d.startswith("<"):
            parts = d.split()
            print("D", f"{cp:x}", *[p.lower() for p in parts])
            if len(parts) == 2 and unicodedata.normalize("NFC", unicodedata.normalize("NFD", c)) == c:
                print("P", parts[0].lower(), parts[1].lower(), f"{cp:x}")
        k = unicodedata.combining(c)
        if k and start is not None and cp == prev + 1 and k == cls:
            prev = cp
            continue
        if start is not None:
            ranges.append((start, prev, cls))
            start = None
        if k:
            start, prev, cls = cp, cp, k
    if start is not None:
        ranges.append((start, prev, cls))
    for a, b, k in ranges:
        print("C", f"{a:x}" if a == b else f"{a:x}-{b:x}", k)


if len(sys.argv) > 1 and sys.argv[1] == "--cases":  # test cases: random text with combining marks, jamo, precomposed letters
    import json, random
    random.seed(1)
    pool = [chr(c) for c in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x17F), *range(0x300, 0x370), 0x1E08, 0x1E9B,
            0x212B, 0x2126, *range(0x1100, 0x1113), *range(0x1161, 0x1176), *range(0x11A8, 0x11C3), 0xAC00, 0xAC01, 0xD7A3,
            *range(0x3099, 0x309B), 0x304B, 0x30AB, 0x0915, 0x093C, 0x0958, 0x1F600, 0x1D15E, 0x1D165, 0x1D16E, 0x0F73, 0x0F71, 0x0F72]]
    cases = ["".join(random.choice(pool) for _ in range(random.randint(1, 8))) for _ in range(3000)]
    print(json.dumps({"unicode": unicodedata.unidata_version, "cases": [[c, unicodedata.normalize("NFC", c)] for c in cases]}, ensure_ascii=True))
else:
    table()
