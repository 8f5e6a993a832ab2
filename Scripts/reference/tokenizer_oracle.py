#!/usr/bin/env python3
"""Independent tokenizer oracle: writes golden files for Parley's tokenizer tests.

It re-implements, in plain Python with the `regex` package, what llama.cpp does for the shared
vocab files, from the published pattern strings rather than from Parley's scanners:

* pre-tokenizer splits: the GPT-2, Llama 3, Qwen2, digit-splitting, `default` and `falcon`
  patterns run by a real backtracking regex engine, with \\p{L}, \\p{N}, \\p{P} and \\s spelled
  out as the Unicode 15.1 classes llama.cpp uses (White_Space for \\s), chained as llama.cpp
  chains them (the SentencePiece and BPE results are checked against llama.cpp's 46 vectors
  before anything is written);
* byte-level BPE: the textbook "merge the lowest-ranked adjacent pair, leftmost first" loop;
* SentencePiece: "merge the best-scoring adjacent pair whose text is a token", then `<0xNN>`.

Inputs are llama.cpp's 46 vocab-test strings, seeded mutations of them and seeded random Unicode
text. Outputs (committed, so tests never run Python):

    Tests/InferenceTests/Fixtures/Tokenizer/pretokenizer-golden.json
    Tests/InferenceTests/Fixtures/Tokenizer/oracle-<vocab>.json

Run (needs PyPI gguf, regex and unicodedata2==15.1.0):

    pip install --target /tmp/ud2 "unicodedata2==15.1.0"
    PYTHONPATH=/tmp/ud2 python3 Scripts/reference/tokenizer_oracle.py [--models DIR]
"""
import argparse
import json
import os
import random

import regex
import unicodedata2 as ud
from gguf import GGUFReader

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests/InferenceTests/Fixtures/Tokenizer")
WHITE_SPACE = set(range(0x09, 0x0E)) | {0x20, 0x85, 0xA0, 0x1680} | set(range(0x2000, 0x200B)) \
    | {0x2028, 0x2029, 0x202F, 0x205F, 0x3000}


# ---------------------------------------------------------------- character classes

def class_ranges(predicate):
    """A regex character-class body (no brackets) for the code points satisfying predicate."""
    parts, start = [], None
    for cp in range(0x110001):
        inside = cp <= 0x10FFFF and not (0xD800 <= cp <= 0xDFFF) and predicate(cp)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            parts.append("\\U%08X-\\U%08X" % (start, cp - 1) if cp - 1 > start else "\\U%08X" % start)
            start = None
    return "".join(parts)


def category(cp):
    return ud.category(chr(cp))


WS = class_ranges(lambda cp: cp in WHITE_SPACE)
L = class_ranges(lambda cp: cp not in WHITE_SPACE and category(cp)[0] == "L")
N = class_ranges(lambda cp: cp not in WHITE_SPACE and category(cp)[0] == "N")
P = class_ranges(lambda cp: cp not in WHITE_SPACE and category(cp)[0] == "P")

CONTRACTIONS_LOWER = "'s|'t|'re|'ve|'m|'ll|'d"
CONTRACTIONS_ANY = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
GPT2 = (f"{CONTRACTIONS_LOWER}| ?[{L}]+| ?[{N}]+| ?[^{WS}{L}{N}]+|[{WS}]+(?![^{WS}])|[{WS}]+")
LLAMA3 = (f"{CONTRACTIONS_ANY}|[^\\r\\n{L}{N}]?[{L}]+|[{N}]{{1,3}}| ?[^{WS}{L}{N}]+[\\r\\n]*"
          f"|[{WS}]*[\\r\\n]+|[{WS}]+(?![^{WS}])|[{WS}]+")
QWEN2 = LLAMA3.replace(f"[{N}]{{1,3}}", f"[{N}]")
DIGIT = f"[{N}]"

CHAINS = {
    "gpt2": [regex.compile(GPT2)],
    "llama3": [regex.compile(LLAMA3)],
    "qwen2": [regex.compile(QWEN2)],
    "digitsThenGPT2": [regex.compile(DIGIT), regex.compile(GPT2)],
    # llama.cpp's `default` and `falcon` BPE chains.
    "llamaDefault": [regex.compile(f"[{P}\\$\\+<=>\\^~\\|]+"), regex.compile(GPT2), regex.compile(f"[{N}]+"),
                     regex.compile("[0-9][0-9][0-9]")],
    "falcon": [regex.compile(f"[{P}\\$\\+<=>\\^~\\|`]+"), regex.compile(GPT2), regex.compile("[0-9][0-9][0-9]")],
}


