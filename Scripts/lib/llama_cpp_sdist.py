#!/usr/bin/env python3
"""Downloads the PyPI `llama-cpp-python` 0.3.36 sdist (the llama.cpp every oracle uses) and checks it.

`pip download` cannot fetch this sdist alone: it prepares the package's metadata first, which
needs scikit-build-core (without build isolation) or builds all of llama.cpp (with it). So the
file's URL is read from the package index's simple API (pip's configured index, else PyPI) and
the download is checked against its pinned SHA-256.

Usage: llama_cpp_sdist.py DEST_DIR   prints the tarball's path (reuses a checked one already there)
"""
import hashlib
import json
import os
import subprocess
import sys
import urllib.request

SDIST = "llama_cpp_python-0.3.36.tar.gz"
SDIST_SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_url():
    """pip's configured index (a mirror, if the machine uses one), else PyPI."""
    url = os.environ.get("PIP_INDEX_URL", "")
    if not url:
        try:
            url = subprocess.run([sys.executable, "-m", "pip", "config", "get", "global.index-url"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        except (subprocess.CalledProcessError, OSError):
            url = ""
    return (url or "https://pypi.org/simple").rstrip("/")


def download_sdist(folder):
    """The checked sdist in `folder`, downloaded unless a good copy is already there."""
    path = os.path.join(folder, SDIST)
    if os.path.isfile(path) and sha256(path) == SDIST_SHA256:
        return path
    request = urllib.request.Request(f"{index_url()}/llama-cpp-python/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    url = next((f["url"] for f in files if f["filename"] == SDIST), None)
    if url is None:
        raise RuntimeError(f"the package index lists no {SDIST}")
    partial = path + ".partial"
    with urllib.request.urlopen(url, timeout=180) as response, open(partial, "wb") as out:
        for block in iter(lambda: response.read(1 << 20), b""):
            out.write(block)
    if sha256(partial) != SDIST_SHA256:
        os.remove(partial)
        raise RuntimeError(f"{SDIST} does not have the expected SHA-256 {SDIST_SHA256}")
    os.replace(partial, path)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    print(download_sdist(sys.argv[1]))
