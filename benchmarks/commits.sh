#!/usr/bin/env bash
# Database commits and row writes per answered text, and idle commits per second, on PostgreSQL (CommitBench;
# about 3 minutes). Usage (from anywhere): bash benchmarks/commits.sh [-Dbench.texts=40] [-Dbench.idleSeconds=30]
#        [-Dbench.settleSeconds=12] [-Dbench.pg=jdbc:postgresql://127.0.0.1:5432/] [-Dbench.logStatements=true]
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); creates and drops database frontdesk_commit_bench.
# BENCH_SKIP_BUILD=1 reuses the jar already built.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -DskipTests -pl benchmarks -am package
fi
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
cp benchmarks/target/frontdesk-benchmarks.jar "$jar"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@" -cp "$jar" dev.frontdesk.sms.bench.CommitBench
