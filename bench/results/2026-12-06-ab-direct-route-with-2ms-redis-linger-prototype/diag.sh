#!/bin/bash
# usage: diag.sh CHECKOUT NAME : one scenario-3 run at 1,000 msg/s with perf stat per thread
cd $1
rm -rf /tmp/diag-$2; mkdir -p /tmp/diag-$2
( bash "$(pwd)/bench/results/2026-12-06-live-tail-diagnosis/perf-stat/sysdiag.sh" /tmp/diag-$2/run.log /tmp/diag-$2/perf 15 ) &
bench/run --only 3 --no-peer --no-charts --scale full --set liveRates=1000 --set liveWarmupRate=1000 --set liveDuration=30s --out /tmp/diag-$2/results --work /tmp/diag-$2/work > /tmp/diag-$2/run.log 2>&1
wait
