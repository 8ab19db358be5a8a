#!/usr/bin/env bash
# Lays out the file system of the OpenWIF container image, which Jib then packs onto an empty (scratch)
# base: no base image is pulled, so the image builds without a registry or a Docker daemon.
#   build-root.sh JDK JAR CHECKOUT OUT
# JDK: the JDK whose jlink makes the image's Java runtime (the build's own); JAR: wif-cli/target/wif.jar;
# CHECKOUT: the repository root (LICENSE, NOTICE); OUT: the directory to fill. OUT/jre becomes the image's
# /opt/openwif/jre, OUT/root its root directory (emptied first). The runtime is made again only when the JDK
# or the module list changed (jlink takes most of the time).
# What the image holds:
#   opt/openwif/jre       a Java runtime of only the modules the jar needs (jlink), with the JDK classes'
#                         CDS archive (--generate-cds-archive), so the JVM maps them instead of loading them
#   opt/openwif/wif.jar   the runnable jar; LICENSE, NOTICE beside it
#   lib*/...              the C library files the runtime and the jar's native libraries (SQLite, the
#                         native crypto) link against, copied from this machine (ldd), with their copyright
#   etc/passwd, group     root and the user the image runs as, openwif (65532), no login, no password
#   etc/hosts, nsswitch   localhost, and name resolution from /etc/hosts then DNS
#   tmp, var/lib/openwif  the only places the server writes (mode 1777: the user owns what it creates there)
# Linux only: the libraries come from this machine, the runtime from a Linux JDK.
set -euo pipefail
if (( $# != 4 )); then
  echo "usage: build-root.sh JDK JAR CHECKOUT OUT" >&2
  exit 2
fi
JDK="$1" JAR="$2" CHECKOUT="$3" OUT="$4"
[[ -x "$JDK/bin/jlink" ]] || { echo "build-root.sh: no jlink in $JDK (a JDK, not a JRE, is needed)" >&2; exit 1; }
[[ -f "$JAR" ]] || { echo "build-root.sh: no jar at $JAR (build wif-cli first)" >&2; exit 1; }
command -v ldd >/dev/null || { echo "build-root.sh: ldd is needed (Linux, glibc)" >&2; exit 1; }

# The modules the jar uses (jdeps --print-module-deps on wif.jar, kept here because jdeps takes a minute),
# and jdk.zipfs (Helidon reads its metadata through the zip file system), jdk.crypto.ec (EC keys on JDKs
# before 22), jdk.naming.dns and jdk.localedata left out: the server needs neither.
MODULES=java.base,java.compiler,java.desktop,java.naming,java.net.http,java.security.jgss,java.sql,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs
"$JDK/bin/java" --list-modules | grep -q '^jdk\.crypto\.ec@' && MODULES="$MODULES,jdk.crypto.ec"

major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$JDK/release" | head -n1)
options=()
# as the launcher: protobuf (under CEL) still uses sun.misc.Unsafe; JDK 23+ warns at every start unless allowed
(( major >= 23 )) && options=(--add-options=--sun-misc-unsafe-memory-access=allow)

JRE="$OUT/jre"
stamp="$(cd "$JDK" && pwd -P)|$(grep -E '^(JAVA_RUNTIME_VERSION|IMPLEMENTOR)=' "$JDK/release" | tr '\n' ' ')|$MODULES|${options[*]}"
if [[ ! -f "$OUT/jre.stamp" || "$(cat "$OUT/jre.stamp")" != "$stamp" ]]; then
  rm -rf "$JRE" "$OUT/jre.stamp"
  mkdir -p "$OUT"
  "$JDK/bin/jlink" --add-modules "$MODULES" "${options[@]}" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$JRE" > "$OUT/jlink.log" 2>&1 \
    || { cat "$OUT/jlink.log" >&2; exit 1; }
  # AWT's X11 and sound libraries: the server is headless, and the image has no X11 or ALSA for them
  rm -f "$JRE"/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound}.so
  printf '%s\n' "$stamp" > "$OUT/jre.stamp"
fi
OUT="$OUT/root"
rm -rf "$OUT"
# proc and dev: where a container runtime mounts them (the dynamic linker needs /proc to find the runtime's
# libraries); tmp and var/lib/openwif: see above
mkdir -p "$OUT/opt/openwif" "$OUT/etc" "$OUT/tmp" "$OUT/var/lib/openwif" "$OUT/proc" "$OUT/dev"
cp "$JAR" "$OUT/opt/openwif/wif.jar"
cp "$CHECKOUT/LICENSE" "$CHECKOUT/NOTICE" "$OUT/opt/openwif/"

# the native libraries inside the jar, Linux x86-64 or aarch64 as this machine is
natives="$(mktemp -d)"
trap 'rm -rf "$natives"' EXIT
arch=$(uname -m)
sqlite_arch=$([[ "$arch" == aarch64 ]] && echo aarch64 || echo x86_64)
(cd "$natives" && "$JDK/bin/jar" xf "$JAR" "org/sqlite/native/Linux/$sqlite_arch/libsqlitejdbc.so" \
   com/amazon/corretto/crypto/provider/libamazonCorrettoCryptoProvider.so)

# every library those link against, at the path the dynamic linker looks for it (the runtime's own
# libraries find each other through their run path, libjvm.so through the launcher: named here for ldd)
runtime_ldd() {
  LD_LIBRARY_PATH="$JRE/lib:$JRE/lib/server" ldd "$@"
}
export -f runtime_ldd
export JRE
libraries() {
  find "$JRE" "$natives" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 -n1 bash -c 'runtime_ldd "$0"' 2>/dev/null \
    | sed -n -e 's/^.*=> \(\/[^ ]*\) (0x.*$/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*$/\1/p' \
    | sort -u
}
missing=$(find "$JRE" "$natives" -type f -name '*.so' -print0 \
  | xargs -0 -n1 bash -c 'runtime_ldd "$0"' 2>/dev/null | grep 'not found' || true)
if [[ -n "$missing" ]]; then
  echo "build-root.sh: libraries not found on this machine: $missing" >&2
  exit 1
fi
copied=0
while IFS= read -r lib; do
  [[ "$lib" == "$JRE"/* || "$lib" == "$natives"/* ]] && continue
  mkdir -p "$OUT$(dirname "$lib")"
  cp -L "$lib" "$OUT$lib"
  copied=$((copied + 1))
done < <(libraries)
(( copied >= 3 )) || { echo "build-root.sh: found only $copied C libraries to copy (ldd)" >&2; exit 1; }
# the C library's licence, and the package version it came from (whose source is the library's source)
mkdir -p "$OUT/usr/share/doc/libc6"
if [[ -f /usr/share/doc/libc6/copyright ]]; then
  cp /usr/share/doc/libc6/copyright "$OUT/usr/share/doc/libc6/copyright"
else
  echo "The GNU C Library, GNU Lesser General Public License 2.1 or later: https://www.gnu.org/software/libc/" \
    > "$OUT/usr/share/doc/libc6/copyright"
fi
{ { command -v dpkg-query >/dev/null && dpkg-query -W -f '${Package} ${Version}\n' libc6 2>/dev/null; } \
  || { ldd --version 2>/dev/null | head -n1; } || echo "unknown"; } > "$OUT/usr/share/doc/libc6/version"

cat > "$OUT/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
openwif:x:65532:65532:OpenWIF:/var/lib/openwif:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
PASSWD
cat > "$OUT/etc/group" <<'GROUP'
root:x:0:
openwif:x:65532:
nobody:x:65534:
GROUP
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$OUT/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$OUT/etc/nsswitch.conf"
echo "build-root.sh: runtime of JDK $major ($(du -sh "$JRE" | cut -f1)), $copied C libraries, in $(dirname "$OUT")"
