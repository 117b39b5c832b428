#!/usr/bin/env bash
# Builds the kube-rmi container images from a packaged checkout (`mvn -B -DskipTests package`):
# one image, tagged twice, as the chart's operator and agent images. The JRE inside is made
# here with jlink from the build's JDK 17: only the modules kube-rmi uses, no debug symbols.
# The examples come along, so `docker run IMAGE demo` works.
#
#   operator/src/main/docker/build-images.sh [--tag TAG] [--base IMAGE | --local-base]
#
#   --tag TAG      image tag (default: the chart's appVersion)
#   --base IMAGE   base image (default debian:bookworm-slim: glibc, libstdc++ and zlib is all
#                  the JRE needs)
#   --local-base   no registry at hand: make the base from this Debian 12 machine's own
#                  packages libc6, libgcc-s1, libstdc++6 and zlib1g (the same packages the
#                  default base carries) and import it as kube-rmi-base:debian12-local
#
# Uses $DOCKER (default: docker) and DOCKER_HOST like the docker CLI; the classic builder, so
# no BuildKit plugin is needed. Prints the two image names, one per line, on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
target="$root/operator/target"
docker=${DOCKER:-docker}
export DOCKER_BUILDKIT=0

tag=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/helm/kube-rmi/Chart.yaml")
base=debian:bookworm-slim
local_base=false
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --local-base) local_base=true; shift ;;
    *) echo "build-images.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

jar=$(find "$target" -maxdepth 1 -name 'kube-rmi-operator-*.jar' ! -name '*-tests.jar' | head -1)
if [ -z "$jar" ]; then
  echo "build-images.sh: no operator jar in $target; run 'mvn -B -DskipTests package' first" >&2
  exit 2
fi

ctx="$target/image"
rm -rf "$ctx"
mkdir -p "$ctx/lib"
cp "$here/Dockerfile" "$ctx/Dockerfile"
cp "$jar" "$ctx/kube-rmi.jar"
cp -r "$root/examples" "$ctx/examples"
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

# Exactly the jars the manifest names (target/lib may hold stale ones from earlier builds).
(cd "$ctx" && "$jdk/bin/jar" xf kube-rmi.jar META-INF/MANIFEST.MF)
tr -d '\r' <"$ctx/META-INF/MANIFEST.MF" | sed -e ':a;N;$!ba;s/\n //g' \
  | sed -n 's/^Class-Path: //p' | tr ' ' '\n' | grep . | while read -r entry; do
    cp "$target/$entry" "$ctx/lib/"
  done
rm -rf "$ctx/META-INF"

# The JRE. java.desktop is there for java.beans (used by Jackson); jdk.crypto.ec for TLS to
# API servers with EC keys; the rest is what jdeps reports for kube-rmi and its libraries.
"$jdk/bin/jlink" --output "$ctx/jre" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported

if $local_base; then
  rootfs="$target/image-base"
  rm -rf "$rootfs"
  mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/usr/lib" "$rootfs/usr/lib64"
  chmod 1777 "$rootfs/tmp"
  ln -s usr/lib "$rootfs/lib"  # Debian 12's merged /usr, as on the host the packages list
  ln -s usr/lib64 "$rootfs/lib64"
  dpkg -L libc6 libgcc-s1 libstdc++6 zlib1g | sort -u | while read -r f; do
    if [ ! -d "$f" ] && { [ -f "$f" ] || [ -L "$f" ]; }; then
      mkdir -p "$rootfs$(dirname "$f")"
      cp -a "$f" "$rootfs$f"
    fi
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
  base=kube-rmi-base:debian12-local
  tar -C "$rootfs" -c . | "$docker" import - "$base" >/dev/null
fi

operator_image="ghcr.io/kube-rmi/kube-rmi-operator:$tag"
agent_image="ghcr.io/kube-rmi/kube-rmi-agent:$tag"
"$docker" build -q --build-arg "BASE_IMAGE=$base" -t "$operator_image" "$ctx" >/dev/null
"$docker" tag "$operator_image" "$agent_image"
echo "$operator_image"
echo "$agent_image"
