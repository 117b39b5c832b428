package io.kubermi.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time and resident memory, from /proc. */
final class ProcStat {
  private ProcStat() {}

  /** user + system CPU time in milliseconds (clock ticks of 1/100 s). */
  static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  static long rssKib(long pid) throws IOException {
    return statusField(pid, "VmRSS:");
  }

  /** The highest resident size the process ever had (the kernel's high-water mark). */
  static long peakRssKib(long pid) throws IOException {
    return statusField(pid, "VmHWM:");
  }

  private static long statusField(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
      }
    }
    return 0;
  }
}
