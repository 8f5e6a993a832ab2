#!/usr/bin/env python3
"""The seam of issue #14, checked from the package graph: ChatApp and the conversation's value
types (Chat) must not depend, directly or through any target, on the engine (Inference, GGUF,
Jinja, LocalChat, Tokenizer), and neither may the remote backend; the tokenizer (issue #12) must not
depend on the kernels. Reads `swift package describe --type json`
(or a file of its output given as the argument) and exits 1 naming the offending path."""
import json
import subprocess
import sys

ENGINE = {"Inference", "GGUF", "Jinja", "LocalChat", "CPrefetch", "InferenceAVX512", "Tokenizer"}
KERNELS = {"Inference", "CPrefetch", "InferenceAVX512"}
# Each checked target and what its dependency closure must not reach.
CHECKED = {"ChatApp": ENGINE, "Chat": ENGINE, "RemoteChat": ENGINE, "Tokenizer": KERNELS}


def main():
    if len(sys.argv) > 1:
        text = open(sys.argv[1]).read()
    else:
        text = subprocess.run(["swift", "package", "describe", "--type", "json"], check=True,
                              capture_output=True, text=True).stdout
    package = json.loads(text[text.index("{"):])
    deps = {t["name"]: t.get("target_dependencies", []) for t in package["targets"]}
    failed = False
    for start, forbidden in CHECKED.items():
        # Depth-first over target dependencies, remembering how each target was reached.
        paths = {start: [start]}
        stack = [start]
        while stack:
            name = stack.pop()
            for dep in deps.get(name, []):
                if dep not in paths:
                    paths[dep] = paths[name] + [dep]
                    stack.append(dep)
        bad = sorted(forbidden & paths.keys())
        for name in bad:
            print(f"check-seam: {start} depends on {name}: {' -> '.join(paths[name])}", file=sys.stderr)
            failed = True
        if not bad:
            print(f"check-seam: {start} closure: {', '.join(sorted(set(paths) - {start})) or '(none)'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
