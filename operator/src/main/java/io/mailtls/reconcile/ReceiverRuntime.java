package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mailtls.dns.AddressText;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.SenderPolicyCheck;
import io.mailtls.receiver.ReceiverSettings;
import io.mailtls.receiver.SessionLog;
import io.mailtls.receiver.TestReceiver;
import io.mailtls.sender.KnownSenders;
import io.mailtls.status.ReceivedSessions;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test receiver inside the operator. It runs only in the replica that reconciles the
 * MailSenderPolicies (the leader of shard 0): the sessions live in that process's memory, so a
 * sender must reach it and no other. The chart's receiver Service therefore selects the pod label
 * {@value #ACTIVE_LABEL}{@code =true}, which the leader sets on its own pod when it starts the
 * receiver and every replica removes from its own pod at start-up (a replica that lost the lease
 * exits and restarts, and so drops the label).
 */
public final class ReceiverRuntime implements AutoCloseable {
  static final String ACTIVE_LABEL = "mailtls.io/receiver-active";
  private static final Logger log = LoggerFactory.getLogger(ReceiverRuntime.class);

  /**
   * @param pod this replica's pod (name, namespace) for the Service label; null outside a cluster
   */
  public record Config(ReceiverSettings settings, PodRef pod) {}

  public record PodRef(String name, String namespace) {}

  private final KubernetesClient client;
  private final Config config;
  private final SessionLog sessions;
  private final SenderPolicyCheck check;
  private final AtomicReference<TestReceiver> running = new AtomicReference<>();
  private volatile String failure =
      "the test receiver has not started: this replica is not leading";

  ReceiverRuntime(KubernetesClient client, Config config, MailTlsMetrics metrics, Clock clock) {
    this.client = client;
    this.config = config;
    this.sessions = new SessionLog(config.settings().limits());
    KnownSenders known = new KnownSenders();
    ReceivedSessions.wire(sessions, known, metrics);
    this.check =
        new SenderPolicyCheck(
            sessions,
            known,
            AddressText.of(config.settings().listen().getAddress())
                + ":"
                + config.settings().listen().getPort()
                + " ("
                + config.settings().mode()
                + ")",
            clock);
    label(false);
  }

  SenderPolicyCheck check() {
    return check;
  }

  /** The port the receiver listens on, or -1 while it does not run. */
  int port() {
    TestReceiver receiver = running.get();
    return receiver == null ? -1 : receiver.port();
  }

  /** Not started yet, nor failed to: the verdicts wait for it rather than say it is down. */
  boolean starting() {
    return running.get() == null && failure == null;
  }

  /** Why the receiver does not run (it could not listen), or null. */
  String failure() {
    return running.get() != null ? null : failure;
  }

  /** Starts listening (once) and marks this pod as the one the receiver Service routes to. */
  synchronized void start() {
    if (running.get() != null) {
      return;
    }
    try {
      running.set(TestReceiver.start(config.settings(), sessions));
      label(true);
    } catch (IOException e) {
      failure = "the test receiver cannot listen on " + config.settings().listen() + ": " + e;
      log.error(failure);
    }
  }

  private void label(boolean active) {
    PodRef pod = config.pod();
    if (pod == null) {
      return;
    }
    try {
      String patch =
          "{\"metadata\":{\"labels\":{\""
              + ACTIVE_LABEL
              + "\":"
              + (active ? "\"true\"" : "null")
              + "}}}";
      client
          .pods()
          .inNamespace(pod.namespace())
          .withName(pod.name())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      log.warn(
          "could not {} the label {} on pod {}: {} (the receiver Service routes by it)",
          active ? "set" : "remove",
          ACTIVE_LABEL,
          pod.name(),
          e.getMessage());
    }
  }

  @Override
  public void close() {
    TestReceiver receiver = running.getAndSet(null);
    if (receiver != null) {
      receiver.close();
    }
  }
}
