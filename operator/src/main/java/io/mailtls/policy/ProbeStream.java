package io.mailtls.policy;

import io.mailtls.compliance.ComplianceEvaluator;
import io.mailtls.compliance.CompliancePolicy;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A probe round whose targets stream in, for {@code mailtls scan}: each target is looked up and
 * probed as soon as it is handed in, with at most {@code inFlight} targets under way (the caller
 * waits for a place), and each outcome is handed on as soon as it is known, one at a time, with the
 * number of its target and its place among the target's entries (their order in {@link
 * ProbeRound#run}). Nothing of a target is kept once its outcomes are handed on, so memory is
 * bounded by {@code inFlight}, not by the number of targets.
 *
 * <p>An overall deadline ends it whatever the targets' source does: a target not started by then,
 * and everything under way then, is handed on as Unreachable (DeadlineExceeded), and what was under
 * way is abandoned (its threads interrupted, not waited for).
 */
public final class ProbeStream {
  /** Receives the outcomes; calls come one at a time. */
  public interface Listener {
    void finished(long target, int entry, EndpointOutcome outcome);
  }

  private final ProbeRound round;
  private final CompliancePolicy compliance;
  private final Duration timeout;
  private final Instant deadline;
  private final int inFlight;
  private final Semaphore places;
  private final Listener listener;
  private final Object handingOn = new Object();
  private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<Long, UnderWay> underWay = new ConcurrentHashMap<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  /** A target under way; its fields are guarded by itself. */
  private static final class UnderWay {
    final long number;
    final PolicyTarget target;
    List<ProbeRound.Entry> entries; // null until its MX hosts are looked up
    boolean[] handedOn;
    int left;
    boolean closed;

    UnderWay(long number, PolicyTarget target) {
      this.number = number;
      this.target = target;
    }
  }

