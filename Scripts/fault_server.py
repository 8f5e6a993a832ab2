#!/usr/bin/env python3
"""A fault-injecting OpenAI Chat Completion server on loopback, for Parley's remote-engine tests.

POST .../chat/completions streams chat.completion.chunk events; POST .../completions (the legacy
text API) streams the same behaviours as text_completion chunks.

The first path segment picks the behaviour: http://127.0.0.1:PORT/FAULT/v1 is the base URL.
  ok         streams "Hello", " world" then usage and [DONE]
  echo       streams the request's JSON body back as the answer (and whether a key was sent)
  n2         two choices, "A"/"B"
  logprobs   one token with logprobs and two alternatives
  401 404 429 500   that status with an OpenAI error body (429 with Retry-After: 7)
  malformed  a chunk that is not JSON
  stall      one chunk, then silence for 30 s
  cut        one chunk, then the connection is closed mid-answer
  cutearly   the connection is closed right after the headers
  nomodels   /models lists nothing
Prints the port on the first line of stdout; exits when stdin closes or after 300 s.
Only binds 127.0.0.1: it never reaches beyond loopback.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def chunk(content=None, finish=None, index=0, logprobs=None, legacy=False):
    """A chat.completion.chunk, or with `legacy` a text_completion chunk (POST /completions)."""
    if legacy:
        choice = {"text": content or "", "index": index, "logprobs": None, "finish_reason": finish}
        if logprobs is not None:  # the legacy lists, from the chat shape
            choice["logprobs"] = {"tokens": [t["token"] for t in logprobs],
                                  "token_logprobs": [t["logprob"] for t in logprobs],
                                  "top_logprobs": [{a["token"]: a["logprob"] for a in t["top_logprobs"]}
                                                   for t in logprobs],
                                  "text_offset": [0] * len(logprobs)}
        return {"id": "cmpl-test", "object": "text_completion", "created": 0, "model": "fault-model",
                "choices": [choice]}
    choice = {"index": index, "delta": {} if content is None else {"content": content}, "finish_reason": finish}
    if logprobs is not None:
        choice["logprobs"] = {"content": logprobs}
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": "fault-model",
            "choices": [choice]}


USAGE = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "choices": [],
         "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def fault(self):
        parts = self.path.strip("/").split("/")
        return parts[0] if parts else ""

    def send_json(self, status, obj, extra=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        fault = self.fault()
        if self.path.endswith("/models"):
            if fault in ("401",):
                return self.send_json(401, {"error": {"message": "Invalid API key"}})
            data = [] if fault == "nomodels" else [
                # Each reports its context as a server of its kind does: llama-server, then vLLM.
                {"id": "fault-model", "object": "model", "meta": {"n_ctx": 2048, "n_ctx_train": 8192}},
                {"id": "other", "object": "model", "max_model_len": 4096}]
            return self.send_json(200, {"object": "list", "data": data})
        self.send_json(404, {"error": {"message": "no route"}})

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()

    def event(self, obj):
        data = obj if isinstance(obj, str) else json.dumps(obj)
        self.wfile.write(f"data: {data}\n\n".encode())
        self.wfile.flush()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        fault = self.fault()
        statuses = {"401": "Invalid API key", "404": "The model 'x' does not exist", "429": "Rate limit reached",
                    "500": "Internal error"}
        if fault in statuses:
            extra = {"Retry-After": "7"} if fault == "429" else None
            return self.send_json(int(fault), {"error": {"message": statuses[fault], "type": "test"}}, extra)
        self.close_connection = True
        legacy = self.path.endswith("/completions") and not self.path.endswith("/chat/completions")

        def chunk(*args, **kwargs):  # this request's shape
            return globals()["chunk"](*args, legacy=legacy, **kwargs)
        self.start_stream()
        if fault == "cutearly":
            return self.cut()
        if fault == "echo":
            request = json.loads(raw or b"{}")
            request["_had_authorization"] = self.headers.get("Authorization") is not None
            request["_path"] = self.path
            self.event(chunk(json.dumps(request, sort_keys=True)))
            self.event(chunk(finish="stop"))
            self.event(USAGE)
            self.event("[DONE]")
            return
        if fault == "n2":
            self.event(chunk("A", index=0))
            self.event(chunk("B", index=1))
            self.event(chunk(finish="stop", index=0))
            self.event(chunk(finish="length", index=1))
            self.event(USAGE)
            self.event("[DONE]")
            return
        if fault == "logprobs":
            lp = [{"token": "Hi", "logprob": -0.25, "bytes": [72, 105],
                   "top_logprobs": [{"token": "Hi", "logprob": -0.25, "bytes": [72, 105]},
                                    {"token": "Yo", "logprob": -1.5, "bytes": [89, 111]}]}]
            self.event(chunk("Hi", logprobs=lp))
            self.event(chunk(finish="stop"))
            self.event("[DONE]")
            return
        self.event(chunk("Hello"))
        if fault == "malformed":
            self.event("{not json")
            return
        if fault == "stall":
            time.sleep(30)
            return
        if fault == "cut":
            return self.cut()
        self.event(chunk(" world"))
        self.event(chunk(finish="stop"))
        self.event(USAGE)
        self.event("[DONE]")

    def cut(self):
        self.wfile.flush()
        self.connection.shutdown(2)
        self.close_connection = True


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    deadline = time.time() + 300
    # Stop when the test closes stdin (or after the deadline).
    watcher = threading.Thread(target=lambda: sys.stdin.read(), daemon=True)
    watcher.start()
    while watcher.is_alive() and time.time() < deadline:
        watcher.join(0.5)
    server.shutdown()


if __name__ == "__main__":
    main()
