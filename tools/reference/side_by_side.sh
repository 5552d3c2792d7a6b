#!/bin/sh
# Runs the reference (Python) and TwinHead (C#) measurements back to back, interleaved, so both sides see the same machine
# load; prints the 1/5/15-minute load average before each step. Usage, from the repository root after building
# (dotnet build bench/TwinHead.Bench -c Release) and generating the data (see docs/benchmarks.md):
#   [EPOCHS=2] sh tools/reference/side_by_side.sh [DATA=/tmp/bench-data] [MODEL=/tmp/bench-model.onnx] [PART=all|inference|training|profile]
set -eu
DATA=${1:-/tmp/bench-data}
MODEL=${2:-/tmp/bench-model.onnx}
PART=${3:-all}
EPOCHS=${EPOCHS:-2}
PY=/usr/bin/python3
BENCH="dotnet bench/TwinHead.Bench/bin/Release/net10.0/linux-x64/TwinHead.Bench.dll"
REAL=/work/shared/data/real-dev/test.csv

step() {
    echo
    echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg): $*"
    "$@"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if [ "$PART" = all ] || [ "$PART" = inference ]; then
    [ -f "$MODEL" ] || step $BENCH export-random --out "$MODEL"
    step $PY tools/reference/infer_latency.py --csv "$REAL"
    step $BENCH inference --model "$MODEL" --csv "$REAL"
fi
if [ "$PART" = all ] || [ "$PART" = training ]; then
    step $PY tools/reference/train_throughput.py --data "$DATA" --epochs "$EPOCHS"
    step $BENCH train-epoch --data "$DATA" --epochs "$EPOCHS" --batch 32 --threads 2 --workers 2
fi
if [ "$PART" = all ] || [ "$PART" = profile ]; then
    step $PY tools/reference/train_throughput.py --data "$DATA" --mode loader --epochs 1
    step $PY tools/reference/train_throughput.py --data "$DATA" --mode step --steps 30
    step $BENCH train-profile --data "$DATA" --steps 30
    step $PY tools/reference/train_throughput.py --data "$DATA" --mode step --steps 20 --threads 1
    step $BENCH train-profile --data "$DATA" --part step --steps 20 --threads 1
fi
echo
echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) load $(cut -d' ' -f1-3 /proc/loadavg): done"
