#!/usr/bin/env bash
# Builds the upstream Go programs the tests run as a real control plane — etcd, kube-apiserver,
# kube-controller-manager and kubectl — and as a real node (kubelet, kube-scheduler, kube-proxy)
# from their Go modules at the versions pinned by the
# wrapper modules beside this script (kubernetes/go.mod, etcd/go.mod, with their go.sum), krew
# (krew/go.mod), which installs the kubectl plugins from their manifests in a test, and
# containerd 2.x (containerd/go.mod) and dockerd 28 (dockerd/go.mod), which the engine suites run
# on besides Debian's containerd 1.6 and Docker 20.10.
#
# The binaries are cached by version under ${KUBE_RMI_UPSTREAM_CACHE:-~/.cache/kube-rmi/upstream},
# so a second run builds nothing. The last line printed is the folder holding them; the tests
# find it by the same rule (or by KUBE_RMI_UPSTREAM_BIN).
#
#   upstream/build.sh            build what is missing, print the folder
#   upstream/build.sh --print    print the folder only
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# The versions come from the wrapper modules, so there is one place that pins them.
k8s_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$here/kubernetes/go.mod")
etcd_version=$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" {print $3}' "$here/etcd/go.mod")
cache=${KUBE_RMI_UPSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-rmi/upstream}
bin="$cache/kubernetes-$k8s_version-etcd-$etcd_version"

if [ "${1:-}" = "--print" ]; then
  echo "$bin"
  exit 0
fi

command -v go >/dev/null || { echo "upstream: go is not on PATH (Go 1.26 or newer is needed)" >&2; exit 1; }

build() { # MODULE_DIR OUT_DIR LDFLAGS PACKAGE...
  local dir=$1 out=$2 ldflags=$3
  shift 3
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "$ldflags" -o "$out/" "$@")
}

krew_version=$(awk '$1 == "sigs.k8s.io/krew" {print $2}' "$here/krew/go.mod")
containerd_version=$(awk '$1 == "github.com/containerd/containerd/v2" {print $2}' "$here/containerd/go.mod")
containerd_bin="$cache/containerd-$containerd_version"

# containerd 2.x (containerd, ctr and its runc shim) in a folder of its own: the containerd
# suites run on it as well as on Debian's 1.6. Static, without the btrfs snapshotter (cgo).
dockerd_version=$(awk '$1 == "require" && $2 == "github.com/docker/docker" {print $3}' "$here/dockerd/go.mod" | sed 's/+incompatible//')
dockerd_bin="$cache/dockerd-$dockerd_version"

# The current Docker daemon (moby has no go.mod: dockerd/go.mod copies its vendor.mod pins).
# Static, without the graph drivers that need cgo; the tests run it with vfs.
build_dockerd() {
  [ -x "$dockerd_bin/dockerd" ] && return
  echo "upstream: building dockerd $dockerd_version" >&2
  local part
  part=$(mktemp -d "$cache/partial.XXXXXX")
  (cd "$here/dockerd" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
    -tags "exclude_graphdriver_btrfs exclude_graphdriver_devicemapper no_btrfs" \
    -ldflags "-s -w -X github.com/docker/docker/dockerversion.Version=$dockerd_version" \
    -o "$part/" github.com/docker/docker/cmd/dockerd)
  chmod 755 "$part"
  rm -rf "$dockerd_bin"
  mv "$part" "$dockerd_bin"
}

build_containerd() {
  if [ -x "$containerd_bin/containerd" ] && [ -x "$containerd_bin/ctr" ] && [ -x "$containerd_bin/containerd-shim-runc-v2" ]; then
    return
  fi
  echo "upstream: building containerd $containerd_version" >&2
  local part
  part=$(mktemp -d "$cache/partial.XXXXXX")
  (cd "$here/containerd" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -tags no_btrfs \
    -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$containerd_version" \
    -o "$part/" github.com/containerd/containerd/v2/cmd/containerd github.com/containerd/containerd/v2/cmd/ctr \
    github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2)
  chmod 755 "$part"
  rm -rf "$containerd_bin"
  mv "$part" "$containerd_bin"
}
# Without these the binaries report v0.0.0-master to `kubectl version` and /version.
minor=$(echo "$k8s_version" | cut -d. -f2)
version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_flags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
done

# The node's programs beside the control plane's, from the same wrapper module and version.
build_node() {
  if [ -x "$bin/kubelet" ] && [ -x "$bin/kube-scheduler" ] && [ -x "$bin/kube-proxy" ]; then
    return
  fi
  echo "upstream: building kubelet, kube-scheduler and kube-proxy $k8s_version" >&2
  local part
  part=$(mktemp -d "$cache/partial.XXXXXX")
  build "$here/kubernetes" "$part" "-s -w$version_flags" \
    k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy
  mv "$part"/* "$bin/"
  rmdir "$part"
}

# krew beside the control plane's programs, rebuilt when its pinned version changes.
build_krew() {
  if [ "$(cat "$bin/krew.version" 2>/dev/null)" != "$krew_version" ] || [ ! -x "$bin/krew" ]; then
    echo "upstream: building krew $krew_version" >&2
    build "$here/krew" "$bin" "-s -w" sigs.k8s.io/krew/cmd/krew
    echo "$krew_version" > "$bin/krew.version"
  fi
}

if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/kube-controller-manager" ] && [ -x "$bin/kubectl" ] && [ -x "$bin/etcd" ]; then
  echo "upstream: cached Kubernetes $k8s_version and etcd $etcd_version" >&2
  build_node
  build_krew
  build_containerd
  build_dockerd
  echo "$bin"
  exit 0
fi

start=$(date +%s)
mkdir -p "$cache"
staging=$(mktemp -d "$cache/partial.XXXXXX")
trap 'rm -rf "$staging"' EXIT
echo "upstream: building Kubernetes $k8s_version and etcd $etcd_version with $(go version | cut -d' ' -f3) (cold: about 8 minutes on 2 cores)" >&2

build "$here/kubernetes" "$staging" "-s -w$version_flags" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl
build "$here/etcd" "$staging" "-s -w" . # the module's last path element names it: etcd

rm -rf "$bin"
chmod 755 "$staging"
mv "$staging" "$bin"
trap - EXIT
build_node
build_krew
build_containerd
build_dockerd
echo "upstream: built in $(( $(date +%s) - start )) s" >&2
echo "$bin"
