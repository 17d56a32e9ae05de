#!/bin/bash
# waits for the bench's redis-server, then: INFO every 5 s, and perf record of its main thread
p=; while [ -z "$p" ]; do p=$(pgrep -n -x redis-server | head -1); sleep 0.5; done; sleep 1
port=$(tr "\0" " " < /proc/$p/cmdline | grep -o ":[0-9]*" | tr -d : | head -1)
[ -z "$port" ] && port=$(tr '\0' ' ' < /proc/$p/cmdline | grep -o ':[0-9]*' | tr -d : | head -1)
echo "pid $p port $port" > /tmp/tsamp/redis.info
perf record -F 499 -g -p $p -o /tmp/tsamp/redis.perf >/tmp/tsamp/perf.log 2>&1 &
while kill -0 $p 2>/dev/null; do echo "=== $(date +%s)" >> /tmp/tsamp/redis.info; redis-cli -p $port info all >> /tmp/tsamp/redis.info 2>/dev/null; sleep 5; done
