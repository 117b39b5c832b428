package io.kubermi.agent.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes rmi output of two setups comparable: IDs and digests become their role names, per-setup
 * arguments (ID prefixes) their position, and remaining layer IDs their order of appearance.
 */
public final class OutputNormalizer {
  private static final Pattern HEX64 = Pattern.compile("sha256:[a-f0-9]{64}");

  public record Run(List<String> out, List<String> err, int exit, List<String> images) {}

  private OutputNormalizer() {}

  public static Run normalize(
      ScenarioSetup s, List<String> args, String out, String err, int exit, List<String> images) {
    Function<String, String> names =
        text -> {
          String t = text;
          for (int i = 0; i < args.size(); i++) {
            if (args.get(i).length() <= 19)
              t = t.replace("No such image: " + args.get(i), "No such image: <arg" + i + ">");
          }
          for (Map.Entry<String, String> e : s.roles.entrySet()) {
            String hex = e.getValue().substring(e.getValue().indexOf(':') + 1);
            t = t.replace(hex, "<" + e.getKey() + ">");
            if (hex.length() >= 12) t = t.replace(hex.substring(0, 12), "<" + e.getKey() + "12>");
          }
          return t;
        };
    Map<String, String> layers = new LinkedHashMap<>();
    Function<String, String> layerNames =
        text -> {
          Matcher m = HEX64.matcher(text);
          StringBuilder b = new StringBuilder();
          while (m.find())
            m.appendReplacement(
                b, layers.computeIfAbsent(m.group(), k -> "<layer" + layers.size() + ">"));
          return m.appendTail(b).toString();
        };
    return new Run(
        out.lines().filter(l -> !l.isBlank()).map(names).map(layerNames).toList(),
        err.lines().filter(l -> !l.startsWith("(dry run")).map(names).toList(),
        exit,
        images.stream().map(names).sorted().toList());
  }
}
