package io.mailtls.policy;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.compliance.EndpointAssessment;
import io.mailtls.dns.MailDomain;
import io.mailtls.dns.MxHost;
import io.mailtls.dns.MxLookup;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.ProbedEndpoint;
import io.mailtls.probe.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Probes every endpoint of a request through the engine at once (the engine's per-host limit bounds
 * the connections), then judges each. A mail domain is looked up first, every round, and stands for
 * its MX hosts. Knows nothing of where requests come from. Never throws for a broken endpoint or
 * domain: that is an outcome.
 */
public final class ProbeRound {
  private final EndpointProber prober;

  public ProbeRound(EndpointProber prober) {
    this.prober = prober;
  }

  /** An entry of the round: an endpoint to probe, or a domain's outcome that needs no probe. */
  private sealed interface Entry {
    record ToProbe(Target target, MxOrigin origin) implements Entry {}

    record Decided(EndpointOutcome outcome) implements Entry {}
  }

  public List<EndpointOutcome> run(PolicyRequest request) {
    List<Entry> entries = expand(request.targets(), request.timeout());
    List<Target> toProbe =
        entries.stream()
            .filter(Entry.ToProbe.class::isInstance)
            .map(e -> ((Entry.ToProbe) e).target())
            .toList();
    List<ProbedEndpoint> probed = prober.probeAll(toProbe, request.timeout());
    List<EndpointOutcome> outcomes = new ArrayList<>();
    int next = 0;
    for (Entry entry : entries) {
      switch (entry) {
        case Entry.Decided decided -> outcomes.add(decided.outcome());
        case Entry.ToProbe planned ->
            outcomes.add(judge(planned, probed.get(next++), request.compliance()));
      }
    }
    return outcomes;
  }

  private static EndpointOutcome judge(
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
                  java.util.concurrent.CompletableFuture.completedFuture(
                      List.of(new Entry.ToProbe(host.target(), null)));
              case PolicyTarget.Domain domain ->
                  lookups.submit(() -> mxHosts(domain.domain(), timeout));
            });
      }
      List<Entry> entries = new ArrayList<>();
      for (Future<List<Entry>> future : expanded) {
        entries.addAll(join(future));
      }
      return entries;
    }
  }

  private List<Entry> mxHosts(MailDomain domain, Duration timeout) {
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
              new Entry.ToProbe(
                  DomainOutcomes.mxTarget(domain, host.name()),
                  new MxOrigin(domain.name(), host.preference(), hosts.implicit())));
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

  private static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking up MX records", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("MX look-up failed unexpectedly", e.getCause());
    }
  }
}
