package io.kubermi.cli.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Runs {@code rmi} and {@code prune} against stand-ins for Docker and containerd that hold one
 * image each, for the launcher's class-data archive: against engines that are not there those
 * commands stop at the connection, and the classes of a removal that goes through (about 750 of
 * them on containerd: gRPC's and netty's HTTP/2, the protocol's messages, the planning) were loaded
 * from the jars on every start.
 */
public final class StandInEngines {
  private StandInEngines() {}

  /** Hands each command line to {@code command}; the stand-ins are gone when it returns. */
  public static void train(Consumer<String[]> command) {
    try {
      Path dir = Files.createTempDirectory("kube-rmi-training");
      Path socket = dir.resolve("containerd.sock");
      try (StandInDocker docker = new StandInDocker();
          StandInContainerd containerd = new StandInContainerd(socket)) {
        String[] dockerHost = {"--docker-host", docker.host()};
        String[] containerdAddress = {"--containerd-address", socket.toString()};
        command.accept(join("rmi", dockerHost, "training:1"));
        docker.restore();
        command.accept(join("prune", dockerHost, "-a"));
        command.accept(join("rmi", containerdAddress, "training:1"));
        containerd.restore();
        command.accept(join("prune", containerdAddress, "-a"));
      } finally {
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] join(String verb, String[] engine, String last) {
    return new String[] {verb, engine[0], engine[1], last};
  }
}
