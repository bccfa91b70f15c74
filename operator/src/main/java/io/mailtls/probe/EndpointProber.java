package io.mailtls.probe;

import io.mailtls.dns.AddressLookup;
import io.mailtls.dns.AddressText;
import io.mailtls.dns.MailDns;
import io.mailtls.text.ServerText;
import io.mailtls.tls.TlsVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's entry point: which protocol versions does an endpoint accept? Each version is tested
 * on its own connection; the versions of one endpoint run at once, bounded per host. Every outcome,
 * however broken the server, is a classified {@link EndpointResult}.
 */
public final class EndpointProber {
  /**
   * Asked for when first used: logging starts up in a few hundred milliseconds, which a command
   * that never logs (scan, --version) should not pay.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(EndpointProber.class);
  }

  private final ProbeSettings settings;
  private final VersionProber versionProber;
  private final HostConnectionLimiter limiter;
  private final CertificateInspector certificates;
  private final ProbeProgress progress;

  /**
   * The target each destination under way is probed for, and how many of each target's connections
   * wait for a slot of their host right now: what an overall deadline that abandons a probe names.
   * By identity: a scan may hold the same target twice.
   */
  private final Map<VersionProber.Destination, Target> probing =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private final Map<Target, Integer> waitingForHost =
      Collections.synchronizedMap(new IdentityHashMap<>());

  public EndpointProber(ProbeSettings settings) {
    this(
        settings,
        new HostConnectionLimiter(settings.maxConnectionsPerHost(), settings.maxConnections()),
        new ProbeProgress());
  }

  private EndpointProber(
      ProbeSettings settings, HostConnectionLimiter limiter, ProbeProgress progress) {
    this.settings = settings;
    this.versionProber = new VersionProber(settings.ehloName());
    this.limiter = limiter;
    this.certificates = CertificateInspector.trusting(settings.caFile());
    this.progress = progress;
  }

  /**
   * An engine that probes with {@code other}'s EHLO name, CA file, guard, DNS server and timeout,
   * but shares this one's connection limits (per host and in total) and its probes in flight: the
   * exporter's modules and the policies then count against the same politeness limits, and a stuck
   * probe of either fails the same liveness check. Its own connection limits are ignored.
   */
  public EndpointProber sharingLimits(ProbeSettings other) {
    return new EndpointProber(other, limiter, progress);
  }

  public ProbeSettings settings() {
    return settings;
  }

  /** Hosts the connection limiter tracks right now: none once every probe has finished. */
  int trackedHosts() {
    return limiter.trackedHosts();
  }

