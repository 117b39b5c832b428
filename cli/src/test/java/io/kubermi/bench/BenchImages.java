package io.kubermi.bench;

import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Sh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** N distinct one-layer images {@code bench:0..N-1}, saved to one docker-save archive. */
final class BenchImages {
  private BenchImages() {}

  /** Makes the images on {@code docker}, saves them, and removes them again; the archive's path. */
  static Path save(DockerDaemon docker, int count) throws IOException {
    Path src = Files.createDirectories(docker.dir().resolve("src"));
    IntStream.range(0, count)
        .parallel()
        .forEach(
            i -> {
              try {
                Path d = Files.createDirectories(src.resolve("i" + i));
                Files.writeString(d.resolve("id"), i + "\n");
                Sh.run(List.of("tar", "-C", d.toString(), "-cf", d + ".tar", "id")).orThrow();
                docker.dockerOk("import", d + ".tar", "bench:" + i);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    List<String> refs = IntStream.range(0, count).mapToObj(i -> "bench:" + i).toList();
    Path archive = src.resolve("all.tar");
    List<String> save = new ArrayList<>(List.of("save", "-o", archive.toString()));
    save.addAll(refs);
    docker.dockerOk(save.toArray(String[]::new));
    List<String> rmi = new ArrayList<>(List.of("rmi"));
    rmi.addAll(refs);
    docker.dockerOk(rmi.toArray(String[]::new));
    return archive;
  }
}
