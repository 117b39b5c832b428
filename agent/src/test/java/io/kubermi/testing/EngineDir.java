package io.kubermi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A short state folder under /tmp (unix socket paths are limited to 107 bytes) that owns every
 * process and mount whose command line or mount point names it, so cleanup touches only ours.
 */
public final class EngineDir implements AutoCloseable {
  private final Path path;

  private EngineDir(Path path) {
    this.path = path;
  }

  public static EngineDir create(String prefix) {
    try {
      return new EngineDir(Files.createTempDirectory(Path.of("/tmp"), "krmi-" + prefix + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return path;
  }

  public Path resolve(String name) {
    return path.resolve(name);
  }

  /** Processes (other than this JVM) whose command line mentions this folder. */
  public List<ProcessHandle> ownedProcesses() {
    String needle = path.toString() + "/";
    long self = ProcessHandle.current().pid();
    List<ProcessHandle> owned = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc :
          procs
              .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
              .toList()) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (pid == self) continue;
        try {
          String cmdline =
              new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                  .replace('\0', ' ');
          if (cmdline.contains(needle)) {
            ProcessHandle.of(pid).ifPresent(owned::add);
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return owned;
  }

  /** Mount points at or below this folder, deepest first. */
  public List<String> ownedMounts() {
    try {
      String prefix = path.toString();
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(l -> l.split(" ")[4].replace("\\040", " "))
          .filter(m -> m.equals(prefix) || m.startsWith(prefix + "/"))
          .sorted(Comparator.comparingInt(String::length).reversed())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills what is still ours, unmounts, deletes the folder. */
  @Override
  public void close() {
    for (ProcessHandle p : ownedProcesses()) {
      p.destroy();
    }
    sleepUntilGone(3000);
    for (ProcessHandle p : ownedProcesses()) {
      p.destroyForcibly();
    }
    sleepUntilGone(3000);
    for (String mount : ownedMounts()) {
      Sh.run(List.of("umount", "-l", mount));
    }
    Sh.run(List.of("rm", "-rf", "--one-file-system", path.toString()));
  }

  private void sleepUntilGone(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    while (!ownedProcesses().isEmpty() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
