package io.mailtls.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The engine's entry point: which protocol versions does an endpoint accept? Each version is tested
 * on its own connection; the versions of one endpoint run at once, bounded per host. Every outcome,
 * however broken the server, is a classified {@link EndpointResult}.
 */
public final class EndpointProber {
  /** Runs DNS look-ups, which the JDK cannot interrupt, so that a caller can stop waiting. */
  private static final ExecutorService RESOLVER = Executors.newVirtualThreadPerTaskExecutor();

  private final ProbeSettings settings;
  private final VersionProber versionProber;
  private final HostConnectionLimiter limiter;
  private final CertificateInspector certificates;

  public EndpointProber(ProbeSettings settings) {
    this.settings = settings;
    this.versionProber = new VersionProber(settings.ehloName());
    this.limiter =
        new HostConnectionLimiter(settings.maxConnectionsPerHost(), settings.maxConnections());
    this.certificates = CertificateInspector.trusting(settings.caFile());
  }

  public ProbeSettings settings() {
    return settings;
  }

  /** Hosts the connection limiter tracks right now: none once every probe has finished. */
  int trackedHosts() {
    return limiter.trackedHosts();
  }

  /**
   * An endpoint with the name for SNI and the certificate check; a null name means the endpoint's
   * host (none when the host is an IP address).
   */
  public record Target(Endpoint endpoint, String serverName) {}

