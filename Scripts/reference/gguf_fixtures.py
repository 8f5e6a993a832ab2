#!/usr/bin/env python3
"""Record what PyPI `gguf` (GGUFReader, version 0.19.0) reads from the shared GGUF files.

The Swift GGUF reader is tested against these JSON files (Tests/GGUFTests/Fixtures/gguf-*.json):
same version, alignment, data offset, metadata keys in order with their types and values, and
the same tensor table. Tests never run Python; rerun this script only when the models change:

    pip install gguf==0.19.0
    python3 Scripts/reference/gguf_fixtures.py [MODELS_DIR]

MODELS_DIR defaults to $PARLEY_MODELS_DIR, then ../shared/models beside the repository, then
the committed Tests/Fixtures/models (which has no SmolLM2 weights). It reads the *.gguf files there and in its vocab/ folder.

Canonical value bytes (hashed with SHA-256 into "sha256"; the Swift test builds the same bytes):
the value re-encoded from gguf-py's parsed form in GGUF's own little-endian layout, without the
leading type id. Integers in their declared width (<B <b <H <h <I <i <Q <q), f32/f64 as their
IEEE bits, bool as one byte 0/1, a string as its u64 UTF-8 length then the bytes, an array as its
u32 element type, its u64 length, then each element. This is exact (float bits, string bytes)
and cheap to rebuild in an unoptimized Swift test build. The "value" field of scalars holds
integers and strings as themselves and floats as "f32:%08x" / "f64:%016x" bit strings.
"""

import hashlib
import importlib.metadata
import json
import os
import struct
import sys
from pathlib import Path

import numpy as np
from gguf import GGUFReader, GGUFValueType

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Tests" / "GGUFTests" / "Fixtures"
DATA_DIGEST_LIMIT = 256 * 1024  # tensors up to this size also get a digest of their bytes


def models_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    if os.environ.get("PARLEY_MODELS_DIR"):
        return Path(os.environ["PARLEY_MODELS_DIR"])
    beside = REPO.parent / "shared" / "models"
    return beside if beside.exists() else REPO / "Tests" / "Fixtures" / "models"


PACK = {
    GGUFValueType.UINT8: "<B", GGUFValueType.INT8: "<b", GGUFValueType.UINT16: "<H",
    GGUFValueType.INT16: "<h", GGUFValueType.UINT32: "<I", GGUFValueType.INT32: "<i",
    GGUFValueType.UINT64: "<Q", GGUFValueType.INT64: "<q",
}


def element(part: np.ndarray, vtype: GGUFValueType):
    """One scalar or string part as (json value, canonical bytes), both exact."""
    if vtype == GGUFValueType.STRING:
        text = bytes(part).decode("utf-8")
        raw = text.encode("utf-8")
        return text, struct.pack("<Q", len(raw)) + raw
    if vtype == GGUFValueType.BOOL:
        raw = int(part.view(np.uint8)[0])
        assert raw in (0, 1), f"bool byte {raw}"
        return raw == 1, bytes([raw])
    if vtype == GGUFValueType.FLOAT32:
        bits = int(part.view(np.uint32)[0])
        return "f32:%08x" % bits, struct.pack("<I", bits)
    if vtype == GGUFValueType.FLOAT64:
        bits = int(part.view(np.uint64)[0])
        return "f64:%016x" % bits, struct.pack("<Q", bits)
    value = int(part[0])
    return value, struct.pack(PACK[vtype], value)


def field_record(field) -> dict:
    vtype = field.types[0]
    record = {"key": field.name, "type": vtype.name, "type_id": int(vtype)}
    if vtype == GGUFValueType.ARRAY:
        sub = GGUFValueType(int(field.parts[3][0]))  # parts: key length, key, type, element type, length
        assert sub != GGUFValueType.ARRAY, "nested arrays are not in the shared files"
        items = [element(field.parts[i], sub) for i in field.data]
        canonical = struct.pack("<IQ", int(sub), len(items)) + b"".join(raw for _, raw in items)
        record.update(element_type=sub.name, element_type_id=int(sub), count=len(items))
    else:
        value, canonical = element(field.parts[field.data[0]], vtype)
        record["value"] = value
    record["sha256"] = hashlib.sha256(canonical).hexdigest()
    return record


def tensor_record(reader: GGUFReader, tensor) -> dict:
    record = {
        "name": tensor.name,
        "shape": [int(d) for d in tensor.shape],
        "type": tensor.tensor_type.name,
        "type_id": int(tensor.tensor_type),
        "offset": int(tensor.data_offset - reader.data_offset),
        "n_elements": int(tensor.n_elements),
        "n_bytes": int(tensor.n_bytes),
    }
    if tensor.n_bytes <= DATA_DIGEST_LIMIT:
        raw = reader.data[tensor.data_offset:tensor.data_offset + tensor.n_bytes]
        record["data_sha256"] = hashlib.sha256(raw.tobytes()).hexdigest()
    return record


def describe(path: Path) -> dict:
    reader = GGUFReader(path)
    fields = list(reader.fields.values())
    header, pairs = fields[:3], fields[3:]
    assert [f.name for f in header] == ["GGUF.version", "GGUF.tensor_count", "GGUF.kv_count"]
    assert int(header[2].parts[0][0]) == len(pairs)
    return {
        "file": path.name,
        "gguf_py_version": "0.19.0",
        "file_size": path.stat().st_size,
        "version": int(header[0].parts[0][0]),
        "alignment": int(reader.alignment),
        "data_offset": int(reader.data_offset),
        "tensor_count": len(reader.tensors),
        "kv_count": len(pairs),
        "metadata": [field_record(f) for f in pairs],
        "tensors": [tensor_record(reader, t) for t in reader.tensors],
    }


def main() -> None:
    version = importlib.metadata.version("gguf")
    assert version == "0.19.0", f"the fixtures are recorded with gguf 0.19.0, found {version}"
    root = models_dir()
    paths = sorted(root.glob("*.gguf")) + sorted((root / "vocab").glob("*.gguf"))
    assert paths, f"no .gguf files in {root}"
    OUT.mkdir(parents=True, exist_ok=True)
    for path in paths:
        record = describe(path)
        target = OUT / f"gguf-{path.stem}.json"
        target.write_text(json.dumps(record, indent=1, ensure_ascii=True) + "\n")
        print(f"{target.relative_to(REPO)}: {record['kv_count']} keys, {record['tensor_count']} tensors")


if __name__ == "__main__":
    main()
