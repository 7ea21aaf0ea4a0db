package io.wavegate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the processes sharing the machine (the API server, etcd, kwok, and this JVM, which
 * holds the operator and the simulated fleet), from /proc: where a figure's time went.
 */
final class CpuMeter {

  private static final String[] NAMES = {"kube-apiserver", "etcd", "kwok"};
  private static final double TICKS = 100.0; // USER_HZ on Linux
  private Map<String, Double> last = read();

  /** CPU seconds per process since the last call. */
  Map<String, Double> take() {
    Map<String, Double> now = read();
    Map<String, Double> used = new LinkedHashMap<>();
    now.forEach((name, seconds) -> used.put(name, seconds - last.getOrDefault(name, 0.0)));
    last = now;
    return used;
  }

  private static Map<String, Double> read() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (String name : NAMES) {
      seconds.put(name, 0.0);
    }
    seconds.put("this JVM (operator and simulated fleet)", 0.0);
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS; // utime + stime
          String key = Long.parseLong(p.getFileName().toString()) == self ? "this JVM (operator and simulated fleet)"
              : java.util.Arrays.stream(NAMES).filter(comm::startsWith).findFirst().orElse(null);
          if (key != null) {
            seconds.merge(key, cpu, Double::sum);
          }
        } catch (IOException | RuntimeException gone) {
          // a process that ended meanwhile
        }
      });
    } catch (IOException e) {
      return seconds;
    }
    return seconds;
  }
}
