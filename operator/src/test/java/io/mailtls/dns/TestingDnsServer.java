package io.mailtls.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * A scripted DNS server on a loopback UDP port, for the failures a real zone cannot be made to give
 * on demand (SERVFAIL, silence, an answer that changes between rounds). A name with records of some
 * type answers other types with no data; a name with none is NXDOMAIN.
 */
public final class TestingDnsServer implements AutoCloseable {
  private record Key(Name name, int type) {}

  private final DatagramSocket socket;
  private final Map<Key, List<Record>> records = new ConcurrentHashMap<>();
  private final Map<Key, Integer> failures = new ConcurrentHashMap<>();
  private final Set<Key> silent = ConcurrentHashMap.newKeySet();
  private final Set<Key> referrals = ConcurrentHashMap.newKeySet();
  private final Map<Key, Record> forgeries = new ConcurrentHashMap<>();
  private final Set<Key> truncated = ConcurrentHashMap.newKeySet();
  private java.net.ServerSocket tcp;
  private final Map<Key, java.time.Duration> delays = new ConcurrentHashMap<>();
  private final Thread loop;

  private TestingDnsServer() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    loop = Thread.ofVirtual().start(this::serve);
  }

  public static TestingDnsServer start() throws SocketException {
    return new TestingDnsServer();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
  }

  /** Replaces the records of this name and type. */
  public TestingDnsServer answer(String name, int type, Record... answer) {
    records.put(key(name, type), List.of(answer));
    return this;
  }

  public TestingDnsServer fail(String name, int type, int rcode) {
    failures.put(key(name, type), rcode);
    return this;
  }

  /** Answers as a server that neither knows the zone nor recurses: no AA, no RA, no answer. */
  public TestingDnsServer refer(String name, int type) {
    referrals.add(key(name, type));
    return this;
  }

  /**
   * Answers as an off-path forger and the real server would: first a reply with another id and an
   * address of the forger's choice, then the real answer.
   */
  public TestingDnsServer forgeFirst(String name, int type, Record forged) {
    forgeries.put(key(name, type), forged);
    return this;
  }

  /**
   * Answers with the truncated flag and nothing else, so the client must ask over TCP; over TCP the
   * server (on the same port) accepts the connection and closes it without an answer.
   */
  public TestingDnsServer truncate(String name, int type) throws IOException {
    truncated.add(key(name, type));
    if (tcp == null) {
      tcp = new java.net.ServerSocket(socket.getLocalPort(), 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                while (!tcp.isClosed()) {
                  try {
                    tcp.accept().close();
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
    }
    return this;
  }

  /** Answers after {@code delay}, as a resolver that recurses does (other queries meanwhile). */
  public TestingDnsServer slow(String name, int type, java.time.Duration delay) {
    delays.put(key(name, type), delay);
    return this;
  }

  public TestingDnsServer ignore(String name, int type) {
    silent.add(key(name, type));
    return this;
  }

  public static Name name(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Record mx(String domain, int preference, String host) {
    return new MXRecord(name(domain), DClass.IN, 60, preference, name(host));
  }

  public static Record a(String host, String address) {
    try {
      return new ARecord(name(host), DClass.IN, 60, InetAddress.getByName(address));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Record aaaa(String host, String address) {
    try {
      return new AAAARecord(name(host), DClass.IN, 60, InetAddress.getByName(address));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Key key(String name, int type) {
    return new Key(name(name), type);
  }

  private void serve() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
        Record question = query.getQuestion();
        Key key = new Key(question.getName(), question.getType());
        if (silent.contains(key)) {
          continue;
        }
        Record forged = forgeries.get(key);
        if (forged != null) {
          Message forgery = new Message((query.getHeader().getID() + 1) & 0xFFFF);
          forgery.getHeader().setFlag(Flags.QR);
          forgery.getHeader().setFlag(Flags.AA);
          forgery.addRecord(question, Section.QUESTION);
          forgery.addRecord(forged, Section.ANSWER);
          byte[] wire = forgery.toWire();
          socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (!referrals.contains(key)) {
          response.getHeader().setFlag(Flags.AA);
        }
        response.addRecord(question, Section.QUESTION);
        Integer failure = failures.get(key);
        if (truncated.contains(key)) {
          response.getHeader().setFlag(Flags.TC);
        } else if (referrals.contains(key)) {
          // NOERROR and nothing: what a referral looks like to a stub resolver
        } else if (failure != null) {
          response.getHeader().setRcode(failure);
        } else if (records.containsKey(key)) {
          records.get(key).forEach(r -> response.addRecord(r, Section.ANSWER));
        } else if (records.keySet().stream().noneMatch(k -> k.name().equals(key.name()))) {
          response.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        byte[] wire = response.toWire();
        java.net.SocketAddress client = packet.getSocketAddress();
        java.time.Duration delay = delays.get(key);
        if (delay == null) {
          socket.send(new DatagramPacket(wire, wire.length, client));
        } else {
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(delay);
                      socket.send(new DatagramPacket(wire, wire.length, client));
                    } catch (IOException | InterruptedException e) {
                      // closed meanwhile
                    }
                  });
        }
      } catch (IOException closedOrBroken) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    if (tcp != null) {
      try {
        tcp.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    loop.join();
  }
}
