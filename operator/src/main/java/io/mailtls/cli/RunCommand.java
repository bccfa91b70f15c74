package io.mailtls.cli;

import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.exporter.InvalidProbeConfigException;
import io.mailtls.exporter.ProbeExporter;
import io.mailtls.http.AdminServer;
import io.mailtls.http.HealthServer;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.schema.PolicySchema;
import io.mailtls.standalone.PolicyFiles;
import io.mailtls.standalone.StandaloneRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
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
 * own) /healthz, logs verdict changes. With {@code --exporter} or {@code --probe-config}, also the
 * multi-target exporter's /probe on the metrics port, through the same engine and connection
 * limits; then policies are optional.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Probe MailEndpointPolicy files on their intervals and serve /metrics (no cluster); with"
            + " --exporter or --probe-config, also /probe?target=…&module=… for Prometheus.")
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
      description =
          "Directory of MailEndpointPolicy YAML files (*.yaml, *.yml); optional with /probe.")
  Path policies;

  @CommandLine.Mixin ExporterOptions exporterOptions;

  @CommandLine.Mixin ProbeOptions probeOptions;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    service.applyLogging();
    ProbeSettings settings =
        probeOptions.settings(ProbeSettings.defaults(), ProbeOptions.SERVICE_GUARD);
    if (policies == null && !exporterOptions.enabled()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "nothing to do: give --policies DIR, or --exporter or --probe-config FILE for /probe");
    }
    List<MailEndpointPolicy> toProbe = List.of();
    int invalid = 0;
    if (policies != null) {
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
      toProbe = loaded.policies();
      invalid = loaded.errors().size();
    }
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    // One engine: the policies' rounds and /probe's modules share its per-host and total limits.
    EndpointProber prober = new EndpointProber(settings);
    ProbeExporter exporter = null;
    if (exporterOptions.enabled()) {
      try {
        exporter = exporterOptions.start(prober, metrics);
      } catch (InvalidProbeConfigException e) {
        for (String problem : e.problems()) {
          spec.commandLine()
              .getErr()
              .println(
                  "mailtls run: --probe-config " + exporterOptions.configFile() + ": " + problem);
        }
        return 2;
      }
    }
    try (StandaloneRunner runner =
            StandaloneRunner.create(
                prober, metrics, Clock.systemUTC(), concurrency.concurrentPolicies);
        AdminServer admin =
            AdminServer.start(service.admin(service.metricsPort))
                .metrics("/metrics", metrics.prometheusRegistry());
        HealthServer health =
            HealthServer.start(service.admin(service.healthPort))
                .check("/healthz", runner::isRunning)) {
      if (exporter != null) {
        admin.computed("/probe", exporter::answer);
        ProbeExporter reloading = exporter;
        // SIGHUP is what Prometheus components reload on: without a config file it reloads
        // nothing (and says so) rather than end the process.
        HangupSignal.onHangup(reloading::reload);
        if (exporterOptions.configFile() != null) {
          admin.post("/-/reload", reloading::reload);
        }
      }
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stopped::countDown));
      runner.start(toProbe);
      log()
          .atInfo()
          .addKeyValue("policies", toProbe.size())
          .addKeyValue("invalid", invalid)
          .addKeyValue("metricsPort", admin.port())
          .addKeyValue("healthPort", health.port())
          .addKeyValue("probeModules", exporter == null ? List.of() : exporter.moduleNames())
          .log("mailtls run started");
      stopped.await();
    }
    return 0;
  }
}
