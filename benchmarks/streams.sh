#!/usr/bin/env bash
# Heap of live dashboard streams (issue 19, StreamsBench): PostgreSQL seeded as scale.sh seeds it (1k and 300k leads),
# 50 SSE clients on GET /api/events/stream, used heap after a full GC with no stream, with the streams open, after
# 1,000 and 10,000 inbound texts fanned out to every stream (each stream must get every event), and after they close.
# About 10 minutes and ~2 GB of disk at 300k; outside CI (CI runs StreamsBenchTest at 1k leads and 5 streams).
# Usage (from anywhere): bash benchmarks/streams.sh [-Dbench.sizes=1000,300000] [-Dbench.streams=50]
#        [-Dbench.events=1000] [-Dbench.out=benchmarks/target/streams.md]
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); creates and drops database frontdesk_streams_bench.
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
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.out=benchmarks/target/streams.md "$@" \
  -cp "$jar" dev.frontdesk.sms.bench.StreamsBench
echo "uptime after: $(uptime)" >&2
