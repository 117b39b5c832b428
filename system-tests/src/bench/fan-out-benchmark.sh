#!/usr/bin/env bash
# One ImageRemoval over N Nodes (default 5,000) with simulated agents that finish within SPREAD
# seconds (default 20): the operator as its own JVM with the chart's JVM options, sized for the
# chart's memory limit, as the chart's ServiceAccount, on the real control plane that
# upstream/build.sh builds. Prints the time to the first status and to Succeeded, API writes per
# node, the CPU seconds of the operator, kube-apiserver and etcd, and the operator's peak RSS:
#   system-tests/src/bench/fan-out-benchmark.sh [N=5000] [SPREAD=20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -pl system-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="$root/system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)"
chart() {
  awk -v c="$1:" -v k="$2" '$0 ~ "^"c {a=1} a && $0 ~ "^  "k {print; exit}' helm/kube-rmi/values.yaml
}
options=$(chart operator "javaOptions:" | sed 's/^  javaOptions: //; s/"//g')
limit=$(chart operator "  limits:" | sed 's/.*memory: *\([0-9]*\)Mi.*/\1m/')
cd system-tests # InClusterProcess finds the jars in ../<module>/target
java -Xmx2g -Doperator.javaOptions="$options" -Doperator.memoryLimit="$limit" -cp "$cp" \
  io.kubermi.bench.FanOutBenchmark "${1:-5000}" "${2:-20}"
