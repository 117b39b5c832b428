package io.kubermi.docs;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real helm (helm-java's embedded Go library) in a JVM of its own, taking helm command lines as
 * the docs write them ({@code install NAME CHART --namespace NS --create-namespace}, {@code upgrade
 * ...}, {@code uninstall NAME --namespace NS}) on its standard input. A process of its own, so
 * helm's Go runtime never shares this JVM's state; its release records are Secrets in the API
 * server, as in a cluster.
 */
public final class HelmProcess implements AutoCloseable {
  static final String DONE = "@@done ";
  private final Process process;
  private final Writer in;
  private final BufferedReader out;

  public HelmProcess(Path kubeconfig, Path workingDir, Path jnaDir) {
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Djna.tmpdir=" + jnaDir,
                  "-cp",
                  System.getProperty("java.class.path"),
                  HelmProcess.class.getName(),
                  kubeconfig.toString())
              .directory(workingDir.toFile())
              .redirectErrorStream(true);
      process = pb.start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public record Result(boolean ok, String output) {}

  /**
   * Runs one command line (without the leading {@code helm}); its output and whether it succeeded.
   */
  public Result run(String commandLine) {
    try {
      in.write(commandLine + "\n");
      in.flush();
      StringBuilder output = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(DONE)) return new Result(line.equals(DONE + "ok"), output.toString());
        output.append(line).append('\n');
      }
      throw new IllegalStateException("helm process ended:\n" + output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws IOException {
    Path kubeconfig = Path.of(args[0]);
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = commands.readLine(); line != null; line = commands.readLine()) {
      try {
        System.out.println(execute(List.of(line.trim().split("\\s+")), kubeconfig));
        System.out.println(DONE + "ok");
      } catch (RuntimeException e) {
        System.out.println(e.getMessage());
        System.out.println(DONE + "failed");
      }
      System.out.flush();
    }
  }

  /**
   * The helm CLI's syntax for the flags the docs use; anything else is refused, so the docs cannot
   * drift unnoticed.
   */
  static String execute(List<String> words, Path kubeconfig) {
    String verb = words.get(0);
    List<String> positional = new ArrayList<>();
    String namespace = null;
    boolean createNamespace = false;
    List<String[]> sets = new ArrayList<>();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      switch (w) {
        case "--namespace", "-n" -> namespace = words.get(++i);
        case "--create-namespace" -> createNamespace = true;
        case "--set" -> sets.add(words.get(++i).split("=", 2));
        default -> {
          if (w.startsWith("-"))
            throw new IllegalArgumentException(
                "helm " + verb + ": flag " + w + " is not supported here");
          positional.add(w);
        }
      }
    }
    switch (verb) {
      case "install" -> {
        InstallCommand c =
            new Helm(Path.of(positional.get(1)))
                .install()
                .withName(positional.get(0))
                .withKubeConfig(kubeconfig);
        if (namespace != null) c.withNamespace(namespace);
        if (createNamespace) c.createNamespace();
        sets.forEach(s -> c.set(s[0], s[1]));
        return describe(c.call());
      }
      case "upgrade" -> {
        UpgradeCommand c =
            new Helm(Path.of(positional.get(1)))
                .upgrade()
                .withName(positional.get(0))
                .withKubeConfig(kubeconfig);
        if (namespace != null) c.withNamespace(namespace);
        sets.forEach(s -> c.set(s[0], s[1]));
        return describe(c.call());
      }
      case "uninstall" -> {
        var c = Helm.uninstall(positional.get(0)).withKubeConfig(kubeconfig);
        if (namespace != null) c.withNamespace(namespace);
        return c.call();
      }
      default ->
          throw new IllegalArgumentException(
              "helm " + verb + " is not supported here: " + Arrays.toString(words.toArray()));
    }
  }

  private static String describe(Release r) {
    return r.getOutput();
  }
}
