package io.mailtls.exporter;

import io.mailtls.api.EndpointSpec;
import io.mailtls.api.MailEndpointPolicyStatus;
import io.mailtls.dns.AddressText;
import io.mailtls.dns.MailDomain;
import io.mailtls.http.Answer;
import io.mailtls.http.Request;
import io.mailtls.metrics.MailTlsMetrics;
import io.mailtls.metrics.ProbeSeries;
import io.mailtls.policy.EndpointOutcome;
import io.mailtls.policy.PolicyRequest;
import io.mailtls.policy.PolicyStatusBuilder;
import io.mailtls.policy.PolicyTarget;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.Target;
import io.mailtls.text.Durations;
import io.mailtls.text.ServerText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus's multi-target exporter pattern, as blackbox_exporter serves it: {@code GET
 * /probe?target=smtp://host:25&module=NAME} probes that one target with the module's settings
 * through the same engine and connection limits as the policies, and answers with that probe's
 * series alone. Bounded three ways: a probe ends within the scrape's own timeout ({@link
 * ScrapeBudget}); at most so many probes run at once (the others get 503); and no target is probed
 * with a module more often than once per minimum interval ({@link ProbeCache}).
 */
public final class ProbeExporter {
  private static final Logger log = LoggerFactory.getLogger(ProbeExporter.class);

  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(1);
  public static final Duration MIN_MIN_INTERVAL = Duration.ofSeconds(10);
  public static final Duration MAX_MIN_INTERVAL = Duration.ofHours(24);

  /**
   * A probe of one address holds up to 5 connections at once (the per-host limit): 20 of them fill
   * the 100 of the default; a name with several addresses, or an mx:// target, holds more.
   */
  public static final int DEFAULT_MAX_CONCURRENT_PROBES = 20;

  /** A policy's target may have 300 characters: so may /probe's. */
  static final int MAX_TARGET_CHARS = 300;

  private static final Set<String> PARAMETERS = Set.of("target", "module");
  private static final Pattern TARGET = Pattern.compile(EndpointSpec.TARGET_PATTERN);

  private final EndpointProber commandLine;
  private final Path configFile;
  private final MailTlsMetrics metrics;
  private final ProbeCache cache;
  private final int maxConcurrentProbes;
  private final Semaphore inFlight;
  private final Semaphore waiting;
  private volatile Modules modules;

  private ProbeExporter(
      EndpointProber commandLine,
      Path configFile,
      Modules modules,
      Duration minInterval,
      int maxConcurrentProbes,
      MailTlsMetrics metrics,
      Clock clock) {
    this.commandLine = commandLine;
    this.configFile = configFile;
    this.modules = modules;
    this.cache = new ProbeCache(minInterval, clock);
    this.maxConcurrentProbes = maxConcurrentProbes;
    this.inFlight = new Semaphore(maxConcurrentProbes);
    this.waiting = new Semaphore(maxConcurrentProbes);
    this.metrics = metrics;
  }

  /**
   * An exporter that probes through {@code commandLine} (its settings, limits and guard), with the
   * modules of {@code configFile} (null: only {@code default}).
   *
   * @throws InvalidProbeConfigException when the config file cannot be used
   */
  public static ProbeExporter start(
      EndpointProber commandLine,
      Path configFile,
      Duration minInterval,
      int maxConcurrentProbes,
      MailTlsMetrics metrics,
      Clock clock)
      throws InvalidProbeConfigException {
    if (minInterval.compareTo(MIN_MIN_INTERVAL) < 0
        || minInterval.compareTo(MAX_MIN_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "the minimum interval "
              + Durations.format(minInterval)
              + " is not between "
              + Durations.format(MIN_MIN_INTERVAL)
              + " and "
              + Durations.format(MAX_MIN_INTERVAL));
    }
    if (maxConcurrentProbes < 1) {
      throw new IllegalArgumentException(
          "at least one probe must be allowed at once, not " + maxConcurrentProbes);
    }
    Modules modules = load(configFile, commandLine);
    if (configFile != null) {
      metrics.probeConfigLoaded(true);
    }
    return new ProbeExporter(
        commandLine, configFile, modules, minInterval, maxConcurrentProbes, metrics, clock);
  }

  /** The names of the modules served now, sorted. */
  public Set<String> moduleNames() {
    return modules.names();
  }

