package io.mailtls.cli;

import io.mailtls.api.MailSenderPolicy;
import io.mailtls.http.AdminServer;
import io.mailtls.http.HealthServer;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.policy.SenderPolicyCheck;
import io.mailtls.receiver.ReceiverSettings;
import io.mailtls.receiver.SessionLog;
import io.mailtls.receiver.SessionOutcome;
import io.mailtls.receiver.TestReceiver;
import io.mailtls.schema.PolicySchema;
import io.mailtls.sender.KnownSenders;
import io.mailtls.standalone.PolicyFiles;
import io.mailtls.standalone.SenderPolicyRunner;
import io.mailtls.status.ReceivedSessions;
import io.mailtls.status.StatusRecorder;
import io.mailtls.status.VerdictChangeNotifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mailtls receive}: the test receiver without a cluster. Sending servers send a test message
 * to it; every session is logged and counted, MailSenderPolicy files (optional) are evaluated
 * against the sessions, and /metrics shows the verdicts.
 */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description =
        "Run the test receiver: record what TLS sending mail servers offer, evaluate"
            + " MailSenderPolicy files, serve /metrics (no cluster).")
public final class ReceiveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ServiceOptions service;

  @CommandLine.Mixin ReceiverOptions receiver;

  @Option(
      names = "--listen",
      defaultValue = "${env:MAILTLS_RECEIVER_LISTEN:-:2525}",
      description =
          "Where the receiver listens: ADDR:PORT, [IPv6]:PORT or :PORT for all addresses"
              + " (default: ${DEFAULT-VALUE}). Sending servers route test mail here.")
  String listen;

  @Option(
      names = "--policies",
      description = "Directory of MailSenderPolicy YAML files (*.yaml, *.yml) to evaluate.")
  Path policies;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    service.applyLogging();
    CommandLine commandLine = spec.commandLine();
    ReceiverSettings settings =
        receiver.settings(
            commandLine, ReceiverOptions.listenAddress(commandLine, "--listen", listen));
    List<MailSenderPolicy> loaded = List.of();
    if (policies != null) {
      if (!Files.isDirectory(policies)) {
        throw new CommandLine.ParameterException(
            commandLine, "--policies " + policies + " is not a directory");
      }
      PolicyFiles.Loaded<MailSenderPolicy> files =
          PolicyFiles.load(policies, PolicySchema.forSenderPolicies(), MailSenderPolicy.class);
      files
          .errors()
          .forEach(
              e ->
                  LoggerFactory.getLogger(ReceiveCommand.class)
                      .error("invalid sender policy, skipped: {}", e));
      loaded = files.policies();
    }
    MailTlsMetrics metrics = MailTlsMetrics.withJvmMetrics();
    SessionLog sessions = new SessionLog(settings.limits());
    KnownSenders known = new KnownSenders();
    ReceivedSessions.wire(sessions, known, metrics);
    try (TestReceiver running = TestReceiver.start(settings, sessions);
        SenderPolicyRunner runner =
            new SenderPolicyRunner(
                loaded,
                new SenderPolicyCheck(
                    sessions, known, listen + " (" + settings.mode() + ")", Clock.systemUTC()),
                new StatusRecorder(metrics, VerdictChangeNotifier.NONE));
        AdminServer admin =
            AdminServer.start(service.admin(service.metricsPort))
                .metrics("/metrics", metrics.prometheusRegistry());
        HealthServer health =
            HealthServer.start(service.admin(service.healthPort)).check("/healthz", () -> true)) {
      metrics.receiverStarted();
      sessions.onRecord(
          session -> {
            if (session.outcome() != SessionOutcome.BUSY) {
              runner.evaluateSoon();
            }
          });
      runner.start();
      Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stopped::countDown));
      LoggerFactory.getLogger(ReceiveCommand.class)
          .atInfo()
          .addKeyValue("port", running.port())
          .addKeyValue("mode", settings.mode().label())
          .addKeyValue("senderPolicies", loaded.size())
          .addKeyValue("metricsPort", admin.port())
          .addKeyValue("healthPort", health.port())
          .log("mailtls receive started");
      stopped.await();
    }
    return 0;
  }
}
