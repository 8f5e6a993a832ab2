"""`POST /v1/completions` checks for Scripts/test-serve.py, through the PyPI openai SDK's
`client.completions` (the legacy Completions API that base models and evaluation tools use).

The greedy texts are llama.cpp's (Tests/Fixtures/reference/<model>.greedy.json: its tokenizer
with special tokens parsed, as llama-server reads a completion prompt, and its greedy decode),
so the endpoint is checked against an independent engine, not against Parley itself.
"""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(openai, client, model_id, binary, model, check, expect_error):
    complete = client.completions.create

    # llama.cpp's greedy continuations of its reference prompts, token for token.
    reference = os.path.join(ROOT, "Tests/Fixtures/reference", model_id + ".greedy.json")
    if os.path.exists(reference):
        cases = json.load(open(reference))
        for i, case in enumerate(cases):
            # llama.cpp stopped at the end of the turn, or after as many tokens as it was asked for.
            ended = case["stopped_on_eog"]
            got = complete(model=model_id, prompt=case["prompt"], temperature=0,
                           max_tokens=len(case["greedy_tokens"]) + (8 if ended else 0))
            choice = got.choices[0]
            check(f"completions: llama.cpp's greedy text for reference prompt {i}",
                  choice.text == case["greedy_text"] and choice.finish_reason == ("stop" if ended else "length")
                  and got.usage.prompt_tokens == len(case["prompt_tokens"])
                  and got.object == "text_completion", (choice, got.usage, case["greedy_text"]))
        # The same prompts as llama.cpp's token ids (lm-eval's local-completions sends `[[ids]]`):
        # continued as given, so the same greedy text; echoed as the tokens' text.
        for i, case in enumerate(cases):
            ended = case["stopped_on_eog"]
            count = len(case["greedy_tokens"]) + (8 if ended else 0)
            got = complete(model=model_id, prompt=case["prompt_tokens"], temperature=0, max_tokens=count)
            nested = complete(model=model_id, prompt=[case["prompt_tokens"]], temperature=0, max_tokens=count,
                              echo=True, logprobs=1)
            lp = nested.choices[0].logprobs
            check(f"completions: llama.cpp's token ids of reference prompt {i} give its greedy text",
                  got.choices[0].text == case["greedy_text"]
                  and got.usage.prompt_tokens == len(case["prompt_tokens"])
                  and nested.choices[0].text.endswith(case["greedy_text"])
                  and lp is not None and lp.token_logprobs[0] is None
                  and "".join(lp.tokens) == nested.choices[0].text
                  and len(lp.tokens) == len(case["prompt_tokens"]) + nested.usage.completion_tokens,
                  (got.choices[0].text, nested.choices[0].text, case["greedy_text"]))
        # All of them in one request, as texts and as token ids (evaluation tools batch prompts
        # so), two greedy choices each: prompt i's choices are i·n and i·n + 1, in order.
        shortest = min(len(case["greedy_tokens"]) for case in cases)
        for label, prompts in (("texts", [case["prompt"] for case in cases]),
                               ("token ids", [case["prompt_tokens"] for case in cases])):
            listed = complete(model=model_id, prompt=prompts, temperature=0, max_tokens=shortest, n=2)
            texts = [choice.text for choice in listed.choices]
            check(f"completions: {len(cases)} prompts as {label} in one request give llama.cpp's greedy texts",
                  [choice.index for choice in listed.choices] == list(range(2 * len(cases)))
                  and all(texts[2 * i] == texts[2 * i + 1] and texts[2 * i]
                          and case["greedy_text"].startswith(texts[2 * i]) for i, case in enumerate(cases))
                  and listed.usage.prompt_tokens == sum(len(case["prompt_tokens"]) for case in cases)
                  and 0 < listed.usage.completion_tokens <= 2 * len(cases) * shortest,
                  (texts, listed.usage, [case["greedy_text"] for case in cases]))
    else:
        print(f"SKIP completions golden texts: no llama.cpp reference for {model_id}")

    # Plain text, no template: the same continuation as `parley run --raw`.
    story = "Once upon a time, in a small village by the sea,"
    plain = complete(model=model_id, prompt=story, temperature=0, max_tokens=24)
    raw = subprocess.run([binary, "run", "-m", model, "--ctx", "512", "--raw", "--temperature", "0",
                          "--max-tokens", "24", "-p", story], capture_output=True, text=True, timeout=120)
    text = plain.choices[0].text
    check("completions: greedy text equals parley run --raw", bool(text) and raw.stdout == text + "\n",
          (raw.stdout, text))
    default = complete(model=model_id, prompt=story, temperature=0)
    check("completions: max_tokens defaults to the API's 16", default.usage.completion_tokens == 16
          and default.choices[0].finish_reason == "length", default.usage)

    # Streamed: the same text, chunks of text_completion, one finish reason, the usage last.
    chunks = list(complete(model=model_id, prompt=story, temperature=0, max_tokens=24, stream=True,
                           stream_options={"include_usage": True}))
    streamed = "".join(c.choices[0].text for c in chunks if c.choices)
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    check("completions: streamed text equals the non-streamed text", streamed == text, (streamed, text))
    check("completions: stream has one finish reason and ends with the usage chunk",
          finish == [plain.choices[0].finish_reason] and chunks[-1].choices == []
          and chunks[-1].usage.completion_tokens == plain.usage.completion_tokens
          and all(c.object == "text_completion" for c in chunks), (finish, chunks[-1]))

    # n = 2 with a seed: two choices, the same again.
    two = complete(model=model_id, prompt=story, temperature=1, seed=11, n=2, max_tokens=16)
    again = complete(model=model_id, prompt=story, temperature=1, seed=11, n=2, max_tokens=16)
    check("completions: n=2 gives two seeded choices", [c.index for c in two.choices] == [0, 1]
          and all(c.text for c in two.choices)
          and [c.text for c in two.choices] == [c.text for c in again.choices], (two.choices, again.choices))

    # logprobs = 3: the legacy shape, consistent with the text.
    probed = complete(model=model_id, prompt=story, temperature=0, max_tokens=8, logprobs=3)
    lp = probed.choices[0].logprobs
    ok = lp is not None and len(lp.tokens) == len(lp.token_logprobs) == len(lp.top_logprobs) == len(lp.text_offset) > 0
    if ok:
        ok = "".join(lp.tokens) == probed.choices[0].text and all(
            v <= 0 for v in lp.token_logprobs) and all(
            len(top) in (3, 4) and token in top and max(top, key=top.get) == token
            for token, top in zip(lp.tokens, lp.top_logprobs)) and all(
            lp.text_offset[k + 1] - lp.text_offset[k] == len(lp.tokens[k]) for k in range(len(lp.tokens) - 1)) \
            and lp.text_offset[0] == 0
    check("completions: logprobs=3 gives tokens, token_logprobs, top 3 and text offsets (greedy token on top)",
          ok, lp)
    streamed_lp = [c.choices[0].logprobs for c in complete(model=model_id, prompt=story, temperature=0, max_tokens=8,
                                                           logprobs=3, stream=True) if c.choices and c.choices[0].text]
    offsets = [o for part in streamed_lp if part for o in part.text_offset]
    check("completions: streamed logprobs carry the same text offsets", lp is not None and offsets == lp.text_offset,
          (offsets, lp.text_offset if lp else None))

    # echo: the prompt before the text, streamed or not.
    echoed = complete(model=model_id, prompt=story, temperature=0, max_tokens=24, echo=True)
    echoed_stream = "".join(c.choices[0].text for c in complete(
        model=model_id, prompt=story, temperature=0, max_tokens=24, echo=True, stream=True) if c.choices)
    check("completions: echo returns the prompt and then the text",
          echoed.choices[0].text == story + text and echoed_stream == story + text, (echoed.choices[0].text,))

    # echo with logprobs: the prompt's own tokens scored first (the first null, as nothing predicts
    # it), then the answer's, exactly as scored without echo; max_tokens 0 scores the prompt alone.
    scored = complete(model=model_id, prompt=story, temperature=0, max_tokens=0, echo=True, logprobs=2)
    slp = scored.choices[0].logprobs
    prompt_count = scored.usage.prompt_tokens
    ok = slp is not None and scored.choices[0].text == story and scored.choices[0].finish_reason == "length" \
        and scored.usage.completion_tokens == 0 and len(slp.tokens) == len(slp.token_logprobs) == prompt_count \
        and "".join(slp.tokens) == story and slp.token_logprobs[0] is None and slp.top_logprobs[0] is None \
        and all(v <= 0 for v in slp.token_logprobs[1:]) and all(
            len(top) in (2, 3) and token in top for token, top in zip(slp.tokens[1:], slp.top_logprobs[1:])) \
        and all(slp.text_offset[k + 1] - slp.text_offset[k] == len(slp.tokens[k]) for k in range(prompt_count - 1))
    check("completions: echo with logprobs and max_tokens 0 scores the prompt's tokens (first null)", ok,
          (scored.choices[0].text, slp))
    both = complete(model=model_id, prompt=story, temperature=0, max_tokens=8, echo=True, logprobs=3)
    blp = both.choices[0].logprobs
    ok = blp is not None and lp is not None and both.choices[0].text == story + probed.choices[0].text \
        and blp.tokens == slp.tokens + lp.tokens and blp.tokens[prompt_count:] == lp.tokens \
        and all(abs(a - b) < 1e-4 for a, b in zip(blp.token_logprobs[prompt_count:], lp.token_logprobs)) \
        and all(abs(a - b) < 1e-4 for a, b in zip(blp.token_logprobs[1:prompt_count], slp.token_logprobs[1:])) \
        and blp.text_offset[prompt_count] == len(story)
    check("completions: echo with logprobs lists the prompt's scores, then the answer's as without echo", ok,
          (both.choices[0].text, blp))
    streamed_scores = [c.choices[0] for c in complete(model=model_id, prompt=story, temperature=0, max_tokens=8,
                                                      echo=True, logprobs=3, stream=True) if c.choices]
    first = streamed_scores[0] if streamed_scores else None
    check("completions: a streamed echo carries the prompt's scores in its first chunk",
          first is not None and first.text == story and first.logprobs is not None
          and first.logprobs.tokens == slp.tokens and first.logprobs.token_logprobs[0] is None
          and "".join(c.text for c in streamed_scores) == story + probed.choices[0].text, first)
    # The cross-entropy tells a sentence from its words shuffled.
    def cross_entropy(text):
        values = complete(model=model_id, prompt=text, max_tokens=0, echo=True, logprobs=0).choices[0].logprobs
        scored_values = [v for v in values.token_logprobs if v is not None]
        return -sum(scored_values) / len(scored_values)
    natural = cross_entropy("The capital of France is Paris, and the capital of Italy is Rome.")
    shuffled = cross_entropy("Rome capital of is the and France, Paris Italy capital of the is.")
    check("completions: a sentence scores a lower cross-entropy than its words shuffled", natural + 1 < shuffled,
          (natural, shuffled))

    # A stream of several prompts: each answer whole in turn, prompt i's choices numbered from
    # i·n, one usage chunk at the end; greedy, so the texts are the non-streamed request's.
    pair = [story, "The capital of France is"]
    whole = complete(model=model_id, prompt=pair, temperature=0, max_tokens=8, n=2)
    streamed, turns, usage = {}, [], None
    for chunk in complete(model=model_id, prompt=pair, temperature=0, max_tokens=8, n=2, stream=True,
                          stream_options={"include_usage": True}):
        usage = chunk.usage or usage
        for choice in chunk.choices:
            streamed[choice.index] = streamed.get(choice.index, "") + choice.text
            if not turns or turns[-1] != choice.index // 2:
                turns.append(choice.index // 2)
    check("completions: a stream of two prompts gives their answers in turn, as one request without stream",
          streamed == {choice.index: choice.text for choice in whole.choices} and len(streamed) == 4
          and turns == [0, 1] and usage is not None and usage.prompt_tokens == whole.usage.prompt_tokens
          and usage.completion_tokens == whole.usage.completion_tokens, (streamed, turns, usage, whole))

    # What Parley cannot do is refused by name; a prompt too long says so.
    bad = openai.BadRequestError
    expect_error("completions: 400 for suffix", lambda: complete(model=model_id, prompt=story, suffix="The end."),
                 bad, 400, "invalid_request_error", param="suffix")
    expect_error("completions: 400 for more prompts than the server's slots and queue hold",
                 lambda: complete(model=model_id, prompt=["a"] * 100, max_tokens=1),
                 bad, 400, "invalid_request_error", param="prompt")
    expect_error("completions: 400 for token ids mixed with a text", lambda: complete(model=model_id, prompt=[1, "a"]),
                 bad, 400, "invalid_request_error", param="prompt")
    expect_error("completions: 400 context_length_exceeded names the listed prompt too long",
                 lambda: complete(model=model_id, prompt=["a", [1] * 5000], max_tokens=4),
                 bad, 400, "invalid_request_error", param="prompt[1]", code="context_length_exceeded")
    expect_error("completions: 400 for a token id beyond the vocabulary",
                 lambda: complete(model=model_id, prompt=[1, 10 ** 7]), bad, 400, "invalid_request_error",
                 param="prompt")
    expect_error("completions: 400 context_length_exceeded for too many token ids",
                 lambda: complete(model=model_id, prompt=[1] * 5000, max_tokens=4),
                 bad, 400, "invalid_request_error", param="prompt", code="context_length_exceeded")
    expect_error("completions: 400 for max_tokens 0 with echo but no logprobs",
                 lambda: complete(model=model_id, prompt=story, echo=True, max_tokens=0),
                 bad, 400, "invalid_request_error", param="max_tokens")
    expect_error("completions: 400 for logprobs above 20", lambda: complete(model=model_id, prompt=story, logprobs=21),
                 bad, 400, "invalid_request_error", param="logprobs")
    expect_error("completions: 400 context_length_exceeded names the prompt",
                 lambda: complete(model=model_id, prompt="hello " * 2000, max_tokens=4),
                 bad, 400, "invalid_request_error", param="prompt", code="context_length_exceeded")
    expect_error("completions: 404 for an unknown model", lambda: complete(model="gpt-17", prompt=story),
                 openai.NotFoundError, 404, "invalid_request_error", param="model")
