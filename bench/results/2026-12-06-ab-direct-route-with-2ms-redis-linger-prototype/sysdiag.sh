#!/bin/bash
# usage: sysdiag.sh LOG OUTDIR SECONDS -- once scenario 3's warm-up ends, perf-stat syscalls and context switches of each process
LOG=$1; OUT=$2; SECS=${3:-15}; mkdir -p $OUT
until grep -q "3 live     Tether    warm-up" $LOG 2>/dev/null; do sleep 1; done
sleep 4
for name in fanout-service gateway-mqtt push-service device-registry kafka.Kafka redis-server; do
  pid=$(pgrep -f "$name" | head -1)
  [ -z "$pid" ] && continue
  perf stat --per-thread -e raw_syscalls:sys_enter,context-switches,cpu-clock -p $pid -o $OUT/$name.stat -- sleep $SECS &
done
wait
