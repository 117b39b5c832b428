package io.kubermi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Tarballs of a tiny runnable rootfs (static busybox) for docker import and OCI layouts. */
public final class RootfsFactory {
  static final Path BUSYBOX = Path.of("/bin/busybox");
  private final Path dir;

  public RootfsFactory(Path dir) {
    this.dir = dir;
  }

  /**
   * A rootfs tarball. The same content key gives byte-identical tarballs (so docker sees the same
   * layer); a null key gives unique content.
   */
  public Path tar(String contentKey) {
    String key = contentKey == null ? UUID.randomUUID().toString() : contentKey;
    Path tar = dir.resolve("rootfs-" + key.replaceAll("[^A-Za-z0-9_.-]", "_") + ".tar");
    if (Files.exists(tar)) {
      return tar;
    }
    try {
      Path root = Files.createDirectories(dir.resolve("tree-" + UUID.randomUUID()));
      Files.createDirectories(root.resolve("bin"));
      Files.copy(BUSYBOX, root.resolve("bin/busybox"));
      Files.writeString(root.resolve("content-key"), key + "\n");
      // Fixed owner and times make the tarball reproducible, hence the layer digest.
      Sh.run(
              List.of(
                  "tar",
                  "--sort=name",
                  "--owner=0",
                  "--group=0",
                  "--numeric-owner",
                  "--mtime=@0",
                  "-C",
                  root.toString(),
                  "-cf",
                  tar.toString(),
                  "."))
          .orThrow();
      Sh.run(List.of("rm", "-rf", root.toString()));
      return tar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
