package io.kubermi.agent.engine.containerd;

import io.kubermi.testing.ContainerdDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Everything a removal could change in a containerd store, read from containerd and its disk: each
 * image name with its target, each content blob file, each snapshot with its parent, each container
 * with its image. Two equal readings mean nothing was removed or re-pointed.
 */
final class WholeStore {
  private WholeStore() {}

  /**
   * The store once containerd's own background garbage collection has settled: what an earlier step
   * left unreferenced may vanish on its own, not by a dry run. A synchronous delete of a throwaway
   * name runs a collection now (2.x schedules its background one later than 1.6 did, after two
   * equal readings had passed), then two equal readings 200 ms apart.
   */
  static List<String> settled(ContainerdDaemon c) throws InterruptedException {
    c.collectGarbage();
    List<String> last = of(c);
    for (int i = 0; i < 25; i++) {
      Thread.sleep(200);
      List<String> now = of(c);
      if (now.equals(last)) return now;
      last = now;
    }
    throw new AssertionError("containerd's store kept changing for 5 s");
  }

  static List<String> of(ContainerdDaemon c) {
    List<String> all = new ArrayList<>();
    try (ContainerdClient client =
        new ContainerdClient(c.socket().toString(), ContainerdDaemon.NAMESPACE)) {
      client
          .listImages()
          .forEach(i -> all.add("image " + i.getName() + " " + i.getTarget().getDigest()));
      client
          .listSnapshots(ContainerdEngine.DEFAULT_SNAPSHOTTER)
          .forEach(s -> all.add("snapshot " + s.getName() + " parent " + s.getParent()));
      client.listContainers().forEach(k -> all.add("container " + k.getId() + " " + k.getImage()));
    }
    Path blobs = c.dir().resolve("root/io.containerd.content.v1.content/blobs/sha256");
    try (Stream<Path> files = Files.list(blobs)) {
      files.forEach(f -> all.add("blob sha256:" + f.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    all.sort(null);
    return all;
  }
}
