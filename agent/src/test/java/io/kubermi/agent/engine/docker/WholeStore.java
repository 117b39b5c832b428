package io.kubermi.agent.engine.docker;

import io.kubermi.testing.DockerDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything a removal could change in a Docker store, read from the daemon and its data root: each
 * image with its tags and digests, each container with its image, and the image configs, layer
 * records and layer directories on disk. Two equal readings mean nothing was removed or untagged.
 */
final class WholeStore {
  private static final List<String> FOLDERS =
      List.of("image/vfs/imagedb/content/sha256", "image/vfs/layerdb/sha256", "vfs/dir");

  private WholeStore() {}

  static List<String> of(DockerEngine engine, DockerDaemon docker) {
    List<String> all = new ArrayList<>();
    String v = "/v" + engine.pathVersion();
    engine
        .api()
        .get(v + "/images/json?all=1&digests=1")
        .body()
        .forEach(
            i ->
                all.add(
                    "image "
                        + i.path("Id").asText()
                        + " "
                        + i.path("RepoTags")
                        + " "
                        + i.path("RepoDigests")));
    engine
        .api()
        .get(v + "/containers/json?all=1")
        .body()
        .forEach(c -> all.add("container " + c.path("Id").asText() + " " + c.path("ImageID")));
    for (String folder : FOLDERS) {
      Path dir = docker.dir().resolve("data").resolve(folder);
      if (!Files.isDirectory(dir)) continue; // an empty daemon has not made it yet
      try (Stream<Path> entries = Files.list(dir)) {
        entries.forEach(e -> all.add(folder + "/" + e.getFileName()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    all.sort(null);
    return all;
  }
}
