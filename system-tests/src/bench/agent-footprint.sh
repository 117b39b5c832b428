#!/usr/bin/env bash
# The agent's footprint with the chart's JVM options: resident memory idle and while removing
# N images on a real Docker daemon, and CPU used while idle. As root:
#   system-tests/src/bench/agent-footprint.sh [--image] [N=500]
# --image: the agent in its container image (build-images.sh --local-base) with the chart's
# security settings and memory limit, instead of a JVM on the host.
# AGENT_JAVA_OPTIONS replaces the chart's JVM options (to compare others); BENCH_JAVA_OPTS go to
# the benchmark's own JVM.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -pl system-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)"
agent_jar=$(ls agent/target/kube-rmi-agent-*.jar | grep -v -- -tests.jar | head -1)
# The agent's JVM options as the chart sets them.
opts=${AGENT_JAVA_OPTIONS:-$(awk '/^agent:/{a=1} a && /^  javaOptions:/{sub(/^  javaOptions: /,""); gsub(/"/,""); print; exit}' helm/kube-rmi/values.yaml)}
image=false
if [ "${1:-}" = "--image" ]; then image=true; shift; fi
java ${BENCH_JAVA_OPTS:-} -Dagent.jar="$agent_jar" -Dagent.javaOptions="$opts" -Dagent.image=$image -cp "$cp" io.kubermi.bench.AgentFootprint "${1:-500}"
