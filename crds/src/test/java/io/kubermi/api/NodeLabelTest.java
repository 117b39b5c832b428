package io.kubermi.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeLabelTest {
  @Test
  void childNamesOfPairsWhosePlainNamesMeetDiffer() {
    String a = NodeLabel.childName("x", "pool-a-1");
    String b = NodeLabel.childName("x-pool", "a-1");
    assertThat(a).startsWith("x-pool-a-1-").isNotEqualTo(b);
    assertThat(b).startsWith("x-pool-a-1-");
    assertThat(NodeLabel.childName("x", "pool-a-1")).as("stable").isEqualTo(a);
  }

  @Test
  void longChildNamesStayWithinTheNameLimitAndApart() {
    String removal = "r".repeat(200);
    String node = "n".repeat(253);
    String name = NodeLabel.childName(removal, node);
    assertThat(name).hasSizeLessThanOrEqualTo(253).startsWith(removal + "-");
    assertThat(NodeLabel.childName(removal, "m" + node.substring(1)))
        .hasSizeLessThanOrEqualTo(253)
        .isNotEqualTo(name);
  }
}
