#!/bin/bash
# interleaved: load generator with ParallelGC (/work/main) against ZGC (/work/wt/dev); scenario 3 at 1,000 and 2,000 msg/s
out=/tmp/lgab; mkdir -p $out
order="P Z Z P P Z Z P"
n=0
for side in $order; do
  n=$((n+1))
  dir=/work/main; [ $side = Z ] && dir=/work/wt/dev
  rm -f /tmp/loadgen-gc.log
  (cd $dir && BENCH_GC_LOG=1 flock /tmp/tether-quiet.lock flock /tmp/tether-mvn.lock bench/run --scale full --only 3 --no-peer --no-charts \
     --set liveRates=1000,2000 --out $out/$n-$side --work /tmp/lgabwork > $out/$n-$side.log 2>&1)
  cp /tmp/loadgen-gc.log $out/$n-$side.gc.log
done
