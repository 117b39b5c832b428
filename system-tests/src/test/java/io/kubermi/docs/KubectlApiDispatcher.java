package io.kubermi.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubermi.cli.local.EmbeddedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded API server plus what the real kubectl and helm ask of an API server before they act:
 * legacy discovery (with short names, so {@code kubectl get irm} resolves), an OpenAPI v3 index
 * whose PATCH operations accept {@code fieldValidation} (so both validate on the server instead of
 * fetching schemas), and the {@code AlreadyExists} reason on a create conflict (helm skips CRDs
 * that exist), kube-rmi's CRD schemas (for {@code kubectl explain}) and printer columns (tables for
 * {@code kubectl get}, from the CRDs' columns), and Secrets in protobuf (helm's release records;
 * see {@link ProtobufSecret}). The resources are those the chart, the examples and the docs use.
 */
final class KubectlApiDispatcher extends EmbeddedCluster.EverythingAllowed {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private record Kind(String plural, String kind, boolean namespaced, List<String> shortNames) {}

  private final Map<String, List<Kind>> kindsByGroupVersion = new LinkedHashMap<>();

  /**
   * kube-rmi's schemas by kind, as an API server publishes a CRD's schema (for kubectl explain).
   */
  private final Map<String, ObjectNode> crdSchemas = new LinkedHashMap<>();

  /** kube-rmi's printer columns by plural, as an API server turns a CRD's columns into tables. */
  private final Map<String, List<CustomResourceColumnDefinition>> columnsByPlural =
      new LinkedHashMap<>();