  /**
   * @param deadline when the whole stream ends; null for none
   * @param inFlight how many targets may be under way at once
   */
  public ProbeStream(
      ProbeRound round,
      CompliancePolicy compliance,
      Duration timeout,
      Instant deadline,
      int inFlight,
      Listener listener) {
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight " + inFlight + " is not positive");
    }
    this.round = round;
    this.compliance = compliance;
    this.timeout = timeout;
    this.deadline = deadline;
    this.inFlight = inFlight;
    this.places = new Semaphore(inFlight);
    this.listener = listener;
  }

  /** Whether the overall deadline has passed. */
  public boolean pastDeadline() {
    return deadline != null && !Instant.now().isBefore(deadline);
  }

  /**
   * Starts probing target {@code number} once fewer than {@code inFlight} targets are under way.
   * When the deadline passes first, hands it on as not started and returns false.
   */
  public boolean probe(long number, PolicyTarget target) throws InterruptedException {
    rethrowFailure();
    if (!takePlace()) {
      notStarted(number, target);
      return false;
    }
    UnderWay started = new UnderWay(number, target);
    underWay.put(number, started);
    probes.execute(() -> run(started));
    return true;
  }

  /** Hands target {@code number} on as Unreachable: the deadline passed before it was started. */
  public void notStarted(long number, PolicyTarget target) {
    hand(number, 0, unprobed(target, "not started before the overall deadline (--deadline)"));
    rethrowFailure();
  }

  /**
   * Waits until every target handed in has been handed on, or until the deadline: then what is
   * under way is handed on as Unreachable (DeadlineExceeded) and abandoned.
   */
  public void finish() throws InterruptedException {
    if (deadline == null) {
      places.acquire(inFlight);
    } else if (!places.tryAcquire(inFlight, millisUntil(deadline), TimeUnit.MILLISECONDS)) {
      abandonAll();
    }
    probes.shutdownNow(); // interrupts what was abandoned; returns at once
    rethrowFailure();
  }

  private boolean takePlace() throws InterruptedException {
    if (deadline == null) {
      places.acquire();
      return true;
    }
    return !pastDeadline() && places.tryAcquire(millisUntil(deadline), TimeUnit.MILLISECONDS);
  }

  private void run(UnderWay target) {
    try {
      List<ProbeRound.Entry> entries =
          switch (target.target) {
            case PolicyTarget.Host host ->
                List.of(new ProbeRound.Entry.ToProbe(host.target(), null));
            case PolicyTarget.Domain domain -> round.mxHosts(domain.domain(), timeout);
          };
      synchronized (target) {
        if (target.closed) {
          return;
        }
        target.entries = entries;
        target.handedOn = new boolean[entries.size()];
        target.left = entries.size();
      }
      for (int i = 0; i < entries.size(); i++) {
        int index = i;
        switch (entries.get(i)) {
          case ProbeRound.Entry.Decided decided -> handOn(target, index, decided.outcome());
          case ProbeRound.Entry.ToProbe planned -> {
            if (entries.size() == 1) {
              handOn(target, index, probe(planned));
            } else {
              probes.execute(
                  () -> {
                    try {
                      handOn(target, index, probe(planned));
                    } catch (RuntimeException | Error e) {
                      abandonedOr(target, e);
                    }
                  });
            }
          }
        }
      }
    } catch (RuntimeException | Error e) {
      abandonedOr(target, e);
    }
  }

  private EndpointOutcome probe(ProbeRound.Entry.ToProbe planned) {
    return ProbeRound.judge(planned, round.prober().probe(planned.target(), timeout), compliance);
  }

  /** A probe that threw: expected of one the deadline abandoned, else a bug that ends the scan. */
  private void abandonedOr(UnderWay target, Throwable e) {
    synchronized (target) {
      if (target.closed) {
        return;
      }
      target.closed = true;
    }
    failure.compareAndSet(
        null,
        e instanceof RuntimeException unchecked
            ? unchecked
            : new IllegalStateException("probing " + target.target + " failed unexpectedly", e));
    release(target);
  }

  private void handOn(UnderWay target, int index, EndpointOutcome outcome) {
    boolean last;
    synchronized (target) {
      if (target.closed || target.handedOn[index]) {
        return;
      }
      target.handedOn[index] = true;
      last = --target.left == 0;
      if (last) {
        target.closed = true;
      }
      hand(target.number, index, outcome);
    }
    if (last) {
      release(target);
    }
  }

  private void release(UnderWay target) {
    underWay.remove(target.number);
    places.release();
  }

  /** At the deadline: every outcome not yet handed on is, as not probed to the end. */
  private void abandonAll() {
    for (UnderWay target : List.copyOf(underWay.values())) {
      synchronized (target) {
        if (target.closed) {
          continue;
        }
        target.closed = true;
        if (target.entries == null) {
          hand(
              target.number,
              0,
              switch (target.target) {
                case PolicyTarget.Host host ->
                    round.pastDeadline(
                        new ProbeRound.Entry.ToProbe(host.target(), null),
                        compliance,
                        ProbeRound.SCAN_DEADLINE);
                case PolicyTarget.Domain domain ->
                    unprobed(
                        domain,
                        "its MX hosts were not looked up before the overall deadline (--deadline)");
              });
          continue;
        }
        for (int i = 0; i < target.entries.size(); i++) {
          if (!target.handedOn[i]) {
            target.handedOn[i] = true;
            hand(
                target.number,
                i,
                switch (target.entries.get(i)) {
                  case ProbeRound.Entry.Decided decided -> decided.outcome();
                  case ProbeRound.Entry.ToProbe planned ->
                      round.pastDeadline(planned, compliance, ProbeRound.SCAN_DEADLINE);
                });
          }
        }
      }
    }
  }

  /** A target that was not probed at all: a host as itself, a domain as its own entry. */
  private EndpointOutcome unprobed(PolicyTarget target, String why) {
    Target probed;
    MxOrigin origin;
    switch (target) {
      case PolicyTarget.Host host -> {
        probed = host.target();
        origin = null;
      }
      case PolicyTarget.Domain domain -> {
        probed = DomainOutcomes.mxTarget(domain.domain(), domain.domain().name());
        origin = new MxOrigin(domain.domain().name(), null);
      }
    }
    EndpointResult result =
        EndpointResult.notProbed(
            probed,
            round.prober().settings().versions(),
            Failure.of(FailureKind.DEADLINE_EXCEEDED, why),
            Instant.now());
    return new EndpointOutcome(
        probed, origin, result, ComplianceEvaluator.assess(result, compliance), List.of());
  }

  /** One outcome to the listener; what the listener throws ends the stream at the next step. */
  private void hand(long number, int index, EndpointOutcome outcome) {
    synchronized (handingOn) {
      if (failure.get() != null) {
        return;
      }
      try {
        listener.finished(number, index, outcome);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    }
  }

  private void rethrowFailure() {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  private static long millisUntil(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}
