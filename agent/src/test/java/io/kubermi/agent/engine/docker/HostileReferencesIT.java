package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.engine.ProtectedImages;
import io.kubermi.agent.engine.RemovalOptions;
import io.kubermi.agent.engine.rules.RmiPlanner;
import io.kubermi.agent.engine.store.ImageStoreModel;
import io.kubermi.api.ImageResult;
import io.kubermi.api.Outcome;
import io.kubermi.api.validation.ImageReferenceRule;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of generated hostile strings (query and fragment characters, percent escapes of a
 * sentinel's name, dot segments, whitespace, control and non-ASCII characters) go through the
 * Docker engine with force against a daemon holding sentinel images and a container: nothing is
 * removed, and every string refused locally gets the very answer the daemon gives when asked safely
 * (escaped) itself.
 */
@ExtendWith(EnginesExtension.class)
class HostileReferencesIT {
  static final int COUNT = Integer.getInteger("kube-rmi.hostile.count", 3000);
  private static final String[] PIECES = {
    "sentinel",
    ":1",
    ":2",
    "?",
    "#",
    "%",
    "%73",
    "%3F",
    "%2F",
    "%00",
    "/",
    "..",
    ".",
    "@",
    "sha256:",
    " ",
    "\t",
    "\n",
    "\u0000",
    "\u00e4",
    "\u202e",
    "&force=1",
    "=",
    "\\",
    "'",
    "\"",
    ";",
    "A",
    "a",
    "-",
    "_",
    "~",
    "[",
    "]",
    "localhost:5000/",
    "images/",
    "containers/",
    "json",
    "*"
  };

  @Test
  void nothingIsRemovedAndLocalRefusalsMatchTheDaemon(Engines engines) {
    DockerDaemon docker = engines.docker("hostile");
    docker.importImage("sentinel:1");
    docker.importImage("sentinel:2", "sentinel-2");
    docker.dockerOk("tag", "sentinel:2", "images:latest");
    docker.createContainer("sentinel:1", "sentinel-c");
    List<String> before = docker.imageListing();
    String containersBefore = docker.dockerOk("ps", "-aq");

    Random rnd = new Random(Long.getLong("kube-rmi.hostile.seed", 99L));
    Set<String> inputs = new LinkedHashSet<>();
    while (inputs.size() < COUNT) {
      StringBuilder s = new StringBuilder();
      for (int n = 1 + rnd.nextInt(5); n > 0; n--) s.append(PIECES[rnd.nextInt(PIECES.length)]);
      inputs.add(s.toString());
    }
    int refusedLocally = 0;
    int comparedWithDaemon = 0;
    List<String> mismatches = new ArrayList<>();
    try (DockerEngine engine = new DockerEngine(docker.host(), ProtectedImages.none())) {
      ImageStoreModel snapshot =
          DockerSnapshot.read(engine.api(), engine.pathVersion(), false, null, new ChainCache());
      for (String input : inputs) {
        if (new RmiPlanner(snapshot.copy()).resolve(input).imageId() != null) {
          continue; // a genuine reference to a sentinel: removing it would be right, not hostile
        }
        ImageResult result =
            engine.remove(List.of(input), new RemovalOptions(true, false, List.of(), false)).get(0);
        assertThat(result.getOutcome())
            .as("input %s", printable(input))
            .isNotEqualTo(Outcome.Removed);
        if (ImageReferenceRule.check(input) == null) {
          continue;
        }
        refusedLocally++;
        if (askableSafely(input) && !readAsRegistryByNewerDaemons(input, engine)) {
          DockerApi.Reply daemon =
              engine
                  .api()
                  .delete(DeleteRequest.path(engine.pathVersion(), input, true, false, List.of()));
          comparedWithDaemon++;
          String daemonMessage = daemon.body().path("message").asText();
          if (daemon.status() != statusOf(result) || !daemonMessage.equals(result.getMessage())) {
            mismatches.add(
                printable(input)
                    + ": daemon "
                    + daemon.status()
                    + " "
                    + daemonMessage
                    + " / local "
                    + result.getMessage());
          }
        }
      }
    }
    System.out.printf(
        "hostile: %d strings, %d refused locally, %d of those compared with the daemon%n",
        inputs.size(), refusedLocally, comparedWithDaemon);
    assertThat(mismatches).as("local answers that differ from the daemon's").isEmpty();
    assertThat(docker.imageListing()).as("sentinel images").isEqualTo(before);
    assertThat(docker.dockerOk("ps", "-aq")).as("sentinel container").isEqualTo(containersBefore);
    assertThat(comparedWithDaemon).isGreaterThan(COUNT / 10);
  }

  /**
   * Dot segments and empty segments make the daemon's router redirect instead of answering, and a
   * line feed does not match its route at all (404 page not found): those never reach rmi.
   */
  private static boolean askableSafely(String s) {
    return !(s.contains("\n")
        || s.contains("./")
        || s.contains("/.")
        || s.contains("//")
        || s.endsWith("/")
        || s.equals(".")
        || s.equals("..")
        || s.startsWith("/")
        || s.contains("\u0000")
        || s.contains("%00"));
  }

  private static int statusOf(ImageResult r) {
    return switch (r.getOutcome()) {
      case NotFound -> 404;
      case Conflict -> 409;
      default -> 400;
    };
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c ->
                b.append(
                    c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return b.append('"').toString();
  }

  /**
   * Daemons from API 1.44 on read a first component with a capital as a registry name, where
   * kube-rmi (as 20.10) refuses the string for it: a documented difference, not compared there.
   */
  private static boolean readAsRegistryByNewerDaemons(String input, DockerEngine engine) {
    int slash = input.indexOf('/');
    if (slash < 0
        || DaemonVersion.compareVersions(
                engine.info().apiVersion(), DaemonVersion.NAMING_ERRORS_MIN_API)
            < 0) {
      return false;
    }
    String first = input.substring(0, slash);
    return !first.equals(first.toLowerCase(java.util.Locale.ROOT));
  }
}
