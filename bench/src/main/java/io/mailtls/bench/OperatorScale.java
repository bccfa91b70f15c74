package io.mailtls.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.mailtls.api.EndpointSpec;
import io.mailtls.api.MailEndpointPolicy;
import io.mailtls.api.MailEndpointPolicySpec;
import io.mailtls.api.StatusSummary;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The operator at scale: {@code mailtls operator} as its own process (so its RSS is its own),
 * against Fabric8's mock API server in CRUD mode run here, with N policies of 5 testbed endpoints
 * each. Reports the time until every policy has a status from its first round, and the operator's
 * RSS.
 *
 * <p>With {@code --host-per-policy}, each policy has a loopback host of its own (127.0.10.1,
 * 127.0.10.2, …) whose five standard mail ports (25, 587, 143, 993, 110) are proxies to the five
 * testbed servers: N policies make 5N distinct endpoints on N hosts, as a fleet of mail servers
 * would, and the operator runs with its default flags (port guard and limits included). Without it,
 * all policies share the five testbed endpoints on 127.0.0.1.
 *
 * <p>Arguments: {@code --policies=1000 --host-per-policy --delay-ms=0
 * --jar=operator/target/mailtls.jar --out=DIR --jvm=-Xmx128m,-XX:+UseSerialGC
 * --operator-args=--max-connections-per-host,20} (lists comma-separated).
 */
public final class OperatorScale {
  /** 3 compliant, 2 deprecated-TLS endpoints of the testbed; no sequential s_server among them. */
  static final List<String> ENDPOINTS =
      List.of(
          "smtp://127.0.0.1:24025",
          "smtp://127.0.0.1:24026",
          "imap://127.0.0.1:24143",
          "imaps://127.0.0.1:24993",
          "pop3://127.0.0.1:24110");

  /** The standard ports of a policy's own host, proxied to ENDPOINTS in the same order. */
  static final List<String> SCHEMES = List.of("smtp", "submission", "imap", "imaps", "pop3");

  static final List<Integer> STANDARD_PORTS = List.of(25, 587, 143, 993, 110);

  static final StatusSummary EXPECTED = new StatusSummary(5, 3, 2, 0);

  /**
   * The mock server logs every request at INFO: at this scale, work that the shared cores cannot
   * spare. Held here so that the level is not lost with a collected logger.
   */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  public static void main(String[] args) throws Exception {
    Map<String, String> options =
        java.util.Arrays.stream(args)
            .map(a -> a.replaceFirst("^--", "").split("=", 2))
            .collect(Collectors.toMap(a -> a[0], a -> a.length > 1 ? a[1] : "true"));
    int policies = Integer.parseInt(options.getOrDefault("policies", "1000"));
    Path jar = Path.of(options.getOrDefault("jar", "operator/target/mailtls.jar"));
    Path out = Path.of(options.getOrDefault("out", "bench/target/bench-results"));
    List<String> jvm = List.of(options.getOrDefault("jvm", "-Xmx128m,-XX:+UseSerialGC").split(","));
    List<String> operatorArgs =
        options.containsKey("operator-args")
            ? List.of(options.get("operator-args").split(","))
            : List.of();
    Path crd = Path.of(options.getOrDefault("crd", "crds/mailendpointpolicies.mailtls.io-v1.yml"));
    boolean hostPerPolicy = Boolean.parseBoolean(options.getOrDefault("host-per-policy", "false"));
    Duration delay = Duration.ofMillis(Long.parseLong(options.getOrDefault("delay-ms", "0")));
    Files.createDirectories(out);
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    List<DelayProxy> proxies = new ArrayList<>();
    List<Process> proxyProcesses = new ArrayList<>();
    if (hostPerPolicy) {
      // Each process may open 20,000 files here (the hard limit): hosts beyond the first
      // HOSTS_PER_PROCESS get their proxies in processes of their own.
      proxies.addAll(startHosts(0, Math.min(policies, HOSTS_PER_PROCESS), delay));
      for (int from = HOSTS_PER_PROCESS; from < policies; from += HOSTS_PER_PROCESS) {
        proxyProcesses.add(
            DelayHosts.spawn(from, Math.min(policies, from + HOSTS_PER_PROCESS), delay, out));
      }
    }

    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient client = server.createClient()) {
      try (InputStream in = Files.newInputStream(crd)) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(in)
            .createOr(NonDeletingOperation::update);
      }
      double createSeconds = createPolicies(client, policies, hostPerPolicy);

