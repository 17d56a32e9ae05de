#!/bin/bash
# usage: sample-gateway-io.sh OUT -- waits for the gateway JVM, polls its /proc/<pid>/io every 0.2 s while it lives,
# and writes the last values read (rchar, wchar, syscr, syscw, ...) with their time to OUT
out=$1; : > $out
pid=""
for i in $(seq 1 3000); do
  pid=$(pgrep -f "gateway-mqtt.*jar" | head -1)
  [ -n "$pid" ] && break; sleep 0.2
done
last=""
while [ -e /proc/$pid/io ]; do
  v=$(cat /proc/$pid/io 2>/dev/null | tr '\n' ' '); [ -n "$v" ] && last="$v"
  echo "$(date +%s.%N) $last" > $out.tmp
  sleep 0.2
done
cat $out.tmp > $out