  /**
   * Probes several endpoints at once, each connection bounded by {@code timeout}; results come back
   * in the order of {@code targets}.
   */
  public List<EndpointResult> probeAll(List<Target> targets, Duration timeout) {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<EndpointResult>> futures =
          targets.stream()
              .map(t -> executor.submit(() -> probe(t.endpoint(), t.serverName(), timeout)))
              .toList();
      return futures.stream().map(EndpointProber::join).toList();
    }
  }

  /** Probes with the settings' timeout; see {@link #probe(Endpoint, String, Duration)}. */
  public EndpointResult probe(Endpoint endpoint, String serverName) {
    return probe(endpoint, serverName, settings.timeout());
  }

  /**
   * @param serverName the name for SNI and the certificate check; null means the endpoint's host
   *     (none when the host is an IP address)
   * @param timeout the deadline of one connection, counted from when it may start
   */
  public EndpointResult probe(Endpoint endpoint, String serverName, Duration timeout) {
    Instant probedAt = Instant.now();
    long start = System.nanoTime();
    // Each connection gets the full timeout from the moment it holds a connection slot, so waiting
    // for a slot (per-host limit, other endpoints on the same host) never eats into a handshake.
    // The endpoint as a whole is bounded by the worst case of probing its versions one by one.
    Instant deadline = probedAt.plus(timeout.multipliedBy(settings.versions().size()));
    String name =
        serverName != null ? serverName : endpoint.hostIsAddressLiteral() ? null : endpoint.host();

    InetAddress address;
    try {
      address = resolve(endpoint.host(), connectionDeadline(deadline, timeout));
    } catch (UnknownHostException e) {
      return notConnected(
          endpoint,
          name,
          null,
          Failure.of(FailureKind.DNS_FAILURE, e.getMessage()),
          probedAt,
          start);
    }
    // The guard judges the resolved address, and that same address is connected to below.
    Optional<String> refusal = settings.guard().refusal(address, endpoint.port());
    if (refusal.isPresent()) {
      return notConnected(
          endpoint,
          name,
          address.getHostAddress(),
          Failure.of(FailureKind.FORBIDDEN, refusal.get()),
          probedAt,
          start);
    }

    VersionProber.Target target =
        new VersionProber.Target(endpoint, new InetSocketAddress(address, endpoint.port()), name);
    List<VersionProber.Attempt> attempts = probeVersions(target, deadline, timeout);
    return summarize(target, attempts, deadline, timeout, probedAt, millisSince(start));
  }

  /** An endpoint that was never connected to: every version failed the same way. */
  private EndpointResult notConnected(
      Endpoint endpoint,
      String name,
      String address,
      Failure failure,
      Instant probedAt,
      long startNanos) {
    List<VersionResult> versions =
        settings.versions().stream().map(v -> VersionResult.failed(v, failure, 0)).toList();
    return new EndpointResult(
        endpoint,
        name,
        address,
        List.of(),
        null,
        null,
        null,
        null,
        ServerSoftware.UNKNOWN,
        null,
        failure,
        versions,
        probedAt,
        millisSince(startNanos));
  }

  private List<VersionProber.Attempt> probeVersions(
      VersionProber.Target target, Instant deadline, Duration timeout) {
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<VersionProber.Attempt>> futures = new ArrayList<>();
      for (TlsVersion version : settings.versions()) {
        futures.add(
            executor.submit(
                () ->
                    limiter.withSlot(
                        target.address().getAddress(),
                        deadline,
                        () ->
                            versionProber.probe(
                                target, version, connectionDeadline(deadline, timeout)),
                        () -> noSlot(version))));
      }
      return futures.stream().map(EndpointProber::join).toList();
    }
  }

  private EndpointResult summarize(
      VersionProber.Target target,
      List<VersionProber.Attempt> attempts,
      Instant deadline,
      Duration timeout,
      Instant probedAt,
      long elapsedMillis) {
    List<VersionResult> versions =
        attempts.stream()
            .map(VersionProber.Attempt::result)
            .sorted(Comparator.comparing(VersionResult::version))
            .toList();
    List<TlsVersion> accepted =
        versions.stream().filter(VersionResult::accepted).map(VersionResult::version).toList();
    VersionResult best =
        versions.stream().filter(VersionResult::accepted).reduce((a, b) -> b).orElse(null);
    List<String> transcript =
        attempts.stream()
            .map(VersionProber.Attempt::transcript)
            .max(Comparator.comparingInt(List::size))
            .orElse(List.of());
    String banner =
        attempts.stream()
            .map(VersionProber.Attempt::greeting)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    boolean anyHandshake =
        versions.stream().anyMatch(v -> v.status() != VersionResult.VersionStatus.NOT_TESTED);
    Failure failure = anyHandshake ? null : mostCommonFailure(versions);

    return new EndpointResult(
        target.endpoint(),
        target.serverName(),
        target.address().getAddress().getHostAddress(),
        accepted,
        best == null ? null : best.version(),
        best == null ? null : best.cipherSuite(),
        startTlsAdvertised(target.endpoint(), anyHandshake, failure),
        banner,
        ServerSoftware.detect(transcript),
        certificate(target, attempts, accepted, deadline, timeout),
        failure,
        versions,
        probedAt,
        elapsedMillis);
  }

  /** From the cleartext handshake of the newest version up to 1.2, else one TLS 1.3 handshake. */
  private CertificateInfo certificate(
      VersionProber.Target target,
      List<VersionProber.Attempt> attempts,
      List<TlsVersion> accepted,
      Instant deadline,
      Duration timeout) {
    List<X509Certificate> chain =
        attempts.stream()
            .filter(a -> a.chain() != null && !a.chain().isEmpty())
            .max(Comparator.comparing(a -> a.result().version()))
            .map(VersionProber.Attempt::chain)
            .orElse(null);
    if (chain == null && accepted.contains(TlsVersion.TLS_1_3)) {
      chain =
          limiter.withSlot(
              target.address().getAddress(),
              deadline,
              () -> versionProber.fetchTls13Chain(target, connectionDeadline(deadline, timeout)),
              List::of);
    }
    if (chain == null || chain.isEmpty()) {
      return null;
    }
    String name = target.serverName() != null ? target.serverName() : target.endpoint().host();
    return certificates.inspect(chain, name);
  }

  private static Instant connectionDeadline(Instant endpointDeadline, Duration timeout) {
    Instant own = Instant.now().plus(timeout);
    return own.isBefore(endpointDeadline) ? own : endpointDeadline;
  }

  private static Boolean startTlsAdvertised(
      Endpoint endpoint, boolean anyHandshake, Failure failure) {
    if (!endpoint.protocol().usesStartTls()) {
      return null;
    }
    if (anyHandshake || failure.kind() == FailureKind.STARTTLS_REFUSED) {
      return true;
    }
    return failure.kind() == FailureKind.STARTTLS_NOT_ADVERTISED ? false : null;
  }

  private static Failure mostCommonFailure(List<VersionResult> versions) {
    return versions.stream()
        .map(VersionResult::failure)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet()
        .stream()
        .max(
            Comparator.<Map.Entry<Failure, Long>>comparingLong(Map.Entry::getValue)
                .thenComparing(e -> e.getKey().kind()))
        .map(Map.Entry::getKey)
        .orElseThrow();
  }

  private static VersionProber.Attempt noSlot(TlsVersion version) {
    Failure failure =
        Failure.of(
            FailureKind.CONNECT_TIMEOUT,
            "no free connection slot for this host before the deadline");
    return new VersionProber.Attempt(
        VersionResult.failed(version, failure, 0), null, List.of(), null);
  }

  /** Resolves within the deadline: the JDK resolver cannot be interrupted, so it is waited on. */
  private static InetAddress resolve(String host, Instant deadline) throws UnknownHostException {
    Future<InetAddress> lookup = RESOLVER.submit(() -> InetAddress.getByName(host));
    long waitMillis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    try {
      return lookup.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UnknownHostException u
          ? u
          : new UnknownHostException(host + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      lookup.cancel(true);
      throw new UnknownHostException(host + ": no DNS answer before the deadline");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnknownHostException(host + ": interrupted");
    }
  }

  private static <T> T join(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while probing", e);
    } catch (ExecutionException e) {
      // Probes classify their own failures; anything else is a bug worth a stack trace.
      throw new IllegalStateException("probe failed unexpectedly", e.getCause());
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