  KubectlApiDispatcher() {
    add("v1", "namespaces", "Namespace", false, "ns");
    add("v1", "nodes", "Node", false, "no");
    add("v1", "pods", "Pod", true, "po");
    add("v1", "secrets", "Secret", true);
    add("v1", "serviceaccounts", "ServiceAccount", true, "sa");
    add("v1", "services", "Service", true, "svc");
    add("v1", "events", "Event", true, "ev");
    add("apps/v1", "daemonsets", "DaemonSet", true, "ds");
    add("apps/v1", "deployments", "Deployment", true, "deploy");
    add("rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", false);
    add("rbac.authorization.k8s.io/v1", "clusterrolebindings", "ClusterRoleBinding", false);
    add("rbac.authorization.k8s.io/v1", "roles", "Role", true);
    add("rbac.authorization.k8s.io/v1", "rolebindings", "RoleBinding", true);
    add("coordination.k8s.io/v1", "leases", "Lease", true);
    add(
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        "CustomResourceDefinition",
        false,
        "crd",
        "crds");
    // kube-rmi's kinds, names, schemas and columns come from its CRDs, as an API server takes them.
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (String file : EmbeddedCluster.CRDS) {
      try (InputStream in =
          KubectlApiDispatcher.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
        CustomResourceDefinition crd = serialization.unmarshal(in, CustomResourceDefinition.class);
        var names = crd.getSpec().getNames();
        add(
            crd.getSpec().getGroup() + "/" + crd.getSpec().getVersions().get(0).getName(),
            names.getPlural(),
            names.getKind(),
            "Namespaced".equals(crd.getSpec().getScope()),
            names.getShortNames().toArray(String[]::new));
        ObjectNode schema =
            (ObjectNode)
                JSON.readTree(
                    serialization.asJson(
                        crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()));
        schema.put("description", crd.getSpec().getNames().getKind() + " (kube-rmi.io/v1alpha1)");
        ObjectNode properties = (ObjectNode) schema.path("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        properties.putObject("metadata").put("type", "object");
        schema
            .putArray("x-kubernetes-group-version-kind")
            .addObject()
            .put("group", "kube-rmi.io")
            .put("version", "v1alpha1")
            .put("kind", crd.getSpec().getNames().getKind());
        crdSchemas.put(crd.getSpec().getNames().getKind(), schema);
        columnsByPlural.put(
            crd.getSpec().getNames().getPlural(),
            crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void add(
      String groupVersion, String plural, String kind, boolean namespaced, String... shortNames) {
    kindsByGroupVersion
        .computeIfAbsent(groupVersion, k -> new ArrayList<>())
        .add(new Kind(plural, kind, namespaced, List.of(shortNames)));
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath() == null ? "" : request.getPath().replaceFirst("\\?.*", "");
    if ("GET".equals(request.getMethod())) {
      ObjectNode answer = discovery(path);
      if (answer != null) return json(answer);
      if (path.startsWith("/openapi/")) return new MockResponse().setResponseCode(404);
    }
    MockResponse response = super.dispatch(asJson(request));
    String accept = request.getHeader("Accept");
    if ("GET".equals(request.getMethod())
        && response.code() == 200
        && accept != null
        && accept.contains("as=Table")) {
      List<CustomResourceColumnDefinition> columns = columnsFor(path);
      if (columns != null) return json(table(columns, response));
    }
    if (response.getHeaders().header("Content-Type") == null) {
      response.setHeader(
          "Content-Type",
          "application/json"); // clients that sent protobuf read JSON only when told
    }
    if ("GET".equals(request.getMethod()) && response.code() == 200) {
      typedList(path, response);
    }
    if ("POST".equals(request.getMethod()) && response.code() == 409) {
      String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
      response.setBody(body.replace("\"reason\":\"Invalid\"", "\"reason\":\"AlreadyExists\""));
    }
    return response;
  }

  /** The CRD columns when the path names kube-rmi's resources or one of them. */
  private List<CustomResourceColumnDefinition> columnsFor(String path) {
    String[] parts = path.split("/");
    if (!path.startsWith("/apis/kube-rmi.io/")) return null;
    for (int i = parts.length - 1; i >= Math.max(0, parts.length - 2); i--) {
      if (columnsByPlural.containsKey(parts[i])) return columnsByPlural.get(parts[i]);
    }
    return null;
  }

  /** A meta.k8s.io/v1 Table: Name, then each column's value at its (dotted) JSON path. */
  private static ObjectNode table(
      List<CustomResourceColumnDefinition> columns, MockResponse response) {
    JsonNode body;
    try {
      body = JSON.readTree(response.getBody().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode t = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    t.putObject("metadata")
        .put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
    ArrayNode definitions = t.putArray("columnDefinitions");
    definitions
        .addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("priority", 0);
    for (CustomResourceColumnDefinition c : columns) {
      definitions
          .addObject()
          .put("name", c.getName())
          .put("type", c.getType())
          .put("format", "")
          .put("priority", 0);
    }
    ArrayNode rows = t.putArray("rows");
    for (JsonNode item : body.has("items") ? body.get("items") : JSON.createArrayNode().add(body)) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells").add(item.path("metadata").path("name").asText());
      for (CustomResourceColumnDefinition c : columns) {
        JsonNode value = item;
        for (String field : c.getJsonPath().substring(1).split("\\.")) value = value.path(field);
        if (value.isMissingNode()) cells.addNull();
        else if ("date".equals(c.getType())) cells.add(age(value.asText()));
        else cells.add(value);
      }
      row.putObject("object")
          .put("kind", "PartialObjectMetadata")
          .put("apiVersion", "meta.k8s.io/v1")
          .set("metadata", item.path("metadata"));
    }
    return t;
  }

  /**
   * A date column as the API server renders it: the age, {@code 42s}, {@code 5m}, {@code 3h},
   * {@code 2d}.
   */
  private static String age(String timestamp) {
    long s = Duration.between(Instant.parse(timestamp), Instant.now()).toSeconds();
    return s < 120
        ? s + "s"
        : s < 7200 ? s / 60 + "m" : s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
  }

  /**
   * A list answers with its own kind ({@code SecretList}), which typed clients such as helm's
   * require; the store says {@code List}.
   */
  private void typedList(String path, MockResponse response) {
    String plural = path.substring(path.lastIndexOf('/') + 1);
    kindsByGroupVersion.values().stream()
        .flatMap(List::stream)
        .filter(k -> k.plural.equals(plural))
        .findFirst()
        .ifPresent(
            k -> {
              String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
              response.setBody(
                  body.replaceFirst(
                      "\"kind\"\\s*:\\s*\"List\"", "\"kind\":\"" + k.kind + "List\""));
            });
  }

  /** helm's release records arrive as protobuf Secrets; the store takes JSON. */
  private static RecordedRequest asJson(RecordedRequest request) {
    if (!ProtobufSecret.isProtobuf(request.getHeader("Content-Type")) || request.getBody() == null)
      return request;
    try {
      byte[] json =
          ProtobufSecret.toJson(request.getBody().getBytes()).getBytes(StandardCharsets.UTF_8);
      Headers headers =
          request.getHeaders().newBuilder().set("Content-Type", "application/json").build();
      return new RecordedRequest(
          request.getHttpVersion(), request.method(), request.getPath(), headers, new Buffer(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectNode discovery(String path) {
    if (path.equals("/api")) {
      ObjectNode o = JSON.createObjectNode().put("kind", "APIVersions");
      o.putArray("versions").add("v1");
      o.putArray("serverAddressByClientCIDRs");
      return o;
    }
    if (path.equals("/apis")) {
      ObjectNode o = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
      ArrayNode groups = o.putArray("groups");
      kindsByGroupVersion.keySet().stream()
          .filter(gv -> gv.contains("/"))
          .forEach(
              gv -> {
                ObjectNode version =
                    JSON.createObjectNode()
                        .put("groupVersion", gv)
                        .put("version", gv.split("/")[1]);
                ObjectNode g = groups.addObject().put("name", gv.split("/")[0]);
                g.putArray("versions").add(version);
                g.set("preferredVersion", version);
              });
      return o;
    }
    if (path.equals("/openapi/v3")) {
      ObjectNode o = JSON.createObjectNode();
      ObjectNode paths = o.putObject("paths");
      kindsByGroupVersion
          .keySet()
          .forEach(
              gv ->
                  paths
                      .putObject(prefix(gv).substring(1))
                      .put("serverRelativeURL", "/openapi/v3" + prefix(gv) + "?hash=1"));
      return o;
    }
    for (Map.Entry<String, List<Kind>> e : kindsByGroupVersion.entrySet()) {
      String gv = e.getKey();
      if (path.equals(prefix(gv))) return resourceList(gv, e.getValue());
      if (path.equals("/openapi/v3" + prefix(gv))) return openApi(gv, e.getValue());
    }
    return null;
  }

  private static String prefix(String groupVersion) {
    return groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
  }

  private static ObjectNode resourceList(String gv, List<Kind> kinds) {
    ObjectNode o =
        JSON.createObjectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", gv);
    ArrayNode resources = o.putArray("resources");
    for (Kind k : kinds) {
      ObjectNode r =
          resources
              .addObject()
              .put("name", k.plural)
              .put("singularName", k.kind.toLowerCase())
              .put("namespaced", k.namespaced)
              .put("kind", k.kind);
      VERBS.forEach(r.putArray("verbs")::add);
      k.shortNames.forEach(r.putArray("shortNames")::add);
    }
    return o;
  }

  /** One PATCH path per kind, tagged with its group-version-kind and accepting fieldValidation. */
  private ObjectNode openApi(String gv, List<Kind> kinds) {
    ObjectNode o = JSON.createObjectNode().put("openapi", "3.0.0");
    o.putObject("info").put("title", "kube-rmi embedded API").put("version", "v1");
    ObjectNode paths = o.putObject("paths");
    for (Kind k : kinds) {
      String namespaces = k.namespaced ? "/namespaces/{namespace}" : "";
      ObjectNode patch =
          paths.putObject(prefix(gv) + namespaces + "/" + k.plural + "/{name}").putObject("patch");
      patch
          .putObject("x-kubernetes-group-version-kind")
          .put("group", gv.contains("/") ? gv.split("/")[0] : "")
          .put("version", gv.contains("/") ? gv.split("/")[1] : gv)
          .put("kind", k.kind);
      patch
          .putArray("parameters")
          .addObject()
          .put("name", "fieldValidation")
          .put("in", "query")
          .putObject("schema")
          .put("type", "string");
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    ObjectNode schemas = o.putObject("components").putObject("schemas");
    for (Kind k : kinds) {
      if (crdSchemas.containsKey(k.kind))
        schemas.set("io.kube-rmi." + gv.split("/")[1] + "." + k.kind, crdSchemas.get(k.kind));
    }
    return o;
  }

  private static MockResponse json(ObjectNode body) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
