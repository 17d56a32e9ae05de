#!/usr/bin/env python3
"""push-service's consumer thread in a JFR recording (bench/run --jfr): over the seconds with at least 15 Java execution
samples of the process (its busy seconds), how often JFR's native-method sampler found the thread waiting inside
KafkaConsumer.poll, and its parks (jdk.ThreadPark, over the recording's 10 ms threshold) in the loop's wait for room.

  consumer-thread-waits.py push-service.jfr
"""
import collections, json, subprocess, sys
rec=sys.argv[1]
def ev(kind):
    return json.loads(subprocess.run(["jfr","print","--json","--stack-depth","64","--events",kind,rec],capture_output=True,text=True,check=True).stdout)["recording"]["events"]
def fr(e):
    st=e["values"].get("stackTrace") or {}
    return [f["method"]["type"]["name"]+"."+f["method"]["name"] for f in (st.get("frames") or [])]
java=collections.Counter(e["values"]["startTime"][:19] for e in ev("jdk.ExecutionSample"))
busy={s for s,n in java.items() if n>=15}
poll=0
for e in ev("jdk.NativeMethodSample"):
    t=(e["values"].get("sampledThread") or {}).get("javaName")
    if t=="tether-push-consumer" and e["values"]["startTime"][:19] in busy and any(".poll" in f and "Consumer" in f for f in fr(e)):
        poll+=1
parks=collections.Counter(); dur=collections.Counter()
for e in ev("jdk.ThreadPark"):
    t=(e["values"].get("eventThread") or {}).get("javaName")
    if t!="tether-push-consumer" or e["values"]["startTime"][:19] not in busy: continue
    fs=fr(e); k="awaitRoom" if any("awaitRoom" in f or "FreedPermits" in f for f in fs) else ("poll" if any(".poll" in f for f in fs) else "other")
    parks[k]+=1
    d=e["values"]["duration"]
    dur[k]+=float(d[2:-1]) if d.startswith("PT") else 0
print(rec, "busy seconds", len(busy), "consumer samples in poll (native)", poll, "per busy second %.2f"%(poll/max(1,len(busy))), "parks", dict(parks), "park seconds", {k: round(v,2) for k,v in dur.items()})
