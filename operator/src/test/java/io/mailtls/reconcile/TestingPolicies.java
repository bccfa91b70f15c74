package io.mailtls.reconcile;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.mailtls.api.EndpointSpec;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.probe.ProbeSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The namespace, operator settings, one-endpoint policies and ports the operator tests share. */
final class TestingPolicies {
  static final String NAMESPACE = "mail";

  private TestingPolicies() {}

  /** Watches {@link #NAMESPACE} only, 2 policies at a time, default probe settings (no guard). */
  static MailTlsOperator.Config operatorConfig(String leaseNamespace, Duration shutdownTimeout) {
    return new MailTlsOperator.Config(
        Set.of(NAMESPACE),
        leaseNamespace == null
            ? null
            : new MailTlsOperator.LeaderElection(
                "mailtls-operator",
                leaseNamespace,
                MailTlsOperator.LeaderElection.DEFAULT_LEASE_DURATION,
                MailTlsOperator.LeaderElection.DEFAULT_RENEW_DEADLINE),
        "replica-1",
        2,
        shutdownTimeout,
        ProbeSettings.defaults());
  }

  static void create(KubernetesClient client, String name, String target, String timeout) {
    MailEndpointPolicy policy = new MailEndpointPolicy();
    policy.getMetadata().setName(name);
    policy.getMetadata().setNamespace(NAMESPACE);
    policy.setSpec(
        new MailEndpointPolicySpec(
            List.of(new EndpointSpec(target)), null, null, null, timeout, null));
    client.resource(policy).create();
  }

  /** A loopback port nobody listens on: a probe of it is refused at once. */
  static int unusedLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static MailEndpointPolicyStatus status(KubernetesClient client, String name) {
    return client
        .resources(MailEndpointPolicy.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .get()
        .getStatus();
  }

  /** JOSDK checks the Lease permissions with a SelfSubjectRulesReview before it elects. */
  static void grantEverything(KubernetesMockServer server) {
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("*")
                .withResources("*")
                .withVerbs("*")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
  }
}
