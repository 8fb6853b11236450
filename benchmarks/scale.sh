#!/usr/bin/env bash
# The scale benchmark of issue 19 (ScaleBench): PostgreSQL seeded with generate_series at 1k / 100k / 300k leads
# (10 messages and 3 AI calls per lead), medians of 20 requests per figure, the webhook's ack p99 against the empty
# database. About 10 minutes and a few GB of disk at 300k; outside CI (CI runs ScaleBenchTest at 1k).
# Usage (from anywhere): bash benchmarks/scale.sh [-Dbench.sizes=1000,100000,300000] [-Dbench.requests=20]
#        [-Dbench.ackRate=100] [-Dbench.ackCount=1000] [-Dbench.out=benchmarks/target/scale.md]
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); creates and drops database frontdesk_scale_bench.
# BENCH_SKIP_BUILD=1 reuses the jar already built.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -DskipTests -pl benchmarks -am package
fi
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
cp benchmarks/target/frontdesk-benchmarks.jar "$jar"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sm), $(java -version 2>&1 | head -1)" >&2
echo "uptime before: $(uptime)" >&2
java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.out=benchmarks/target/scale.md "$@" \
  -cp "$jar" dev.frontdesk.sms.bench.ScaleBench
echo "uptime after: $(uptime)" >&2
