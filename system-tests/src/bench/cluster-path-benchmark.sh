#!/usr/bin/env bash
# apply → Succeeded of one ImageRemoval of N images on one real Docker node and one real
# containerd node (operator and agents as their own JVMs with the chart's JVM options, embedded
# API server), against one `docker rmi` call and one `ctr images rm --sync` of every name of the
# same images (their tags and the ID names containerd's CRI plugin adds),
# in alternating rounds. As root:
#   system-tests/src/bench/cluster-path-benchmark.sh [N=300] [ROUNDS=3] [LAYERS=1]
# LAYERS: each image's own layers (with more than one, the Docker agent reads each arriving
# image's layer sizes when it is loaded, not during the run).
# AGENT_JAVA_OPTIONS replaces the chart's JVM options for the agents (to compare or profile).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -pl system-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="$root/system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)"
chart_option() {
  awk -v c="$1:" '$0 ~ "^"c {a=1} a && /^  javaOptions:/{sub(/^  javaOptions: /,""); gsub(/"/,""); print; exit}' helm/kube-rmi/values.yaml
}
agent_options=${AGENT_JAVA_OPTIONS:-$(chart_option agent)}
operator_options=$(chart_option operator)
cd system-tests # InClusterProcess finds the jars in ../<module>/target
java ${BENCH_JAVA_OPTS:-} -Dagent.javaOptions="$agent_options" -Doperator.javaOptions="$operator_options" \
  -cp "$cp" \
  io.kubermi.bench.ClusterPathBenchmark "${1:-300}" "${2:-3}" "${3:-1}"
