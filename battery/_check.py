import json, re, sys, os
H = os.path.dirname(os.path.abspath(__file__)); ids = set(re.findall(r'^  ([a-z_]+\.[a-z_]+):', open('/work/shared/concepts.yaml').read(), re.M))
seen, bad = set(), 0
for n, line in enumerate(open(os.path.join(H, 'en.jsonl')), 1):
    r = json.loads(line); errs = [] if set(r) == {'id', 'context', 'text', 'concepts', 'note'} else ['keys']
    errs += [f'unknown {c}' for c in r.get('concepts', []) if c not in ids] + (['dup id'] if r.get('id') in seen else []) + (['empty text/note'] if not (str(r.get('text')).strip() and str(r.get('note')).strip()) else [])
    errs += ['license.* without license.grant'] if any(c.startswith('license.') and c != 'license.grant' for c in r['concepts']) and 'license.grant' not in r['concepts'] else []
    errs += ['types'] if not (isinstance(r['context'], str) and isinstance(r['concepts'], list) and r['concepts'] == sorted(set(r['concepts']))) else []
    seen.add(r.get('id')); bad += bool(errs); [print(f'line {n} {r.get("id")}: {e}') for e in errs]
print(f'{n} lines, {bad} bad'); sys.exit(1 if bad else 0)
