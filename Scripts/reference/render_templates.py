#!/usr/bin/env python3
"""Renders every shared chat template over the fixed message sets with PyPI jinja2, as HF transformers does.

Writes `Tests/JinjaTests/Fixtures/templates/<template>/<case>.txt` (exact UTF-8 bytes of the render)
or `<case>.error.txt` ("ExceptionType: message") when jinja2 raises. The message sets live in
`Tests/JinjaTests/Fixtures/templates/cases.json`; the `tools` case only runs for templates whose
source mentions `tools`. When a case has no tools, `tools` is not passed at all (undefined).

Usage: python3 Scripts/reference/render_templates.py [templates_dir]
Templates dir: argument, else $PARLEY_TEMPLATES_DIR, else <package>/../shared/templates, else the
committed <package>/Tests/Fixtures/templates.
"""

import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_env import describe_error, make_env  # noqa: E402

PACKAGE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(PACKAGE_ROOT, "Tests", "JinjaTests", "Fixtures", "templates")


def templates_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("PARLEY_TEMPLATES_DIR"):
        return os.environ["PARLEY_TEMPLATES_DIR"]
    sibling = os.path.join(PACKAGE_ROOT, "..", "shared", "templates")
    return sibling if os.path.isdir(sibling) else os.path.join(PACKAGE_ROOT, "Tests", "Fixtures", "templates")


def main():
    with open(os.path.join(FIXTURES, "cases.json"), encoding="utf-8") as f:
        spec = json.load(f)
    source_dir = templates_dir()
    names = sorted(n for n in os.listdir(source_dir) if n.endswith(".jinja"))
    ok = failed = 0
    for file_name in names:
        with open(os.path.join(source_dir, file_name), encoding="utf-8") as f:
            source = f.read()
        stem = file_name[: -len(".jinja")]
        out_dir = os.path.join(FIXTURES, stem)
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(out_dir)
        for case in spec["cases"]:
            if case.get("tools_only") and "tools" not in source:
                continue
            variables = {
                "messages": case["messages"],
                "add_generation_prompt": case["add_generation_prompt"],
                "bos_token": spec["bos_token"],
                "eos_token": spec["eos_token"],
            }
            if "tools" in case:
                variables["tools"] = case["tools"]
            try:
                # A fresh environment per render, so no state leaks between cases.
                rendered = make_env().from_string(source).render(**variables)
                path, data = os.path.join(out_dir, case["name"] + ".txt"), rendered
                ok += 1
            except Exception as exc:  # noqa: BLE001 - every jinja2 failure is a golden too
                path, data = os.path.join(out_dir, case["name"] + ".error.txt"), describe_error(exc)
                failed += 1
                print(f"{stem}/{case['name']}: {describe_error(exc)}")
            with open(path, "wb") as f:
                f.write(data.encode("utf-8"))
    print(f"{len(names)} templates, {ok} renders ok, {failed} raised")


if __name__ == "__main__":
    main()
