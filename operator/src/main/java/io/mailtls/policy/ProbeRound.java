package io.mailtls.policy;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.EndpointAssessment;
import io.mailtls.dns.AddressText;
import io.mailtls.dns.MailDomain;
import io.mailtls.dns.MxHost;
import io.mailtls.dns.MxLookup;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.ProbeFutures;
import io.mailtls.probe.ProbedEndpoint;
import io.mailtls.probe.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Probes every endpoint of a request through the engine at once (the engine's per-host limit bounds
 * the connections), then judges each. A mail domain is looked up first, every round, and stands for
 * its MX hosts. Knows nothing of where requests come from. Never throws for a broken endpoint or
 * domain: that is an outcome.
 */
public final class ProbeRound {
  /** How a scan's deadline is named where an endpoint was abandoned at it. */
  static final String SCAN_DEADLINE = "the overall deadline (--deadline)";

  private final EndpointProber prober;

  public ProbeRound(EndpointProber prober) {
    this.prober = prober;
  }

  EndpointProber prober() {
    return prober;
  }

  /** An entry of the round: an endpoint to probe, or a domain's outcome that needs no probe. */
  sealed interface Entry {
    record ToProbe(Target target, MxOrigin origin) implements Entry {}

    record Decided(EndpointOutcome outcome) implements Entry {}
  }

  public List<EndpointOutcome> run(PolicyRequest request) {
    return run(request, outcome -> {}, null, SCAN_DEADLINE);
  }