  /** The answer to {@code GET /probe?target=…&module=…}. */
  public Answer answer(Request request) {
    Map<String, String> parameters = request.parameters();
    for (String name : parameters.keySet()) {
      if (!PARAMETERS.contains(name)) {
        return badRequest(
            "unknown parameter '"
                + ServerText.escaped(name, 64)
                + "': /probe takes target and module");
      }
    }
    String text = parameters.get("target");
    if (text == null || text.isEmpty()) {
      return badRequest(
          "the parameter target is missing: /probe?target=smtp://host[:port][&module=NAME]");
    }
    String name = parameters.getOrDefault("module", "");
    Modules current = modules;
    Modules.Module module = current.get(name.isEmpty() ? ProbeModule.DEFAULT_NAME : name);
    if (module == null) {
      return badRequest(
          "unknown module '"
              + ServerText.escaped(name, 64)
              + "' (this exporter has: "
              + String.join(", ", current.names())
              + ")");
    }
    PolicyTarget target;
    ScrapeBudget budget;
    try {
      target = target(text, module.settings());
      budget = ScrapeBudget.of(request.header(ScrapeBudget.HEADER), module.settings());
    } catch (IllegalArgumentException e) {
      return badRequest(e.getMessage());
    }
    Instant deadline = Instant.now().plus(budget.duration());
    ProbeCache.Key key = new ProbeCache.Key(module.settings(), key(target));
    return switch (cache.claim(key, budget.duration(), inFlight::tryAcquire)) {
      case ProbeCache.Turn.Probe turn -> {
        try {
          ProbeCache.Probed probed = probe(module, target, budget, deadline);
          turn.probe().complete(probed);
          yield series(module, probed);
        } catch (Throwable bug) {
          // Errors too: a probe left pending would make every later request wait it out.
          turn.probe().completeExceptionally(bug);
          cache.forget(key, turn.probe());
          throw bug;
        } finally {
          inFlight.release();
        }
      }
      case ProbeCache.Turn.Wait turn when turn.probe().isDone() ->
          series(module, waitFor(turn.probe(), module, target, budget));
      case ProbeCache.Turn.Wait turn -> {
        // Requests that wait for a running probe hold an HTTP connection each: bounded too, so
        // that they cannot take all of the admin server's from /metrics.
        if (!waiting.tryAcquire()) {
          yield new Answer.Text(
              503, "too many requests wait for probes already running; try again later");
        }
        try {
          yield series(module, waitFor(turn.probe(), module, target, budget));
        } finally {
          waiting.release();
        }
      }
      case ProbeCache.Turn.Busy busy ->
          new Answer.Text(
              503,
              "too many probes at once: "
                  + maxConcurrentProbes
                  + " run already (--max-concurrent-probes); try again later");
      case ProbeCache.Turn.Full full ->
          new Answer.Text(
              503,
              "more than "
                  + ProbeCache.MAX_ENTRIES
                  + " targets were probed within the last "
                  + Durations.format(cache.minInterval())
                  + " (--probe-min-interval); try again later");
    };
  }

  /**
   * Reads the config file again (SIGHUP, {@code POST /-/reload}). A file that cannot be used
   * changes nothing: the modules before it stay, and the answer and the log say why.
   */
  public synchronized Answer.Text reload() {
    if (configFile == null) {
      return new Answer.Text(200, "no --probe-config: nothing to reload");
    }
    try {
      Modules loaded = load(configFile, commandLine);
      modules = loaded;
      metrics.probeConfigLoaded(true);
      log.atInfo()
          .addKeyValue("file", configFile)
          .addKeyValue("modules", loaded.names())
          .log("probe config reloaded");
      return new Answer.Text(
          200,
          "reloaded "
              + configFile
              + ": "
              + loaded.size()
              + " modules ("
              + String.join(", ", loaded.names())
              + ")");
    } catch (InvalidProbeConfigException e) {
      metrics.probeConfigLoaded(false);
      String why = String.join("; ", e.problems());
      log.atError()
          .addKeyValue("file", configFile)
          .log("probe config not reloaded, the old one stays: {}", why);
      return new Answer.Text(
          500, configFile + " not reloaded, the old config stays: " + ServerText.clean(why, 2000));
    }
  }

  private static Modules load(Path configFile, EndpointProber commandLine)
      throws InvalidProbeConfigException {
    Map<String, ProbeModule> fromFile =
        configFile == null ? Map.of() : ProbeConfigFile.read(configFile);
    try {
      return Modules.of(fromFile, commandLine);
    } catch (IllegalArgumentException e) { // a CA file changed since it was read
      throw new InvalidProbeConfigException(configFile, List.of(e.getMessage()));
    }
  }

