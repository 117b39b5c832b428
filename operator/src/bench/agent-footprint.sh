#!/usr/bin/env bash
# The agent's footprint with the chart's JVM options: resident memory idle and while removing
# N images on a real Docker daemon, and CPU used while idle. As root:
#   operator/src/bench/agent-footprint.sh [N=500]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)"
# The agent's JVM options as the chart sets them.
opts=$(awk '/^agent:/{a=1} a && /^  javaOptions:/{sub(/^  javaOptions: /,""); gsub(/"/,""); print; exit}' helm/kube-rmi/values.yaml)
java -Dagent.javaOptions="$opts" -cp "$cp" io.kubermi.bench.AgentFootprint "${1:-500}"
