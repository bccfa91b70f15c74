package io.mailtls.cli;

import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.http.AdminServer;
import io.mailtls.http.HealthServer;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.schema.PolicySchema;
import io.mailtls.standalone.PolicyFiles;
import io.mailtls.standalone.StandaloneRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailtls run --policies DIR}: the operator's job without a cluster. Reads
 * MailEndpointPolicy files, probes them on their intervals, serves /metrics and (on a port of its
 * own) /healthz, logs verdict changes.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Probe MailEndpointPolicy files on their intervals and serve /metrics (no cluster).")
public final class RunCommand implements Callable<Integer> {
  /**
   * Asked for when first used: logging starts up in a few hundred milliseconds, which a command
   * that never logs (scan, --version) should not pay.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(RunCommand.class);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ServiceOptions service;

  @CommandLine.Mixin ConcurrencyOption concurrency;

  @Option(
      names = "--policies",
      required = true,
      description = "Directory of MailEndpointPolicy YAML files (*.yaml, *.yml).")
  Path policies;

  @CommandLine.Mixin ProbeOptions probeOptions;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    service.applyLogging();
    ProbeSettings settings =
        probeOptions.settings(ProbeSettings.defaults(), ProbeOptions.SERVICE_GUARD);
    if (!Files.isDirectory(policies)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--policies " + policies + " is not a directory");
    }
    PolicyFiles.Loaded<MailEndpointPolicy> loaded =
        PolicyFiles.load(policies, PolicySchema.fromClasspath());
    loaded.errors().forEach(e -> log().error("invalid policy, skipped: {}", e));
    if (loaded.policies().isEmpty()) {
      spec.commandLine().getErr().println("mailtls: no valid policy in " + policies);
      return 2;
    }
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    try (StandaloneRunner runner =
            StandaloneRunner.create(
                settings, metrics, Clock.systemUTC(), concurrency.concurrentPolicies);
        AdminServer admin =
            AdminServer.start(service.admin(service.metricsPort))
                .metrics("/metrics", metrics.prometheusRegistry());
        HealthServer health =
            HealthServer.start(service.admin(service.healthPort))
                .check("/healthz", runner::isRunning)) {
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stopped::countDown));
      runner.start(loaded.policies());
      log()
          .atInfo()
          .addKeyValue("policies", loaded.policies().size())
          .addKeyValue("invalid", loaded.errors().size())
          .addKeyValue("metricsPort", admin.port())
          .addKeyValue("healthPort", health.port())
          .log("mailtls run started");
      stopped.await();
    }
    return 0;
  }
}