  /**
   * The target as a policy would hold it (the same syntax and limits), with the module's server
   * name; a host name is compared and probed in lower case, so that spellings share a cache entry.
   */
  static PolicyTarget target(String text, ProbeModule module) {
    String shown = "target '" + ServerText.escaped(text, 100) + "'";
    if (text.length() > MAX_TARGET_CHARS) {
      throw new IllegalArgumentException(
          shown + " is longer than " + MAX_TARGET_CHARS + " characters");
    }
    if (module.serverName() != null && MailDomain.isDomainTarget(text)) {
      throw new IllegalArgumentException(
          shown
              + ": module "
              + module.name()
              + " sets serverName, which does not apply to an mx:// target (each MX host is"
              + " checked by its own name)");
    }
    PolicyTarget parsed;
    try {
      parsed = PolicyTarget.parse(text, module.serverName());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target: " + ServerText.escaped(e.getMessage(), 300), e);
    }
    if (!TARGET.matcher(text).matches()) {
      throw new IllegalArgumentException(
          shown + " is not scheme://host[:port] or mx://domain[:port] as a policy's target is");
    }
    return switch (parsed) {
      case PolicyTarget.Domain domain -> domain;
      case PolicyTarget.Host host -> {
        Endpoint given = host.target().endpoint();
        yield new PolicyTarget.Host(
            new Target(
                new Endpoint(given.protocol(), given.host().toLowerCase(Locale.ROOT), given.port()),
                host.target().serverName()));
      }
    };
  }

  /**
   * What the minimum interval is counted for: the target as probed, an address literal in its one
   * canonical form ({@code [0:0::1]} and {@code [::1]}, {@code 127.000.000.001} and {@code
   * 127.0.0.1} are one key).
   */
  private static String key(PolicyTarget target) {
    return switch (target) {
      case PolicyTarget.Domain domain -> domain.domain().toString();
      case PolicyTarget.Host host -> {
        Endpoint endpoint = host.target().endpoint();
        String canonical = endpoint.host();
        if (endpoint.hostIsAddressLiteral()) {
          try {
            canonical = AddressText.of(InetAddress.getByName(endpoint.host())); // no look-up
          } catch (UnknownHostException e) {
            // Endpoint.parse accepted it as an address: it is one.
          }
        }
        yield endpoint.protocol().scheme() + "://" + canonical + ":" + endpoint.port();
      }
    };
  }

  private static PolicyRequest request(
      Modules.Module module, PolicyTarget target, Duration budget) {
    return new PolicyRequest(
        List.of(target),
        module.settings().compliance(),
        PolicyRequest.DEFAULT_INTERVAL,
        budget,
        false);
  }

  private ProbeCache.Probed probe(
      Modules.Module module, PolicyTarget target, ScrapeBudget budget, Instant deadline) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    // Each connection may take a little more than the budget: the round abandons at the deadline
    // whatever is still running, and says so (Unreachable, DeadlineExceeded), rather than let the
    // scrape hang.
    List<EndpointOutcome> outcomes =
        module
            .round()
            .run(
                request(module, target, budget.connectionTimeout()),
                o -> {},
                deadline,
                budget.name());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    metrics.recordRound(outcomes);
    MailEndpointPolicyStatus status =
        PolicyStatusBuilder.probed(null, 1, outcomes, startedAt, took);
    boolean cutShort =
        outcomes.stream()
            .anyMatch(
                o ->
                    o.result().failure() != null
                        && o.result().failure().kind() == FailureKind.DEADLINE_EXCEEDED);
    log.atDebug()
        .addKeyValue("target", key(target))
        .addKeyValue("module", module.settings().name())
        .addKeyValue("millis", took.toMillis())
        .log("probed for /probe");
    return new ProbeCache.Probed(status, startedAt, took, budget.duration(), cutShort);
  }

  /**
   * Another request's probe of the same target with the same module, cached or still running: its
   * result, or, when it does not end within this request's budget, every entry Unreachable with
   * DeadlineExceeded (this answer is not cached: the running probe's will be).
   */
  private ProbeCache.Probed waitFor(
      CompletableFuture<ProbeCache.Probed> probe,
      Modules.Module module,
      PolicyTarget target,
      ScrapeBudget budget) {
    try {
      return probe.get(budget.duration().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      Instant now = Instant.now();
      List<EndpointOutcome> outcomes =
          module
              .round()
              .notProbedBefore(
                  request(module, target, budget.connectionTimeout()),
                  budget.name() + ", while another request's probe of it still ran");
      return new ProbeCache.Probed(
          PolicyStatusBuilder.probed(null, 1, outcomes, now, budget.duration()),
          now,
          budget.duration(),
          budget.duration(),
          true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a probe", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the probe failed: " + e.getCause(), e.getCause());
    }
  }

  private static Answer series(Modules.Module module, ProbeCache.Probed probed) {
    return new Answer.Series(
        ProbeSeries.registry(module.settings().name(), probed.status(), probed.took()));
  }

  private static Answer badRequest(String reason) {
    return new Answer.Text(400, ServerText.clean(reason, 1000));
  }
}
