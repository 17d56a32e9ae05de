import os, sys, time, re
out = open(sys.argv[1], 'w')
pat = re.compile(r'kafka\.Kafka|redis-server|([a-z-]+)/target/quarkus-app')
names = {}
while True:
    ts = time.time()
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        if pid not in names:
            try: cmd = open(f'/proc/{pid}/cmdline','rb').read().replace(b'\0',b' ').decode(errors='replace')
            except Exception: continue
            m = pat.search(cmd)
            names[pid] = (m.group(1) or m.group(0)) if m else None
        n = names[pid]
        if not n: continue
        try: tids = os.listdir(f'/proc/{pid}/task')
        except Exception: continue
        for tid in tids:
            try: s = open(f'/proc/{pid}/task/{tid}/stat').read()
            except Exception: continue
            comm = s[s.index('(')+1:s.rindex(')')].replace(' ','_')
            f = s[s.rindex(')')+2:].split()
            out.write(f"{ts:.1f} {pid} {n} {tid} {comm} {f[11]} {f[12]}\n")
    out.flush()
    time.sleep(5)
