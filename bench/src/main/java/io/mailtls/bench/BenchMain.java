package io.mailtls.bench;

import io.mailtls.probe.Endpoint;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.ProbeSettings;
import io.mailtls.probe.ProbedEndpoint;
import io.mailtls.probe.Target;
import io.mailtls.tls.TlsVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the three side-by-side figures against the loopback testbed, engine and sslscan in turn
 * (never at the same time, the machine has two cores), and prints a results table:
 *
 * <ul>
 *   <li>(a) one endpoint, all versions: JMH sample time of {@link EndpointProber#probe} in a warm
 *       JVM vs sslscan's whole-process wall time;
 *   <li>(b) the same endpoint behind a {@link DelayProxy}: wall time of one check in round trips;
 *   <li>(c) N endpoints at once: {@link EndpointProber#probeAll} vs sslscan over the same list.
 * </ul>
 *
 * Before that, every testbed endpoint is checked once by both tools against the versions the
 * testbed is configured to accept. Options are {@code --name=value}; see {@link #DEFAULTS}.
 */
public final class BenchMain {

  /** A testbed listener (testbed/listeners.txt) and the versions it is configured to accept. */
  record TestbedEndpoint(String uri, Set<TlsVersion> expected, String what) {
    Endpoint endpoint() {
      return Endpoint.parse(uri);
    }
  }

  /** The listeners of testbed/listeners.txt (the project root comes from -Dmailtls.root). */
  static final List<TestbedEndpoint> TESTBED =
      readListeners(
          Path.of(System.getProperty("mailtls.root", ".")).resolve("testbed/listeners.txt"));

  /**
   * The listeners that serve connections at once, for (c): the ones that take one session per
   * client at a time cost the serial fallback's pauses by design, measured on their own in (b).
   */
  static final List<TestbedEndpoint> WELL_BEHAVED =
      TESTBED.stream().filter(t -> !t.what().contains("at a time")).toList();

  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("sslscan", "sslscan");
    DEFAULTS.put("target", "smtp://127.0.0.1:24026"); // the endpoint of (a) and (b)
    DEFAULTS.put("out", "bench/target/bench-results");
    DEFAULTS.put("cli-jar", ""); // operator/target/mailtls.jar: adds the CLI's process time to (a)
    DEFAULTS.put("jmh-warmup", "3");
    DEFAULTS.put("jmh-iterations", "5");
    DEFAULTS.put("jmh-seconds", "2");
    DEFAULTS.put("jmh-forks", "1");
    DEFAULTS.put("a-runs", "20"); // sslscan runs per flag set, after 2 discarded
    DEFAULTS.put("cli-runs", "10");
    DEFAULTS.put("b-delay-ms", "50"); // one way; RTT is twice this
    DEFAULTS.put("b-serial-target", "smtp://127.0.0.1:24029"); // one session at a time
    DEFAULTS.put("b-runs", "10");
    DEFAULTS.put("b-sslscan-runs", "3"); // reduced flags
    DEFAULTS.put("b-sslscan-default-runs", "1");
    DEFAULTS.put("c-n", "50,100"); // one pass of (c) per N
    DEFAULTS.put("c-runs", "3");
    DEFAULTS.put("c-parallel", "8");
    DEFAULTS.put("c-sslscan-default", "true"); // also the (slow) full sslscan over the list
    DEFAULTS.put("sslscan-timeout-s", "300");
  }

  private final Map<String, String> options;
  private final SslScan sslscan;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final StringBuilder log = new StringBuilder();

  record Row(String figure, String measured, Stats stats, String unit, String note) {}

  private BenchMain(Map<String, String> options) {
    this.options = options;
    this.sslscan =
        new SslScan(options.get("sslscan"), Duration.ofSeconds(intOpt("sslscan-timeout-s")));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
    for (String arg : args) {
      if (arg.equals("--help") || !arg.startsWith("--") || !arg.contains("=")) {
        System.err.println("usage: BenchMain [--name=value]... with names and defaults:");
        DEFAULTS.forEach((k, v) -> System.err.println("  --" + k + "=" + v));
        System.exit(arg.equals("--help") ? 0 : 2);
      }
      String key = arg.substring(2, arg.indexOf('='));
      if (!DEFAULTS.containsKey(key)) {
        System.err.println("unknown option --" + key + "; --help lists them");
        System.exit(2);
      }
      options.put(key, arg.substring(arg.indexOf('=') + 1));
    }
    new BenchMain(options).run();
  }

  private void run() throws Exception {
    long start = System.nanoTime();
    say("machine: " + machine());
    say("sslscan: " + sslscan.version());
    say("options: " + options);
    requireLoopback(Endpoint.parse(options.get("target")));
    TESTBED.forEach(tb -> requireLoopback(tb.endpoint()));

    checkVersions();
    figureA();
    figureB();
    figureC();

    say(String.format(Locale.ROOT, "%nall done in %.0f s", (System.nanoTime() - start) / 1e9));
    String table = table();
    say("\n" + table);
    if (!findings.isEmpty()) {
      say("findings:");
      findings.forEach(f -> say("  - " + f));
    }
    Path out = Path.of(options.get("out"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("results.md"), table, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("bench.log"), log.toString(), StandardCharsets.UTF_8);
    say("wrote " + out.resolve("results.md") + " and " + out.resolve("bench.log"));
  }

  // ------------------------------------------------------------------ correctness check

  /** Every testbed endpoint once with each tool, against what the testbed is set up to accept. */
  private void checkVersions() {
    section("check: accepted versions, engine vs sslscan vs testbed configuration");
    EndpointProber prober = new EndpointProber(ProbeSettings.defaults());
    say(String.format("%-26s %-28s %-28s %-28s", "endpoint", "expected", "engine", "sslscan"));
    for (TestbedEndpoint tb : TESTBED) {
      EndpointResult engine = prober.probe(tb.endpoint(), null).only();
      Set<TlsVersion> got = asSet(engine.acceptedVersions());
      SslScan.Run scan = sslscan.run(tb.endpoint(), tb.endpoint().port(), SslScan.Mode.REDUCED);
      say(
          String.format(
              "%-26s %-28s %-28s %-28s",
              tb.uri(), labels(tb.expected()), labels(got), labels(scan.enabled())));
      if (!got.equals(tb.expected())) {
        finding(
            "engine: "
                + tb.uri()
                + " accepted "
                + labels(got)
                + ", testbed expects "
                + labels(tb.expected())
                + "; per version: "
                + describe(engine));
      }
      if (!scan.enabled().equals(tb.expected())) {
        say("  (sslscan differs from the testbed configuration on " + tb.uri() + ")");
      }
    }
  }

  // ------------------------------------------------------------------ (a)

  private void figureA() throws RunnerException {
    Endpoint target = Endpoint.parse(options.get("target"));
    section("(a) one endpoint, all versions: " + target);

    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(ProbeBenchmark.class.getName() + ".probe$")
                    .param("target", target.toString())
                    .warmupIterations(intOpt("jmh-warmup"))
                    .warmupTime(TimeValue.seconds(intOpt("jmh-seconds")))
                    .measurementIterations(intOpt("jmh-iterations"))
                    .measurementTime(TimeValue.seconds(intOpt("jmh-seconds")))
                    .forks(intOpt("jmh-forks"))
                    .shouldFailOnError(true)
                    .build())
            .run();
    Statistics s = results.iterator().next().getPrimaryResult().getStatistics();
    Stats engine =
        new Stats((int) s.getN(), s.getPercentile(50), s.getPercentile(90), s.getMin(), s.getMax());
    add("a", "engine probe(), in-process (JMH SampleTime, warm)", engine, "ms", "");

    Stats full = timeSslScan(target, target.port(), SslScan.Mode.DEFAULT, intOpt("a-runs"), 2);
    add("a", "sslscan, default flags, whole process", full, "ms", "");
    Stats reduced = timeSslScan(target, target.port(), SslScan.Mode.REDUCED, intOpt("a-runs"), 2);
    add("a", "sslscan, reduced flags, whole process", reduced, "ms", "");

    String cliJar = options.get("cli-jar");
    if (!cliJar.isBlank() && Files.isRegularFile(Path.of(cliJar))) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = List.of(java, "-jar", cliJar, "scan", target.toString());
      Stats cli = timeCommand(cmd, intOpt("cli-runs"), 1);
      add("a", "mailtls scan CLI, whole process (cold JVM)", cli, "ms", "for reference");
    }

    ratio("a", "engine / sslscan default (median)", engine.median() / full.median());
    ratio("a", "engine / sslscan reduced (median)", engine.median() / reduced.median());
  }

  // ------------------------------------------------------------------ (b)

  private void figureB() throws Exception {
    Endpoint direct = Endpoint.parse(options.get("target"));
    int delay = intOpt("b-delay-ms");
    double rtt = 2.0 * delay;
    section(
        "(b) " + direct + " behind a DelayProxy, " + delay + " ms each way, RTT " + rtt + " ms");

    DelayProxyCheck.Result check = DelayProxyCheck.run(Duration.ofMillis(delay), 200, 64 * 1024);
    say(
        String.format(
            Locale.ROOT,
            "proxy self-check: 1-byte ping %.1f ms (RTT %.0f); %d concurrent connections echoed"
                + " %d KiB in %.0f ms, %d corrupted",
            check.pingMillis(),
            rtt,
            check.connections(),
            check.bytes() / 1024,
            check.wallMillis(),
            check.corrupted()));
    if (!check.ok(Duration.ofMillis(delay))) {
      finding("DelayProxy self-check failed: " + check);
    }
    add(
        "b",
        "DelayProxy self-check: 1-byte ping through proxy",
        new Stats(1, check.pingMillis(), Double.NaN, check.pingMillis(), check.pingMillis()),
        "ms",
        String.format(
            Locale.ROOT,
            "RTT %.0f ms; %d concurrent echo connections, %d corrupted",
            rtt,
            check.connections(),
            check.corrupted()));

    EndpointProber prober = new EndpointProber(ProbeSettings.defaults());
    Set<TlsVersion> directVersions = Set.of();
    for (int i = 0; i < 20; i++) { // warm this JVM: (a) measured in a JMH fork
      directVersions = asSet(prober.probe(direct, null).only().acceptedVersions());
    }
    try (DelayProxy proxy = DelayProxy.startLoopback(direct.port(), Duration.ofMillis(delay))) {
      Endpoint via = new Endpoint(direct.protocol(), direct.host(), proxy.port());
      say("proxy listening on 127.0.0.1:" + proxy.port());
      List<Double> engine = new ArrayList<>();
      for (int i = 0; i < intOpt("b-runs"); i++) {
        long t0 = System.nanoTime();
        EndpointResult r = prober.probe(via, null).only();
        double ms = (System.nanoTime() - t0) / 1e6;
        engine.add(ms);
        say(String.format(Locale.ROOT, "  engine run %d: %.1f ms, %s", i + 1, ms, describe(r)));
        if (!asSet(r.acceptedVersions()).equals(directVersions)) {
          finding(
              "engine through the proxy accepted "
                  + labels(asSet(r.acceptedVersions()))
                  + " but directly "
                  + labels(directVersions)
                  + ": "
                  + describe(r));
        }
      }
      Stats e = Stats.of(engine);
      add("b", "engine probe() through proxy", e, "ms", rtts(e, rtt));
      Stats reduced =
          timeSslScan(via, proxy.port(), SslScan.Mode.REDUCED, intOpt("b-sslscan-runs"), 0);
      add("b", "sslscan, reduced flags, through proxy", reduced, "ms", rtts(reduced, rtt));
      if (intOpt("b-sslscan-default-runs") > 0) {
        Stats full =
            timeSslScan(
                via, proxy.port(), SslScan.Mode.DEFAULT, intOpt("b-sslscan-default-runs"), 0);
        add("b", "sslscan, default flags, through proxy", full, "ms", rtts(full, rtt));
      }
      say("proxy accepted " + proxy.connectionsAccepted() + " connections in all");
    }
    figureBSerial(delay, rtt);
  }

  /**
   * The cost of the serial fallback: a server that takes one session per client at a time refuses
   * the parallel connections with 421, and the engine tries those versions again one at a time
   * after a pause. A new prober each run, so that every run starts parallel.
   */
  private void figureBSerial(long delay, double rtt) throws Exception {
    Endpoint direct = Endpoint.parse(options.get("b-serial-target"));
    requireLoopback(direct);
    Set<TlsVersion> expected =
        TESTBED.stream()
            .filter(t -> t.endpoint().equals(direct))
            .findFirst()
            .map(TestbedEndpoint::expected)
            .orElseThrow(() -> new IllegalArgumentException(direct + " is no testbed listener"));
    try (DelayProxy proxy = DelayProxy.startLoopback(direct.port(), Duration.ofMillis(delay))) {
      Endpoint via = new Endpoint(direct.protocol(), direct.host(), proxy.port());
      List<Double> walls = new ArrayList<>();
      for (int i = 0; i < intOpt("b-runs"); i++) {
        EndpointProber prober = new EndpointProber(ProbeSettings.defaults());
        long t0 = System.nanoTime();
        EndpointResult r = prober.probe(via, null).only();
        double ms = (System.nanoTime() - t0) / 1e6;
        walls.add(ms);
        say(String.format(Locale.ROOT, "  serial run %d: %.1f ms, %s", i + 1, ms, describe(r)));
        if (!asSet(r.acceptedVersions()).equals(expected)) {
          finding(
              "engine through the proxy to the one-session server accepted "
                  + labels(asSet(r.acceptedVersions()))
                  + ", testbed expects "
                  + labels(expected)
                  + ": "
                  + describe(r));
        }
        Thread.sleep(500); // let the server see the last session close before the next run
      }
      Stats serial = Stats.of(walls);
      add(
          "b",
          "engine probe() of " + direct + " (one session at a time) through proxy",
          serial,
          "ms",
          rtts(serial, rtt) + "; includes the retry pauses (1 s, then 0.2 s between connections)");
    }
  }

  // ------------------------------------------------------------------ (c)

  private void figureC() throws Exception {
    for (String n : options.get("c-n").split(",")) {
      figureC(Integer.parseInt(n.strip()));
    }
  }

  private void figureC(int n) throws Exception {
    List<TestbedEndpoint> list =
        Stream.iterate(0, i -> i + 1)
            .limit(n)
            .map(i -> WELL_BEHAVED.get(i % WELL_BEHAVED.size()))
            .toList();
    List<Target> endpoints = list.stream().map(t -> new Target(t.endpoint(), null)).toList();
    section(
        "(c) N = "
            + n
            + " endpoints (the "
            + WELL_BEHAVED.size()
            + " testbed listeners that serve connections at once, cycled)");

    int defaultCap = ProbeSettings.defaults().maxConnectionsPerHost();
    for (int cap : List.of(defaultCap, defaultCap * n)) {
      EndpointProber prober =
          new EndpointProber(ProbeSettings.defaults().withMaxConnectionsPerHost(cap));
      Duration timeout = prober.settings().timeout();
      prober.probeAll(endpoints.subList(0, Math.min(n, WELL_BEHAVED.size())), timeout); // warm
      List<Double> walls = new ArrayList<>();
      for (int run = 0; run < intOpt("c-runs"); run++) {
        long t0 = System.nanoTime();
        List<EndpointResult> results =
            prober.probeAll(endpoints, timeout).stream().map(ProbedEndpoint::only).toList();
        double ms = (System.nanoTime() - t0) / 1e6;
        walls.add(ms);
        long wrong =
            Stream.iterate(0, i -> i + 1)
                .limit(n)
                .filter(
                    i -> !asSet(results.get(i).acceptedVersions()).equals(list.get(i).expected()))
                .count();
        say(
            String.format(
                Locale.ROOT, "  engine cap %d run %d: %.0f ms, %d wrong", cap, run + 1, ms, wrong));
        if (wrong > 0) {
          for (int i = 0; i < n; i++) {
            if (!asSet(results.get(i).acceptedVersions()).equals(list.get(i).expected())) {
              finding(
                  "engine probeAll (N="
                      + n
                      + ", cap "
                      + cap
                      + "): "
                      + list.get(i).uri()
                      + " -> "
                      + describe(results.get(i)));
            }
          }
        }
      }
      add(
          "c",
          "N=" + n + ": engine probeAll, max " + cap + " connections per host",
          Stats.of(walls),
          "ms",
          cap == defaultCap
              ? "default cap; every target is 127.0.0.1, so " + cap + " connections at a time"
              : "cap raised: as if the " + n + " endpoints were on different hosts");
    }

    List<SslScan.Mode> modes =
        Boolean.parseBoolean(options.get("c-sslscan-default"))
            ? List.of(SslScan.Mode.REDUCED, SslScan.Mode.DEFAULT)
            : List.of(SslScan.Mode.REDUCED);
    int parallel = intOpt("c-parallel");
    for (SslScan.Mode mode : modes) {
      for (int p : List.of(1, parallel)) {
        long t0 = System.nanoTime();
        List<SslScan.Run> runs =
            sslscanAll(list.stream().map(TestbedEndpoint::endpoint).toList(), mode, p);
        double ms = (System.nanoTime() - t0) / 1e6;
        long wrong =
            Stream.iterate(0, i -> i + 1)
                .limit(n)
                .filter(i -> !runs.get(i).enabled().equals(list.get(i).expected()))
                .count();
        long timedOut = runs.stream().filter(SslScan.Run::timedOut).count();
        say(
            String.format(
                Locale.ROOT,
                "  sslscan %s, %d at a time: %.0f ms, %d differ from the testbed, %d timed out",
                mode.name().toLowerCase(Locale.ROOT),
                p,
                ms,
                wrong,
                timedOut));
        add(
            "c",
            "N="
                + n
                + ": sslscan, "
                + mode.name().toLowerCase(Locale.ROOT)
                + " flags, "
                + (p == 1 ? "sequential" : p + " processes at a time (xargs -P " + p + ")"),
            Stats.of(List.of(ms)),
            "ms",
            "one pass over the list");
      }
    }
  }

  private List<SslScan.Run> sslscanAll(List<Endpoint> endpoints, SslScan.Mode mode, int parallel)
      throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
      List<Future<SslScan.Run>> futures =
          endpoints.stream().map(e -> pool.submit(() -> sslscan.run(e, e.port(), mode))).toList();
      List<SslScan.Run> runs = new ArrayList<>();
      for (Future<SslScan.Run> f : futures) {
        runs.add(f.get());
      }
      return runs;
    }
  }

  // ------------------------------------------------------------------ helpers

  private Stats timeSslScan(Endpoint endpoint, int port, SslScan.Mode mode, int runs, int warmup) {
    return timeCommand(sslscan.command(endpoint, port, mode), runs, warmup);
  }

  private Stats timeCommand(List<String> command, int runs, int warmup) {
    say("  " + String.join(" ", command) + "  (" + warmup + " discarded + " + runs + " runs)");
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < warmup + runs; i++) {
      SslScan.Run run = sslscan.run(command);
      if (run.timedOut()) {
        finding("timed out: " + String.join(" ", command));
      }
      if (i >= warmup) {
        times.add(run.wallMillis());
      }
    }
    Stats s = Stats.of(times);
    say(
        String.format(
            Locale.ROOT,
            "    median %.1f ms, p90 %.1f ms, min %.1f, max %.1f",
            s.median(),
            s.p90(),
            s.min(),
            s.max()));
    return s;
  }

  private void add(String figure, String measured, Stats stats, String unit, String note) {
    rows.add(new Row(figure, measured, stats, unit, note));
    say(
        String.format(
            Locale.ROOT,
            "=> (%s) %s: n=%d median %.1f %s, p90 %.1f %s %s",
            figure,
            measured,
            stats.n(),
            stats.median(),
            unit,
            stats.p90(),
            unit,
            note));
  }

  private void ratio(String figure, String what, double value) {
    rows.add(
        new Row(
            figure, what, new Stats(1, value, Double.NaN, value, value), "ratio", "target ≤ 0.5"));
    say(String.format(Locale.ROOT, "=> (%s) %s: %.3f", figure, what, value));
  }

  private static String rtts(Stats s, double rttMillis) {
    return String.format(
        Locale.ROOT, "%.2f RTT median, %.2f RTT p90", s.median() / rttMillis, s.p90() / rttMillis);
  }

  private String table() {
    StringBuilder t = new StringBuilder();
    t.append("| fig | measured | n | median | p90 | note |\n");
    t.append("|---|---|---:|---:|---:|---|\n");
    for (Row r : rows) {
      boolean isRatio = r.unit().equals("ratio");
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %s | %s |%n",
              r.figure(),
              r.measured(),
              r.stats().n(),
              isRatio
                  ? String.format(Locale.ROOT, "%.3f", r.stats().median())
                  : String.format(Locale.ROOT, "%.1f ms", r.stats().median()),
              isRatio || r.stats().n() < 2
                  ? "–"
                  : String.format(Locale.ROOT, "%.1f ms", r.stats().p90()),
              r.note()));
    }
    return t.toString();
  }

  private static String describe(EndpointResult r) {
    String versions =
        r.versions().stream()
            .map(
                v ->
                    v.version().label()
                        + "="
                        + (v.accepted()
                            ? "accepted"
                            : v.failure() == null ? v.status() : v.failure().kind())
                        + "/"
                        + v.durationMillis()
                        + "ms")
            .collect(Collectors.joining(" "));
    return versions
        + (r.failure() == null ? "" : " failure=" + r.failure())
        + " total="
        + r.durationMillis()
        + "ms";
  }

  private static Set<TlsVersion> asSet(Collection<TlsVersion> versions) {
    Set<TlsVersion> set = EnumSet.noneOf(TlsVersion.class);
    set.addAll(versions);
    return set;
  }

  private static String labels(Set<TlsVersion> versions) {
    return versions.isEmpty()
        ? "-"
        : versions.stream().map(TlsVersion::label).collect(Collectors.joining(","));
  }

  /** port|kind|server|starttls|versions (OpenSSL names)|description|scheme, as the file says. */
  static List<TestbedEndpoint> readListeners(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .map(
              line -> {
                String[] f = line.split("\\|");
                Set<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
                for (String v : f[4].split(" ")) {
                  if (!v.equals("-")) {
                    versions.add(TlsVersion.fromLabel(v.equals("TLSv1") ? "TLSv1.0" : v));
                  }
                }
                return new TestbedEndpoint(f[6] + "://127.0.0.1:" + f[0], versions, f[5]);
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the testbed's listeners from " + file, e);
    }
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).strip())
              .findFirst()
              .orElse(cpu);
    } catch (IOException ignored) {
      // not Linux: leave it unknown
    }
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + cpu
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + ", Java "
        + System.getProperty("java.version")
        + ", "
        + Instant.now();
  }

  /** Traffic goes to this machine only. */
  private static void requireLoopback(Endpoint endpoint) {
    try {
      for (InetAddress a : InetAddress.getAllByName(endpoint.host())) {
        if (!a.isLoopbackAddress()) {
          throw new IllegalArgumentException(endpoint + " is not a loopback address: refusing");
        }
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(endpoint + ": " + e.getMessage(), e);
    }
  }

  private int intOpt(String name) {
    return Integer.parseInt(options.get(name));
  }

  private void finding(String text) {
    findings.add(text);
    say("  FINDING: " + text);
  }

  private void section(String title) {
    say("\n=== " + title);
  }

  private void say(String line) {
    System.out.println(line);
    System.out.flush();
    log.append(line).append('\n');
  }
}
