package io.kubermi.agent.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The scenarios of docs/semantics.md §11 as data: how to set each scenario up, and the rmi
 * arguments.
 */
public final class RmiScenarios {
  public record Scenario(
      String name,
      boolean needsParents,
      Consumer<ScenarioSetup> setup,
      Function<ScenarioSetup, List<String>> args) {
    @Override
    public String toString() {
      return name;
    }
  }

  private RmiScenarios() {}

  public static List<Scenario> all() {
    List<Scenario> list = new ArrayList<>();
    list.add(s("1 only tag", s -> s.image("A", "a:1"), s -> List.of("a:1")));
    Consumer<ScenarioSetup> twoRepos =
        s -> {
          s.image("A", "a:1");
          s.tag("a:1", "b:2");
        };
    list.add(s("2 second tag", twoRepos, s -> List.of("a:1")));
    list.add(s("3 id, two repositories", twoRepos, s -> List.of(s.id12("A"))));
    list.add(s("4 -f id, two repositories", twoRepos, s -> List.of("-f", s.id12("A"))));
    list.add(
        s(
            "5 id, two tags of one repository",
            s -> {
              s.image("A", "a:1");
              s.tag("a:1", "a:2");
            },
            s -> List.of(s.id12("A"))));
    Consumer<ScenarioSetup> tagAndDigest =
        s -> {
          s.image("A", "src:1");
          s.digest("X", "src:1", "d:1");
          s.untag("src:1");
        };
    list.add(s("6 tag takes its digest", tagAndDigest, s -> List.of(s.repo("d:1"))));
    list.add(
        s(
            "7 another repository keeps the image",
            s -> {
              tagAndDigest.accept(s);
              s.tag(s.repo("d:1"), "e:1");
            },
            s -> List.of(s.repo("d:1"))));
    list.add(s("8 digest alone", tagAndDigest, s -> List.of(s.repo("d") + "@" + s.id("X"))));
    Consumer<ScenarioSetup> stopped =
        s -> {
          s.image("A", "a:1");
          s.stopped("stopped", "a:1");
        };
    list.add(s("9a stopped container, tag", stopped, s -> List.of("a:1")));
    list.add(s("9b stopped container, id", stopped, s -> List.of(s.id("A"))));
    list.add(s("9c stopped container, -f tag", stopped, s -> List.of("-f", "a:1")));
    Consumer<ScenarioSetup> running =
        s -> {
          s.image("A", "a:1");
          s.running("running", "a:1");
        };
    list.add(s("10a running container, id", running, s -> List.of(s.id12("A"))));
    list.add(s("10b running container, -f id", running, s -> List.of("-f", s.id12("A"))));
    list.add(s("10c running container, -f tag", running, s -> List.of("-f", "a:1")));
    Consumer<ScenarioSetup> family =
        s -> {
          s.image("P", "p:1");
          s.child("C", "p:1", "c:1");
        };
    list.add(parents("11a -f parent id", family, s -> List.of("-f", s.id("P"))));
    list.add(parents("11b parent tag", family, s -> List.of("p:1")));
    Consumer<ScenarioSetup> orphanedChild =
        s -> {
          family.accept(s);
          s.untag("p:1");
        };
    list.add(parents("11c child after parent untag", orphanedChild, s -> List.of("c:1")));
    list.add(parents("12 --no-prune child", orphanedChild, s -> List.of("--no-prune", "c:1")));
    list.add(s("13a not found", s -> {}, s -> List.of("nothere")));
    list.add(s("13b -f not found", s -> {}, s -> List.of("-f", "nothere")));
    list.add(
        s(
            "14 error in the middle",
            s -> {
              s.image("A", "a:1");
              s.image("B", "b:1");
            },
            s -> List.of("a:1", "nothere", "b:1")));
    Consumer<ScenarioSetup> many =
        s -> {
          for (int i = 0; i < 17; i++) s.image("I" + i, "many:" + i);
        };
    list.add(s("15a ambiguous prefix", many, s -> List.of(sharedPrefix(s))));
    list.add(s("15b unique short prefix", many, s -> List.of(uniquePrefix(s, "I3"))));
    list.add(s("15c sha256: prefix", many, s -> List.of("sha256:" + uniquePrefix(s, "I5"))));
    list.add(
        s(
            "16 pulled by digest (the docs' example)",
            s -> {
              s.image("A", "src:1");
              s.onlyDigest("X", "src:1", "test/busybox:latest");
            },
            s -> List.of(s.repo("test/busybox") + "@" + s.id("X"))));
    list.add(s("malformed and blank", s -> {}, s -> List.of("Busybox", "a?b", " ")));
    return list;
  }

  private static Scenario s(
      String name, Consumer<ScenarioSetup> setup, Function<ScenarioSetup, List<String>> args) {
    return new Scenario(name, false, setup, args);
  }

  private static Scenario parents(
      String name, Consumer<ScenarioSetup> setup, Function<ScenarioSetup, List<String>> args) {
    return new Scenario(name, true, setup, args);
  }

  /** The shortest prefix two image IDs share (17 images guarantee a shared first character). */
  static String sharedPrefix(ScenarioSetup s) {
    List<String> ids = s.roles.values().stream().map(id -> id.substring(7)).sorted().toList();
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i).charAt(0) == ids.get(i - 1).charAt(0)) return ids.get(i).substring(0, 1);
    }
    throw new IllegalStateException("no shared prefix");
  }

  static String uniquePrefix(ScenarioSetup s, String role) {
    String id = s.id(role).substring(7);
    for (int n = 1; n <= 64; n++) {
      String p = id.substring(0, n);
      if (s.roles.values().stream().filter(x -> x.substring(7).startsWith(p)).count() == 1)
        return p;
    }
    throw new IllegalStateException();
  }
}
