#!/usr/bin/env python3
"""Validates transcripts against transcripts/schema.json (JSON Schema 2020-12) with PyPI jsonschema.

Usage: Scripts/check_transcripts.py FILE... (default: the examples in transcripts/).
An independent check of the format: the Swift tests never see this validator.
"""
import glob
import json
import os
import sys

import jsonschema

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema = json.load(open(os.path.join(root, "transcripts", "schema.json")))
files = sys.argv[1:] or sorted(glob.glob(os.path.join(root, "transcripts", "example-*.json")))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
failed = 0
for path in files:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for error in errors:
        print(f"{path}: {'/'.join(map(str, error.path)) or '(top)'}: {error.message}")
    failed += bool(errors)
    print(f"{'invalid' if errors else 'valid'}: {path}")
sys.exit(1 if failed else 0)
