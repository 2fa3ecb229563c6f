#!/bin/sh
# Lays out the .deb's file tree (called by Maven in prepare-package; jdeb then packs it).
#   prepare.sh FILES CONSOLE_JAR LIB_DIR OUT MAVEN_VERSION OUTPUT_TIMESTAMP
# Version: Maven's 0.1.0-SNAPSHOT is Debian's 0.1.0~SNAPSHOT (what jdeb puts in control; '~' sorts before 0.1.0).
# Date: project.build.outputTimestamp, so the changelog is as reproducible as the rest.
set -eu
files=$1 console_jar=$2 lib=$3 out=$4 mvn_version=$5 stamp=$6

deb_version=$(printf '%s' "$mvn_version" | sed 's/[-+]SNAPSHOT$/~SNAPSHOT/')
case $stamp in
  *[!0-9]*) epoch=$(date -u -d "$stamp" +%s) ;;
  *) epoch=$stamp ;;
esac
rfc2822=$(LC_ALL=C date -u -R -d "@$epoch")
manday=$(date -u -d "@$epoch" +%Y-%m-%d)

fail() { echo "prepare.sh: $*" >&2; exit 1; }

# the embedded broker never ships to boards (HiveMQ CE: 56 jars, 104 MB); nothing the .deb depends on pulls it in
for jar in "$lib"/*.jar; do
  case ${jar##*/} in hivemq*|rocksdbjni*) fail "embedded-broker jar in the board's class path: ${jar##*/}" ;; esac
done

# every lib jar must be named on edgekit.jar's manifest Class-Path (java -jar uses only that)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if command -v unzip >/dev/null; then
  unzip -q -o "$console_jar" META-INF/MANIFEST.MF -d "$tmp"
else
  (cd "$tmp" && "${JAVA_HOME:?}/bin/jar" xf "$console_jar" META-INF/MANIFEST.MF)
fi
# manifest lines are folded at 72 bytes: a continuation line starts with one space
cp_line=$(tr -d '\r' < "$tmp/META-INF/MANIFEST.MF" | awk '/^Class-Path:/{c=1; s=substr($0,13); next} c&&/^ /{s=s substr($0,2); next} {c=0} END{print s}')
count=0
for jar in "$lib"/*.jar; do
  jar=${jar##*/} count=$((count + 1))
  case " $cp_line " in *" lib/$jar "*) ;; *) fail "lib/$jar is not on edgekit.jar's Class-Path (version mismatch?)" ;; esac
done

rm -rf "$out"
share=$out/usr/share/edgekit doc=$out/usr/share/doc/edgekit
mkdir -p "$share/lib" "$out/usr/bin" "$out/etc/edgekit" "$out/usr/lib/systemd/system" "$out/usr/share/man/man1" "$doc" \
  "$out/usr/share/lintian/overrides"
cp "$console_jar" "$share/edgekit.jar"
cp "$lib"/*.jar "$share/lib/"
cp "$files/bin/edgekit" "$out/usr/bin/edgekit"
cp "$files/agent-java-opts" "$share/agent-java-opts"
cp "$files/etc/agent.yaml" "$out/etc/edgekit/agent.yaml"
cp "$files/systemd/edgekit-agent.service" "$out/usr/lib/systemd/system/"
# chrony: the refclock line (a conffile) and the socket folder's drop-in (docs/ntp.md)
mkdir -p "$out/etc/chrony/conf.d" "$out/usr/lib/systemd/system/chrony.service.d"
cp "$files/chrony/edgekit.conf" "$out/etc/chrony/conf.d/edgekit.conf"
cp "$files/chrony/chrony-service-edgekit.conf" "$out/usr/lib/systemd/system/chrony.service.d/edgekit.conf"
cp "$files/doc/copyright" "$doc/copyright"
cp "$files/lintian/edgekit" "$out/usr/share/lintian/overrides/edgekit"
subst() { sed -e "s|@VERSION@|$deb_version|g" -e "s|@DATE@|$rfc2822|g" -e "s|@MANDATE@|$manday|g" "$1"; }
subst "$files/doc/changelog" | gzip -9n > "$doc/changelog.gz"
subst "$files/man/edgekit.1" | gzip -9n > "$out/usr/share/man/man1/edgekit.1.gz"
# same mtimes for everything jdeb reads (jdeb also stamps entries with outputTimestamp)
find "$out" -exec touch -h -d "@$epoch" {} +
echo "prepare.sh: $count jars in lib/, version $deb_version"
