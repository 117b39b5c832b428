#!/usr/bin/env bash
# Builds the kube-rmi container images from a packaged checkout (`mvn -B -DskipTests package`):
# the operator image (the operator module: no engine client) and the agent image (the agent
# module: no operator framework, no embedded API server), named as the chart's defaults; with
# --cli also the command-line image (`docker run IMAGE demo`). The JRE inside each is made here
# with jlink from the build's JDK 17 (at least 17.0.15; its version is printed on stderr): only
# the modules kube-rmi uses, no debug symbols. Each image holds the CycloneDX SBOM of its jars
# (the Maven build's target/bom.json) at /opt/kube-rmi/sbom.cdx.json.
#
#   images/build-images.sh [--tag TAG] [--registry R] [--push] [--base IMAGE | --local-base] [--cli]
#
#   --tag TAG      image tag (default: the chart's appVersion)
#   --registry R   name the images R/kube-rmi-operator, R/kube-rmi-agent (and R/kube-rmi);
#                  without it they take the chart's default repositories (values.yaml)
#   --push         push the images after building them (to R, or to the default repositories)
#   --base IMAGE   base image (default debian:bookworm-slim: glibc, libstdc++ and zlib is all
#                  the JRE needs)
#   --local-base   no registry at hand: make the base from this Debian 12 machine's own
#                  packages libc6, libgcc-s1, libstdc++6 and zlib1g (the same packages the
#                  default base carries) and import it as kube-rmi-base:debian12-local
#   --cli          also build ghcr.io/kube-rmi/kube-rmi:TAG, the ./kube-rmi command line with
#                  the examples (demo, local, rmi); it is not used in a cluster
#
# Uses $DOCKER (default: docker) and DOCKER_HOST like the docker CLI; the classic builder, so
# no BuildKit plugin is needed. Prints the image names, one per line, on stdout: operator,
# agent, then the command line's when built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
docker=${DOCKER:-docker}
export DOCKER_BUILDKIT=0

tag=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/helm/kube-rmi/Chart.yaml")
base=debian:bookworm-slim
local_base=false
cli=false
registry=""
push=false
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --local-base) local_base=true; shift ;;
    --cli) cli=true; shift ;;
    --registry) registry="${2%/}"; shift 2 ;;
    --push) push=true; shift ;;
    *) echo "build-images.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
work="$root/target/images"
mkdir -p "$work"

# The images' JRE is the build JDK's: refuse one older than the oldest with the security fixes
# kube-rmi was last checked against (KUBE_RMI_MIN_JRE overrides), and say which it is.
min_jre=${KUBE_RMI_MIN_JRE:-17.0.15}
jre_version=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.runtime\.version = \([0-9][0-9.]*\).*/\1/p')
if [ -z "$jre_version" ]; then
  echo "build-images.sh: cannot tell the version of $jdk/bin/java" >&2
  exit 2
fi
if [ "$(printf '%s\n%s\n' "$min_jre" "$jre_version" | sort -V | head -1)" != "$min_jre" ]; then
  echo "build-images.sh: the JDK at $jdk is $jre_version, older than $min_jre; use a current one" >&2
  exit 2
fi
echo "build-images.sh: JRE $jre_version from $jdk" >&2

# The JRE, shared by the three contexts. java.desktop is there for java.beans (used by
# Jackson); jdk.crypto.ec for TLS to API servers with EC keys; the rest is what jdeps reports
# for kube-rmi and its libraries.
jre="$work/jre"
rm -rf "$jre"
"$jdk/bin/jlink" --output "$jre" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported

# context MODULE: a build context with the module's jar, exactly the jars its manifest names
# (target/lib may hold stale ones from earlier builds) and the JRE; prints its path.
context() {
  local module="$1" target="$root/$1/target" ctx="$work/$1" jar
  jar=$(find "$target" -maxdepth 1 -name "kube-rmi-$module-*.jar" ! -name '*-tests.jar' | head -1)
  if [ -z "$jar" ]; then
    echo "build-images.sh: no $module jar in $target; run 'mvn -B -DskipTests package' first" >&2
    exit 2
  fi
  rm -rf "$ctx"
  mkdir -p "$ctx/lib"
  cp "$here/Dockerfile" "$ctx/Dockerfile"
  cp "$jar" "$ctx/kube-rmi.jar"
  if [ ! -f "$target/bom.json" ]; then
    echo "build-images.sh: no SBOM $target/bom.json; run 'mvn -B -DskipTests package' first" >&2
    exit 2
  fi
  cp "$target/bom.json" "$ctx/sbom.cdx.json"
  cp -r "$jre" "$ctx/jre"
  mkdir -p "$ctx/examples"
  (cd "$ctx" && "$jdk/bin/jar" xf kube-rmi.jar META-INF/MANIFEST.MF)
  tr -d '\r' <"$ctx/META-INF/MANIFEST.MF" | sed -e ':a;N;$!ba;s/\n //g' \
    | sed -n 's/^Class-Path: //p' | tr ' ' '\n' | grep . | while read -r entry; do
      cp "$target/$entry" "$ctx/lib/"
    done
  rm -rf "$ctx/META-INF"
  echo "$ctx"
}

if $local_base; then
  rootfs="$work/image-base"
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

# The chart's default repositories, read from its values, so the names cannot drift apart.
value() {
  sed -n "s/^  $1: *\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$root/helm/kube-rmi/values.yaml" | head -1
}
operator_repository=$(value operatorRepository)
agent_repository=$(value agentRepository)
if [ -z "$operator_repository" ] || [ -z "$agent_repository" ]; then
  echo "build-images.sh: no image repositories in helm/kube-rmi/values.yaml" >&2
  exit 2
fi
cli_repository="$(dirname "$operator_repository")/kube-rmi"
if [ -n "$registry" ]; then
  operator_repository="$registry/kube-rmi-operator"
  agent_repository="$registry/kube-rmi-agent"
  cli_repository="$registry/kube-rmi"
fi
operator_image="$operator_repository:$tag"
agent_image="$agent_repository:$tag"
cli_image="$cli_repository:$tag"
operator_ctx=$(context operator)
agent_ctx=$(context agent)
"$docker" build -q --build-arg "BASE_IMAGE=$base" -t "$operator_image" "$operator_ctx" >/dev/null
"$docker" build -q --build-arg "BASE_IMAGE=$base" -t "$agent_image" "$agent_ctx" >/dev/null
built=("$operator_image" "$agent_image")
if $cli; then
  ctx=$(context cli)
  # `docker run IMAGE demo` finds examples/demo.yaml under KUBE_RMI_HOME.
  cp -r "$root/examples/." "$ctx/examples/"
  "$docker" build -q --build-arg "BASE_IMAGE=$base" -t "$cli_image" "$ctx" >/dev/null
  built+=("$cli_image")
fi
if $push; then
  for image in "${built[@]}"; do "$docker" push "$image" >&2; done
fi
printf '%s\n' "${built[@]}"
