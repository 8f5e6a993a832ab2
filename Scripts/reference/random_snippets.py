"""Seeded random expression templates for jinja_snippets.py (differential testing against jinja2).

The grammar mixes literals, context variables, operators, filters, tests, attribute access,
slicing and method calls the way chat templates do; many combinations raise in jinja2 and the
error type and message become part of the golden file too.
"""

import random

ATOMS = [
    "0", "1", "2", "7", "-3", "10", "0.5", "2.0", "-1.25", "1e3",
    "'a'", "'Hello World'", "''", "' x '", "'a,b'", "'<i>'", "'日本'",
    "true", "false", "none",
    "n", "f", "s", "lst", "d", "words", "users", "messages", "no", "missing", "uni", "nested", "t",
    "[1, 2, 3]", "['b', 'a']", "{'k': 1, 'j': [2]}", "(1, 'x')", "[]", "{}",
]

FILTERS = [
    "length", "first", "last", "list", "string", "lower", "upper", "title", "capitalize", "trim",
    "tojson", "tojson(indent=2)", "sort", "reverse", "unique", "join(',')", "join", "sum", "min", "max",
    "int", "float", "abs", "round", "round(1)", "default('D')", "default('D', true)", "safe", "e",
    "items", "dictsort", "center(6)", "indent(2)", "wordcount", "truncate(8)", "batch(2)", "count",
    "map('string')", "map('upper')", "select", "reject", "select('odd')", "map(attribute='name')",
    "selectattr('admin')", "replace('a', 'o')", "format(1)", "list|length", "string|length",
]

TESTS = [
    "defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "sequence",
    "iterable", "boolean", "true", "false", "odd", "even", "divisibleby 2", "in [1, 2]", "eq 1",
    "lower", "upper", "callable", "escaped",
]

METHODS = [
    "upper()", "lower()", "strip()", "split(',')", "split()", "startswith('a')", "endswith('d')",
    "replace('l', 'L')", "find('o')", "count('l')", "title()", "items()", "keys()", "values()",
    "get('a')", "get('role', 'none')", "index(1)", "format(1)", "lstrip('H')", "rstrip('d')",
]

BINARY = ["+", "-", "*", "/", "//", "%", "~", "==", "!=", "<", ">", "<=", ">=", "in", "not in", "and", "or", "**"]


def expression(rng, depth):
    if depth <= 0 or rng.random() < 0.25:
        return rng.choice(ATOMS)
    kind = rng.randrange(10)
    if kind == 0:
        return f"{expression(rng, depth - 1)} {rng.choice(BINARY)} {expression(rng, depth - 1)}"
    if kind == 1:
        return f"({expression(rng, depth - 1)})|{rng.choice(FILTERS)}"
    if kind == 2:
        negate = "not " if rng.random() < 0.3 else ""
        return f"({expression(rng, depth - 1)}) is {negate}{rng.choice(TESTS)}"
    if kind == 3:
        return f"({expression(rng, depth - 1)}).{rng.choice(METHODS)}"
    if kind == 4:
        key = rng.choice(["0", "1", "-1", "'a'", "'role'", "'name'", "'k'", "5", "true"])
        return f"({expression(rng, depth - 1)})[{key}]"
    if kind == 5:
        start, stop, step = rng.choice(["", "1", "-2"]), rng.choice(["", "2", "-1"]), rng.choice(["", "-1", "2"])
        return f"({expression(rng, depth - 1)})[{start}:{stop}:{step}]"
    if kind == 6:
        return f"({expression(rng, depth - 1)}).{rng.choice(['a', 'role', 'content', 'name', 'b', 'x'])}"
    if kind == 7:
        return f"[{expression(rng, depth - 1)}, {expression(rng, depth - 1)}]"
    if kind == 8:
        return f"{expression(rng, depth - 1)} if {expression(rng, depth - 1)} else {expression(rng, depth - 1)}"
    return f"not {expression(rng, depth - 1)}" if rng.random() < 0.5 else f"-{expression(rng, depth - 1)}"


def template(rng):
    e = expression(rng, 3)
    shape = rng.randrange(4)
    if shape == 0:
        return "{{ " + e + " }}"
    if shape == 1:
        return "{% if " + e + " %}yes{% else %}no{% endif %}"
    if shape == 2:
        return "{% for x in " + e + " %}[{{ x }}]{% else %}empty{% endfor %}"
    return "{% set v = " + e + " %}{{ v }}|{{ v is defined }}"


