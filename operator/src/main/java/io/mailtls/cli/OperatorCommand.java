package io.mailtls.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mailtls.http.AdminServer;
import io.mailtls.http.HealthServer;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.reconcile.MailTlsOperator;
import io.mailtls.reconcile.ReceiverRuntime;
import io.mailtls.reconcile.Shard;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailtls operator}: reconciles MailEndpointPolicy resources in a cluster. Every option can
 * also come from an environment variable (MAILTLS_…), which is how the Helm chart sets them.
 */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = "Run the Kubernetes operator (uses the in-cluster or kubeconfig credentials).")
public final class OperatorCommand implements Callable<Integer> {
  /**
   * Asked for when first used: logging starts up in a few hundred milliseconds, which a command
   * that never logs (scan, --version) should not pay.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(OperatorCommand.class);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ServiceOptions service;

  @CommandLine.Mixin ConcurrencyOption concurrency;

  @CommandLine.Mixin ReceiverOptions receiver;

  @Option(
      names = "--receiver-listen",
      defaultValue = "${env:MAILTLS_RECEIVER_LISTEN:-}",
      description =
          "Run the test receiver for MailSenderPolicies on ADDR:PORT or :PORT (in the leader of"
              + " shard 0). Empty: no receiver (default).")
  String receiverListen;

  @CommandLine.Mixin ProbeOptions probeOptions;

  @Option(
      names = "--namespaces",
      defaultValue = "${env:MAILTLS_NAMESPACES:-}",
      description =
          "Comma-separated namespaces to watch; empty watches all (env MAILTLS_NAMESPACES).")
  String namespaces;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "${env:MAILTLS_LEADER_ELECTION:-true}",
      fallbackValue = "true",
      description = "Elect one active replica through a Lease (default: ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(
      names = "--lease-name",
      defaultValue = "${env:MAILTLS_LEASE_NAME:-mailtls-operator}",
      description = "Name of the leader-election Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:POD_NAMESPACE:-}",
      description =
          "Namespace of the Lease (env POD_NAMESPACE; default: the kubeconfig's namespace).")
  String leaseNamespace;

  @Option(
      names = "--identity",
      defaultValue = "${env:POD_NAME:-}",
      description =
          "This replica's name in the Lease and Events (env POD_NAME; default: host name).")
  String identity;

  @Option(
      names = "--lease-duration",
      defaultValue = "${env:MAILTLS_LEASE_DURATION:-15s}",
      converter = Converters.DurationConverter.class,
      description =
          "How long the Lease holds without renewal; a standby takes over this long after the"
              + " leader stops (default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(
      names = "--lease-renew-deadline",
      defaultValue = "${env:MAILTLS_LEASE_RENEW_DEADLINE:-10s}",
      converter = Converters.DurationConverter.class,
      description =
          "How long the leader keeps trying to renew the Lease before it gives up; shorter than"
              + " --lease-duration (default: ${DEFAULT-VALUE}).")
  Duration leaseRenewDeadline;

  @Option(
      names = "--shutdown-timeout",
      defaultValue = "${env:MAILTLS_SHUTDOWN_TIMEOUT:-30s}",
      converter = Converters.DurationConverter.class,
      description =
          "How long a stop waits for probe rounds in flight before abandoning them (default: ${DEFAULT-VALUE}).")
  Duration shutdownTimeout;

  @Option(
      names = "--total-shards",
      defaultValue = "${env:MAILTLS_TOTAL_SHARDS:-1}",
      description =
          "How many shards the policies are split into, each probed by its own replicas (default:"
              + " ${DEFAULT-VALUE}, no split).")
  int totalShards;

  @Option(
      names = "--shard",
      defaultValue = "${env:MAILTLS_SHARD:-0}",
      description =
          "This replica's shard, 0 to --total-shards - 1, or 'ordinal': the number at the end of"
              + " the pod name (a StatefulSet's ordinal) modulo --total-shards (default:"
              + " ${DEFAULT-VALUE}).")
  String shard;

  @Override
  public Integer call() throws Exception {
    service.applyLogging();
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      MailTlsOperator.Config config = config(client);
      CountDownLatch stopped = new CountDownLatch(1);
      MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
      try (MailTlsOperator operator =
              MailTlsOperator.start(client, config, metrics, receiverConfig());
          HealthServer admin =
              HealthServer.start(service.admin(service.healthPort))
                  .check("/healthz", operator::isLive)
                  .check("/readyz", operator::isReady);
          AdminServer metricsServer =
              AdminServer.start(service.admin(service.metricsPort))
                  .metrics("/metrics", metrics.prometheusRegistry())) {
        Runtime.getRuntime()
            .addShutdownHook(Thread.ofPlatform().unstarted(() -> shutdown(operator, stopped)));
        log()
            .atInfo()
            .addKeyValue("namespaces", config.namespaces().isEmpty() ? "all" : config.namespaces())
            .addKeyValue("leaderElection", config.leaderElection() != null)
            .addKeyValue("healthPort", admin.port())
            .addKeyValue("metricsPort", metricsServer.port())
            .log("mailtls operator started");
        stopped.await();
      }
    }
    return 0;
  }

  /** The test receiver's settings, or null without --receiver-listen. */
  private ReceiverRuntime.Config receiverConfig() throws IOException {
    if (receiverListen == null || receiverListen.isBlank()) {
      return null;
    }
    CommandLine commandLine = spec.commandLine();
    // Set by the chart: the receiver Service's EndpointSlice, and this pod's IP and namespace.
    String slice = System.getenv("MAILTLS_RECEIVER_ENDPOINTSLICE");
    String podIp = System.getenv("POD_IP");
    String namespace = System.getenv("POD_NAMESPACE");
    return new ReceiverRuntime.Config(
        receiver.settings(
            commandLine,
            ReceiverOptions.listenAddress(commandLine, "--receiver-listen", receiverListen)),
        slice != null && !slice.isBlank() && podIp != null && namespace != null
            ? new ReceiverRuntime.Route(namespace, slice, podIp)
            : null);
  }

