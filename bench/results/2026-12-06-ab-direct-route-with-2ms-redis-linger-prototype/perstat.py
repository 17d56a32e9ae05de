import sys,re,collections,os
# usage: perstat.py DIR MESSAGES  -> per process: syscalls, ctx switches, cpu us per message, busiest threads
d,msgs=sys.argv[1],float(sys.argv[2])
for f in sorted(os.listdir(d)):
    if not f.endswith('.stat'): continue
    th=collections.defaultdict(lambda: collections.defaultdict(float))
    for line in open(os.path.join(d,f)):
        m=re.match(r'\s*(\S.*?)-(\d+)\s+([\d,.]+)\s+(?:msec\s+)?(\S+)',line)
        if not m: continue
        name,val,ev=m.group(1),float(m.group(3).replace(',','')),m.group(4)
        name=re.sub(r'[-#]?\d+$','',name).strip()
        th[name][ev]+=val
    tot=collections.defaultdict(float)
    for n,e in th.items():
        for k,v in e.items(): tot[k]+=v
    top=sorted(th.items(),key=lambda x:-x[1].get('cpu-clock',0))[:4]
    print(f"{f[:-5]:16s} syscalls {tot['raw_syscalls:sys_enter']/msgs:5.1f} cs {tot['context-switches']/msgs:4.1f} cpu {tot['cpu-clock']*1000/msgs:5.0f} us | "+", ".join(f"{n} {e.get('cpu-clock',0)*1000/msgs:.0f}" for n,e in top))
