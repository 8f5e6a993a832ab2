#!/usr/bin/env python3
"""Renders small Jinja snippets with the HF chat-template environment and records what jinja2 does.

Output: Tests/JinjaTests/Fixtures/snippets.json, a list of
  {"name", "template", "context", "output"}            when rendering succeeds, or
  {"name", "template", "context", "error": {"type", "message", "line"?}}  when jinja2 raises.
Each snippet gets CONTEXT merged with its own variables. `line` is set for syntax errors.

Usage: python3 Scripts/reference/jinja_snippets.py
"""

import copy
import json
import os
import re
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hf_env import make_env  # noqa: E402
from snippet_cases import CONTEXT, SNIPPETS  # noqa: E402

import jinja2  # noqa: E402

PACKAGE_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(PACKAGE_ROOT, "Tests", "JinjaTests", "Fixtures", "snippets.json")


def render(template, context):
    env = make_env()
    try:
        out = env.from_string(template).render(**context)
        return {"output": out}
    except jinja2.exceptions.TemplateSyntaxError as exc:
        return {"error": {"type": type(exc).__name__, "message": exc.message, "line": exc.lineno}}
    except Exception as exc:  # noqa: BLE001 - every failure is part of the golden
        return {"error": {"type": type(exc).__name__, "message": str(exc)}}


def main():
    warnings.filterwarnings("ignore")  # jinja2's generated code can trigger SyntaxWarnings
    records = []
    seen = set()
    for group, snippets in SNIPPETS:
        for index, entry in enumerate(snippets):
            name = f"{group}-{index + 1:02d}"
            template, extra = (entry, {}) if isinstance(entry, str) else entry
            assert name not in seen
            seen.add(name)
            # A deep copy per snippet: some jinja2 filters mutate their input (`list|indent` extends
            # the list in place before failing), which must not leak into later snippets.
            context = copy.deepcopy(CONTEXT)
            context.update(copy.deepcopy(extra))
            record = {"name": name, "template": template, "context": extra}
            record.update(render(template, context))
            if re.search(r"at0x[0-9a-f]+", re.sub(r"[^0-9a-z]", "", record.get("output", "").lower())):
                continue  # prints a Python object address: not reproducible

            records.append(record)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"context": CONTEXT, "snippets": records}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    failures = sum(1 for r in records if "error" in r)
    print(f"{len(records)} snippets ({failures} raise) -> {os.path.relpath(OUT, PACKAGE_ROOT)}")


if __name__ == "__main__":
    main()
