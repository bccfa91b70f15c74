package io.mailtls.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Figure (g): the test receiver under load. {@code mailtls receive} runs as its own process (so its
 * RSS and CPU are its own) with the chart's heap and GC; this JVM is the load generator: JSSE
 * senders doing whole test sessions (greeting, EHLO, STARTTLS, a real TLS 1.3 or 1.2 handshake,
 * EHLO, MAIL, RCPT, DATA refused with the finding, QUIT) from 400 loopback addresses, so that the
 * receiver remembers 10,000 sessions (32 per address at most) by the end. {@code bench/run.sh
 * receiver}; no testbed needed.
 */
public final class ReceiverLoad {
  private static final int ADDRESSES = 400;

  private ReceiverLoad() {}

  public static void main(String[] args) throws Exception {
    String jar = option(args, "jar", "operator/target/mailtls.jar");
    int senders = Integer.parseInt(option(args, "senders", "16"));
    int warmup = Integer.parseInt(option(args, "warmup", "2000"));
    int sessions = Integer.parseInt(option(args, "sessions", "12000"));
    String jvm = option(args, "jvm", "-Xmx128m,-XX:+UseSerialGC");
    Path out = Path.of(option(args, "out", "bench/target/bench-results"));
    Files.createDirectories(out);

    int port = freePort();
    List<String> command = new ArrayList<>(List.of(javaBinary()));
    command.addAll(List.of(jvm.split(",")));
    command.addAll(
        List.of(
            "-jar",
            jar,
            "receive",
            "--listen",
            "127.0.0.1:" + port,
            "--metrics-port",
            "0",
            "--health-port",
            "0",
            "--log-level",
            "warn"));
    Process receiver =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("receiver.log").toFile())
            .start();
    try {
      awaitListening(port);
      SSLContext tls = trustingContext();
      run(tls, port, senders, warmup); // JIT, TLS caches, the receiver's first records
      double cpuBefore = OperatorScale.cpuSeconds(receiver.pid());
      long start = System.nanoTime();
      int failed = run(tls, port, senders, sessions);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpu = OperatorScale.cpuSeconds(receiver.pid()) - cpuBefore;
      long rssPeak = OperatorScale.rssKib(receiver.pid(), "VmHWM");
      new ProcessBuilder("jcmd", String.valueOf(receiver.pid()), "GC.run")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(30, TimeUnit.SECONDS);
      long rss = OperatorScale.rssKib(receiver.pid(), "VmRSS");
      String report =
          String.format(
              "| %d sessions, %d senders at once, %s | %.0f sessions/s | %.2f CPU s per 1,000"
                  + " sessions (receiver) | %d failed | RSS after %d sessions remembered: %d MiB"
                  + " (peak %d MiB) |%n",
              sessions,
              senders,
              jvm,
              sessions / seconds,
              cpu * 1000 / sessions,
              failed,
              Math.min(10_000, warmup + sessions),
              rss / 1024,
              rssPeak / 1024);
      System.out.print(report);
      Files.writeString(out.resolve("receiver-results.md"), report);
    } finally {
      receiver.destroy();
      receiver.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** {@code count} sessions from {@code senders} threads; returns how many failed. */
  private static int run(SSLContext tls, int port, int senders, int count) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < senders; w++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  try {
                    session(tls, port, i);
                  } catch (IOException e) {
                    failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    return failed.get();
  }

  private static void session(SSLContext tls, int port, int i) throws IOException {
    int a = i % ADDRESSES;
    InetAddress from =
        InetAddress.getByAddress(new byte[] {127, 1, (byte) (a / 250), (byte) (1 + a % 250)});
    try (Socket plain = new Socket()) {
      plain.bind(new InetSocketAddress(from, 0));
      plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      plain.setSoTimeout(10_000);
      Dialogue d = new Dialogue(plain);
      d.expect("220");
      d.command("EHLO sender" + a + ".bench.test", "250");
      d.command("STARTTLS", "220");
      SSLSocket socket =
          (SSLSocket) tls.getSocketFactory().createSocket(plain, "receiver.test", port, false);
      socket.setEnabledProtocols(new String[] {i % 2 == 0 ? "TLSv1.3" : "TLSv1.2"});
      socket.startHandshake();
      d = new Dialogue(socket);
      d.command("EHLO sender" + a + ".bench.test", "250");
      d.command("MAIL FROM:<bench@sender.test>", "250");
      d.command("RCPT TO:<probe@receiver.test>", "250");
      d.command("DATA", "554");
      d.command("QUIT", "221");
    }
  }

  /** Commands and replies over one socket; multi-line replies are read to their last line. */
  private static final class Dialogue {
    private final BufferedReader in;
    private final OutputStream out;

    Dialogue(Socket socket) throws IOException {
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      out = socket.getOutputStream();
    }

    void command(String line, String code) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      expect(code);
    }

    void expect(String code) throws IOException {
      String line;
      do {
        line = in.readLine();
        if (line == null || !line.startsWith(code)) {
          throw new IOException("expected " + code + ", got " + line);
        }
      } while (line.length() > 3 && line.charAt(3) == '-');
    }
  }

  private static SSLContext trustingContext() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        new SecureRandom());
    return context;
  }

  private static void awaitListening(int port) throws Exception {
    for (int i = 0; i < 300; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("mailtls receive did not listen on " + port + " within 30 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String option(String[] args, String name, String fallback) {
    for (String arg : args) {
      if (arg.startsWith("--" + name + "=")) {
        return arg.substring(name.length() + 3);
      }
    }
    return fallback;
  }
}
