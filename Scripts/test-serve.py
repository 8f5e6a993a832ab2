#!/usr/bin/env python3
"""Drives the real `parley serve` on loopback with the PyPI `openai` SDK (a client none of us wrote).

Usage: Scripts/test-serve.py [--binary .build/release/parley] [--model PATH]
The model defaults to SmolLM2-135M-Instruct Q4_1 in $PARLEY_MODELS_DIR (default ../shared/models).
Exits 0 when every check passes (or when the model or the openai package is unavailable, saying
why), 1 otherwise. Each check prints PASS or FAIL with what it saw.
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "sk-parley-test-key"
SECRET = "zebra-marmalade-7713"  # appears in a prompt; must never appear in the server's log
failures = []


def check(name, condition, detail=""):
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f": {detail}"), flush=True)
    if not condition:
        failures.append(name)


def ensure_openai():
    try:
        import openai  # noqa: F401
        return True
    except ImportError:
        pass
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "openai"], capture_output=True, text=True)
    if pip.returncode != 0:
        print("SKIP test-serve: the openai package is missing and pip could not install it:\n" + pip.stderr[-500:])
        return False
    return True


def send_raw(server, key, path, request):
    """`request` POSTed to `path` on a raw socket, left open: the caller reads or closes it."""
    sock = socket.create_connection(("127.0.0.1", server.port))
    body = json.dumps(request).encode()
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n".encode()
                 + f"Authorization: Bearer {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    return sock


def wait_for(condition, limit=5):
    """Polls `condition` every 20 ms until it holds or `limit` seconds pass."""
    began = time.monotonic()
    while not condition() and time.monotonic() - began < limit:
        time.sleep(0.02)


class Server:
    """A `parley serve` process on a free loopback port, its log collected by a thread."""

    def __init__(self, binary, model, *extra, env=None):
        self.log = []
        self.proc = subprocess.Popen([binary, "serve", "-m", model, "--port", "0", "--ctx", "512", *extra],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, **(env or {})})
        self.port = None
        ready = threading.Event()

        def read():
            for line in self.proc.stderr:
                self.log.append(line)
                m = re.search(r"listening on http://[^:]+:(\d+)", line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(60) or self.port is None:
            self.stop()
            raise RuntimeError("parley serve did not start:\n" + "".join(self.log))

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def raw(self, method, path, body=None, headers=None, timeout=30):
        """One request with http.client: (status, headers, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def metric(self, name):
        _, _, body = self.raw("GET", "/metrics")
        for line in body.decode().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return None

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def error_of(exc):
    body = getattr(exc, "body", None) or {}
    return body.get("error", body) if isinstance(body, dict) else {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/parley"))
    models = os.environ.get("PARLEY_MODELS_DIR", os.path.join(ROOT, "../shared/models"))
    parser.add_argument("--model", default=os.path.join(models, "SmolLM2-135M-Instruct.Q4_1.gguf"))
    args = parser.parse_args()
    if not os.path.exists(args.model):
        print(f"SKIP test-serve: no model at {args.model}")
        return 0
    if not os.path.exists(args.binary):
        print(f"FAIL test-serve: no binary at {args.binary}")
        return 1
    if not ensure_openai():
        return 0
    import openai

    model_id = os.path.basename(args.model)[: -len(".gguf")]
    server = Server(args.binary, args.model, "--api-key", KEY, "--queue", "8")
    small = None
    try:
        client = openai.OpenAI(base_url=server.base + "/v1", api_key=KEY, max_retries=0, timeout=120)
        ask = [{"role": "user", "content": "What is 2+2?"}]

        # Endpoints beside chat.
        models_list = client.models.list()
        check("GET /v1/models lists the model", [m.id for m in models_list.data] == [model_id], models_list)
        # vLLM's field for the context a client may fill: the server was started with --ctx 512.
        check("GET /v1/models gives max_model_len", getattr(models_list.data[0], "max_model_len", None) == 512,
              models_list)
        status, _, body = server.raw("GET", "/health")
        check("GET /health", status == 200 and json.loads(body)["status"] == "ok", (status, body))

        # Non-streamed greedy answer, and the same through `parley run`.
        answer = client.chat.completions.create(model=model_id, messages=ask, temperature=0, max_tokens=64)
        text = answer.choices[0].message.content
        check("non-streamed answer", bool(text) and answer.choices[0].finish_reason in ("stop", "length")
              and answer.object == "chat.completion", answer)
        usage = answer.usage
        check("non-streamed usage adds up", usage.prompt_tokens > 0 and usage.completion_tokens > 0
              and usage.total_tokens == usage.prompt_tokens + usage.completion_tokens, usage)
        run = subprocess.run([args.binary, "run", "-m", args.model, "--ctx", "512", "--temperature", "0",
                              "--max-tokens", "64", "-p", "What is 2+2?"], capture_output=True, text=True, timeout=120)
        check("greedy 'What is 2+2?' equals parley run", run.stdout == text + "\n", (run.stdout, text))

        # Streamed: the same text, role first, a finish chunk, a usage chunk, then [DONE].
        chunks = list(client.chat.completions.create(model=model_id, messages=ask, temperature=0, max_tokens=64,
                                                     stream=True, stream_options={"include_usage": True}))
        streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        check("streamed text equals the non-streamed text", streamed == text, (streamed, text))
        check("stream starts with the assistant role", chunks[0].choices[0].delta.role == "assistant", chunks[0])
        finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
        check("stream has one finish reason", finish == [answer.choices[0].finish_reason], finish)
        check("stream ends with the usage chunk", chunks[-1].choices == [] and chunks[-1].usage is not None
              and chunks[-1].usage.completion_tokens == usage.completion_tokens
              and chunks[-1].usage.prompt_tokens == usage.prompt_tokens, chunks[-1])
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.request("POST", "/v1/chat/completions", json.dumps({"messages": ask, "stream": True, "max_tokens": 8}),
                     {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"})
        raw = conn.getresponse()
        lines = raw.read().decode().split("\n\n")
        conn.close()
        check("SSE framing: text/event-stream, data: lines, data: [DONE] last",
              raw.getheader("Content-Type", "").startswith("text/event-stream")
              and all(line.startswith("data: ") for line in lines if line) and lines[-2] == "data: [DONE]", lines[-3:])

        # n = 2, stop, seeds.
        two = client.chat.completions.create(model=model_id, messages=ask, temperature=1, seed=5, n=2, max_tokens=24)
        check("n=2 gives two choices", [c.index for c in two.choices] == [0, 1]
              and all(c.message.content for c in two.choices), two.choices)
        again = client.chat.completions.create(model=model_id, messages=ask, temperature=1, seed=5, n=2, max_tokens=24)
        check("the same seed gives the same texts", [c.message.content for c in two.choices]
              == [c.message.content for c in again.choices], (two.choices, again.choices))
        words = text.split()
        stop_word = next((w for w in words[1:] if len(w) > 2), words[-1])
        stopped = client.chat.completions.create(model=model_id, messages=ask, temperature=0, max_tokens=64,
                                                 stop=[stop_word])
        expected = text[: text.index(stop_word)]
        check("stop ends before the stop string", stopped.choices[0].message.content == expected
              and stopped.choices[0].finish_reason == "stop", (stop_word, stopped.choices[0]))

        # Prefix reuse: the next turn of the conversation finds its start in the cache.
        follow = ask + [{"role": "assistant", "content": text}, {"role": "user", "content": "And 3+3?"}]
        turn = client.chat.completions.create(model=model_id, messages=follow, temperature=0, max_tokens=8)
        details = turn.usage.prompt_tokens_details
        cached = (details.cached_tokens if details else 0) or 0
        check("the next turn reuses the cached prompt (prompt_tokens_details.cached_tokens)",
              usage.prompt_tokens < cached < turn.usage.prompt_tokens, (cached, usage.prompt_tokens, turn.usage))

        # logprobs with top_logprobs = 5 (needs the engine side of issue #11).
        probed = client.chat.completions.create(model=model_id, messages=ask, temperature=0, max_tokens=8,
                                                logprobs=True, top_logprobs=5)
        content = (probed.choices[0].logprobs.content if probed.choices[0].logprobs else None) or []
        if not content:
            print("SKIP logprobs: this engine reports no token probabilities yet (the batch-engine branch adds them)")
        else:
            ok = all(len(t.top_logprobs) == 5 and t.logprob <= 0 and t.token == t.top_logprobs[0].token
                     and [a.logprob for a in t.top_logprobs] == sorted((a.logprob for a in t.top_logprobs), reverse=True)
                     for t in content)
            check("logprobs: 5 alternatives per token, greedy token first",
                  ok and "".join(t.token for t in content) == probed.choices[0].message.content, content[:2])

        # Errors, by status and type.
        def expect_error(name, call, exc_type, status, typ, param=None, code=None):
            try:
                call()
                check(name, False, "no error")
            except exc_type as exc:
                err = error_of(exc)
                check(name, exc.status_code == status and err.get("type") == typ
                      and (param is None or err.get("param") == param) and (code is None or err.get("code") == code),
                      (exc.status_code, err))
            except Exception as exc:  # noqa: BLE001
                check(name, False, repr(exc))

        create = client.chat.completions.create
        expect_error("400 names a bad parameter", lambda: create(model=model_id, messages=ask, temperature=5),
                     openai.BadRequestError, 400, "invalid_request_error", param="temperature")
        expect_error("400 for tools", lambda: create(model=model_id, messages=ask, tools=[
            {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]),
                     openai.BadRequestError, 400, "invalid_request_error", param="tools")
        expect_error("400 for a json_schema response format", lambda: create(
            model=model_id, messages=ask, response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {}}}),
                     openai.BadRequestError, 400, "invalid_request_error", param="response_format")
        expect_error("400 for an image part", lambda: create(model=model_id, messages=[{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}]),
                     openai.BadRequestError, 400, "invalid_request_error", param="messages[0].content[0]")
        expect_error("400 context_length_exceeded", lambda: create(
            model=model_id, messages=[{"role": "user", "content": "hello " * 2000}], max_tokens=16),
                     openai.BadRequestError, 400, "invalid_request_error", code="context_length_exceeded")
        expect_error("400 for a logit_bias token id beyond the vocabulary",
                     lambda: create(model=model_id, messages=ask, logit_bias={"49152": 5}),
                     openai.BadRequestError, 400, "invalid_request_error", param="logit_bias")
        # The legacy Completions API (Scripts/test_serve_completions.py).
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import test_serve_completions
        test_serve_completions.run(openai, client, model_id, args.binary, args.model, check, expect_error)

        wrong = openai.OpenAI(base_url=server.base + "/v1", api_key="sk-wrong", max_retries=0)
        expect_error("401 for a wrong key", lambda: wrong.chat.completions.create(model=model_id, messages=ask),
                     openai.AuthenticationError, 401, "authentication_error")
        status, _, body = server.raw("GET", "/v1/models")
        check("401 without a key", status == 401 and json.loads(body)["error"]["code"] == "invalid_api_key", (status, body))
        expect_error("404 for an unknown model", lambda: create(model="gpt-17", messages=ask),
                     openai.NotFoundError, 404, "invalid_request_error", param="model")
        status, _, body = server.raw("GET", "/v1/nothing-here", headers={"Authorization": "Bearer " + KEY})
        check("404 for an unknown path", status == 404 and json.loads(body)["error"]["code"] == "unknown_url", (status, body))
        big = json.dumps({"messages": [{"role": "user", "content": "x" * (2 << 20)}]})
        status, _, body = server.raw("POST", "/v1/chat/completions", big, {"Authorization": "Bearer " + KEY})
        check("413 for a body over 1 MiB", status == 413 and json.loads(body)["error"]["type"] == "invalid_request_error",
              (status, body[:200]))

        # Malformed bodies: each a 4xx, quickly; the server still answers afterwards.
        rng = random.Random(1313)
        bodies = [b'{"messages": [{"role": "user", "content": "hi"}', b"{", b"", b"null", b"[]", b'"text"',
                  b'{"messages": 5}', b'{"messages": [{"role": "user", "content": "x"}], "temperature": "hot"}',
                  b'{"messages": [{"role": "user", "content": "x"}], "n": []}',
                  b'{"messages": [{"role": "user", "content": "x"}], "stream": "yes"}',
                  b'{"messages": [{"role": "user", "content": {"a": 1}}]}',
                  b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 60_000 + b"1" + b"}" * 60_000,
                  b'{"messages": [{"role": "user", "content": "\xff\xfe\xc3"}]}', b"\xff" * 100,
                  json.dumps({"messages": [{"role": "user", "content": "y" * (10 << 20)}]}).encode(),
                  b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 1e400}']
        bodies += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(40)]
        template = json.dumps({"messages": [{"role": "user", "content": "hi"}], "max_tokens": 4}).encode()
        for _ in range(40):  # one byte of a valid body changed
            mutated = bytearray(template)
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            bodies.append(bytes(mutated))
        statuses = []
        started = time.monotonic()
        for body in bodies:
            try:
                status, _, _ = server.raw("POST", "/v1/chat/completions", body,
                                          {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}, timeout=30)
            except Exception as exc:  # noqa: BLE001
                status = repr(exc)
            statuses.append(status)
        # A mutated byte can leave a valid request (200); anything else must be a 4xx.
        bad = [(i, s) for i, s in enumerate(statuses) if not (isinstance(s, int) and (400 <= s < 500 or s == 200))]
        check(f"{len(bodies)} malformed bodies each get a 4xx", not bad and all(
            400 <= s < 500 for s in statuses[:57]), bad[:5] or statuses[:57])
        check("malformed bodies took under 60 s and the server lives", time.monotonic() - started < 60
              and server.proc.poll() is None and server.raw("GET", "/health")[0] == 200, time.monotonic() - started)

        # 8 concurrent streams of 64 tokens.
        story = [{"role": "user", "content": "Tell me a long story about a lighthouse keeper."}]
        results = [None] * 8

        def stream_one(i):
            try:
                parts = list(client.chat.completions.create(model=model_id, messages=story, temperature=0, max_tokens=64,
                                                            stream=True, stream_options={"include_usage": True}))
                results[i] = ("".join(c.choices[0].delta.content or "" for c in parts if c.choices), parts[-1].usage,
                              [c.choices[0].finish_reason for c in parts if c.choices and c.choices[0].finish_reason])
            except Exception as exc:  # noqa: BLE001
                results[i] = exc

        threads = [threading.Thread(target=stream_one, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
        errors = [r for r in results if not isinstance(r, tuple)]
        check("8 concurrent streams complete without error", not errors, errors[:2])
        if not errors:
            single = client.chat.completions.create(model=model_id, messages=story, temperature=0, max_tokens=64)
            check("8 concurrent streams: correct usage and text", all(
                r[0] == single.choices[0].message.content and r[1].completion_tokens == single.usage.completion_tokens
                and r[1].prompt_tokens == single.usage.prompt_tokens and r[2] == [single.choices[0].finish_reason]
                for r in results), [(r[1], r[2]) for r in results][:2])

        def leave(path, request, wait):
            """Sends `request` on a raw socket, waits (`wait(sock)`), closes it: (slots busy then,
            seconds until no slot is busy)."""
            sock = send_raw(server, KEY, path, {**request, "max_tokens": 500})
            wait(sock)
            busy = server.metric("parley_slots_busy")
            sock.close()
            left = time.monotonic()
            wait_for(lambda: server.metric("parley_slots_busy") == 0)
            return busy, time.monotonic() - left

        def five_chunks(sock):
            received = b""
            while received.count(b"data: ") < 5:
                piece = sock.recv(65536)
                if not piece:
                    break
                received += piece

        def answering(_):
            wait_for(lambda: server.metric("parley_slots_busy") == 1)

        # A client that disconnects after 5 chunks frees its slot.
        busy, freed = leave("/v1/chat/completions", {"messages": story, "stream": True}, five_chunks)
        check("a client gone after 5 chunks frees its slot (parley_slots_busy 1 -> 0 in /metrics)",
              busy == 1 and server.metric("parley_slots_busy") == 0 and freed < 2, (busy, freed))
        # So does one that gives up on a non-streamed answer: nothing is written to it until the
        # answer is whole, so the server must notice the connection closing.
        for path, request in (("/v1/chat/completions", {"messages": story}), ("/v1/completions", {"prompt": "Once"})):
            busy, freed = leave(path, {**request, "temperature": 0}, answering)
            check(f"a client gone before its non-streamed {path} answer frees the slot",
                  busy == 1 and server.metric("parley_slots_busy") == 0 and freed < 2, (busy, freed))
        after = client.chat.completions.create(model=model_id, messages=ask, temperature=0, max_tokens=64)
        check("the next request runs at once", after.choices[0].message.content == text, after.choices[0])

        # Metrics and the log.
        _, _, body = server.raw("GET", "/metrics")
        metrics = body.decode()
        check("/metrics has requests, tokens, queue length and time to first token", all(
            name in metrics for name in ("parley_requests_total{", "parley_completion_tokens_total",
                                         "parley_queue_length", "parley_time_to_first_token_seconds_bucket")), metrics[:300])
        client.chat.completions.create(model=model_id, messages=[{"role": "user", "content": SECRET}], max_tokens=4)
        time.sleep(0.2)
        log = "".join(server.log)
        request_lines = [line for line in server.log if "POST /v1/chat/completions 200" in line]
        check("one log line per request with method, path, status, tokens, latency", request_lines and all(
            re.search(r"completion_tokens=\d+", line) and re.search(r"prompt_tokens=\d+", line)
            and re.search(r"latency_ms=\d+", line) for line in request_lines)
              and any("completion_tokens=0" not in line for line in request_lines), log[-500:])
        check("the log never holds message content", SECRET not in log and "What is 2+2" not in log, "content logged")

        # A client that leaves while its request waits for a slot gives up its place at once,
        # not when the request ahead of it ends (a server with one slot and a queue of one).
        queued = Server(args.binary, args.model, "--parallel", "1", "--queue", "1", env={"PARLEY_API_KEY": "k3"})
        try:
            ahead = send_raw(queued, "k3", "/v1/chat/completions", {"messages": story, "stream": True, "max_tokens": 450})
            wait_for(lambda: queued.metric("parley_slots_busy") == 1)
            waiting = send_raw(queued, "k3", "/v1/completions", {"prompt": "Once", "max_tokens": 8})
            wait_for(lambda: queued.metric("parley_queue_length") == 1)
            waiting.close()
            left = time.monotonic()
            wait_for(lambda: queued.metric("parley_queue_length") == 0)
            freed, busy = time.monotonic() - left, queued.metric("parley_slots_busy")
            check("a client gone while queued leaves the queue at once, the answer ahead still running",
                  freed < 1 and busy == 1 and queued.metric("parley_queue_length") == 0, (freed, busy))
            # Two listed prompts with one queue place left: the second is refused as a separate
            # request would be, and the first, already queued, is cancelled with it.
            listing = openai.OpenAI(base_url=queued.base + "/v1", api_key="k3", max_retries=0).completions.create
            expect_error("completions: 503 for two listed prompts with one queue place, none left queued",
                         lambda: listing(model=model_id, prompt=["Once", "Twice"], max_tokens=2),
                         openai.InternalServerError, 503, "server_overloaded")
            check("completions: the refused list left nothing queued",
                  queued.metric("parley_queue_length") == 0 and queued.metric("parley_slots_busy") == 1,
                  (queued.metric("parley_queue_length"), queued.metric("parley_slots_busy")))
            expect_error("completions: 400 for three listed prompts where one slot and one queue place are all",
                         lambda: listing(model=model_id, prompt=["a", "b", "c"], max_tokens=2),
                         openai.BadRequestError, 400, "invalid_request_error", param="prompt")
            ahead.close()
        finally:
            queued.stop()

        # A full queue: 503 with Retry-After (a second server with no queue).
        small = Server(args.binary, args.model, "--parallel", "1", "--queue", "0", env={"PARLEY_API_KEY": "k2"})
        small_client = openai.OpenAI(base_url=small.base + "/v1", api_key="k2", max_retries=0)
        long_stream = small_client.chat.completions.create(model=model_id, messages=story, max_tokens=400, stream=True)
        next(iter(long_stream))
        try:
            small_client.chat.completions.with_raw_response.create(model=model_id, messages=ask, max_tokens=4)
            check("503 when the queue is full", False, "accepted")
        except openai.APIStatusError as exc:
            check("503 with Retry-After when the queue is full", exc.status_code == 503
                  and int(exc.response.headers.get("retry-after", "0")) >= 1
                  and error_of(exc).get("code") == "queue_full", (exc.status_code, error_of(exc)))

        # SIGTERM: the stream in flight ends cleanly and the server exits within 5 s.
        rest = []
        reader = threading.Thread(target=lambda: rest.extend(long_stream), daemon=True)
        reader.start()
        time.sleep(0.3)
        stopped_at = time.monotonic()
        small.proc.send_signal(signal.SIGTERM)
        try:
            code = small.proc.wait(10)
        except subprocess.TimeoutExpired:
            code = None
        took = time.monotonic() - stopped_at
        reader.join(5)
        check("SIGTERM: exits within 5 s with status 0", code == 0 and took < 5, (code, took))
        check("SIGTERM: the stream in flight ends with a finish reason",
              bool(rest) and rest[-1].choices[0].finish_reason == "stop", rest[-1:] if rest else "nothing")
    finally:
        server.stop()
        if small:
            small.stop()
    print(f"test-serve: {len(failures)} failed" if failures else "test-serve: all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
