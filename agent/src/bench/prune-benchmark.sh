#!/usr/bin/env bash
# Benchmark: prune -a of N unused images, kube-rmi next to the engine's own tool, in alternating
# rounds that each start from the same N images (one saved tarball, loaded or imported again):
#   Docker:     `docker image prune -a -f` (the current CLI)  vs  `./kube-rmi prune -a`
#   containerd: `ctr -n k8s.io images rm --sync` of every name (containerd has no prune; this is
#               its own removal of the same images)      vs  `./kube-rmi prune -a --containerd-address`
# JVM start is included for kube-rmi; the build is not. Prints medians and every round.
# Usage (as root): agent/src/bench/prune-benchmark.sh [N=500] [ROUNDS=3]
set -euo pipefail
N=${1:-500}
ROUNDS=${2:-3}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
D=$(mktemp -d /tmp/krmi-pb.XXXX)
cleanup() {
  [ -f "$D/ctr.pid" ] && kill "$(cat "$D/ctr.pid")" 2>/dev/null
  [ -f "$D/pid" ] && kill "$(cat "$D/pid")" 2>/dev/null
  sleep 2
  grep " $D" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT

/usr/sbin/dockerd --data-root "$D/data" --exec-root "$D/exec" --pidfile "$D/pid" -H "unix://$D/d.sock" \
  --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs >"$D/dockerd.log" 2>&1 &
export DOCKER_HOST="unix://$D/d.sock" DOCKER_CONFIG="$D/cli"
for _ in $(seq 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done

mkdir -p "$D/c"
containerd config default | sed -e "s|^root = .*|root = \"$D/c/root\"|" -e "s|^state = .*|state = \"$D/c/state\"|" \
  -e "s|address = \"/run/containerd/containerd.sock\"|address = \"$D/c/c.sock\"|" \
  -e "s|/run/containerd/|$D/c/run/|g" -e "s|path = \"/opt/containerd\"|path = \"$D/c/opt\"|" >"$D/c/config.toml"
containerd --config "$D/c/config.toml" >"$D/c/log" 2>&1 &
echo $! >"$D/ctr.pid"
CTR=(ctr --address "$D/c/c.sock" -n k8s.io)
for _ in $(seq 100); do "${CTR[@]}" version >/dev/null 2>&1 && break; sleep 0.1; done

# N distinct one-layer images (a few bytes each, so the engines' own work dominates).
mkdir -p "$D/src"
for i in $(seq "$N"); do
  mkdir -p "$D/src/$i" && echo "$i" >"$D/src/$i/id"
  tar -C "$D/src/$i" -cf "$D/src/$i.tar" id
done
seq "$N" | xargs -P 4 -I{} docker import "$D/src/{}.tar" "bench:{}" >/dev/null
mapfile -t refs < <(seq "$N" | sed 's/^/bench:/')
docker save -o "$D/all.tar" "${refs[@]}"
docker image prune -a -f >/dev/null

(cd "$root" && ./kube-rmi --help >/dev/null)   # builds on first use; not timed

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A times
modes=(docker-prune kube-rmi-docker ctr-rm kube-rmi-containerd)
for round in $(seq "$ROUNDS"); do
  for mode in "${modes[@]}"; do
    case $mode in
      docker-prune|kube-rmi-docker) docker load -q -i "$D/all.tar" >/dev/null ;;
      *) "${CTR[@]}" images import "$D/all.tar" >/dev/null
         mapfile -t names < <("${CTR[@]}" images ls -q) ;;
    esac
    t0=$(now)
    case $mode in
      docker-prune) docker image prune -a -f >"$D/out.$mode" ;;
      kube-rmi-docker) "$root/kube-rmi" prune -a --docker-host "$DOCKER_HOST" >"$D/out.$mode" ;;
      ctr-rm) "${CTR[@]}" images rm --sync "${names[@]}" >"$D/out.$mode" ;;
      kube-rmi-containerd) "$root/kube-rmi" prune -a --containerd-address "$D/c/c.sock" >"$D/out.$mode" ;;
    esac
    t1=$(now)
    case $mode in
      docker-prune|kube-rmi-docker) left=$(docker images -q | wc -l) ;;
      *) left=$("${CTR[@]}" images ls -q | wc -l) ;;
    esac
    [ "$left" -eq 0 ] || { echo "$mode left $left images" >&2; exit 1; }
    times[$mode]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') "
  done
  diff <(grep -E '^(untagged|deleted):' "$D/out.docker-prune" | sort) \
    <(grep -E '^(untagged|deleted):' "$D/out.kube-rmi-docker" | sort) >/dev/null ||
    { echo "kube-rmi prune printed other lines than docker image prune" >&2; exit 1; }
done
echo "images: $N, rounds: $ROUNDS, docker $(docker version --format '{{.Server.Version}}'), containerd $("${CTR[@]}" version | awk '/Version/ {print $2; exit}'), $(nproc) cores"
for mode in "${modes[@]}"; do
  printf '%-20s median %6.2f s   rounds: %s\n' "$mode" "$(echo "${times[$mode]}" | tr ' ' '\n' | grep . | median)" "${times[$mode]}"
done
