package io.mailtls.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mailtls.reconcile.OperatorApiCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart through helm-java (Helm itself, as a native library in the Maven artifact): lint,
 * template with the default values and with every feature on, and every manifest read back as a
 * Kubernetes object with Fabric8's model. The RBAC must grant exactly {@link OperatorApiCalls}, the
 * calls MailTlsOperatorTest records the operator making.
 */
class HelmChartTest {
  private static final Path PROJECT =
      Path.of(System.getProperty("mailtls.project.root", "..")).toAbsolutePath().normalize();
  private static final Path CHART = PROJECT.resolve("helm/mail-tls-operator");
  private static final Path ALL_FEATURES = CHART.resolve("ci/all-features-values.yaml");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static List<HasMetadata> render(Path values) {
    return render(t -> values == null ? t : t.withValuesFile(values));
  }

  /** The chart rendered with what {@code options} adds to {@code helm template}. */
  private static List<HasMetadata> render(UnaryOperator<TemplateCommand> options) {
    String yaml =
        options
            .apply(new Helm(CHART).template().withName("mailtls").withNamespace("mailtls-system"))
            .call();
    return Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
        .map(doc -> (HasMetadata) SERIALIZATION.unmarshal(doc))
        .toList();
  }

  private static <T extends HasMetadata> List<T> ofKind(
      List<HasMetadata> objects, Class<T> type, String kind) {
    return objects.stream().filter(o -> o.getKind().equals(kind)).map(type::cast).toList();
  }

