package io.mailtls.reconcile;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test receiver inside the operator. It runs only in the replica that reconciles the
 * MailSenderPolicies (the leader of shard 0): the sessions live in that process's memory, so a
 * sender must reach it and no other. The chart's receiver Service therefore has no selector; its
 * one EndpointSlice, which the chart creates empty, is pointed at this pod's IP when the leader
 * starts the receiver (a new leader points it at itself). RBAC: get and patch of that one
 * EndpointSlice by name, nothing else.
 */
public final class ReceiverRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReceiverRuntime.class);

  /**
   * @param route the EndpointSlice that routes the receiver Service to this pod; null outside a
   *     cluster (or without the chart)
   */
  public record Config(ReceiverSettings settings, Route route) {}

  /** The receiver Service's EndpointSlice and this pod's IP. */
  public record Route(String namespace, String endpointSlice, String podIp) {}

  private final KubernetesClient client;
  private final Config config;
  private final MailTlsMetrics metrics;
  private final SessionLog sessions;
  private final SenderPolicyCheck check;
  private final AtomicReference<TestReceiver> running = new AtomicReference<>();
  private volatile String failure;
  private volatile String routeProblem;

  ReceiverRuntime(KubernetesClient client, Config config, MailTlsMetrics metrics, Clock clock) {
    this.client = client;
    this.config = config;
    this.metrics = metrics;
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

  /** Why senders may not reach it although it runs (its Service could not be routed), or null. */
  String routeProblem() {
    return routeProblem;
  }

  /**
   * Starts listening and routes the receiver Service here; again after a failure (a reconcile calls
   * this, so a port that was busy is retried).
   */
  synchronized void start() {
    if (running.get() != null) {
      return;
    }
    try {
      running.set(TestReceiver.start(config.settings(), sessions));
      failure = null;
      metrics.receiverStarted();
      route();
    } catch (IOException | RuntimeException e) {
      failure = "the test receiver cannot listen on " + config.settings().listen() + ": " + e;
      log.error(failure);
    }
  }

  private void route() {
    Route route = config.route();
    if (route == null) {
      return;
    }
    try {
      client
          .discovery()
          .v1()
          .endpointSlices()
          .inNamespace(route.namespace())
          .withName(route.endpointSlice())
          .edit(
              slice -> {
                slice.setEndpoints(
                    List.of(
                        new EndpointBuilder()
                            .withAddresses(route.podIp())
                            .withNewConditions()
                            .withReady(true)
                            .endConditions()
                            .build()));
                return slice;
              });
      routeProblem = null;
      log.info("the receiver Service now routes to this pod ({})", route.podIp());
    } catch (KubernetesClientException e) {
      routeProblem =
          "senders may not reach it: the EndpointSlice "
              + route.endpointSlice()
              + " could not be pointed at this pod ("
              + e.getMessage()
              + ")";
      log.warn(routeProblem);
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
