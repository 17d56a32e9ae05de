#!/bin/bash
# usage: redislat.sh LOG OUT -- Redis latency monitor (threshold 5 ms) over scenario 3; dumps it when the 1,000 msg/s step ends
LOG=$1; OUT=$2
until pgrep redis-server >/dev/null; do sleep 0.5; done
sleep 1
port=$(pgrep -a redis-server | grep -o ':[0-9]*' | tr -d : | head -1)
redis-cli -p $port CONFIG SET latency-monitor-threshold 5 > /dev/null
until grep -q "3 live     Tether    warm-up" $LOG 2>/dev/null; do sleep 1; done
date +%T > $OUT.stepstart
redis-cli -p $port LATENCY RESET > /dev/null
until grep -q "1,000 msg/s:" $LOG 2>/dev/null; do sleep 0.5; done
date +%T > $OUT.stepend
{ redis-cli -p $port LATENCY LATEST; for e in fork aof-fsync-always aof-write aof-write-active-child aof-write-alone aof-rename aof-rewrite-diff-write command fast-command aof-write-pending-fsync; do echo "== $e"; redis-cli -p $port LATENCY HISTORY $e; done; redis-cli -p $port INFO persistence; } > $OUT 2>&1
