package io.wavegate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of the processes sharing the machine, from /proc: the API server,
 * etcd and kwok by their command names, the operator by its pid once it runs, and this JVM (the
 * simulated fleet). Where a figure's time and memory went, process by process.
 */
final class ProcessMeter {

  static final String OPERATOR = "operator";
  static final String FLEET = "this JVM (simulated fleet)";
  static final String API_SERVER = "kube-apiserver";
  private static final String[] NAMES = {API_SERVER, "etcd", "kwok"};
  private static final double TICKS = 100.0; // USER_HZ on Linux
  private static final long PAGE = 4096;

  private record Usage(double cpuSeconds, long residentBytes) {}

  private long operatorPid = -1;
  private Map<String, Usage> last = read();

  /** Counts the operator's process from now on. */
  void operator(long pid) {
    operatorPid = pid;
    last = read();
  }

  /** CPU seconds per process since the last call. */
  Map<String, Double> takeCpu() {
    Map<String, Usage> now = read();
    Map<String, Double> used = new LinkedHashMap<>();
    now.forEach((name, usage) -> used.put(name, usage.cpuSeconds() - (last.containsKey(name)
        ? last.get(name).cpuSeconds() : 0.0)));
    last = now;
    return used;
  }

  /** Resident memory per process now, in bytes. */
  Map<String, Long> resident() {
    Map<String, Long> resident = new LinkedHashMap<>();
    read().forEach((name, usage) -> resident.put(name, usage.residentBytes()));
    return resident;
  }

  private Map<String, Usage> read() {
    Map<String, Usage> usage = new LinkedHashMap<>();
    for (String name : NAMES) {
      usage.put(name, new Usage(0, 0));
    }
    if (operatorPid > 0) {
      usage.put(OPERATOR, new Usage(0, 0));
    }
    usage.put(FLEET, new Usage(0, 0));
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS; // utime + stime
          long rss = Long.parseLong(fields[21]) * PAGE;
          long pid = Long.parseLong(p.getFileName().toString());
          String key = pid == self ? FLEET : pid == operatorPid ? OPERATOR
              : Arrays.stream(NAMES).filter(comm::startsWith).findFirst().orElse(null);
          if (key != null) {
            usage.merge(key, new Usage(cpu, rss), (a, b) -> new Usage(a.cpuSeconds() + b.cpuSeconds(),
                a.residentBytes() + b.residentBytes()));
          }
        } catch (IOException | RuntimeException gone) {
          // a process that ended meanwhile
        }
      });
    } catch (IOException e) {
      return usage;
    }
    return usage;
  }
}
