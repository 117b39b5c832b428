package io.kubermi.controlplane;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubermi.api.ImageRemoval;
import io.kubermi.api.ImageRemovalSchedule;
import io.kubermi.api.NodeImageRemoval;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kubernetes control plane: etcd, kube-apiserver and kube-controller-manager (its garbage
 * collector and namespace controllers) from the upstream build ({@link UpstreamBinaries}), each its
 * own process with its state under a temporary folder, authorization {@code Node,RBAC}, and the
 * kube-rmi CRDs applied from {@code crds/} exactly as committed.
 *
 * <p>Who is who: {@link #admin()} is a cluster administrator ({@code system:masters}, a static
 * token); {@link #user()} is a person with no permission but what a test grants to the user name
 * {@link #USER}; workloads authenticate as ServiceAccounts with tokens from the real TokenRequest
 * API ({@link #serviceAccountToken}). The API server's own self-signed certificate is the
 * certificate authority every client here trusts.
 *
 * <p>{@link #shared()} is the one control plane of a test JVM: started on first use (a few
 * seconds), stopped when the JVM exits. Tests sharing it keep apart by their own object names and
 * remove what they made ({@link #wipe}).
 */
public final class ControlPlane implements AutoCloseable {
  /** The user name of {@link #user()}. */
  public static final String USER = "jane";

  /** The label of the pods tests make only to hold a pod-bound token; deleted with the rest. */
  public static final String TEST_POD_LABEL = "kube-rmi.test/pod";

  /** The namespace kube-rmi is installed in: its ServiceAccounts and the operator's Lease. */
  public static final String NAMESPACE = "kube-rmi";

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Duration START_LIMIT = Duration.ofMinutes(2);
  private static ControlPlane shared;

  private final Path dir;
  private final Path bin;
  private final String address;
  private final String nodeName;
  private final int apiPort;
  private final String adminToken = UUID.randomUUID().toString();
  private final String userToken = UUID.randomUUID().toString();
  private final String nodeToken = UUID.randomUUID().toString();
  private final List<ManagedProcess> processes = new ArrayList<>();
  private ManagedProcess apiServer;
  private KubernetesClient admin;

  private ControlPlane(Path bin, String address, String nodeName) throws IOException {
    this.bin = bin;
    this.address = address;
    this.nodeName = nodeName;
    this.dir = Files.createTempDirectory(Path.of("/tmp"), "krmi-cp-");
    this.apiPort = freePort();
  }

  /** The control plane of this JVM, started on first use. */
  public static synchronized ControlPlane shared() {
    if (shared == null) {
      Path bin = UpstreamBinaries.require();
      try {
        shared = new ControlPlane(bin, "127.0.0.1", null).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      ControlPlane started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "control-plane-stop"));
    }
    return shared;
  }

  /**
   * A control plane of its own for a real node ({@code KubeletNode}): the API server listens on
   * {@code address} (an address pods can reach, so that its {@code kubernetes} Service leads
   * there), a static token authenticates the kubelet as {@code system:node:<nodeName>} (group
   * {@code system:nodes}, authorized by the Node authorizer), and the controller manager also runs
   * what a node's pods need: the DaemonSet, Deployment and ReplicaSet controllers, the node
   * lifecycle controller (which lifts the not-ready taint), ServiceAccounts and the {@code
   * kube-root-ca.crt} ConfigMap every pod's token volume holds. The caller closes it.
   */
  public static ControlPlane startForNode(String address, String nodeName) {
    try {
      return new ControlPlane(UpstreamBinaries.require(), address, nodeName).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ControlPlane start() throws IOException, InterruptedException {
    Path sa = writeServiceAccountKey();
    List<String> tokens =
        new ArrayList<>(
            List.of(
                adminToken + ",kube-rmi-test-admin,admin,\"system:masters\"",
                userToken + "," + USER + ",jane,"));
    if (nodeName != null) {
      tokens.add(nodeToken + ",system:node:" + nodeName + "," + nodeName + ",\"system:nodes\"");
    }
    Files.writeString(dir.resolve("tokens.csv"), String.join("\n", tokens) + "\n");
    int etcdPort = freePort();
    int peerPort = freePort();
    startProcess(
        "etcd",
        List.of(
            bin.resolve("etcd").toString(),
            "--data-dir=" + dir.resolve("etcd"),
            "--unsafe-no-fsync",
            "--listen-client-urls=http://127.0.0.1:" + etcdPort,
            "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
            "--listen-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
            "--initial-cluster=default=http://127.0.0.1:" + peerPort,
            "--listen-metrics-urls=http://127.0.0.1:" + freePort()));
    apiServer =
        startProcess(
            "kube-apiserver",
            List.of(
                bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--cert-dir=" + dir.resolve("certs"),
                "--bind-address=" + address,
                "--advertise-address=" + address,
                // A node's pods reach the server through its Service; without a node nothing
                // needs the endpoints, and a loopback address cannot be one.
                "--endpoint-reconciler-type=" + (nodeName == null ? "none" : "lease"),
                "--secure-port=" + apiPort,
                "--service-cluster-ip-range=10.0.0.0/24",
                "--service-account-issuer=https://kube-rmi.test",
                "--service-account-key-file=" + sa,
                "--service-account-signing-key-file=" + sa,
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=Node,RBAC",
                "--allow-privileged=true"));
    awaitReady();
    List<String> controllers =
        new ArrayList<>(List.of("garbage-collector-controller", "namespace-controller"));
    if (nodeName != null) {
      controllers.addAll(
          List.of(
              "daemonset-controller",
              "deployment-controller",
              "replicaset-controller",
              "node-lifecycle-controller",
              "serviceaccount-controller",
              "root-ca-certificate-publisher-controller"));
    }
    startProcess(
        "kube-controller-manager",
        List.of(
            bin.resolve("kube-controller-manager").toString(),
            "--kubeconfig=" + kubeconfig("kube-controller-manager", adminToken),
            "--controllers=" + String.join(",", controllers),
            "--root-ca-file=" + caFile(),
            "--leader-elect=false",
            "--secure-port=0"));
    applyCrds();
    admin
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    return this;
  }

  /**
   * Starts one more program that lives as long as this control plane (a node's kube-scheduler), its
   * log in this control plane's folder; stopped in reverse order of start by {@link #close}.
   */
  public ManagedProcess startProcess(String name, List<String> command) {
    ManagedProcess p = new ManagedProcess(name, command, dir.resolve(name + ".log")).start();
    processes.add(p);
    return p;
  }

  /**
   * Kills kube-apiserver with SIGKILL and starts it again on the same port, etcd and certificate,
   * as a crashed control-plane node's server comes back; returns once it answers ready again. Its
   * clients' watches break, and the new server's watch cache starts at etcd's current revision.
   */
  public synchronized void restartApiServer() throws InterruptedException {
    apiServer.kill9();
    apiServer.start();
    awaitReady();
  }

  /** The process ID of one of the programs (etcd, kube-apiserver, kube-controller-manager). */
  public long pid(String program) {
    return processes.stream()
        .filter(p -> p.name().equals(program))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no program " + program))
        .pid();
  }

  /**
   * The environment that makes a kube-rmi process (fabric8's client) talk to this API server as the
   * token's identity, trusting its certificate and nothing else: no kubeconfig, no mounted
   * ServiceAccount.
   */
  public Map<String, String> clientEnv(String token) {
    return Map.of(
        "KUBERNETES_MASTER",
        url() + "/",
        "KUBERNETES_CERTS_CA_FILE",
        caFile().toString(),
        "KUBERNETES_AUTH_TOKEN",
        token,
        "KUBERNETES_AUTH_TRYKUBECONFIG",
        "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
        "false");
  }

  /** The API server's address, {@code https://127.0.0.1:PORT} (a node's: its own address). */
  public String url() {
    return "https://" + address + ":" + apiPort;
  }

  /** The folder of this control plane's state and logs. */
  public Path dir() {
    return dir;
  }

  /** The bearer token of the node's kubelet ({@link #startForNode}), {@code system:node:NAME}. */
  public String nodeToken() {
    if (nodeName == null) throw new IllegalStateException("a control plane without a node");
    return nodeToken;
  }

  /** The certificate authority of the API server's serving certificate (PEM). */
  public Path caFile() {
    return dir.resolve("certs/apiserver.crt");
  }

  /** A cluster administrator: every permission. */
  public KubernetesClient admin() {
    return admin;
  }

  /** The person {@link #USER}: only what a test granted to that user name. */
  public KubernetesClient user() {
    return client(userToken);
  }

  /** A client authenticated by the bearer token given. */
  public KubernetesClient client(String token) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withCaCertFile(caFile().toString())
            .withOauthToken(token)
            .withRequestTimeout(30_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The administrator's bearer token (for a process of the test's that needs full access). */
  public String adminToken() {
    return adminToken;
  }

  /** {@link #USER}'s bearer token. */
  public String userToken() {
    return userToken;
  }

  /**
   * A token for the ServiceAccount from the TokenRequest API, as the kubelet gets one for a pod.
   */
  public String serviceAccountToken(String namespace, String serviceAccount) {
    TokenRequest request =
        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(request)
        .getStatus()
        .getToken();
  }

  /** A kubeconfig file for the bearer token, trusting the API server's certificate. */
  public Path kubeconfig(String name, String token) throws IOException {
    Path file = dir.resolve(name + ".kubeconfig");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: test",
            "  cluster:",
            "    server: " + url(),
            "    certificate-authority: " + caFile(),
            "users:",
            "- name: " + name,
            "  user:",
            "    token: " + token,
            "contexts:",
            "- name: test",
            "  context: {cluster: test, user: " + name + "}",
            "current-context: test",
            ""));
    return file;
  }

  /** Deletes every object of the types given that the administrator can see, and waits. */
  @SafeVarargs
  public final void wipe(Class<? extends HasMetadata>... types) {
    for (Class<? extends HasMetadata> type : types) {
      admin.resources(type).withGracePeriod(0).delete();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Class<? extends HasMetadata> type : types) {
      while (!admin.resources(type).list().getItems().isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(type.getSimpleName() + " objects still there after 60 s");
        }
        sleep(Duration.ofMillis(100));
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Deletes what a test may have made: every ImageRemovalSchedule, ImageRemoval, NodeImageRemoval
   * and Node, the Events in {@code default} (where the operator records them) and the Leases in
   * {@value #NAMESPACE}; and the CRDs again, should a test have deleted them.
   */
  public void wipeTestObjects() {
    try {
      applyCrds(); // a test may have deleted them, as the uninstall docs do
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    wipe(ImageRemovalSchedule.class, ImageRemoval.class, NodeImageRemoval.class, Node.class);
    admin.v1().events().inNamespace("default").delete();
    admin.leases().inNamespace(NAMESPACE).delete();
    admin.pods().inNamespace(NAMESPACE).withLabel(TEST_POD_LABEL).withGracePeriod(0).delete();
  }

  /** The last lines of each program's log, for a failure's report. */
  public String logs() {
    return String.join("\n", processes.stream().map(p -> p.tail(30)).toList());
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!apiServer.isAlive()) break;
      if (admin == null) {
        // The server writes its self-signed certificate at start; clients trust only that one.
        if (Files.exists(caFile())) admin = client(adminToken);
        Thread.sleep(100);
        continue;
      }
      try {
        String ready = admin.raw("/readyz");
        if ("ok".equals(ready)) return;
        last = String.valueOf(ready);
      } catch (RuntimeException e) {
        last = e.getMessage();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "kube-apiserver not ready within " + START_LIMIT + " (" + last + ")\n" + logs());
  }

  /** The CRDs exactly as committed in crds/, each Established before this returns. */
  public void applyCrds() throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(ROOT.resolve("crds"))) {
      files = listed.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd =
            admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        admin.resource(crd).serverSideApply();
        admin
            .resource(crd)
            .waitUntilCondition(
                c ->
                    c != null
                        && c.getStatus() != null
                        && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                k ->
                                    k.getType().equals("Established")
                                        && k.getStatus().equals("True")),
                60,
                TimeUnit.SECONDS);
      }
    }
  }

  private Path writeServiceAccountKey() throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      pair = gen.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Path file = dir.resolve("service-account.key");
    Files.writeString(
        file,
        pem("PRIVATE KEY", pair.getPrivate().getEncoded())
            + pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    return file;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** A TCP port free on this machine now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (admin != null) admin.close();
    for (int i = processes.size() - 1; i >= 0; i--) {
      try {
        processes.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("control plane: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
