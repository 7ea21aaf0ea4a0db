#!/usr/bin/env bash
# Builds, without pulling anything, the images the real-node tier runs (docs/real-node.md):
#
#   operator-base.tar  a jlink Java 17 runtime with the operator's modules and the C libraries it
#                      links, nothing else (no shell, no package manager); Jib puts the operator on it
#   agent-base.tar     the same for the agent, with only agent/jvm.properties' AGENT_MODULES and the
#                      JVM's class-data archive; Jib puts the agent on it
#   pause.tar          the pod sandbox (images/pause/pause.c, static)
#   consumer.tar       a stand-in consumer of the content that crashes on a marker (images/consumer/)
#
# Each is a docker-archive tarball in ~/.cache/wavegate/images/ (WAVEGATE_IMAGE_CACHE), rebuilt only
# when its inputs change (the JDK, the module list, the sources, this script). Prints the directory
# as its last line. Needs a JDK with jmods (jlink), gcc with a static libc, tar and sha256sum.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${WAVEGATE_IMAGE_CACHE:-${WAVEGATE_BUILD_CACHE:-$HOME/.cache/wavegate}/images}"
JAVA_HOME="${WAVEGATE_IMAGE_JDK:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
# The operator's runtime: Fabric8's JDK HTTP client (java.net.http), JOSDK, Jackson and SnakeYAML
# (java.desktop for java.beans), Micrometer and the metrics endpoint (jdk.httpserver, jdk.management).
OPERATOR_MODULES="java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.desktop,java.security.jgss,jdk.crypto.ec,jdk.unsupported,jdk.management,jdk.httpserver,jdk.zipfs"
AGENT_MODULES="$(sed -n 's/^AGENT_MODULES=//p' agent/jvm.properties)"

log() { echo "[node-images] $*" >&2; }
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# pack_image ROOTFS TAG OUT.tar ENTRYPOINT_JSON USER: one layer, written as `docker save` does.
pack_image() {
  local rootfs="$1" tag="$2" out="$3" entrypoint="$4" user="$5" dir="$WORK/pack-$RANDOM"
  mkdir -p "$dir"
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$rootfs" -cf "$dir/layer.tar" .
  local diff_id config config_id
  diff_id="sha256:$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)"
  config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\",\"config\":{\"Entrypoint\":$entrypoint,\"User\":\"$user\",\"Env\":[\"PATH=/opt/jre/bin:/usr/bin:/bin\"],\"WorkingDir\":\"/\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"$diff_id\"]}}"
  config_id="$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)"
  printf '%s' "$config" > "$dir/$config_id.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]' "$config_id" "$tag" > "$dir/manifest.json"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$dir" -cf "$out.tmp" manifest.json "$config_id.json" layer.tar
  mv "$out.tmp" "$out"
  rm -rf "$dir"
}

# cached NAME INPUTS...: true when OUT/NAME.tar was built from these exact inputs.
cached() {
  local name="$1"; shift
  local key; key="$( { printf '%s\n' "$@"; cat "$0"; } | sha256sum | cut -d' ' -f1)"
  if [ -f "$OUT/$name.tar" ] && [ "$(cat "$OUT/$name.key" 2>/dev/null)" = "$key" ]; then return 0; fi
  echo "$key" > "$OUT/$name.key.next"
  return 1
}
done_building() { mv "$OUT/$1.key.next" "$OUT/$1.key"; log "built $1.tar ($(du -h "$OUT/$1.tar" | cut -f1))"; }

# A root filesystem with a jlink runtime in /opt/jre, the shared libraries it links, /etc/passwd
# and /etc/group naming root and the non-root user 65532, and an empty /tmp.
java_rootfs() {
  local modules="$1" rootfs="$2"
  mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/opt"
  chmod 1777 "$rootfs/tmp"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --output "$rootfs/opt/jre"
  "$rootfs/opt/jre/bin/java" -Xshare:dump >/dev/null
  find "$rootfs/opt/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 ldd 2>/dev/null | grep -o '/[^ ]*' | grep -v "^$rootfs" | sort -u \
    | while read -r lib; do cp -L --parents "$lib" "$rootfs/"; done
  cp -L --parents /lib64/ld-linux-x86-64.so.2 "$rootfs/"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$rootfs/etc/group"
}

jdk_id="$("$JAVA_HOME/bin/java" -version 2>&1 | tr '\n' ' ')"
[ -d "$JAVA_HOME/jmods" ] || { log "no jmods in $JAVA_HOME: set WAVEGATE_IMAGE_JDK to a full JDK"; exit 1; }

for base in operator agent; do
  modules="$OPERATOR_MODULES"; [ "$base" = agent ] && modules="$AGENT_MODULES"
  if ! cached "$base-base" "$jdk_id" "$modules"; then
    log "linking the $base's Java runtime ($modules)"
    java_rootfs "$modules" "$WORK/$base-rootfs"
    pack_image "$WORK/$base-rootfs" "wavegate/$base-base:local" "$OUT/$base-base.tar" '["/opt/jre/bin/java"]' "65532:65532"
    done_building "$base-base"
  fi
done

for program in pause consumer; do
  if ! cached "$program" "$(cat "images/$program/$program.c")" "$(gcc --version | head -n 1)"; then
    mkdir -p "$WORK/$program-rootfs"
    gcc -static -Os -Wall -o "$WORK/$program-rootfs/$program" "images/$program/$program.c"
    pack_image "$WORK/$program-rootfs" "wavegate/$program:local" "$OUT/$program.tar" "[\"/$program\"]" "65532:65532"
    done_building "$program"
  fi
done
echo "$OUT"