  /**
   * As {@link #run(PolicyRequest)}, and hands each outcome to {@code finished} as soon as it is
   * known, one at a time. An endpoint still being probed at {@code deadline} (null: none) is
   * abandoned and becomes Unreachable with failure class DeadlineExceeded, saying that it was not
   * probed to the end before {@code deadlineName} (e.g. "the overall deadline (--deadline)").
   *
   * @return the outcomes in the order of the request's targets, as {@link #run(PolicyRequest)}
   */
  public List<EndpointOutcome> run(
      PolicyRequest request,
      Consumer<EndpointOutcome> finished,
      Instant deadline,
      String deadlineName) {
    List<Entry> entries = expand(request.targets(), request.timeout());
    Consumer<EndpointOutcome> oneAtATime =
        outcome -> {
          synchronized (finished) {
            finished.accept(outcome);
          }
        };
    List<EndpointOutcome> outcomes = new ArrayList<>();
    // Each entry is handed on once: by its probe, or by the deadline, whichever comes first.
    List<AtomicBoolean> handedOn = entries.stream().map(e -> new AtomicBoolean()).toList();
    ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<EndpointOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        AtomicBoolean once = handedOn.get(i);
        futures.add(
            switch (entries.get(i)) {
              case Entry.Decided decided -> {
                once.set(true);
                oneAtATime.accept(decided.outcome());
                yield CompletableFuture.completedFuture(decided.outcome());
              }
              case Entry.ToProbe planned ->
                  probes.submit(
                      () -> {
                        EndpointOutcome outcome =
                            judge(
                                planned,
                                prober.probe(planned.target(), request.timeout()),
                                request.compliance());
                        if (once.compareAndSet(false, true)) {
                          oneAtATime.accept(outcome);
                        }
                        return outcome;
                      });
            });
      }
      for (int i = 0; i < entries.size(); i++) {
        EndpointOutcome outcome = waitFor(futures.get(i), deadline);
        if (outcome == null && handedOn.get(i).compareAndSet(false, true)) {
          // Before the interrupt, which ends the waits for slots that the outcome names.
          outcome =
              pastDeadline((Entry.ToProbe) entries.get(i), request.compliance(), deadlineName);
          futures.get(i).cancel(true);
          oneAtATime.accept(outcome);
        } else if (outcome == null) {
          outcome =
              ProbeFutures.join(futures.get(i)); // it finished as the deadline passed: handed on
        }
        outcomes.add(outcome);
      }
    } finally {
      if (deadline == null) {
        probes.close();
      } else {
        // Interrupt what was abandoned and do not wait for it: a DNS look-up does not answer an
        // interrupt, and the caller's deadline (a scrape's timeout) is now. Each abandoned probe
        // still ends by its own timeout.
        probes.shutdownNow();
      }
    }
    return outcomes;
  }

  /**
   * The outcomes of a request none of whose targets could be probed before {@code deadlineName}
   * (another caller's probe of them still runs): each Unreachable with failure class
   * DeadlineExceeded; a mail domain as its own entry, since its MX hosts are not known.
   */
  public List<EndpointOutcome> notProbedBefore(PolicyRequest request, String deadlineName) {
    return request.targets().stream()
        .map(
            target ->
                switch (target) {
                  case PolicyTarget.Host host -> new Entry.ToProbe(host.target(), null);
                  case PolicyTarget.Domain domain ->
                      new Entry.ToProbe(
                          DomainOutcomes.mxTarget(domain.domain(), domain.domain().name()),
                          new MxOrigin(domain.domain().name(), null));
                })
        .map(entry -> pastDeadline(entry, request.compliance(), deadlineName))
        .toList();
  }

  /** The outcome, or null when the deadline passed first. */
  private static EndpointOutcome waitFor(Future<EndpointOutcome> future, Instant deadline) {
    if (deadline == null) {
      return ProbeFutures.join(future);
    }
    try {
      long millis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      return future.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("probe failed unexpectedly", e.getCause());
    }
  }

  /**
   * An endpoint abandoned at {@code deadlineName}; when some of its connections still waited for a
   * slot of their host, the failure says so.
   */
  EndpointOutcome pastDeadline(
      Entry.ToProbe planned, CompliancePolicy policy, String deadlineName) {
    EndpointResult result =
        EndpointResult.notProbed(
            planned.target(),
            prober.settings().versions(),
            Failure.of(
                FailureKind.DEADLINE_EXCEEDED,
                "not probed to the end before "
                    + deadlineName
                    + prober.hostSlotWait(planned.target()).map(wait -> ": " + wait).orElse("")),
            Instant.now());
    return new EndpointOutcome(
        planned.target(),
        planned.origin(),
        result,
        ComplianceEvaluator.assess(result, policy),
        List.of());
  }

  static EndpointOutcome judge(
      Entry.ToProbe planned, ProbedEndpoint probed, CompliancePolicy policy) {
    EndpointAssessment judged = ComplianceEvaluator.assess(probed, policy);
    return new EndpointOutcome(
        planned.target(),
        planned.origin(),
        judged.deciding().result(),
        judged.assessment(),
        judged.addresses().size() > 1 ? judged.addresses() : List.of());
  }

  /** Every target as the entries it stands for; the MX look-ups of the domains run at once. */
  private List<Entry> expand(List<PolicyTarget> targets, Duration timeout) {
    try (ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Entry>>> expanded = new ArrayList<>();
      for (PolicyTarget target : targets) {
        expanded.add(
            switch (target) {
              case PolicyTarget.Host host ->
                  CompletableFuture.completedFuture(
                      List.of(new Entry.ToProbe(host.target(), null)));
              case PolicyTarget.Domain domain ->
                  lookups.submit(() -> mxHosts(domain.domain(), timeout));
            });
      }
      List<Entry> entries = new ArrayList<>();
      for (Future<List<Entry>> future : expanded) {
        entries.addAll(ProbeFutures.join(future));
      }
      return entries;
    }
  }

  List<Entry> mxHosts(MailDomain domain, Duration timeout) {
    MxLookup lookup = prober.settings().dns().mx(domain.name(), timeout);
    return switch (lookup) {
      case MxLookup.NullMx nullMx -> List.of(new Entry.Decided(DomainOutcomes.nullMx(domain)));
      case MxLookup.Failed failed ->
          List.of(
              new Entry.Decided(
                  DomainOutcomes.lookupFailed(
                      domain, failed.problem(), prober.settings().versions())));
      case MxLookup.Hosts hosts -> {
        List<Entry> entries = new ArrayList<>();
        for (MxHost host : hosts.hosts()) {
          entries.add(
              AddressText.isLiteral(host.name())
                  ? new Entry.Decided(
                      DomainOutcomes.mxTargetIsAddress(domain, host.name(), host.preference()))
                  : new Entry.ToProbe(
                      DomainOutcomes.mxTarget(domain, host.name()),
                      new MxOrigin(domain.name(), host.preference())));
        }
        if (hosts.found() > hosts.hosts().size()) {
          entries.add(
              new Entry.Decided(
                  DomainOutcomes.tooManyMxHosts(
                      domain, hosts.found(), prober.settings().versions())));
        }
        yield entries;
      }
    };
  }
}
