#!/usr/bin/env bash
# Benchmark: remove N images
#   on a real Docker daemon with (a) one `docker rmi` call with all N arguments (the docker CLI
#   first on PATH, the current one on the project's machines), (b) N separate `docker rmi` calls
#   (skipped with SEPARATE=0), (c) `./kube-rmi rmi` with all N arguments;
#   on a real containerd with (d) one `ctr images rm --sync` of all N names and (e)
#   `./kube-rmi rmi --containerd-address` with all N arguments.
# JVM start included, build excluded. Each round starts from the same N images (one saved
# tarball, loaded or imported again); the ways alternate within a round. It fails if any image is
# left or if `kube-rmi rmi` prints other than the single `docker rmi` call.
# Usage (as root): agent/src/bench/rmi-benchmark.sh [N=500] [ROUNDS=3]
set -euo pipefail
N=${1:-500}
ROUNDS=${2:-3}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
D=$(mktemp -d /tmp/krmi-rb.XXXX)
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

mkdir -p "$D/src"
for i in $(seq "$N"); do
  mkdir -p "$D/src/$i" && echo "$i" >"$D/src/$i/id"
  tar -C "$D/src/$i" -cf "$D/src/$i.tar" id
done
seq "$N" | xargs -P 4 -I{} docker import "$D/src/{}.tar" "bench:{}" >/dev/null
mapfile -t refs < <(seq "$N" | sed 's/^/bench:/')
docker save -o "$D/all.tar" "${refs[@]}"
docker rmi "${refs[@]}" >/dev/null

(cd "$root" && ./kube-rmi --help >/dev/null)   # builds on first use; not timed

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A times
modes=(one-call kube-rmi ctr-rm kube-rmi-containerd)
[ "${SEPARATE:-1}" = 0 ] || modes=(one-call separate-calls kube-rmi ctr-rm kube-rmi-containerd)
for round in $(seq "$ROUNDS"); do
  for mode in "${modes[@]}"; do
    case $mode in
      ctr-rm|kube-rmi-containerd) "${CTR[@]}" images import "$D/all.tar" >/dev/null
         mapfile -t names < <("${CTR[@]}" images ls -q) ;;
      *) docker load -q -i "$D/all.tar" >/dev/null ;;
    esac
    t0=$(now)
    case $mode in
      one-call) docker rmi "${refs[@]}" >"$D/out.$mode" ;;
      separate-calls) for r in "${refs[@]}"; do docker rmi "$r"; done >"$D/out.$mode" ;;
      kube-rmi) "$root/kube-rmi" rmi --docker-host "$DOCKER_HOST" "${refs[@]}" >"$D/out.$mode" ;;
      ctr-rm) "${CTR[@]}" images rm --sync "${names[@]}" >"$D/out.$mode" ;;
      kube-rmi-containerd) "$root/kube-rmi" rmi --containerd-address "$D/c/c.sock" "${refs[@]}" >"$D/out.$mode" ;;
    esac
    t1=$(now)
    case $mode in
      ctr-rm|kube-rmi-containerd) left=$("${CTR[@]}" images ls -q | wc -l) ;;
      *) left=$(docker images -q | wc -l) ;;
    esac
    [ "$left" -eq 0 ] || { echo "$mode left $left images" >&2; exit 1; }
    times[$mode]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') "
  done
  cmp -s "$D/out.one-call" "$D/out.kube-rmi" || { echo "kube-rmi printed something else than docker rmi" >&2; exit 1; }
done
echo "images: $N, rounds: $ROUNDS, docker $(docker version --format '{{.Server.Version}}') (CLI $(docker version --format '{{.Client.Version}}')), containerd $("${CTR[@]}" version | awk '/Version/ {print $2; exit}'), $(nproc) cores"
for mode in "${modes[@]}"; do
  printf '%-20s median %6.2f s   rounds: %s\n' "$mode" "$(echo "${times[$mode]}" | tr ' ' '\n' | grep . | median)" "${times[$mode]}"
done
