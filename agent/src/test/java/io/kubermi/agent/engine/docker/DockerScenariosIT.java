package io.kubermi.agent.engine.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubermi.agent.cli.RmiCommandAccess;
import io.kubermi.testing.DockerDaemon;
import io.kubermi.testing.Engines;
import io.kubermi.testing.EnginesExtension;
import io.kubermi.testing.LocalRegistry;
import io.kubermi.testing.Sh;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rmi-semantics §9 on a real daemon: each scenario is set up, removed with the real
 * {@code docker rmi} CLI, set up again identically and removed with {@code kube-rmi rmi}. Both
 * must print the same lines in the same order, the same errors and exit code, and leave the same
 * images. IDs differ between the two setups (import time is part of an image), so both outputs
 * are compared with IDs and digests replaced by the role names of the setup.
 */
@ExtendWith(EnginesExtension.class)
class DockerScenariosIT {
  private static DockerDaemon docker;
  private static LocalRegistry registry;

  @BeforeAll
  static void start(Engines engines) {
    docker = engines.docker("scen");
    registry = engines.registry();
  }

  /** What one setup created: roles (image or container name → ID, digest ref name → digest). */
  static final class Setup {
    final Map<String, String> roles = new LinkedHashMap<>();

    String id(String role) {
      return roles.get(role);
    }

    String id12(String role) {
      return roles.get(role).substring(7, 19);
    }
  }

  record Scenario(String name, java.util.function.Consumer<Setup> setup, Function<Setup, List<String>> args) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Setup image(Setup s, String role, String ref) {
    s.roles.put(role, docker.importImage(ref, "content-" + role));
    return s;
  }

  static void digest(Setup s, String role, String image, String repoTag) {
    String ref = registry.pushAndPullByDigest(docker, image, repoTag);
    s.roles.put(role, ref.substring(ref.indexOf('@') + 1));
  }

  static String repo(String path) {
    return registry.host() + "/" + path;
  }

  static Stream<Arguments> scenarios() {
    List<Scenario> list = new ArrayList<>();
    list.add(new Scenario("1 only tag", s -> image(s, "A", "a:1"), s -> List.of("a:1")));
    java.util.function.Consumer<Setup> twoRepos = s -> {
      image(s, "A", "a:1");
      docker.dockerOk("tag", "a:1", "b:2");
    };
    list.add(new Scenario("2 second tag", twoRepos, s -> List.of("a:1")));
    list.add(new Scenario("3 id, two repositories", twoRepos, s -> List.of(s.id12("A"))));
    list.add(new Scenario("4 -f id, two repositories", twoRepos, s -> List.of("-f", s.id12("A"))));
    list.add(new Scenario("5 id, two tags of one repository", s -> {
      image(s, "A", "a:1");
      docker.dockerOk("tag", "a:1", "a:2");
    }, s -> List.of(s.id12("A"))));
    java.util.function.Consumer<Setup> tagAndDigest = s -> {
      image(s, "A", "src:1");
      digest(s, "X", "src:1", "d:1");
      docker.dockerOk("rmi", "src:1");
    };
    list.add(new Scenario("6 tag takes its digest", tagAndDigest, s -> List.of(repo("d:1"))));
    list.add(new Scenario("7 another repository keeps the image", s -> {
      tagAndDigest.accept(s);
      docker.dockerOk("tag", repo("d:1"), "e:1");
    }, s -> List.of(repo("d:1"))));
    list.add(new Scenario("8 digest alone", tagAndDigest, s -> List.of(repo("d") + "@" + s.id("X"))));
    java.util.function.Consumer<Setup> stopped = s -> {
      image(s, "A", "a:1");
      s.roles.put("stopped", docker.createContainer("a:1", "stopped"));
    };
    list.add(new Scenario("9a stopped container, tag", stopped, s -> List.of("a:1")));
    list.add(new Scenario("9b stopped container, id", stopped, s -> List.of(s.id("A"))));
    list.add(new Scenario("9c stopped container, -f tag", stopped, s -> List.of("-f", "a:1")));
    java.util.function.Consumer<Setup> running = s -> {
      image(s, "A", "a:1");
      s.roles.put("running", docker.runContainer("a:1", "running"));
    };
    list.add(new Scenario("10a running container, id", running, s -> List.of(s.id12("A"))));
    list.add(new Scenario("10b running container, -f id", running, s -> List.of("-f", s.id12("A"))));
    list.add(new Scenario("10c running container, -f tag", running, s -> List.of("-f", "a:1")));
    java.util.function.Consumer<Setup> family = s -> {
      image(s, "P", "p:1");
      s.roles.put("C", docker.commitChild("p:1", "c:1"));
    };
    list.add(new Scenario("11a -f parent id", family, s -> List.of("-f", s.id("P"))));
    list.add(new Scenario("11b parent tag", family, s -> List.of("p:1")));
    list.add(new Scenario("11c child after parent untag", s -> {
      family.accept(s);
      docker.dockerOk("rmi", "p:1");
    }, s -> List.of("c:1")));
    list.add(new Scenario("12 --no-prune child", s -> {
      family.accept(s);
      docker.dockerOk("rmi", "p:1");
    }, s -> List.of("--no-prune", "c:1")));
    list.add(new Scenario("13a not found", s -> { }, s -> List.of("nothere")));
    list.add(new Scenario("13b -f not found", s -> { }, s -> List.of("-f", "nothere")));
    list.add(new Scenario("14 error in the middle", s -> {
      image(s, "A", "a:1");
      image(s, "B", "b:1");
    }, s -> List.of("a:1", "nothere", "b:1")));
    java.util.function.Consumer<Setup> many = s -> {
      for (int i = 0; i < 17; i++) image(s, "I" + i, "many:" + i);
    };
    list.add(new Scenario("15a ambiguous prefix", many, s -> List.of(sharedPrefix(s))));
    list.add(new Scenario("15b unique short prefix", many, s -> List.of(uniquePrefix(s, "I3"))));
    list.add(new Scenario("15c sha256: prefix", many, s -> List.of("sha256:" + uniquePrefix(s, "I5"))));
    list.add(new Scenario("16 pulled by digest (the docs' example)", s -> {
      image(s, "A", "src:1");
      digest(s, "X", "src:1", "test/busybox:latest");
      // Gone locally, then pulled by digest alone, as in the docs: the image's only reference is the digest.
      docker.dockerOk("rmi", "src:1", repo("test/busybox:latest"));
      docker.dockerOk("pull", repo("test/busybox") + "@" + s.id("X"));
    }, s -> List.of(repo("test/busybox") + "@" + s.id("X"))));
    list.add(new Scenario("malformed and blank", s -> { }, s -> List.of("Busybox", "a?b", " ")));
    return list.stream().map(Arguments::of);
  }

