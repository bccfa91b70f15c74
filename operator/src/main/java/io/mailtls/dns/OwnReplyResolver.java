package io.mailtls.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;

/**
 * One DNS server, asked over UDP (and over TCP when the answer is truncated, through dnsjava's
 * SimpleResolver). It takes only the reply to its own query: a datagram with another id or another
 * question (a forgery that raced the real answer, a late answer to an earlier query, garbage) is
 * skipped and the real answer still waited for; dnsjava's SimpleResolver fails the query on the
 * first such datagram. The query is sent again every quarter of the timeout, since UDP may lose it,
 * and carries EDNS0 (1,232 bytes, RFC 9715's size) as dnsjava's own resolver did.
 */
final class OwnReplyResolver implements Resolver {
  private static final int MAX_DATAGRAM = 65_535;
  private static final int EDNS_PAYLOAD = 1232;

  /**
   * The receive below blocks its thread for up to the timeout: never a thread of the executor the
   * caller hands in (dnsjava's ExtendedResolver hands in the common fork-join pool, one thread on a
   * two-core machine, which a policy's parallel look-ups would starve).
   */
  private static final Executor QUERIES = Executors.newVirtualThreadPerTaskExecutor();

  private final InetSocketAddress server;
  private Duration timeout = Duration.ofSeconds(10);

  OwnReplyResolver(InetSocketAddress server) {
    this.server = server;
  }

  @Override
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor ignored) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return send(query);
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        },
        QUERIES);
  }

  @Override
  public Message send(Message query) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long resendEvery = Math.max(timeout.toNanos() / 4, Duration.ofMillis(100).toNanos());
    Message sent = query.clone();
    if (sent.getOPT() == null) {
      sent.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    byte[] wire = sent.toWire();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(server);
      long nextSend = System.nanoTime();
      byte[] buffer = new byte[MAX_DATAGRAM];
      while (true) {
        long now = System.nanoTime();
        if (now >= deadline) {
          throw new SocketTimeoutException("no answer from " + server + " in time");
        }
        if (now >= nextSend) {
          socket.send(new DatagramPacket(wire, wire.length));
          nextSend = now + resendEvery;
        }
        socket.setSoTimeout(
            (int) Math.max(1, Duration.ofNanos(Math.min(nextSend, deadline) - now).toMillis()));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          continue; // time to send again, or to give up
        }
        Message reply = parse(packet);
        if (reply != null && answers(reply, query)) {
          return reply.getHeader().getFlag(Flags.TC) ? overTcp(query, deadline) : reply;
        }
      }
    }
  }

  private static Message parse(DatagramPacket packet) {
    try {
      return new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
    } catch (IOException notDns) {
      return null;
    }
  }

  /**
   * The reply to this query: its id, a response, and the same question; or an error with no
   * question at all (some servers answer REFUSED or FORMERR so).
   */
  private static boolean answers(Message reply, Message query) {
    if (reply.getHeader().getID() != query.getHeader().getID()
        || !reply.getHeader().getFlag(Flags.QR)) {
      return false;
    }
    Record asked = query.getQuestion();
    Record answered = reply.getQuestion();
    if (answered == null) {
      return reply.getRcode() != Rcode.NOERROR;
    }
    return answered.getName().equals(asked.getName())
        && answered.getType() == asked.getType()
        && answered.getDClass() == asked.getDClass();
  }

  private Message overTcp(Message query, long deadline) throws IOException {
    SimpleResolver tcp = new SimpleResolver(server);
    tcp.setTCP(true);
    tcp.setTimeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    return tcp.send(query);
  }

  // The rest of dnsjava's Resolver: this resolver always asks plainly, as MailDns needs.

  @Override
  public void setPort(int port) {
    throw new UnsupportedOperationException("the server is given at construction");
  }

  @Override
  public void setTCP(boolean flag) {
    throw new UnsupportedOperationException("UDP first, TCP when truncated");
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    throw new UnsupportedOperationException("a truncated answer is always asked again over TCP");
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    throw new UnsupportedOperationException("no EDNS");
  }

  @Override
  public void setTSIGKey(TSIG key) {
    throw new UnsupportedOperationException("no TSIG");
  }
}
