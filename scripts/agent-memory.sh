#!/usr/bin/env bash
# Measures the node agent's resident memory after delivering a 900 KiB file, as a real process
# against a real API server (e2e AgentJarTest), with the documented JVM flags, and beside it:
#   - the same with an AppCDS archive of the agent's classes (made from a class list of a run),
#   - the same on a jlink runtime holding only the modules the agent uses,
#   - the machine's own floor: an empty JVM, and one that only opens a JDK HttpClient, same flags,
#   - where each megabyte goes, by the JVM's Native Memory Tracking.
#   scripts/agent-memory.sh        (about 3 minutes; figures only, nothing passes or fails on them)
# docs/benchmarks.md explains each figure and gives the figure of the earlier agent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/kube-binaries.sh >/dev/null
./mvnw -B -ntp -q install -DskipTests
FLAGS="$(sed -n 's/^AGENT_JVM_FLAGS=//p' agent/jvm.properties)"
JAR="$PWD/agent/target/wavegate-agent.jar"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

measure() { # label, extra -D properties
  local label="$1"; shift
  ./mvnw -B -ntp -o -q -pl e2e verify "$@" -Dtest='AgentJarTest#deliversContentReportsItServesProbesAndMetricsAndPrintsItsMemory' \
    -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | sed -n 's/.*\[figure\].*): \(VmHWM.*\)/\1/p' | sed "s/^/[figure] agent, $label: /"
}

measure "documented flags" "-Dwavegate.agent.jvmFlags=$FLAGS"

# AppCDS: the class list of one run, dumped into an archive, mapped by the next run
measure "class list run" "-Dwavegate.agent.jvmFlags=$FLAGS -XX:DumpLoadedClassList=$WORK/agent.classlist" >/dev/null
java -Xshare:dump -XX:SharedClassListFile="$WORK/agent.classlist" -XX:SharedArchiveFile="$WORK/agent.jsa" -cp "$JAR" >/dev/null 2>&1
measure "+ AppCDS" "-Dwavegate.agent.jvmFlags=$FLAGS -XX:SharedArchiveFile=$WORK/agent.jsa"

# jlink: only the modules the agent uses (the agent image's runtime)
MODULES="$(sed -n 's/^AGENT_MODULES=//p' agent/jvm.properties)"
jlink --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --output "$WORK/jre" >/dev/null
"$WORK/jre/bin/java" -Xshare:dump >/dev/null 2>&1 || true
measure "jlink runtime" "-Dwavegate.agent.jvmFlags=$FLAGS" "-Dwavegate.agent.java=$WORK/jre/bin/java"
"$WORK/jre/bin/java" -Xshare:dump -XX:SharedClassListFile="$WORK/agent.classlist" -XX:SharedArchiveFile="$WORK/agent-jre.jsa" -cp "$JAR" >/dev/null 2>&1
measure "jlink runtime + AppCDS" "-Dwavegate.agent.jvmFlags=$FLAGS -XX:SharedArchiveFile=$WORK/agent-jre.jsa" "-Dwavegate.agent.java=$WORK/jre/bin/java"

# the floor of this machine's JVM with the same flags
cat > "$WORK/Floor.java" <<'JAVA'
public class Floor {
  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      var client = java.net.http.HttpClient.newHttpClient();
      try {
        client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:1/")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
      } catch (java.io.IOException refused) {
        // the classes are loaded; nothing listens there
      }
    }
    Thread.sleep(3000);
  }
}
JAVA
javac -d "$WORK" "$WORK/Floor.java"
for probe in "" http; do
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=1 java $FLAGS -cp "$WORK" Floor $probe & pid=$!
  sleep 2
  echo "[figure] machine floor, $( [ -z "$probe" ] && echo "an empty JVM" || echo "a JVM with only a JDK HttpClient"), same flags: $(grep -E 'VmHWM|VmRSS' /proc/$pid/status | tr -s ' \t\n' ' ')"
  wait $pid
done

# where each megabyte goes: the JVM's own account (Native Memory Tracking adds 2 to 5 MB of its own)
./mvnw -B -ntp -o -q -pl e2e verify "-Dwavegate.agent.jvmFlags=$FLAGS -XX:NativeMemoryTracking=summary" \
  -Dtest='AgentJarTest#deliversContentReportsItServesProbesAndMetricsAndPrintsItsMemory' \
  -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | sed -n 's/.*\[nmt\] \(Total\|- \)/[nmt] \1/p'
