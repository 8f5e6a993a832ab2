#!/usr/bin/env python3
# Runs the llama.cpp probe (build.sh) on every greedy reference case, flash attention on and/or off,
# and prints how far its logits and tokens are from the reference (a check of the oracle itself).
import json, subprocess, sys
import os
here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get('PARLEY_SHARED', os.path.join(here, '../../../../shared'))
M = shared + '/models/'; R = shared + '/reference/'
probe = os.environ.get('PROBE', os.path.join(here, '../../../.build/llama-cpp-oracle/probe'))
names = ['stories260K', 'SmolLM2-135M-Instruct.Q4_1', 'SmolLM2-135M-Instruct.Q4_K_M-requant-from-Q4_1']
fas = sys.argv[1:] or ['on', 'off']
print('| model | case | fa | max|dlogit| top5 | top5 ids same | greedy prefix match / ref len | total pos match |')
print('|---|---:|---|---:|---|---:|---:|')
for n in names:
    for i, c in enumerate(json.load(open(R + n + '.greedy.json'))):
        for fa in fas:
            out = subprocess.run([probe, M + n + '.gguf', fa, str(len(c['greedy_tokens'])),
                                  ','.join(map(str, c['prompt_tokens']))],
                                 capture_output=True, text=True, check=True,
                                 env={'PROBE_LOGITS_FOR': ','.join(str(t['token']) for t in c['first_step_top5'])}).stdout
            top = dict((int(a), float(b)) for a, b in (x.split(':') for x in out.split('top5:')[1].split('\n')[0].split()))
            lf = dict((int(a), float(b)) for a, b in (x.split(':') for x in out.split('logits_for:')[1].split('\n')[0].split()))
            ours = list(map(int, out.split('greedy:')[1].split()))
            ref = c['greedy_tokens']
            d = max(abs(lf[t['token']] - t['logit']) for t in c['first_step_top5'])
            same = [t['token'] for t in c['first_step_top5']] == list(top.keys())
            pre = next((k for k, (a, b) in enumerate(zip(ours, ref)) if a != b), min(len(ours), len(ref)))
            tot = sum(a == b for a, b in zip(ours, ref))
            print(f'| {n} | {i} | {fa} | {d:.4f} | {same} | {pre}/{len(ref)} (ours {len(ours)}) | {tot} |', flush=True)
