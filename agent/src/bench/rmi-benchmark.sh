#!/usr/bin/env bash
# Benchmark: remove N images on a real Docker daemon with
#   (a) one `docker rmi` call with all N arguments,
#   (b) N separate `docker rmi` calls,
#   (c) `./kube-rmi rmi` with all N arguments (JVM start included, build excluded).
# Each round starts from the same N images (docker load of one saved tarball).
# Usage (as root): agent/src/bench/rmi-benchmark.sh [N=500] [ROUNDS=3]
set -euo pipefail
N=${1:-500}
ROUNDS=${2:-3}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
DOCKER=/usr/bin/docker
D=$(mktemp -d /tmp/krmi-bench.XXXX)
cleanup() {
  [ -f "$D/pid" ] && kill "$(cat "$D/pid")" 2>/dev/null && sleep 2
  grep " $D" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT

/usr/sbin/dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/pid" -H "unix://$D/d.sock" \
  --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs >"$D/dockerd.log" 2>&1 &
export DOCKER_HOST="unix://$D/d.sock" DOCKER_CONFIG="$D/cli"
for _ in $(seq 100); do $DOCKER version >/dev/null 2>&1 && break; sleep 0.1; done

# N distinct one-layer images (a few bytes each, so the daemon's own work dominates).
mkdir -p "$D/src"
for i in $(seq "$N"); do
  mkdir -p "$D/src/$i" && echo "$i" >"$D/src/$i/id"
  tar -C "$D/src/$i" -cf "$D/src/$i.tar" id
done
seq "$N" | xargs -P 4 -I{} $DOCKER import "$D/src/{}.tar" "bench:{}" >/dev/null
mapfile -t refs < <(seq "$N" | sed 's/^/bench:/')
$DOCKER save -o "$D/all.tar" "${refs[@]}"

(cd "$root" && ./kube-rmi --help >/dev/null)   # builds on first use; not timed

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A times
for round in $(seq "$ROUNDS"); do
  for mode in one-call separate-calls kube-rmi; do
    $DOCKER load -q -i "$D/all.tar" >/dev/null
    t0=$(now)
    case $mode in
      one-call) $DOCKER rmi "${refs[@]}" >"$D/out.$mode" ;;
      separate-calls) for r in "${refs[@]}"; do $DOCKER rmi "$r"; done >"$D/out.$mode" ;;
      kube-rmi) "$root/kube-rmi" rmi --docker-host "$DOCKER_HOST" "${refs[@]}" >"$D/out.$mode" ;;
    esac
    t1=$(now)
    left=$($DOCKER images -q | wc -l)
    [ "$left" -eq 0 ] || { echo "$mode left $left images" >&2; exit 1; }
    times[$mode]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') "
  done
  cmp -s "$D/out.one-call" "$D/out.kube-rmi" || { echo "kube-rmi printed something else than docker rmi" >&2; exit 1; }
done
echo "images: $N, rounds: $ROUNDS, docker $($DOCKER version --format '{{.Server.Version}}'), $(nproc) cores"
for mode in one-call separate-calls kube-rmi; do
  printf '%-16s median %6.2f s   rounds: %s\n' "$mode" "$(echo "${times[$mode]}" | tr ' ' '\n' | grep . | median)" "${times[$mode]}"
done