      List<String> command =
          new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
      command.addAll(jvm);
      command.addAll(
          List.of(
              "-jar", jar.toString(), "operator", "--no-leader-election", "--health-port", "0"));
      if (!hostPerPolicy) {
        // The testbed listens on non-mail ports, which the operator's default guard refuses.
        command.addAll(
            List.of(
                "--allow-ports",
                ENDPOINTS.stream()
                    .map(e -> e.substring(e.lastIndexOf(':') + 1))
                    .collect(Collectors.joining(","))));
      }
      command.addAll(operatorArgs);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.resolve("scale-operator.log").toFile());
      // Fabric8's client takes the API server from the environment; no kubeconfig, no token.
      builder.environment().put("KUBERNETES_MASTER", server.url("/"));
      builder.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
      builder.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
      long started = System.nanoTime();
      Process operator = builder.start();
      try {
        String layout =
            hostPerPolicy
                ? policies + " hosts x 5 standard ports, one-way delay " + delay.toMillis() + " ms"
                : "5 testbed endpoints shared";
        run(client, operator, started, policies, jvm, operatorArgs, layout, out, createSeconds);
      } finally {
        operator.destroy();
        operator.waitFor();
      }
    } finally {
      server.destroy();
      proxies.forEach(DelayProxy::close);
      proxyProcesses.forEach(Process::destroy);
    }
  }

  /** Policy i's own loopback host: 127.0.10.1 upwards, 250 hosts per /24. */
  static String host(int policy) {
    return "127.0." + (10 + policy / 250) + "." + (1 + policy % 250);
  }

  /** Hosts whose proxies one process holds: five listeners each, 12,500 files in all. */
  static final int HOSTS_PER_PROCESS = 2500;

  /**
   * Five proxies per host for the hosts of policies {@code from} (inclusive) to {@code to}, from
   * their standard mail ports to the five testbed servers.
   */
  static List<DelayProxy> startHosts(int from, int to, Duration delay) throws IOException {
    List<DelayProxy> proxies = new ArrayList<>();
    InetAddress testbed = InetAddress.getLoopbackAddress();
    for (int i = from; i < to; i++) {
      InetAddress host = InetAddress.getByName(host(i));
      for (int e = 0; e < ENDPOINTS.size(); e++) {
        String endpoint = ENDPOINTS.get(e);
        int testbedPort = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        proxies.add(
            DelayProxy.start(
                new InetSocketAddress(host, STANDARD_PORTS.get(e)),
                new InetSocketAddress(testbed, testbedPort),
                delay));
      }
    }
    return proxies;
  }

  private static List<String> endpointsOf(int policy, boolean hostPerPolicy) {
    return hostPerPolicy
        ? SCHEMES.stream().map(scheme -> scheme + "://" + host(policy)).toList()
        : ENDPOINTS;
  }

  /** Creates the policies before the operator starts, so its first round covers them all. */
  private static double createPolicies(
      KubernetesClient client, int policies, boolean hostPerPolicy) {
    long t0 = System.nanoTime();
    for (int i = 0; i < policies; i++) {
      MailEndpointPolicy policy = new MailEndpointPolicy();
      policy.getMetadata().setName("policy-" + i);
      policy.getMetadata().setNamespace("ns-" + (i % 10));
      policy.setSpec(
          new MailEndpointPolicySpec(
              endpointsOf(i, hostPerPolicy).stream().map(EndpointSpec::new).toList(),
              null,
              null,
              null,
              null,
              null));
      client.resource(policy).create();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void run(
      KubernetesClient client,
      Process operator,
      long t0,
      int policies,
      List<String> jvm,
      List<String> operatorArgs,
      String layout,
      Path out,
      double createSeconds)
      throws Exception {
    long pid = operator.pid();
    long[] machineAtStart = machineTicks();
    long rssMax = 0;
    // Statuses are counted from a watch, not by listing every policy again and again: at thousands
    // of policies a list every 250 ms cost the shared 2 cores more than the operator's own work.
    Map<String, StatusSummary> summaries = new ConcurrentHashMap<>();
    AtomicLong lastStatusNanos = new AtomicLong();
    try (var watch =
        client
            .resources(MailEndpointPolicy.class)
            .inAnyNamespace()
            .watch(
                new Watcher<MailEndpointPolicy>() {
                  @Override
                  public void eventReceived(Action action, MailEndpointPolicy policy) {
                    if (policy.getStatus() != null && policy.getStatus().summary() != null) {
                      summaries.put(
                          policy.getMetadata().getNamespace()
                              + "/"
                              + policy.getMetadata().getName(),
                          policy.getStatus().summary());
                      lastStatusNanos.set(System.nanoTime());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      while (summaries.size() < policies) {
        if (!operator.isAlive()) {
          throw new IllegalStateException("the operator exited; see scale-operator.log");
        }
        Thread.sleep(250);
        rssMax = Math.max(rssMax, rssKib(pid, "VmRSS"));
        if ((System.nanoTime() - t0) / 1e9 > 1200) {
          throw new IllegalStateException(
              "only " + summaries.size() + " of " + policies + " policies after 20 min");
        }
      }
    }
    int wrong = (int) summaries.values().stream().filter(s -> !s.equals(EXPECTED)).count();
    double roundSeconds = (lastStatusNanos.get() - t0) / 1e9;
    long peak = rssKib(pid, "VmHWM");
    double cpuSeconds = cpuSeconds(pid);
    double userSeconds = userSeconds(pid);
    long[] machineAtEnd = machineTicks();
    double machineBusy =
        100.0 * (machineAtEnd[0] - machineAtStart[0]) / (machineAtEnd[1] - machineAtStart[1]);
    Thread.sleep(10_000);
    long idle = rssKib(pid, "VmRSS");
    if (jvm.stream().anyMatch(flag -> flag.startsWith("-XX:NativeMemoryTracking="))) {
      // Where the memory goes, by the JVM's own account, after the round.
      new ProcessBuilder("jcmd", String.valueOf(pid), "VM.native_memory", "summary")
          .redirectErrorStream(true)
          .redirectOutput(out.resolve("scale-nmt.txt").toFile())
          .start()
          .waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    String result =
        String.format(
            "| %d policies x %d endpoints (%s) | JVM %s | %s | (created beforehand in %.1f s) | operator start"
                + " to every status written %.1f s (%.0f endpoints/s), operator CPU %.1f s (user %.1f s),"
                + " machine busy %.0f %% | wrong"
                + " summaries %d | RSS"
                + " max sampled %d MiB, peak (VmHWM) %d MiB, idle 10 s later %d MiB |%n",
            policies,
            ENDPOINTS.size(),
            layout,
            String.join(" ", jvm),
            operatorArgs.isEmpty() ? "default flags" : String.join(" ", operatorArgs),
            createSeconds,
            roundSeconds,
            policies * ENDPOINTS.size() / roundSeconds,
            cpuSeconds,
            userSeconds,
            machineBusy,
            wrong,
            rssMax / 1024,
            peak / 1024,
            idle / 1024);
    System.out.print(result);
    Files.writeString(
        out.resolve("scale-results.md"),
        result,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  static long rssKib(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** User plus system CPU time of a process, from /proc (clock ticks of 1/100 s). */
  static double cpuSeconds(long pid) throws IOException {
    return userSeconds(pid) + systemSeconds(pid);
  }

  static double userSeconds(long pid) throws IOException {
    return statField(pid, 11) / 100.0;
  }

  static double systemSeconds(long pid) throws IOException {
    return statField(pid, 12) / 100.0;
  }

  private static long statField(long pid, int index) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index]);
  }

  /** The whole machine's busy and total CPU ticks so far (/proc/stat; idle and iowait are idle). */
  static long[] machineTicks() throws IOException {
    String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < cpu.length; i++) {
      total += Long.parseLong(cpu[i]);
    }
    long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
    return new long[] {total - idle, total};
  }
}
