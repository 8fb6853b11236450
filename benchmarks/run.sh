#!/usr/bin/env bash
# Runs every benchmark of issue #8 and rewrites the results section of BENCHMARKS.md (about 15 minutes on a shared 2-core machine).
# Usage (from anywhere): bash benchmarks/run.sh [-Dbench.seconds=8] [-Dbench.runs=3] [-Dbench.parts=ack,pipeline,memory,startup]
#        [-Dbench.dbs=h2,pg (or h2mem)] [-Dbench.conns=1,8,32,128] [-Dbench.baseline=insert|same-work] [-Dbench.warmup=6]
#        [-Dbench.h2Options=;CACHE_SIZE=4096] [-Dbench.serverJvm="-XX:+UseZGC"]
#        [-Dbench.jfr=/tmp/server.jfr] [-Dbench.jfrSettings=profile|default] [-Dbench.out=BENCHMARKS.md]
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); creates and drops its own database.
# BENCH_SKIP_BUILD=1 reuses the jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -DskipTests -pl benchmarks,examples -am package
fi
# Run from copies, so a build during the run cannot change the code under test.
jars=$(mktemp -d)
trap 'rm -rf "$jars"' EXIT
cp benchmarks/target/frontdesk-benchmarks.jar examples/target/frontdesk-example.jar "$jars/"
java -Dbench.exampleJar="$jars/frontdesk-example.jar" "$@" -jar "$jars/frontdesk-benchmarks.jar" bash benchmarks/run.sh "$@"