def pre_tokenize(text, kind):
    """Word boundaries as llama.cpp's unicode_regex_split: each pattern splits every piece of the
    previous one (matches and the gaps between them), never looking past a piece's end."""
    pieces = [(0, len(text))]
    for pattern in CHAINS[kind]:
        result = []
        for start, end in pieces:
            cursor = start
            for match in pattern.finditer(text, start, end):
                if match.start() > cursor:
                    result.append((cursor, match.start()))
                if match.end() > match.start():
                    result.append((match.start(), match.end()))
                cursor = match.end()
            if cursor < end:
                result.append((cursor, end))
        pieces = result
    return [text[a:b] for a, b in pieces]


# ---------------------------------------------------------------- vocabularies

def byte_chars():
    keep = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    mapping, extra = {}, 0
    for b in range(256):
        if b in keep:
            mapping[b] = chr(b)
        else:
            mapping[b] = chr(256 + extra)
            extra += 1
    return mapping


BYTE_CHAR = byte_chars()


class Vocab:
    def __init__(self, path):
        reader = GGUFReader(path)
        fields = reader.fields

        def strings(key):
            field = fields.get(key)
            return None if field is None else [bytes(field.parts[i]).decode("utf-8") for i in field.data]

        def scalar(key, default=None):
            field = fields.get(key)
            if field is None:
                return default
            value = field.parts[field.data[0]]
            return bytes(value).decode() if field.types[0].name == "STRING" else value.tolist()[0]

        self.model = scalar("tokenizer.ggml.model")
        self.pre = scalar("tokenizer.ggml.pre", "")
        self.tokens = strings("tokenizer.ggml.tokens")
        self.ids = {text: i for i, text in enumerate(self.tokens)}
        scores = fields.get("tokenizer.ggml.scores")
        self.scores = [float(scores.parts[i][0]) for i in scores.data] if scores else [0.0] * len(self.tokens)
        merges = strings("tokenizer.ggml.merges") or []
        self.ranks = {}
        for rank, line in enumerate(merges):
            space = line.find(" ", 1)
            if space > 0:
                self.ranks.setdefault((line[:space], line[space + 1:]), rank)
        self.add_space_prefix = bool(scalar("tokenizer.ggml.add_space_prefix", self.model == "llama"))
        self.kind = {"gpt-2": "gpt2", "llama-bpe": "llama3", "qwen2": "qwen2", "smollm": "digitsThenGPT2"}.get(self.pre)
        self.ignore_merges = self.pre == "llama-bpe"

    def encode(self, text):
        return self.encode_spm(text) if self.model == "llama" else self.encode_bpe(text)

    def encode_bpe(self, text):
        out = []
        for word in pre_tokenize(text, self.kind):
            symbols = [BYTE_CHAR[b] for b in word.encode("utf-8")]
            if self.ignore_merges and "".join(symbols) in self.ids:
                out.append(self.ids["".join(symbols)])
                continue
            while len(symbols) > 1:
                best = None
                for i in range(len(symbols) - 1):
                    rank = self.ranks.get((symbols[i], symbols[i + 1]))
                    if rank is not None and (best is None or rank < best[0]):
                        best = (rank, i)
                if best is None:
                    break
                i = best[1]
                symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
            out.extend(self.ids[s] for s in symbols if s in self.ids)
        return out

    def encode_spm(self, text):
        if not text:
            return []
        text = (" " + text if self.add_space_prefix else text).replace(" ", "\u2581")
        symbols = list(text)
        while True:
            best = None
            for i in range(len(symbols) - 1):
                merged = symbols[i] + symbols[i + 1]
                if merged in self.ids:
                    score = self.scores[self.ids[merged]]
                    if best is None or score > best[0]:
                        best = (score, i)
            if best is None:
                break
            i = best[1]
            symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
        out = []
        for symbol in symbols:
            if symbol in self.ids:
                out.append(self.ids[symbol])
            else:
                out.extend(self.ids["<0x%02X>" % b] for b in symbol.encode("utf-8"))
        return out


# ---------------------------------------------------------------- inputs

