package io.kubermi.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Seconds per way, in the order the ways were first timed; printed as median and rounds. */
final class Timings {
  private final Map<String, List<Double>> byWay = new LinkedHashMap<>();

  void add(String way, double seconds) {
    byWay.computeIfAbsent(way, w -> new ArrayList<>()).add(seconds);
  }

  double median(String way) {
    List<Double> sorted = byWay.get(way).stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  void print() {
    byWay.forEach(
        (way, seconds) ->
            System.out.printf(
                "%-40s median %6.2f s   rounds: %s%n",
                way,
                median(way),
                seconds.stream()
                    .map(s -> String.format("%.2f", s))
                    .collect(Collectors.joining(", "))));
  }
}
