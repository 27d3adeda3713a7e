import re, json, sys, pathlib, collections
sys.path.insert(0, '/work/shared/tools')
from score import units
A = dict(G='license.grant', RF='license.royalty_free', IR='license.irrevocable', PE='license.perpetual',
 WW='license.worldwide', EX='license.exclusive', SUB='license.sublicensable', TR='license.transferable',
 DW='license.derivative_works', CU='license.commercial_use', AM='license.any_media', TP='license.third_parties',
 ST='license.survives_termination', AI='ai.training', OWN='ip.ownership_transfer', MR='moral_rights.waiver',
 ENF='enforcement.on_behalf', KEEP='ip.user_retains_ownership', REV='license.revocable', LP='license.limited_purpose',
 NT='ai.no_training', OO='ai.opt_out', UC='terms.unilateral_change', CBU='terms.contract_by_using',
 ARB='dispute.arbitration', JUR='dispute.jurisdiction', LAW='dispute.choice_of_law', LL='liability.limitation',
 TERM='account.unilateral_termination', RM='content.removal', PRIV='privacy.incorporated')
OUT = pathlib.Path('/work/wt-h9zh/benchmarks/heldout9-zh')
MARK = re.compile(r"\[\[([^\]]*)\]\]")
gold = []
listing = []
for src in sorted(pathlib.Path(__file__).parent.glob('*.src')):
    raw = src.read_text(encoding='utf-8')
    text, marks, pos = '', [], 0
    for m in MARK.finditer(raw):
        text += raw[pos:m.start()]; marks.append((len(text), m.group(1))); pos = m.end()
    text += raw[pos:]
    name = 'heldout9-' + src.stem + '.txt'
    (OUT / name).write_text(text, encoding='utf-8', newline='\n')
    us = units(text)
    lab = collections.defaultdict(set)
    for off, l in marks:
        u = [(s, e) for s, e in us if s <= off < e]
        assert len(u) == 1, (name, off, l, text[off-20:off+20])
        s, e = u[0]
        seg = text[s:e]; s2 = s + len(seg) - len(seg.lstrip()); e2 = e - (len(seg) - len(seg.rstrip()))
        assert s2 <= off <= e2, (name, l, text[s:e])
        cs = {A[x.strip()] for x in l.split(',') if x.strip()}
        if any(c.startswith('license.') and c != 'license.grant' for c in cs): cs.add('license.grant')
        lab[(s2, e2)] |= cs
    for (s, e), cs in sorted(lab.items()):
        for c in sorted(cs):
            gold.append(dict(doc=name, concept=c, start=s, end=e, quote=text[s:e]))
    han = len(re.findall(r'[\u4e00-\u9fff]', text))
    listing.append(f'=== {name}: {len(text)} chars, {han} han, {len(us)} units, {len(lab)} labelled units')
    for s, e in us:
        seg = text[s:e]; s2 = s + len(seg) - len(seg.lstrip()); e2 = e - (len(seg) - len(seg.rstrip()))
        cs = lab.get((s2, e2), set())
        short = ','.join(sorted(k for k, v in A.items() if v in cs))
        listing.append(f'[{short:>18}] {text[s2:e2]}')
with open(OUT / 'gold.jsonl', 'w', encoding='utf-8', newline='\n') as f:
    for g in gold: f.write(json.dumps(g, ensure_ascii=False) + '\n')
pathlib.Path('/tmp/heldout9-zh-listing.txt').write_text('\n'.join(listing), encoding='utf-8')
c = collections.Counter(g['concept'] for g in gold)
print(len(gold)); [print(k, v) for k, v in sorted(c.items())]
print('\n'.join(l for l in listing if l.startswith('===')))
