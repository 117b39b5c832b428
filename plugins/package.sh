#!/usr/bin/env bash
# Packs the kubectl plugins for krew: one archive holding the launcher's jar with its lib/ and
# the two plugin executables, and a krew manifest per plugin (from plugins/krew/) naming the
# archive by its address and checksum. Build first (mvn -B install -DskipTests).
#
#   plugins/package.sh VERSION URL [OUT_DIR]
#     VERSION  the plugins' version, vMAJOR.MINOR.PATCH (krew's rule)
#     URL      where the archive will be downloaded from (https://..., or file:// to try it)
#     OUT_DIR  where to write the archive and the manifests (default: target/krew)
#
# Then: kubectl krew install --manifest=OUT_DIR/rmi.yaml --archive=OUT_DIR/kube-rmi-plugins-VERSION.tar.gz
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { sed -n 2,11p "$0" >&2; exit 2; }
version=$1 url=$2 out=${3:-$root/target/krew}
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "package: VERSION \"$version\": vMAJOR.MINOR.PATCH" >&2; exit 2; }
jar=$(find "$root/cli/target" -maxdepth 1 -name 'kube-rmi-cli-*.jar' ! -name '*-tests.jar' | head -1)
[ -n "$jar" ] && [ -d "$root/cli/target/lib" ] || { echo "package: build first: mvn -B install -DskipTests" >&2; exit 2; }

mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$jar" "$stage/kube-rmi.jar"
cp -r "$root/cli/target/lib" "$stage/lib"
cp "$root/plugins/kubectl-rmi" "$root/plugins/kubectl-image_prune" "$stage/"
archive="$out/kube-rmi-plugins-$version.tar.gz"
tar -C "$stage" --owner=0 --group=0 -czf "$archive" .
sha=$(sha256sum "$archive" | cut -d' ' -f1)
for plugin in rmi image-prune; do
  sed -e "s|@VERSION@|$version|" -e "s|@URI@|$url|" -e "s|@SHA256@|$sha|" \
      -e "s|@HOMEPAGE@|${KUBE_RMI_HOMEPAGE:-https://github.com/kube-rmi/kube-rmi}|" \
      "$root/plugins/krew/$plugin.yaml" > "$out/$plugin.yaml"
done
echo "$archive"
