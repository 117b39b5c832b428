package io.kubermi.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * {@code kube-rmi agent} or {@code kube-rmi operator} as its own JVM, started from its module's jar
 * as its image runs it, and killed with SIGKILL as the kubelet or the OOM killer would.
 */
public final class InClusterProcess implements AutoCloseable {
  private final String module;
  private final Map<String, String> env;
  private final Path log;
  private final List<String> javaOptions;
  private Process process;

  /**
   * The operator with the chart's JVM options; the agent with the serial collector only. With the
   * chart's agent options (the client compiler alone) a containerd run of the fault loop's 64
   * images often ended before a fault could land in it, and the loop needed 26 and 44 rounds where
   * it had needed 4 to 12 (about two minutes more of CI); the agent's own options are exercised by
   * the benchmarks and by ContainerImageIT.
   */
  InClusterProcess(String module, Map<String, String> env, Path log) {
    this(
        module,
        env,
        log,
        module.equals("operator") ? ChartJavaOptions.of(module) : List.of("-XX:+UseSerialGC"));
  }

  /** With the JVM options given (the chart's, for a benchmark). */
  public InClusterProcess(
      String module, Map<String, String> env, Path log, List<String> javaOptions) {
    this.module = module;
    this.env = env;
    this.log = log;
    this.javaOptions = javaOptions;
  }

  private Path jar() {
    try (var files = Files.list(Path.of("..", module, "target"))) {
      return files
          .filter(
              p ->
                  p.getFileName().toString().matches("kube-rmi-" + module + "-.*(?<!-tests)\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("build the " + module + " module first"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public InClusterProcess start() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(javaOptions);
    cmd.addAll(List.of("-jar", jar().toString(), module));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(ImageEnvironment.malloc());
    pb.environment().putAll(env);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public long pid() {
    return process.pid();
  }

  /** Its threads' stacks now (for a failure's report: where a run that never ended waits). */
  String threadDump() {
    if (process == null || !process.isAlive()) return "(not running)";
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out;
    } catch (IOException e) {
      return "(no thread dump: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /** Its exit code once it exits by itself within {@code timeout}; empty while it still runs. */
  OptionalInt exitWithin(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Starts it again if it exited by itself (the kubelet's restart). */
  void restartIfExited() {
    if (!process.isAlive()) start();
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) kill9();
  }
}
