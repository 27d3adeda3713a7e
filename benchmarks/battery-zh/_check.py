import json,re,sys,collections
import os
p=sys.argv[1] if len(sys.argv)>1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),'zh.jsonl')
ids=set();texts=collections.Counter();bad=0
known=set(re.findall(r'^  ([a-z_]+\.[a-z_]+):',open('/work/shared/concepts.yaml').read(),re.M))
for i,l in enumerate(open(p,encoding='utf-8'),1):
    o=json.loads(l)
    def err(m):
        global bad;bad+=1;print(i,o.get('id'),m)
    if set(o)!={'id','context','text','concepts','note'}: err('keys')
    if o['id'] in ids: err('dup id')
    ids.add(o['id']);texts[o['text']]+=1
    c=o['concepts']
    if c!=sorted(set(c)): err('unsorted/dup')
    for x in c:
        if x not in known: err('unknown '+x)
    if any(x.startswith('license.') and x!='license.grant' for x in c) and 'license.grant' not in c: err('grant missing')
    t=o['text']
    if re.search(r'[。！？；!?;]',t[:-1]) or '\n' in t: err('multi-unit text: '+t)
    if not o['note']: err('no note')
for t,n in texts.items():
    if n>1: print('dup text',t);bad+=1
print('lines',len(ids),'errors',bad)