  /** The shortest prefix two image IDs share (17 images guarantee a shared first character). */
  static String sharedPrefix(Setup s) {
    List<String> ids = s.roles.values().stream().map(id -> id.substring(7)).sorted().toList();
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i).charAt(0) == ids.get(i - 1).charAt(0)) return ids.get(i).substring(0, 1);
    }
    throw new IllegalStateException("no shared prefix");
  }

  static String uniquePrefix(Setup s, String role) {
    String id = s.id(role).substring(7);
    for (int n = 1; n <= 64; n++) {
      String p = id.substring(0, n);
      if (s.roles.values().stream().filter(x -> x.substring(7).startsWith(p)).count() == 1) return p;
    }
    throw new IllegalStateException();
  }

  record Run(List<String> out, List<String> err, int exit, List<String> images) {}

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void kubeRmiPrintsWhatDockerPrints(Scenario scenario) {
    docker.reset();
    Setup first = new Setup();
    scenario.setup().accept(first);
    List<String> dockerArgs = new ArrayList<>(List.of(DockerDaemonAccess.cli(), "-H", docker.host(), "rmi"));
    dockerArgs.addAll(scenario.args().apply(first));
    Sh.Result real = Sh.run(dockerArgs, Map.of("DOCKER_CONFIG", docker.dir().resolve("cli").toString()), null,
        java.time.Duration.ofMinutes(2));
    Run expected = normalize(first, scenario.args().apply(first), real.out(), real.err(), real.exit());

    docker.reset();
    Setup second = new Setup();
    scenario.setup().accept(second);
    List<String> ours = new ArrayList<>(List.of("--docker-host", docker.host()));
    ours.addAll(scenario.args().apply(second));
    RmiCommandAccess.Output o = RmiCommandAccess.run(ours);
    Run actual = normalize(second, scenario.args().apply(second), o.out(), o.err(), o.exit());

    assertThat(actual).as("docker rmi %s", scenario.args().apply(first)).isEqualTo(expected);
    assertThat(expected.out().size() + expected.err().size()).as("the scenario printed something").isPositive();
  }

  private static final Pattern HEX64 = Pattern.compile("sha256:[a-f0-9]{64}");

  /** Replaces IDs and digests with role names; remaining (layer) IDs by order of appearance. */
  private static Run normalize(Setup s, List<String> args, String out, String err, int exit) {
    Function<String, String> names = text -> {
      String t = text;
      for (int i = 0; i < args.size(); i++) {
        // a prefix chosen per setup (15a-c) differs between the two runs: name it by position
        if (args.get(i).length() <= 19) t = t.replace("No such image: " + args.get(i), "No such image: <arg" + i + ">");
      }
      for (Map.Entry<String, String> e : s.roles.entrySet()) {
        String hex = e.getValue().substring(e.getValue().indexOf(':') + 1);
        t = t.replace(hex, "<" + e.getKey() + ">").replace(hex.substring(0, 12), "<" + e.getKey() + "12>");
      }
      return t;
    };
    Map<String, String> layers = new LinkedHashMap<>();
    Function<String, String> layerNames = text -> {
      Matcher m = HEX64.matcher(text);
      StringBuilder b = new StringBuilder();
      while (m.find()) m.appendReplacement(b, layers.computeIfAbsent(m.group(), k -> "<layer" + layers.size() + ">"));
      return m.appendTail(b).toString();
    };
    List<String> images = docker.imageListing().stream().map(l -> l.replaceAll(" \\S+$", "")).map(names).sorted().toList();
    return new Run(out.lines().filter(l -> !l.isBlank()).map(names).map(layerNames).toList(),
        err.lines().filter(l -> !l.startsWith("(dry run")).map(names).toList(), exit, images);
  }
}
