package io.mailtls.dns;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS answers the engine needs: a mail domain's MX hosts and a host's addresses. MX records
 * come from dnsjava, through the system's resolvers ({@code /etc/resolv.conf}) or one DNS server
 * given by the user. Addresses come from the system resolver (so {@code /etc/hosts} and the
 * machine's name service apply), or from that DNS server when one is given. Each look-up is bounded
 * by its timeout and never throws: a failure is a {@link DnsProblem}. Nothing is cached here, so
 * every round sees the current records.
 */
public final class MailDns {
  /** Addresses probed per host name; a name with more is probed at the first ones only. */
  public static final int MAX_ADDRESSES = 8;

  /** MX hosts probed per mail domain, the most preferred first. */
  public static final int MAX_MX_HOSTS = 10;

  /** Runs system look-ups, which the JDK cannot interrupt, so that a caller can stop waiting. */
  private static final ExecutorService SYSTEM_LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

  private final InetSocketAddress server;

  private MailDns(InetSocketAddress server) {
    this.server = server;
  }

  /** Through the machine's own resolver configuration. */
  public static MailDns system() {
    return new MailDns(null);
  }

  /** Through one DNS server (a recursive resolver, or the authoritative server of a test zone). */
  public static MailDns server(InetSocketAddress server) {
    return new MailDns(server);
  }

  /** Chooses by whether a server was given. */
  public static MailDns of(InetSocketAddress serverOrNull) {
    return serverOrNull == null ? system() : server(serverOrNull);
  }

  /** The DNS server asked, for messages: the given one, or "the system resolver". */
  public String describe() {
    return server == null
        ? "the system resolver"
        : AddressText.of(server.getAddress()) + " port " + server.getPort();
  }

  /**
   * The hosts that receive mail for {@code domain}: its MX records, the domain itself when it has
   * none (implicit MX), or the null MX.
   */
  public MxLookup mx(String domain, Duration timeout) {
    Name name = absolute(domain);
    if (name == null) {
      return new MxLookup.Failed(notAName(domain));
    }
    Answer answer = ask(name, Type.MX, timeout);
    if (answer.problem() != null) {
      return new MxLookup.Failed(answer.problem());
    }
    List<MXRecord> records =
        answer.records().stream()
            .filter(MXRecord.class::isInstance)
            .map(MXRecord.class::cast)
            .toList();
    if (records.isEmpty()) {
      return new MxLookup.Hosts(List.of(new MxHost(text(name), 0)), true, 1);
    }
    List<MxHost> hosts =
        records.stream()
            .filter(mx -> !mx.getTarget().equals(Name.root))
            .map(mx -> new MxHost(text(mx.getTarget()), mx.getPriority()))
            .distinct()
            .sorted(Comparator.comparingInt(MxHost::preference).thenComparing(MxHost::name))
            .toList();
    if (hosts.isEmpty()) {
      return new MxLookup.NullMx();
    }
    return new MxLookup.Hosts(
        hosts.subList(0, Math.min(hosts.size(), MAX_MX_HOSTS)), false, hosts.size());
  }

  /** Every A and AAAA address of {@code host} (an address literal is its own answer). */
  public AddressLookup addresses(String host, Duration timeout) {
    if (isAddressLiteral(host)) {
      try {
        return new AddressLookup.Found(List.of(InetAddress.getByName(host)), null);
      } catch (UnknownHostException e) {
        return new AddressLookup.Failed(
            new DnsProblem(DnsProblem.Kind.NAME_NOT_FOUND, host + " is not an address"));
      }
    }
    return server == null ? systemAddresses(host, timeout) : serverAddresses(host, timeout);
  }

  private AddressLookup systemAddresses(String host, Duration timeout) {
    CompletableFuture<InetAddress[]> lookup =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return InetAddress.getAllByName(host);
              } catch (UnknownHostException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            },
            SYSTEM_LOOKUPS);
    try {
      InetAddress[] all = lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return found(new LinkedHashSet<>(List.of(all)), null);
    } catch (TimeoutException e) {
      lookup.cancel(true);
      return new AddressLookup.Failed(timedOut(host, "A/AAAA"));
    } catch (ExecutionException e) {
      return new AddressLookup.Failed(systemProblem(host, e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new AddressLookup.Failed(
          new DnsProblem(DnsProblem.Kind.UNSPECIFIED, host + ": interrupted"));
    }
  }

  /**
   * The JDK reports every failure as UnknownHostException; its message is the C library's, which
   * tells the common cases apart (glibc's gai_strerror texts).
   */
  private DnsProblem systemProblem(String host, Throwable cause) {
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    DnsProblem.Kind kind;
    if (message.contains("Name or service not known") || message.contains("nodename nor")) {
      kind = DnsProblem.Kind.NAME_NOT_FOUND;
    } else if (message.contains("No address associated")) {
      kind = DnsProblem.Kind.NO_ADDRESS;
    } else if (message.contains("Temporary failure")) {
      kind = DnsProblem.Kind.SERVER_FAILURE;
    } else {
      kind = DnsProblem.Kind.UNSPECIFIED;
    }
    String detail = message.startsWith(host) ? message : host + ": " + message;
    return new DnsProblem(kind, detail + " (" + describe() + ")");
  }

  private AddressLookup serverAddresses(String host, Duration timeout) {
    Name name = absolute(host);
    if (name == null) {
      return new AddressLookup.Failed(notAName(host));
    }
    CompletableFuture<Answer> a =
        CompletableFuture.supplyAsync(() -> ask(name, Type.A, timeout), SYSTEM_LOOKUPS);
    CompletableFuture<Answer> aaaa =
        CompletableFuture.supplyAsync(() -> ask(name, Type.AAAA, timeout), SYSTEM_LOOKUPS);
    Answer v4 = a.join();
    Answer v6 = aaaa.join();
    Set<InetAddress> addresses = new LinkedHashSet<>();
    for (Answer answer : List.of(v4, v6)) {
      for (Record record : answer.records()) {
        if (record instanceof ARecord r) {
          addresses.add(r.getAddress());
        } else if (record instanceof AAAARecord r) {
          addresses.add(r.getAddress());
        }
      }
    }
    if (addresses.isEmpty()) {
      // Both failed or both empty: the more telling problem first (a failure over "no record").
      if (v4.problem() != null && v4.problem().kind() != DnsProblem.Kind.NAME_NOT_FOUND) {
        return new AddressLookup.Failed(v4.problem());
      }
      if (v6.problem() != null && v6.problem().kind() != DnsProblem.Kind.NAME_NOT_FOUND) {
        return new AddressLookup.Failed(v6.problem());
      }
      if (v4.problem() != null) {
        return new AddressLookup.Failed(v4.problem());
      }
      return new AddressLookup.Failed(
          new DnsProblem(
              DnsProblem.Kind.NO_ADDRESS, host + " has no A or AAAA record (" + describe() + ")"));
    }
    // One family answered, the other failed: the addresses found are not known to be all.
    Answer failed = v4.problem() != null ? v4 : v6.problem() != null ? v6 : null;
    String incomplete =
        failed == null || failed.problem().kind() == DnsProblem.Kind.NAME_NOT_FOUND
            ? null
            : failed.problem().detail();
    return found(addresses, incomplete);
  }

  /**
   * Servers rotate the order of their records; sorted (IPv4 first, each family in address order),
   * the same addresses give the same results, the same limit and the same status every round.
   */
  private static final Comparator<InetAddress> ADDRESS_ORDER =
      Comparator.<InetAddress>comparingInt(a -> a.getAddress().length)
          .thenComparing(InetAddress::getAddress, java.util.Arrays::compareUnsigned);

  private static AddressLookup found(Set<InetAddress> addresses, String incomplete) {
    List<InetAddress> all = new ArrayList<>(addresses);
    all.sort(ADDRESS_ORDER);
    if (all.size() > MAX_ADDRESSES) {
      return new AddressLookup.Found(
          all.subList(0, MAX_ADDRESSES),
          "only the first "
              + MAX_ADDRESSES
              + " of its "
              + all.size()
              + " addresses were probed (the limit per name)");
    }
    return new AddressLookup.Found(all, incomplete);
  }

  /** The records of one answer, or the problem that kept it from coming. */
  private record Answer(List<Record> records, DnsProblem problem) {}

  private Answer ask(Name name, int type, Duration timeout) {
    String what = text(name) + " " + Type.string(type);
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    Resolver resolver = resolver(timeout);
    CompletableFuture<Message> sent = resolver.sendAsync(query).toCompletableFuture();
    try {
      Message response = sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      int rcode = response.getRcode();
      if (rcode == Rcode.NXDOMAIN) {
        return problem(DnsProblem.Kind.NAME_NOT_FOUND, what + ": no such name (NXDOMAIN)");
      }
      if (rcode != Rcode.NOERROR) {
        return problem(
            DnsProblem.Kind.SERVER_FAILURE,
            what + ": " + Rcode.string(rcode) + " from " + describe());
      }
      return new Answer(response.getSection(Section.ANSWER), null);
    } catch (TimeoutException e) {
      sent.cancel(true);
      return new Answer(List.of(), timedOut(text(name), Type.string(type)));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedIOException) {
        return new Answer(List.of(), timedOut(text(name), Type.string(type)));
      }
      return problem(
          DnsProblem.Kind.SERVER_FAILURE,
          what
              + ": "
              + describe()
              + " did not answer ("
              + (cause instanceof IOException ? cause.getMessage() : String.valueOf(cause))
              + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return problem(DnsProblem.Kind.UNSPECIFIED, what + ": interrupted");
    }
  }

  private Resolver resolver(Duration timeout) {
    Resolver resolver = server == null ? Lookup.getDefaultResolver() : new SimpleResolver(server);
    if (server != null) {
      resolver.setTimeout(timeout);
    }
    return resolver;
  }

  private DnsProblem timedOut(String name, String type) {
    return new DnsProblem(
        DnsProblem.Kind.TIMEOUT, name + " " + type + ": no answer from " + describe() + " in time");
  }

  private static Answer problem(DnsProblem.Kind kind, String detail) {
    return new Answer(List.of(), new DnsProblem(kind, detail));
  }

  /** The name as an absolute DNS name (no search domains), or null when it is not one. */
  private static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return null;
    }
  }

  private static DnsProblem notAName(String name) {
    return new DnsProblem(DnsProblem.Kind.NAME_NOT_FOUND, name + " is not a DNS name");
  }

  private static String text(Name name) {
    String text = name.toString(true);
    return text.toLowerCase(Locale.ROOT);
  }

  private static boolean isAddressLiteral(String host) {
    return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }
}
