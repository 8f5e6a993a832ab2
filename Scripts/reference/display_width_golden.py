#!/usr/bin/env python3
"""Golden display widths from the wcwidth package (PyPI 0.7.0), the oracle for DisplayWidth.

Writes Tests/TerminalUITests/Fixtures/display_width_golden.tsv, one case per line:

    <kind> TAB <code points, hex, space separated> TAB <width> TAB <grapheme clusters>

kind is `cp` (one code point), `seq` (one grapheme cluster) or `text` (several clusters).
Widths come from `wcwidth.width(text, control_codes="ignore")`, which measures controls 0.
Cases the Swift side deliberately measures differently (a ZWJ that suppresses the first
scalar of the *next* cluster, Indic virama + ZWJ conjuncts) are not generated.
Seeded, so reruns produce the same file. Run from the package root.
"""
import os
import random

import wcwidth

OUT = os.path.join("Tests", "TerminalUITests", "Fixtures", "display_width_golden.tsv")


def sample_code_points(rng):
    points = set(range(0x00, 0x0500))
    points.update(range(0x1100, 0x1200))        # Hangul jamo (wide L, zero V/T)
    points.update(range(0x2E80, 0x3100))        # CJK radicals, punctuation, kana
    points.update(range(0xFE00, 0xFF10))        # variation selectors, forms, fullwidth
    points.update(range(0x1F300, 0x1F700))      # emoji pictographs
    points.update(range(0x1F900, 0x1FB00))      # supplemental symbols
    points.update([0x200B, 0x200C, 0x200D, 0x2060, 0x00AD, 0x3000, 0xE0001, 0xE0020, 0xE007F])
    while len(points) < 6000:
        cp = rng.randrange(0x20, 0x32000)
        if not 0xD800 <= cp <= 0xDFFF:
            points.add(cp)
    return sorted(points)


def sequences():
    seqs = []
    vs16_bases = [cp for cp in range(0x20, 0x1FB00)
                  if wcwidth.wcwidth(chr(cp)) == 1 and wcwidth.width(chr(cp) + "\ufe0f") == 2]
    seqs += [chr(cp) + "\ufe0f" for cp in vs16_bases]
    seqs += [chr(cp) + "\ufe0e" for cp in vs16_bases[:40]]
    seqs += ["\u2764\ufe0f", "\u263a\ufe0f", "\u00a9\ufe0f", "a\ufe0f", "\u4e2d\ufe0f"]
    seqs += [c + "\ufe0f\u20e3" for c in "0123456789#*"]
    seqs += ["1\u20e3"]
    flags = ["US", "JP", "FR", "DE", "GB", "CN", "KR", "BR", "IN", "UA", "CA", "ZA"]
    seqs += ["".join(chr(0x1F1E6 + ord(ch) - ord("A")) for ch in f) for f in flags]
    seqs += ["\U0001F1EF"]
    for base in ["\U0001F44D", "\U0001F44B", "\U0001F9D1", "\U0001F469", "\u270C"]:
        for mod in range(0x1F3FB, 0x1F400):
            seqs.append(base + chr(mod))
    seqs += [
        "\U0001F468\u200d\U0001F469\u200d\U0001F467",
        "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466",
        "\U0001F9D1\u200d\U0001F4BB", "\U0001F3F3\ufe0f\u200d\U0001F308",
        "\u2764\ufe0f\u200d\U0001F525", "\U0001F441\ufe0f\u200d\U0001F5E8\ufe0f",
        "\U0001F469\U0001F3FD\u200d\U0001F680", "\U0001F3F4\u200d\u2620\ufe0f",
        "\U0001F415\u200d\U0001F9BA", "\U0001F9D4\U0001F3FB\u200d\u2642\ufe0f",
        "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
    ]
    for base in "aeouAEnc":
        for mark in [0x0300, 0x0301, 0x0302, 0x0303, 0x0308, 0x0327, 0x20DD]:
            seqs.append(base + chr(mark))
    seqs += ["e\u0301\u0302", "\u4e2d\u0301", "\u3042\u3099", "a\u200b"]
    for lead in [0x1100, 0x1109, 0x1112]:
        for vowel in [0x1161, 0x1169]:
            seqs.append(chr(lead) + chr(vowel))
            seqs.append(chr(lead) + chr(vowel) + "\u11a8")
    seqs += ["\u0915\u093f", "\u0915\u0940", "\u0915\u0941", "\u0915\u0947", "\u0915\u094d\u0937",
             "\u0e01\u0e33", "\u0e01\u0e34", "\u0600" + "1"]
    return seqs


def texts():
    return [
        "Hello, world", "\u4e16\u754c\u4f60\u597d", "Hello, \u4e16\u754c! \U0001F44B\U0001F3FD",
        "caf\u00e9 cafe\u0301", "\uff21\uff22\uff23 abc", "\u30b3\u30f3\u30cb\u30c1\u30cf",
        "\U0001F1EF\U0001F1F5\U0001F1FA\U0001F1F8", "\u2764\ufe0f\u2764", "1\ufe0f\u20e32\ufe0f\u20e3",
        "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8", "tab\there", "bell\x07end",
        "\U0001F468\u200d\U0001F469\u200d\U0001F467 family", "\u0928\u092e\u0938\u094d\u0924\u0947",
        "mixed \u4e2d\u6587 and emoji \U0001F600\U0001F680 ok",
    ]


def main():
    rng = random.Random(20240617)
    rows = []
    for cp in sample_code_points(rng):
        s = chr(cp)
        rows.append(("cp", s, wcwidth.width(s, control_codes="ignore"), 1))
    for s in sequences():
        clusters = len(list(wcwidth.iter_graphemes(s)))
        rows.append(("seq" if clusters == 1 else "text", s,
                     wcwidth.width(s, control_codes="ignore"), clusters))
    for s in texts():
        clusters = len(list(wcwidth.iter_graphemes(s)))
        rows.append(("text", s, wcwidth.width(s, control_codes="ignore"), clusters))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# kind\tcode points\twidth\tclusters (wcwidth %s)\n" % wcwidth.__version__)
        for kind, s, width, clusters in rows:
            hexes = " ".join(f"{ord(ch):X}" for ch in s)
            f.write(f"{kind}\t{hexes}\t{width}\t{clusters}\n")
    print(f"wrote {OUT}: {len(rows)} cases")


if __name__ == "__main__":
    main()
