package io.kubermi.cli.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTextTest {
  @Test
  void everyFormKubectlTakesBecomesTheSelector() {
    LabelSelector s =
        SelectorText.parse(
            "pool=batch, tier==web,env!=dev,zone in (a, b),arch notin (arm),gpu,!spot,"
                + "node-role.kubernetes.io/worker");
    assertThat(s.getMatchLabels()).isEqualTo(Map.of("pool", "batch", "tier", "web"));
    assertThat(s.getMatchExpressions())
        .containsExactly(
            new LabelSelectorRequirement("env", "NotIn", List.of("dev")),
            new LabelSelectorRequirement("zone", "In", List.of("a", "b")),
            new LabelSelectorRequirement("arch", "NotIn", List.of("arm")),
            new LabelSelectorRequirement("gpu", "Exists", null),
            new LabelSelectorRequirement("spot", "DoesNotExist", null),
            new LabelSelectorRequirement("node-role.kubernetes.io/worker", "Exists", null));
  }

  @Test
  void anEmptyValueIsAValue() {
    assertThat(SelectorText.parse("team=").getMatchLabels()).isEqualTo(Map.of("team", ""));
  }

  @Test
  void whatKubectlRefusesIsRefusedNamingTheFlagAndValue() {
    for (String bad :
        List.of("a=(b", "zone in ()", "zone in (a,,b)", "=x", "a b", "a=b=c", "-a", "in (x)")) {
      assertThatThrownBy(() -> SelectorText.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("-l/--selector: invalid value \"" + bad + "\": ");
    }
  }

  @Test
  void aHostileSelectorIsRefusedQuickly() {
    String longValue = "a=" + "b".repeat(SelectorText.MAX_LENGTH);
    assertThatThrownBy(() -> SelectorText.parse(longValue)).hasMessageContaining("longer than");
    String manyParts = "a,".repeat(2000) + "!";
    assertThatThrownBy(() -> SelectorText.parse(manyParts)).hasMessageContaining("cannot read");
  }
}