  private static Set<String> calls(List<PolicyRule> rules) {
    Set<String> calls = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          rule.getVerbs().forEach(verb -> calls.add(group + " " + resource + " " + verb));
        }
      }
    }
    return calls;
  }

  @Test
  void lintsCleanWithDefaultAndAllFeatureValues() {
    LintResult defaults = new Helm(CHART).lint().strict().call();
    assertThat(defaults.isFailed()).as(String.join("\n", defaults.getMessages())).isFalse();
    // helm lint reads ci/*-values.yaml only through --values, which helm-java's lint lacks;
    // rendering the all-features values (below) is the check for them.
    assertThat(render(ALL_FEATURES)).isNotEmpty();
  }

  @Test
  void defaultsRenderALeastPrivilegeClusterWideOperator() {
    List<HasMetadata> objects = render((Path) null);
    assertThat(kinds(objects))
        .containsExactly(
            "ClusterRole",
            "ClusterRoleBinding",
            "Deployment",
            "Role",
            "RoleBinding",
            "Service",
            "ServiceAccount");
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/name", "mail-tls-operator")
                    .containsEntry("app.kubernetes.io/instance", "mailtls")
                    .containsKey("helm.sh/chart"));

    var clusterRoles =
        ofKind(objects, io.fabric8.kubernetes.api.model.rbac.ClusterRole.class, "ClusterRole");
    var clusterRole =
        clusterRoles.stream()
            .filter(r -> r.getMetadata().getName().equals("mailtls-mail-tls-operator"))
            .findFirst()
            .orElseThrow();
    assertThat(calls(clusterRole.getRules()))
        .isEqualTo(new TreeSet<>(OperatorApiCalls.ON_POLICIES));
    // Namespace users read policies through "view" and write them through "edit"/"admin".
    var view =
        clusterRoles.stream()
            .filter(r -> r.getMetadata().getName().equals("mailtls-mail-tls-operator-view"))
            .findFirst()
            .orElseThrow();
    assertThat(view.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
    assertThat(calls(view.getRules()))
        .containsExactlyInAnyOrder(
            "mailtls.io mailendpointpolicies get",
            "mailtls.io mailendpointpolicies list",
            "mailtls.io mailendpointpolicies watch",
            "mailtls.io mailendpointpolicies/status get",
            "mailtls.io mailendpointpolicies/status list",
            "mailtls.io mailendpointpolicies/status watch",
            "mailtls.io mailsenderpolicies get",
            "mailtls.io mailsenderpolicies list",
            "mailtls.io mailsenderpolicies watch",
            "mailtls.io mailsenderpolicies/status get",
            "mailtls.io mailsenderpolicies/status list",
            "mailtls.io mailsenderpolicies/status watch");
    var edit =
        clusterRoles.stream()
            .filter(r -> r.getMetadata().getName().equals("mailtls-mail-tls-operator-edit"))
            .findFirst()
            .orElseThrow();
    assertThat(edit.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
    assertThat(calls(edit.getRules()))
        .containsExactlyInAnyOrder(
            "mailtls.io mailendpointpolicies create",
            "mailtls.io mailendpointpolicies update",
            "mailtls.io mailendpointpolicies patch",
            "mailtls.io mailendpointpolicies delete",
            "mailtls.io mailendpointpolicies deletecollection",
            "mailtls.io mailsenderpolicies create",
            "mailtls.io mailsenderpolicies update",
            "mailtls.io mailsenderpolicies patch",
            "mailtls.io mailsenderpolicies delete",
            "mailtls.io mailsenderpolicies deletecollection");
    Role lease = ofKind(objects, Role.class, "Role").getFirst();
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("mailtls-system");
    assertThat(calls(lease.getRules())).isEqualTo(new TreeSet<>(OperatorApiCalls.ON_LEASES));

    Deployment deployment = ofKind(objects, Deployment.class, "Deployment").getFirst();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    // The shutdown timeout (30s) plus 15 s.
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container operator = pod.getContainers().getFirst();
    assertThat(operator.getArgs()).containsExactly("operator");
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getVolumeMounts())
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes().getFirst().getEmptyDir()).isNotNull();
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
    assertThat(env(operator, "JAVA_TOOL_OPTIONS"))
        .isEqualTo(
            "-XX:MaxRAMPercentage=30 -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
                + " -XX:ReservedCodeCacheSize=32m");
    assertThat(env(operator, "MAILTLS_NAMESPACES")).isEmpty();
    assertThat(env(operator, "MAILTLS_LEADER_ELECTION")).isEqualTo("true");
    assertThat(env(operator, "MAILTLS_TOTAL_SHARDS")).isEqualTo("1");
    assertThat(env(operator, "MAILTLS_SHARD")).isEqualTo("0");
    assertThat(env(operator, "MAILTLS_LOG_FORMAT")).isEqualTo("json");
    assertThat(env(operator, "MAILTLS_ALLOW_PORTS")).isEqualTo("25,465,587,110,143,993,995");
    assertThat(env(operator, "MAILTLS_DENY_RANGES")).isEqualTo("169.254.0.0/16,fe80::/10");
  }

  @Test
  void allFeaturesRenderNamespacedRbacAndTheMonitoringObjects() throws Exception {
    List<HasMetadata> objects = render(ALL_FEATURES);
    assertThat(kinds(objects))
        .containsExactly(
            "ClusterRole",
            "ConfigMap",
            "Deployment",
            "NetworkPolicy",
            "PodDisruptionBudget",
            "PrometheusRule",
            "Role",
            "RoleBinding",
            "Service",
            "ServiceAccount",
            "ServiceMonitor");
    // No ClusterRoleBinding: the only ClusterRoles are those aggregated into view/edit/admin,
    // which give the operator nothing.
    assertThat(ofKind(objects, HasMetadata.class, "ClusterRole"))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "mailtls-mail-tls-operator-view", "mailtls-mail-tls-operator-edit");
    List<Role> roles = ofKind(objects, Role.class, "Role");
    assertThat(roles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("mail", "relay", "mailtls-system");
    roles.stream()
        .filter(r -> !r.getMetadata().getNamespace().equals("mailtls-system"))
        .forEach(
            r ->
                assertThat(calls(r.getRules()))
                    .isEqualTo(new TreeSet<>(OperatorApiCalls.ON_POLICIES)));

    Container operator =
        ofKind(objects, Deployment.class, "Deployment")
            .getFirst()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    assertThat(operator.getImage()).isEqualTo("registry.example.com/mail-tls-operator:0.1.0-test");
    assertThat(env(operator, "MAILTLS_NAMESPACES")).isEqualTo("mail,relay");
    assertThat(env(operator, "MAILTLS_CA_FILE")).isEqualTo("/etc/mailtls/ca.pem");

    for (String kind : List.of("ServiceMonitor", "PrometheusRule", "ConfigMap")) {
      assertThat(ofKind(objects, HasMetadata.class, kind).getFirst().getMetadata().getLabels())
          .as(kind)
          .containsEntry("release", "kube-prometheus-stack");
    }

    // The endpoint series' own namespace and endpoint labels win over the target's (see
    // MonitoringIT for what happens without).
    GenericKubernetesResource monitor =
        ofKind(objects, GenericKubernetesResource.class, "ServiceMonitor").getFirst();
    assertThat(
            new ObjectMapper()
                .valueToTree(monitor.getAdditionalProperties().get("spec"))
                .at("/endpoints/0/honorLabels")
                .asBoolean())
        .isTrue();

    // One source: the PrometheusRule's rules are config/prometheus/mailtls-rules.yaml.
    GenericKubernetesResource rule =
        ofKind(objects, GenericKubernetesResource.class, "PrometheusRule").getFirst();
    JsonNode rendered = new ObjectMapper().valueToTree(rule.getAdditionalProperties().get("spec"));
    JsonNode source =
        new YAMLMapper().readTree(PROJECT.resolve("config/prometheus/mailtls-rules.yaml").toFile());
    assertThat(rendered).isEqualTo(source);

    ConfigMap dashboard = ofKind(objects, ConfigMap.class, "ConfigMap").getFirst();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(new ObjectMapper().readTree(dashboard.getData().get("mailtls-dashboard.json")))
        .isEqualTo(
            new ObjectMapper()
                .readTree(PROJECT.resolve("config/grafana/mailtls-dashboard.json").toFile()));
  }

  @Test
  void allFeaturesRenderTheSchedulingAndDisruptionSettings() throws Exception {
    List<HasMetadata> objects = render(ALL_FEATURES);

    PodSpec pod =
        ofKind(objects, Deployment.class, "Deployment")
            .getFirst()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(135L); // 2m + 15 s
    assertThat(pod.getPriorityClassName()).isEqualTo("mail-critical");
    assertThat(pod.getTopologySpreadConstraints())
        .singleElement()
        .satisfies(c -> assertThat(c.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
    var budget =
        ofKind(
                objects,
                io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
                "PodDisruptionBudget")
            .getFirst();
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "mail-tls-operator");
    GenericKubernetesResource monitor =
        ofKind(objects, GenericKubernetesResource.class, "ServiceMonitor").getFirst();
    assertThat(monitor.getMetadata().getLabels()).containsEntry("team", "mail");
    assertThat(
            new ObjectMapper()
                .valueToTree(monitor.getAdditionalProperties().get("spec"))
                .at("/endpoints/0/scrapeTimeout")
                .asText())
        .isEqualTo("10s");
  }

  @Test
  void badValuesAreRejectedByTheSchemaNamingTheKey() {
    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withName("mailtls")
                    .set("operator.logFormat", "xml")
                    .call())
        .hasMessageContaining("operator.logFormat")
        .hasMessageContaining("text")
        .hasMessageContaining("json");
    assertThatThrownBy(
            () ->
                new Helm(CHART).template().withName("mailtls").set("operater.ehloName", "x").call())
        .hasMessageContaining("operater");
    assertThatThrownBy(
            () ->
                new Helm(CHART)
                    .template()
                    .withName("mailtls")
                    .set("operator.shutdownTimeout", "30 seconds")
                    .call())
        .hasMessageContaining("operator.shutdownTimeout");
  }

  @Test
  void shardedEachShardIsADeploymentWithItsOwnDisruptionBudgetAndSpread() {
    List<HasMetadata> objects =
        render(
            t ->
                t.set("shards", 3)
                    .set("replicas", 2)
                    .set("podDisruptionBudget.enabled", true)
                    .set("topologySpreadConstraints[0].maxSkew", 1)
                    .set("topologySpreadConstraints[0].topologyKey", "kubernetes.io/hostname")
                    .set("topologySpreadConstraints[0].whenUnsatisfiable", "ScheduleAnyway"));

    List<Deployment> shards = ofKind(objects, Deployment.class, "Deployment");
    assertThat(shards)
        .extracting(d -> d.getMetadata().getName(), d -> d.getSpec().getReplicas())
        .containsExactly(
            tuple("mailtls-mail-tls-operator-shard-0", 2),
            tuple("mailtls-mail-tls-operator-shard-1", 2),
            tuple("mailtls-mail-tls-operator-shard-2", 2));
    for (int shard = 0; shard < 3; shard++) {
      Deployment deployment = shards.get(shard);
      var pod = deployment.getSpec().getTemplate();
      assertThat(pod.getMetadata().getLabels())
          .containsEntry("mailtls.io/shard", String.valueOf(shard));
      assertThat(deployment.getSpec().getSelector().getMatchLabels())
          .containsEntry("mailtls.io/shard", String.valueOf(shard));
      Container operator = pod.getSpec().getContainers().getFirst();
      assertThat(env(operator, "MAILTLS_TOTAL_SHARDS")).isEqualTo("3");
      assertThat(env(operator, "MAILTLS_SHARD")).isEqualTo(String.valueOf(shard));
      assertThat(
              pod.getSpec()
                  .getTopologySpreadConstraints()
                  .getFirst()
                  .getLabelSelector()
                  .getMatchLabels())
          .containsEntry("mailtls.io/shard", String.valueOf(shard))
          .containsEntry("app.kubernetes.io/name", "mail-tls-operator");
    }
    assertThat(
            ofKind(
                objects,
                io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
                "PodDisruptionBudget"))
        .extracting(p -> p.getSpec().getSelector().getMatchLabels().get("mailtls.io/shard"))
        .containsExactly("0", "1", "2");
    assertThat(ofKind(objects, HasMetadata.class, "StatefulSet")).isEmpty();
  }

  @Test
  void theReceiverGetsAServiceToTheLeaderItsCertificateAndNoMoreRbacThanItNeeds() {
    List<HasMetadata> objects =
        render(
            t ->
                t.set("receiver.enabled", true)
                    .set("receiver.tlsSecretName", "receiver-tls")
                    .set("receiver.service.type", "LoadBalancer"));

    Service service =
        ofKind(objects, Service.class, "Service").stream()
            .filter(s -> s.getMetadata().getName().equals("mailtls-mail-tls-operator-receiver"))
            .findFirst()
            .orElseThrow();
    assertThat(service.getSpec().getSelector()).isNullOrEmpty(); // the leader routes it
    assertThat(service.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(service.getSpec().getPorts())
        .extracting(p -> p.getName(), p -> p.getPort(), p -> p.getTargetPort().getIntVal())
        .containsExactly(tuple("smtp", 25, 2525));
    EndpointSlice slice = ofKind(objects, EndpointSlice.class, "EndpointSlice").getFirst();
    assertThat(slice.getMetadata().getName()).isEqualTo("mailtls-mail-tls-operator-receiver");
    assertThat(slice.getMetadata().getLabels())
        .containsEntry("kubernetes.io/service-name", "mailtls-mail-tls-operator-receiver");
    assertThat(slice.getPorts())
        .extracting(p -> p.getName(), p -> p.getPort())
        .containsExactly(tuple("smtp", 2525));
    assertThat(slice.getEndpoints()).isEmpty();
    Deployment deployment = ofKind(objects, Deployment.class, "Deployment").getFirst();
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(env(operator, "MAILTLS_RECEIVER_LISTEN")).isEqualTo(":2525");
    assertThat(env(operator, "MAILTLS_RECEIVER_MODE")).isEqualTo("exchange-online");
    assertThat(env(operator, "MAILTLS_RECEIVER_ENDPOINTSLICE"))
        .isEqualTo("mailtls-mail-tls-operator-receiver");
    assertThat(env(operator, "MAILTLS_RECEIVER_TLS_CERT"))
        .isEqualTo("/etc/mailtls/receiver-tls/tls.crt");
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .extracting(v -> v.getSecret() == null ? null : v.getSecret().getSecretName())
        .contains("receiver-tls");
    Role route =
        ofKind(objects, Role.class, "Role").stream()
            .filter(r -> r.getMetadata().getName().endsWith("-receiver"))
            .findFirst()
            .orElseThrow();
    assertThat(route.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getResources()).containsExactly("endpointslices");
              assertThat(rule.getResourceNames())
                  .containsExactly("mailtls-mail-tls-operator-receiver");
              assertThat(rule.getVerbs()).containsExactly("get", "patch");
            });
    var clusterRole =
        ofKind(objects, io.fabric8.kubernetes.api.model.rbac.ClusterRole.class, "ClusterRole")
            .stream()
            .filter(r -> r.getMetadata().getName().equals("mailtls-mail-tls-operator"))
            .findFirst()
            .orElseThrow();
    assertThat(calls(clusterRole.getRules()))
        .contains(
            "mailtls.io mailsenderpolicies get",
            "mailtls.io mailsenderpolicies list",
            "mailtls.io mailsenderpolicies watch",
            "mailtls.io mailsenderpolicies/status patch");
    assertThat(render((Path) null)).noneMatch(o -> o.getMetadata().getName().endsWith("-receiver"));
  }

  @Test
  void namesCanBeOverridden() {
    List<HasMetadata> objects = render(t -> t.set("fullnameOverride", "tls-check"));

    assertThat(ofKind(objects, Deployment.class, "Deployment").getFirst().getMetadata().getName())
        .isEqualTo("tls-check");
  }

  @Test
  void theCrdsCanBeTemplatesThatUninstallKeeps() throws Exception {
    List<HasMetadata> objects = render(t -> t.set("crds.templated", true));

    var crds =
        ofKind(
            objects,
            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class,
            "CustomResourceDefinition");
    assertThat(crds)
        .extracting(c -> c.getMetadata().getName())
        .containsExactly("mailendpointpolicies.mailtls.io", "mailsenderpolicies.mailtls.io");
    for (var crd : crds) {
      assertThat(crd.getMetadata().getAnnotations())
          .containsEntry("helm.sh/resource-policy", "keep");
      var committed =
          SERIALIZATION.unmarshal(
              Files.readString(CHART.resolve("crds/" + crd.getMetadata().getName() + "-v1.yml")),
              io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
      assertThat(crd.getSpec()).isEqualTo(committed.getSpec());
    }
    assertThat(render((Path) null)).noneMatch(o -> o.getKind().equals("CustomResourceDefinition"));
  }

  @Test
  void theChartReadmeNamesEveryValue() throws Exception {
    JsonNode values = new YAMLMapper().readTree(CHART.resolve("values.yaml").toFile());
    String readme = Files.readString(CHART.resolve("README.md"));
    List<String> missing = new ArrayList<>();
    collectKeys(values, "", missing, readme);
    assertThat(missing).as("values not in helm/mail-tls-operator/README.md").isEmpty();
  }

  /** Every leaf key (objects of free-form settings count as one) must be a row of the table. */
  private static void collectKeys(JsonNode node, String prefix, List<String> missing, String doc) {
    Set<String> freeForm = Set.of("resources", "podSecurityContext", "securityContext");
    node.fieldNames()
        .forEachRemaining(
            name -> {
              String key = prefix + name;
              JsonNode value = node.get(name);
              if (value.isObject() && !value.isEmpty() && !freeForm.contains(key)) {
                collectKeys(value, key + ".", missing, doc);
              } else if (!doc.contains("| `" + key + "` |")) {
                missing.add(key);
              }
            });
  }

  @Test
  void theChartCarriesTheGeneratedCrds() throws Exception {
    for (String name :
        List.of("mailendpointpolicies.mailtls.io-v1.yml", "mailsenderpolicies.mailtls.io-v1.yml")) {
      for (String copy : List.of("crds", "files")) {
        assertThat(Files.readString(CHART.resolve(copy).resolve(name)))
            .as("helm/mail-tls-operator/%s/%s is stale: run scripts/update-crds.sh", copy, name)
            .isEqualTo(Files.readString(PROJECT.resolve("crds").resolve(name)));
      }
    }
  }

  private static Set<String> kinds(List<HasMetadata> objects) {
    return objects.stream()
        .map(HasMetadata::getKind)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow();
  }
}