  /** SIGTERM: stop taking work, give probe rounds in flight the shutdown timeout, then exit. */
  private static void shutdown(MailTlsOperator operator, CountDownLatch stopped) {
    log().info("stopping: waiting for probe rounds in flight");
    operator.close();
    stopped.countDown();
  }

  MailTlsOperator.Config config(KubernetesClient client) throws Exception {
    Set<String> watched =
        Arrays.stream(namespaces.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    String name = !identity.isBlank() ? identity : InetAddress.getLocalHost().getHostName();
    ProbeSettings probe =
        probeOptions.settings(ProbeSettings.defaults(), ProbeOptions.SERVICE_GUARD);
    return new MailTlsOperator.Config(
        watched,
        leaderElection(client),
        name,
        concurrency.concurrentPolicies,
        shutdownTimeout,
        probe,
        shard(name));
  }

  /** The shard from --shard, or from the pod name's ordinal ("mailtls-3" is shard 3 mod N). */
  Shard shard(String podName) {
    try {
      int index;
      if (shard.strip().equalsIgnoreCase("ordinal")) {
        Matcher ordinal = ORDINAL.matcher(podName);
        if (!ordinal.find()) {
          throw new IllegalArgumentException(
              "--shard ordinal: the pod name '" + podName + "' does not end in -NUMBER");
        }
        index = Math.floorMod(Integer.parseInt(ordinal.group(1)), Math.max(1, totalShards));
      } else if (shard.strip().matches("[0-9]{1,9}")) {
        index = Integer.parseInt(shard.strip());
      } else {
        throw new IllegalArgumentException("--shard '" + shard + "' is not a number or 'ordinal'");
      }
      return new Shard(index, totalShards);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static final Pattern ORDINAL = Pattern.compile("-([0-9]{1,9})$");

  private MailTlsOperator.LeaderElection leaderElection(KubernetesClient client) {
    if (!leaderElection) {
      return null;
    }
    String namespace = !leaseNamespace.isBlank() ? leaseNamespace : client.getNamespace();
    if (namespace == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "leader election needs --lease-namespace (or POD_NAMESPACE); or use --no-leader-election");
    }
    try {
      return new MailTlsOperator.LeaderElection(
          leaseName, namespace, leaseDuration, leaseRenewDeadline);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