def random_snippets(count=400, seed=20260115):
    rng = random.Random(seed)
    return [template(rng) for _ in range(count)]


LOOP_SOURCES = ["lst", "words", "messages", "users", "d", "'ab'", "range(3)", "[]", "d.items()", "users|map(attribute='name')"]
LOOP_EXPRS = [
    "loop.index", "loop.index0", "loop.first", "loop.last", "loop.length", "loop.revindex", "loop.previtem",
    "loop.nextitem", "loop.cycle('a', 'b')", "x", "ns.v", "acc", "x is mapping", "x|string|length",
]


def statement(rng, depth):
    """A random statement that uses loops, namespaces, sets, conditionals and macros."""
    if depth <= 0 or rng.random() < 0.2:
        return "{{ " + rng.choice(LOOP_EXPRS + ATOMS[:20]) + " }}"
    kind = rng.randrange(7)
    body = statement(rng, depth - 1)
    if kind == 0:
        cond = rng.choice(["", " if x", " if not loop is defined", " if x is string"])
        els = "{% else %}E" if rng.random() < 0.3 else ""
        return "{% for x in " + rng.choice(LOOP_SOURCES) + cond + " %}" + body + els + "{% endfor %}"
    if kind == 1:
        return "{% if " + expression(rng, 1) + " %}" + body + "{% elif " + expression(rng, 1) + " %}B{% else %}" + \
            statement(rng, depth - 1) + "{% endif %}"
    if kind == 2:
        return "{% set acc = " + expression(rng, 1) + " %}" + body
    if kind == 3:
        return "{% set ns.v = " + rng.choice(["ns.v + 1", "ns.v ~ 'x'", "[ns.v]", "x", "loop.index"]) + " %}" + body
    if kind == 4:
        return "{% if loop is defined and loop.index > 1 %}{% break %}{% endif %}" + body \
            if rng.random() < 0.5 else "{% if x is defined and x %}{% continue %}{% endif %}" + body
    if kind == 5:
        return "{% macro mm(a, b='B') %}[{{ a }}|{{ b }}|" + statement(rng, depth - 2) + "]{% endmacro %}{{ mm(" + \
            expression(rng, 1) + ") }}" + body
    return "{%- " + "if true -%}\n  " + body + "\n{%- endif %}\n"


def random_statement_snippets(count=200, seed=4242):
    rng = random.Random(seed)
    return ["{% set ns = namespace(v=0) %}" + statement(rng, 4) + "|{{ ns.v }}" for _ in range(count)]


TEXTS = ["a", " ", "\n", "  ", "\t", "\n  ", "x\n", " \n", "\n\n", "  b  ", "\t\n ", "\u00a0"]


def open_tag(rng, body):
    left = rng.choice(["", "-", "+"])
    right = rng.choice(["", "-", "+"])
    return "{%" + left + " " + body + " " + right + "%}"


def layout(rng, depth):
    parts = []
    for _ in range(rng.randrange(1, 5)):
        kind = rng.randrange(8)
        if kind <= 2 or depth <= 0:
            parts.append(rng.choice(TEXTS))
        elif kind == 3:
            parts.append("{{" + rng.choice(["", "-"]) + " 'v' " + rng.choice(["", "-"]) + "}}")
        elif kind == 4:
            parts.append("{#" + rng.choice(["", "-", "+"]) + " c " + rng.choice(["", "-", "+"]) + "#}")
        elif kind == 5:
            parts.append(open_tag(rng, "set q = 1"))
        elif kind == 6:
            parts.append(open_tag(rng, rng.choice(["if true", "if false"])) + layout(rng, depth - 1) +
                         (open_tag(rng, "else") + layout(rng, depth - 1) if rng.random() < 0.3 else "") +
                         open_tag(rng, "endif"))
        else:
            parts.append(open_tag(rng, "for i in [1, 2]") + layout(rng, depth - 1) + open_tag(rng, "endfor"))
        parts.append(rng.choice(TEXTS))
    return "".join(parts)


def random_layout_snippets(count=300, seed=777):
    rng = random.Random(seed)
    return [layout(rng, 3) for _ in range(count)]