  /**
   * Probes several endpoints at once, each connection bounded by {@code timeout}; results come back
   * in the order of {@code targets}.
   */
  public List<ProbedEndpoint> probeAll(List<Target> targets, Duration timeout) {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ProbedEndpoint>> futures =
          targets.stream().map(t -> executor.submit(() -> probe(t, timeout))).toList();
      return futures.stream().map(ProbeFutures::join).toList();
    }
  }

  /** Probes with the settings' timeout; see {@link #probe(Target, Duration)}. */
  public ProbedEndpoint probe(Endpoint endpoint, String serverName) {
    return probe(new Target(endpoint, serverName), settings.timeout());
  }

  /**
   * Resolves the endpoint's host to every address (A and AAAA, at most {@link
   * MailDns#MAX_ADDRESSES}) and probes each address at once, each under the connection guard. A
   * host that does not resolve gives one result without an address.
   *
   * @param timeout the deadline of the look-up, and of one connection, counted from when it may
   *     start
   */
  public ProbedEndpoint probe(Target target, Duration timeout) {
    Instant probedAt = Instant.now();
    long start = System.nanoTime();
    AddressLookup lookup = settings.dns().addresses(target.endpoint().host(), timeout);
    if (lookup instanceof AddressLookup.Failed failed) {
      return new ProbedEndpoint(
          target,
          List.of(
              EndpointSummary.notConnected(
                  target,
                  null,
                  settings.versions(),
                  Failure.of(FailureKind.of(failed.problem().kind()), failed.problem().detail()),
                  probedAt,
                  millisSince(start))),
          null);
    }
    AddressLookup.Found found = (AddressLookup.Found) lookup;
    if (found.addresses().size() == 1) {
      return new ProbedEndpoint(
          target,
          List.of(probeAt(target, found.addresses().getFirst(), timeout)),
          found.incomplete());
    }
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<EndpointResult>> perAddress =
          found.addresses().stream()
              .map(address -> executor.submit(() -> probeAt(target, address, timeout)))
              .toList();
      return new ProbedEndpoint(
          target, perAddress.stream().map(ProbeFutures::join).toList(), found.incomplete());
    }
  }

  /**
   * Observes the endpoint at one address (guard, one connection per version, the certificate
   * chain), then summarises what was observed.
   */
  private EndpointResult probeAt(Target target, InetAddress address, Duration timeout) {
    Instant probedAt = Instant.now();
    long start = System.nanoTime();
    long id = progress.started(latestEnd(probedAt, timeout, settings.versions().size()));
    try {
      return observeAndSummarise(target, address, timeout, probedAt, start);
    } catch (RuntimeException bug) {
      if (Thread.currentThread().isInterrupted()) {
        throw bug; // the round is being abandoned (shutdown): no result at all, not a false one
      }
      // Whatever went wrong is this endpoint's result, never the round's: an exception here would
      // stop the round and, in the operator, make JOSDK probe every endpoint again.
      log()
          .warn(
              "probing {} at {} failed unexpectedly: {}",
              target.endpoint(),
              AddressText.of(address),
              ServerText.clean(bug.toString()));
      log().debug("the stack of that failure", bug);
      return EndpointSummary.notConnected(
          target,
          AddressText.of(address),
          settings.versions(),
          Failure.of(FailureKind.PROBE_ERROR, bug.toString()),
          probedAt,
          millisSince(start));
    } finally {
      progress.finished(id);
    }
  }

  /**
   * The latest a probe can end however the limits queue it, for liveness: as if each of its steps
   * (every version, the chain fetch, every retry, the fetch after the retries) ran one after the
   * other, each after the longest wait for a slot of the total. Loose on purpose: a probe that a
   * busy operator keeps waiting must never get the pod restarted.
   */
  static Instant latestEnd(Instant start, Duration timeout, int versions) {
    long steps = versions + 2L + (long) RETRY_PASSES * versions;
    return start
        .plus(timeout.plus(HostConnectionLimiter.TOTAL_WAIT_LIMIT).multipliedBy(steps))
        .plus(RETRY_PAUSE.multipliedBy(RETRY_PASSES * (RETRY_PASSES + 1) / 2))
        .plus(SERIAL_GAP.multipliedBy((long) RETRY_PASSES * versions));
  }

  /**
   * When connections of this probe of {@code target} (the same object) wait for a slot of their
   * host right now: how many, and the limit; else empty.
   */
  public Optional<String> hostSlotWait(Target target) {
    int waiting = waitingForHost.getOrDefault(target, 0);
    return waiting == 0
        ? Optional.empty()
        : Optional.of(
            waiting
                + (waiting == 1 ? " of its connections was" : " of its connections were")
                + " still waiting for a slot of its host (--max-connections-per-host "
                + limiter.permitsPerHost()
                + ")");
  }

  /** The probes in flight, for liveness. */
  public ProbeProgress progress() {
    return progress;
  }

  private EndpointResult observeAndSummarise(
      Target target, InetAddress address, Duration timeout, Instant probedAt, long start) {
    // Each connection gets the full timeout from the moment it holds a connection slot, so waiting
    // for a slot (per-host limit, other endpoints on the same host) never eats into a handshake.
    // The endpoint as a whole is bounded by the worst case of probing its versions one by one.
    Instant deadline = probedAt.plus(timeout.multipliedBy(settings.versions().size()));
    Endpoint endpoint = target.endpoint();
    // The guard judges the resolved address, and that same address is connected to below.
    Optional<String> refusal = settings.guard().refusal(address, endpoint.port());
    if (refusal.isPresent()) {
      return EndpointSummary.notConnected(
          target,
          AddressText.of(address),
          settings.versions(),
          Failure.of(FailureKind.FORBIDDEN, refusal.get()),
          probedAt,
          millisSince(start));
    }

    VersionProber.Destination destination =
        new VersionProber.Destination(
            endpoint, new InetSocketAddress(address, endpoint.port()), target.nameToPresent());
    Observation observed;
    probing.put(destination, target);
    try {
      observed = observe(destination, deadline, timeout);
    } finally {
      probing.remove(destination);
    }
    return EndpointSummary.of(
        destination,
        observed.attempts(),
        certificate(destination, observed.chain()),
        probedAt,
        millisSince(start));
  }

  /**
   * What the connections to one address found: one attempt per version, and the certificate chain
   * (empty when none was seen).
   */
  private record Observation(List<VersionProber.Attempt> attempts, List<X509Certificate> chain) {}

  /**
   * The version probes, and beside them the explicit step that fetches a TLS 1.3 chain (encrypted
   * in the handshake, so only a full handshake shows it). That step starts as soon as the TLS 1.3
   * probe has been accepted and the TLS 1.2 probe showed no cleartext chain, while the older
   * versions may still be probed; so a TLS 1.3-only endpoint does not pay for it at the end, and no
   * endpoint gets a connection it did not get before. An implicit-TLS endpoint's TLS 1.3 (and its
   * TLS 1.2 when 1.3 did not complete) is tested by a handshake that completes, which shows the
   * chain and the greeting on the same connection.
   */
  private Observation observe(
      VersionProber.Destination destination, Instant deadline, Duration timeout) {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      boolean implicit = !destination.endpoint().protocol().usesStartTls();
      // An implicit-TLS endpoint greets after the handshake: its TLS 1.3 is tested by a handshake
      // that completes and reads the greeting, and its TLS 1.2 too when TLS 1.3 did not complete.
      // One completed handshake per endpoint, on a connection that tests a version anyway.
      Future<VersionProber.Attempt> greetingAt13 =
          implicit && settings.versions().contains(TlsVersion.TLS_1_3)
              ? executor.submit(
                  () -> probeImplicit(destination, TlsVersion.TLS_1_3, deadline, timeout))
              : null;
      Map<TlsVersion, Future<VersionProber.Attempt>> versions = new EnumMap<>(TlsVersion.class);
      for (TlsVersion version : settings.versions()) {
        if (greetingAt13 != null && version == TlsVersion.TLS_1_3) {
          versions.put(version, greetingAt13);
          continue;
        }
        boolean greetingAt12 = implicit && version == TlsVersion.TLS_1_2;
        versions.put(
            version,
            executor.submit(
                () ->
                    greetingAt12 && handshakeWorthTrying(greetingAt13)
                        ? probeImplicit(destination, version, deadline, timeout)
                        : probeVersion(destination, version, deadline, timeout)));
      }
      Future<List<X509Certificate>> tls13Chain =
          versions.containsKey(TlsVersion.TLS_1_3) && !implicit
              ? executor.submit(
                  () -> fetchTls13ChainUnlessShown(destination, versions, deadline, timeout))
              : null;
      List<VersionProber.Attempt> attempts =
          versions.values().stream().map(ProbeFutures::join).toList();
      List<X509Certificate> fetched =
          tls13Chain == null ? List.of() : ProbeFutures.join(tls13Chain);
      if (implicit
          && attempts.stream().anyMatch(EndpointProber::dropped)
          && attempts.stream().anyMatch(a -> a.result().accepted())) {
        attempts = confirmDrops(destination, attempts, deadline, timeout);
      }
      if (attempts.stream().anyMatch(EndpointProber::refusedForNow)) {
        attempts = retryOneAtATime(destination, attempts, deadline, timeout);
        if (fetched.isEmpty() && !implicit && needsTls13Chain(attempts)) {
          fetched = fetchTls13Chain(destination, deadline, timeout);
        }
      }
      List<X509Certificate> chain =
          attempts.stream()
              .filter(EndpointProber::showedChain)
              .max(Comparator.comparing(a -> a.result().version()))
              .map(VersionProber.Attempt::chain)
              .orElse(fetched);
      return new Observation(attempts, chain);
    }
  }

  /** The pause before each pass of {@link #retryOneAtATime}: 1 s, then 2 s. */
  static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  /**
   * Between two connections of a pass: a server counts a session as over only once it sees it
   * close.
   */
  static final Duration SERIAL_GAP = Duration.ofMillis(200);

  /** Passes over the refused versions, one connection at a time. */
  static final int RETRY_PASSES = 2;

  private static boolean refusedForNow(VersionProber.Attempt attempt) {
    VersionResult result = attempt.result();
    return result.status() == VersionResult.VersionStatus.NOT_TESTED
        && result.failure().kind().mayBeConcurrencyRefusal();
  }

  private static boolean dropped(VersionProber.Attempt attempt) {
    Failure failure = attempt.result().failure();
    return failure != null && failure.kind() == FailureKind.HANDSHAKE_DROPPED;
  }

  /**
   * An implicit-TLS endpoint that hung up on some versions and accepted others. A server that does
   * not take a version may hang up on it (SCHANNEL does), but so may one that takes only so many
   * sessions at a time (xinetd's per_source, a proxy's per-client limit), which has no greeting to
   * say "not now" before the hello: then the hang-up says nothing about the version, and counting
   * it as refused could make the endpoint Compliant. So each such version is tried once more,
   * alone, once the others are done, and that answer decides.
   */
  private List<VersionProber.Attempt> confirmDrops(
      VersionProber.Destination destination,
      List<VersionProber.Attempt> attempts,
      Instant deadline,
      Duration timeout) {
    List<VersionProber.Attempt> current = new ArrayList<>(attempts);
    // Before the first too: the other sessions have only just closed.
    tryAgainAlone(destination, current, EndpointProber::dropped, true, deadline, timeout);
    return current;
  }

  /**
   * A server that takes one session at a time (or a few) answers the others with "not now" (421 at
   * the greeting or to EHLO, an IMAP BYE): after a pause, the versions it refused so are tried
   * again one connection at a time, in up to {@link #RETRY_PASSES} passes, while the endpoint's
   * deadline allows; and the host gets one connection at a time for the rest of the round.
   */
  private List<VersionProber.Attempt> retryOneAtATime(
      VersionProber.Destination destination,
      List<VersionProber.Attempt> attempts,
      Instant deadline,
      Duration timeout) {
    limiter.preferSerial(destination.address().getAddress());
    List<VersionProber.Attempt> current = new ArrayList<>(attempts);
    for (int pass = 1;
        pass <= RETRY_PASSES && current.stream().anyMatch(EndpointProber::refusedForNow);
        pass++) {
      Duration pause = RETRY_PAUSE.multipliedBy(pass);
      if (Instant.now().plus(pause).plus(timeout).isAfter(deadline)) {
        break; // no time left for another pass: what is untested stays so
      }
      sleep(pause);
      tryAgainAlone(destination, current, EndpointProber::refusedForNow, false, deadline, timeout);
    }
    return current;
  }

  /**
   * One pass over the attempts that {@code again} picks: each version tried again on a connection
   * of its own, one at a time, {@link #SERIAL_GAP} apart (and before the first when {@code
   * gapFirst}), while the deadline leaves a whole timeout; its new attempt replaces the old.
   */
  private void tryAgainAlone(
      VersionProber.Destination destination,
      List<VersionProber.Attempt> current,
      Predicate<VersionProber.Attempt> again,
      boolean gapFirst,
      Instant deadline,
      Duration timeout) {
    boolean first = true;
    for (int i = 0; i < current.size(); i++) {
      if (!again.test(current.get(i)) || Instant.now().plus(timeout).isAfter(deadline)) {
        continue;
      }
      if (gapFirst || !first) {
        sleep(SERIAL_GAP); // time for the server to count our last session as over
      }
      first = false;
      current.set(
          i, probeVersion(destination, current.get(i).result().version(), deadline, timeout));
    }
  }

  /** One version on one connection. */
  private VersionProber.Attempt probeVersion(
      VersionProber.Destination destination,
      TlsVersion version,
      Instant deadline,
      Duration timeout) {
    return onConnection(
        destination,
        deadline,
        timeout,
        connectionDeadline -> versionProber.probe(destination, version, connectionDeadline),
        busy -> noSlot(version, busy));
  }

  /**
   * One connection to the destination, once it holds its slots (this host's, and the total); the
   * connection's own deadline, {@code timeout}, starts then. {@code whenBusy} makes the result when
   * no slot came before the endpoint's {@code deadline}.
   */
  private <T> T onConnection(
      VersionProber.Destination destination,
      Instant deadline,
      Duration timeout,
      Function<Instant, T> connection,
      Function<HostConnectionLimiter.Busy, T> whenBusy) {
    return limiter.withSlot(
        destination.address().getAddress(),
        deadline,
        () -> connection.apply(Instant.now().plus(timeout)),
        whenBusy,
        hostWait(probing.get(destination)));
  }

  /** Counts the connection among its target's that wait for a slot of their host, while it does. */
  private Consumer<HostConnectionLimiter.Busy> hostWait(Target target) {
    boolean[] counted = {false};
    return limit -> {
      boolean waits = limit == HostConnectionLimiter.Busy.HOST;
      if (target != null && waits != counted[0]) {
        counted[0] = waits;
        waitingForHost.merge(target, waits ? 1 : -1, (a, b) -> a + b == 0 ? null : a + b);
      }
    };
  }

  private static boolean showedChain(VersionProber.Attempt attempt) {
    return attempt.chain() != null && !attempt.chain().isEmpty();
  }

  private static boolean needsTls13Chain(List<VersionProber.Attempt> attempts) {
    return attempts.stream().noneMatch(EndpointProber::showedChain)
        && attempts.stream()
            .anyMatch(a -> a.result().version() == TlsVersion.TLS_1_3 && a.result().accepted());
  }

  private List<X509Certificate> fetchTls13Chain(
      VersionProber.Destination destination, Instant deadline, Duration timeout) {
    return handshake(destination, TlsVersion.TLS_1_3, deadline, timeout).chain();
  }

  /**
   * Whether an implicit endpoint's TLS 1.2 should be tested by a completed handshake: not when TLS
   * 1.3's handshake completed (and so read whatever greeting there was; the probe, which stops at
   * the ServerHello, never sees a TLS 1.3 chain), nor when TLS 1.3 met only silence, which a second
   * handshake would wait out again before its probe.
   */
  private static boolean handshakeWorthTrying(Future<VersionProber.Attempt> tls13) {
    if (tls13 == null) {
      return true;
    }
    VersionProber.Attempt attempt = ProbeFutures.join(tls13);
    boolean completed =
        attempt.result().accepted() && attempt.chain() != null && !attempt.chain().isEmpty();
    Failure failure = attempt.result().failure();
    boolean silent =
        failure != null
            && (failure.kind() == FailureKind.CONNECT_TIMEOUT
                || failure.kind() == FailureKind.HANDSHAKE_TIMEOUT);
    return !completed && !silent;
  }

  /**
   * An implicit-TLS endpoint's TLS 1.2 or 1.3: a handshake the JDK completes, which also reads the
   * greeting; when it does not complete, the version probe on a connection of its own.
   */
  private VersionProber.Attempt probeImplicit(
      VersionProber.Destination destination,
      TlsVersion version,
      Instant deadline,
      Duration timeout) {
    VersionProber.Attempt completed =
        onConnection(
            destination,
            deadline,
            timeout,
            connectionDeadline ->
                versionProber.probeByHandshake(destination, version, connectionDeadline),
            busy -> noSlot(version, busy));
    return completed != null ? completed : probeVersion(destination, version, deadline, timeout);
  }

  private VersionProber.Session handshake(
      VersionProber.Destination destination,
      TlsVersion version,
      Instant deadline,
      Duration timeout) {
    return onConnection(
        destination,
        deadline,
        timeout,
        connectionDeadline ->
            versionProber.completeHandshake(destination, version, connectionDeadline),
        busy -> VersionProber.Session.NONE);
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pausing between retries", e);
    }
  }

  private List<X509Certificate> fetchTls13ChainUnlessShown(
      VersionProber.Destination destination,
      Map<TlsVersion, Future<VersionProber.Attempt>> versions,
      Instant deadline,
      Duration timeout) {
    Future<VersionProber.Attempt> tls12 = versions.get(TlsVersion.TLS_1_2);
    if (!ProbeFutures.join(versions.get(TlsVersion.TLS_1_3)).result().accepted()
        || (tls12 != null && ProbeFutures.join(tls12).chain() != null)) {
      return List.of(); // nothing to fetch, or the cleartext chain of TLS 1.2 will do
    }
    return fetchTls13Chain(destination, deadline, timeout);
  }

  private CertificateInfo certificate(
      VersionProber.Destination destination, List<X509Certificate> chain) {
    if (chain.isEmpty()) {
      return null;
    }
    String name =
        destination.serverName() != null ? destination.serverName() : destination.endpoint().host();
    return certificates.inspect(chain, name);
  }

  private VersionProber.Attempt noSlot(TlsVersion version, HostConnectionLimiter.Busy busy) {
    Failure failure =
        switch (busy) {
          case HOST ->
              // Our own limit, as the total's: nothing was sent, so nothing is known of the
              // version, and it is no connect timeout of the endpoint.
              Failure.of(
                  FailureKind.OPERATOR_BUSY,
                  "waited for a slot of its host until the endpoint's deadline ("
                      + settings.versions().size()
                      + " times the timeout): other connections to this host held its slots"
                      + " (--max-connections-per-host "
                      + limiter.permitsPerHost()
                      + "); nothing was sent");
          case TOTAL ->
              Failure.of(
                  FailureKind.OPERATOR_BUSY,
                  "all "
                      + limiter.permitsInTotal()
                      + " connections of this operator (--max-connections) stayed busy with other"
                      + " endpoints for "
                      + HostConnectionLimiter.TOTAL_WAIT_LIMIT.toMinutes()
                      + " minutes: nothing was sent to this endpoint");
        };
    return new VersionProber.Attempt(
        VersionResult.failed(version, failure, 0), null, List.of(), null);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