POOL = (
    list("abcXYZ éüßñ ÄÖ") + list("0123456789") + list("!?.,;:'\"()[]{}<>-_=+*/\\|@#$%^&~`")
    + [" ", " ", " ", "\t", "\n", "\r", "\r\n", "\u0085", "\u00a0", "\u2003", "\u3000", "\u200b", "\u180e",
       "\ufeff", "\u2028"]
    + list("你好世界语言模型こんにちはカタカナ한국어") + list("привет мир Ελληνικά")
    + list("مرحبا") + list("नमस्ते") + ["\u0301", "\u0308"]
    + ["🦙", "👍🏽", "❤️", "👨\u200d👩\u200d👧", "🇯🇵", "😶\u200d🌫️", "\ufffd"]
    + ["²", "½", "Ⅻ", "٣", "𝟘", "①"]
    + ["'s", "'S", "'ll", "'LL", "'Re", "'ve", "'d", "'M", "'x"]
    + ["\u0378", "\u1c89", "\ue000", "\U0002ebf0", "\U0010fffd"]
    # Bytes SmolLM2 has no token for (control characters, the lead bytes F1 and F2): dropped.
    + ["\x04", "\x06\x13", "\U00041594", "\U0008a2bd"]
    + ["    ", "\n\n", " \n ", "\t\t", "123456", "3.14", "don't", "I'm"]
)


def random_text(rng, length):
    return "".join(rng.choice(POOL) for _ in range(length))


def mutate(rng, text):
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(4)
        position = rng.randint(0, len(chars))
        if op == 0:
            chars.insert(position, rng.choice(POOL))
        elif op == 1 and chars:
            del chars[min(position, len(chars) - 1)]
        elif op == 2 and chars:
            chars[min(position, len(chars) - 1)] = rng.choice(POOL)
        elif chars:
            a = rng.randint(0, len(chars) - 1)
            chars[position:position] = chars[a:a + rng.randint(1, 8)]
    return "".join(chars)


def vocab_test_strings(models):
    with open(os.path.join(models, "vocab/ggml-vocab-llama-spm.gguf.inp"), encoding="utf-8") as f:
        parts = f.read().split("\n__ggml_vocab_test__\n")
    return parts[:-1] if parts and parts[-1] == "" else parts


def inputs(models):
    rng = random.Random(20261123)
    base = vocab_test_strings(models)
    texts = [mutate(rng, rng.choice(base)) for _ in range(60)]
    texts += [random_text(rng, rng.randint(1, 40)) for _ in range(80)]
    texts += [random_text(rng, 200) for _ in range(4)]
    return texts


def check_against_llama_cpp(models, vocab, name):
    """The oracle must itself reproduce llama.cpp's 46 vocab-test vectors before it is trusted."""
    with open(os.path.join(models, f"vocab/ggml-vocab-{name}.gguf.out"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    for index, text in enumerate(vocab_test_strings(models)):
        expected = [int(x) for x in lines[index].split()]
        if vocab.encode(text) != expected:
            raise SystemExit(f"oracle disagrees with llama.cpp on {name} case {index}: {text!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=os.path.join(os.path.dirname(ROOT), "shared/models"))
    args = parser.parse_args()
    models = args.models if os.path.isdir(args.models) else os.path.join(ROOT, "Tests", "Fixtures", "models")
    if ud.unidata_version != "15.1.0":
        raise SystemExit(f"need unicodedata2 15.1.0, found {ud.unidata_version}")
    texts = inputs(models)
    os.makedirs(FIXTURES, exist_ok=True)

    golden = {"note": "word splits by the Python regex package; see Scripts/reference/tokenizer_oracle.py",
              "cases": [{"text": t, **{k: pre_tokenize(t, k) for k in CHAINS}} for t in texts + vocab_test_strings(models)]}
    with open(os.path.join(FIXTURES, "pretokenizer-golden.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=True, indent=0)

    for name in ["llama-spm", "llama-bpe", "qwen2", "gpt-2", "phi-3", "smollm2"]:
        vocab = Vocab(os.path.join(models, f"vocab/ggml-vocab-{name}.gguf"))
        check_against_llama_cpp(models, vocab, name)
        cases = [{"text": t, "ids": vocab.encode(t)} for t in texts]
        with open(os.path.join(FIXTURES, f"oracle-{name}.json"), "w", encoding="utf-8") as f:
            json.dump({"note": "add_special=false, parse_special=false; see Scripts/reference/tokenizer_oracle.py",
                       "vocab": name, "cases": cases}, f, ensure_ascii=True, separators=(",", ":"))
        print(name, len(cases), "cases")


if __name__ == "__main__":
    main()
