package io.kubermi.node;

import io.kubermi.testing.Sh;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The node's pod network: a Linux bridge of the test's own with the gateway address, which the
 * node's CNI configuration (the {@code bridge} and {@code host-local} plugins of Debian's
 * containernetworking-plugins) attaches each pod to. The API server listens on the gateway address,
 * so pods reach it through its Service the way they do in a cluster (kube-proxy's rules).
 */
final class NodeNetwork implements AutoCloseable {
  static final String BRIDGE = "krmi-node0";
  static final String SUBNET = "10.217.0.0/24";
  static final String GATEWAY = "10.217.0.1";
  static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");

  private NodeNetwork() {}

  /** The bridge, made afresh (one a crashed run left behind is removed first). */
  static NodeNetwork create() {
    Sh.run(List.of("ip", "link", "delete", BRIDGE));
    ip("link", "add", BRIDGE, "type", "bridge");
    ip("addr", "add", GATEWAY + "/24", "dev", BRIDGE);
    ip("link", "set", BRIDGE, "up");
    return new NodeNetwork();
  }

  /** The CNI network configuration: pods on the bridge, addresses from the subnet. */
  String cniConfig(Path ipamDir) {
    return """
        {"cniVersion": "1.0.0", "name": "kube-rmi-test", "plugins": [
          {"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false,
           "ipam": {"type": "host-local", "dataDir": "%s",
                    "ranges": [[{"subnet": "%s", "gateway": "%s"}]],
                    "routes": [{"dst": "0.0.0.0/0"}]}},
          {"type": "loopback"}]}
        """
        .formatted(BRIDGE, ipamDir, SUBNET, GATEWAY);
  }

  private static void ip(String... args) {
    Sh.run(Stream.concat(Stream.of("ip"), Stream.of(args)).toList()).orThrow();
  }

  @Override
  public void close() {
    Sh.run(List.of("ip", "link", "delete", BRIDGE));
  }
}
