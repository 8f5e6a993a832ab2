"""The Hugging Face chat-template Jinja environment, rebuilt for Parley's oracle scripts.

Mirrors transformers' `_compile_jinja_template` (src/transformers/utils/chat_template_utils.py):
`ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)` with the `loopcontrols`
extension, a `{% generation %}` block tag that renders its body, the `tojson` override, and the
globals `raise_exception` and `strftime_now`. The clock is injectable so goldens are stable.
"""

import json
from datetime import datetime, timezone

import jinja2
import jinja2.ext
import jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

# The fixed instant every golden file is rendered at (UTC).
FIXED_NOW = datetime(2026, 1, 15, 10, 30, 0, tzinfo=timezone.utc)


class GenerationTag(jinja2.ext.Extension):
    """`{% generation %}...{% endgeneration %}`: HF uses it to mark assistant text; here it only renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        call = self.call_method("_render_body")
        return jinja2.nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render_body(self, caller):
        return caller()


def make_env(now=FIXED_NOW):
    """Returns a fresh environment configured exactly like HF transformers, with `strftime_now` pinned to `now`."""

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return now.strftime(fmt)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[GenerationTag, jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def describe_error(exc):
    """One line naming the exception class and its message, as stored in `.error.txt` goldens."""
    return f"{type(exc).__name__}: {exc}"
