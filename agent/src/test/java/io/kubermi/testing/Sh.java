package io.kubermi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a timeout and captures both streams. */
public final class Sh {
  public record Result(List<String> command, int exit, String out, String err) {
    public Result orThrow() {
      if (exit != 0) {
        throw new IllegalStateException(
            "command failed ("
                + exit
                + "): "
                + String.join(" ", command)
                + "\nstdout: "
                + out
                + "\nstderr: "
                + err);
      }
      return this;
    }
  }

  private Sh() {}

  public static Result run(List<String> command) {
    return run(command, Map.of(), null, Duration.ofMinutes(2));
  }

  public static Result run(
      List<String> command, Map<String, String> env, Path stdin, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    try {
      Process p = pb.start();
      if (stdin == null) {
        p.getOutputStream().close();
      }
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IllegalStateException(
            "timed out after " + timeout + ": " + String.join(" ", command));
      }
      return new Result(command, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
