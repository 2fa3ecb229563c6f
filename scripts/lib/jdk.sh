# Sourced by edgekit's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME when it is >= 21, else the newest JDK in /usr/lib/jvm (Debian's JVM folder).
# Fails with one line when there is none.

edgekit_java_major() { # $1 = java binary; prints the feature version (17, 21, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

edgekit_pick_jdk() {
  local min=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(edgekit_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge "$min" ]; then return 0; fi
  fi
  for candidate in "${EDGEKIT_JVM_DIR:-/usr/lib/jvm}"/*/; do
    candidate=${candidate%/}
    [ -L "$candidate" ] && continue            # Debian's alias links point at real folders
    [ -x "$candidate/bin/javac" ] || continue
    major=$(edgekit_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "edgekit: no JDK >= $min found (JAVA_HOME=${JAVA_HOME:-unset}, none in ${EDGEKIT_JVM_DIR:-/usr/lib/jvm}); install one, e.g. 'apt-get install openjdk-21-jdk-headless'" >&2
    return 1
  fi
  export JAVA_HOME=$best
}
