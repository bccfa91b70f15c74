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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
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
    if (records.isEmpty() && answer.records().stream().anyMatch(CNAMERecord.class::isInstance)) {
      // An alias whose target the server did not follow: the MX records are not known.
      return new MxLookup.Failed(
          new DnsProblem(
              DnsProblem.Kind.SERVER_FAILURE,
              text(name)
                  + " MX: "
                  + describe()
                  + " answered with an alias (CNAME) but not its MX records"));
    }
    if (records.isEmpty()) {
      return new MxLookup.Hosts(List.of(new MxHost(text(name), 0)), true, 1);
    }
    // A host listed twice is one endpoint, at its most preferred preference.
    Map<String, Integer> preferences = new TreeMap<>();
    for (MXRecord mx : records) {
      if (!mx.getTarget().equals(Name.root)) {
        preferences.merge(text(mx.getTarget()), mx.getPriority(), Math::min);
      }
    }
    List<MxHost> hosts =
        preferences.entrySet().stream()
            .map(e -> new MxHost(e.getKey(), e.getValue()))
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
    if (AddressText.isLiteral(host)) {
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
      Set<InetAddress> addresses = new LinkedHashSet<>(List.of(all));
      // The C library answers with the IPv4 addresses alone when the AAAA query fails (or the
      // other way round), and says nothing. For a name that DNS knows, ask both families
      // ourselves: an address it adds is probed too, and a family that failed makes the set
      // incomplete, so no verdict rests on the addresses that happened to answer.
      Name name = host.contains(".") ? absolute(host) : null;
      if (name == null) {
        return found(addresses, null);
      }
      Families dns = families(name, timeout);
      if (dns.addresses().isEmpty()) {
        return found(addresses, null); // not in DNS: /etc/hosts or the like answered
      }
      addresses.addAll(dns.addresses());
      return found(addresses, dns.failedFamily());
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
    Families dns = families(name, timeout);
    if (dns.addresses().isEmpty()) {
      // Both failed or both empty: the more telling problem first (a failure over "no record").
      for (Answer answer : List.of(dns.v4(), dns.v6())) {
        if (answer.problem() != null && answer.problem().kind() != DnsProblem.Kind.NAME_NOT_FOUND) {
          return new AddressLookup.Failed(answer.problem());
        }
      }
      if (dns.v4().problem() != null) {
        return new AddressLookup.Failed(dns.v4().problem());
      }
      return new AddressLookup.Failed(
          new DnsProblem(
              DnsProblem.Kind.NO_ADDRESS, host + " has no A or AAAA record (" + describe() + ")"));
    }
    return found(dns.addresses(), dns.failedFamily());
  }

  /** The A and the AAAA answer of a name, asked at once, and their addresses. */
  private record Families(Answer v4, Answer v6, Set<InetAddress> addresses) {
    /** Why one family may be missing (it failed while the other answered); null if none. */
    String failedFamily() {
      for (Answer answer : List.of(v4, v6)) {
        if (answer.problem() != null && answer.problem().kind() != DnsProblem.Kind.NAME_NOT_FOUND) {
          return answer.problem().detail();
        }
      }
      return null;
    }
  }

  private Families families(Name name, Duration timeout) {
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
    return new Families(v4, v6, addresses);
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
      if (!response.getHeader().getFlag(Flags.AA) && !response.getHeader().getFlag(Flags.RA)) {
        // A referral from a server that neither knows the zone nor recurses: no answer at all.
        return problem(
            DnsProblem.Kind.SERVER_FAILURE,
            what + ": " + describe() + " is neither authoritative nor recursive for it");
      }
      return owned(name, what, response.getSection(Section.ANSWER));
    } catch (TimeoutException e) {
      sent.cancel(true);
      return new Answer(List.of(), timedOut(text(name), Type.string(type)));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (isTimeout(cause)) {
        return new Answer(List.of(), timedOut(text(name), Type.string(type)));
      }
      return problem(
          DnsProblem.Kind.SERVER_FAILURE,
          what + ": " + describe() + " did not answer (" + describe(cause) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return problem(DnsProblem.Kind.UNSPECIFIED, what + ": interrupted");
    }
  }

  /** Aliases followed at most; a longer chain (or a loop) is no answer. */
  private static final int MAX_CNAME_CHAIN = 8;

  /**
   * The records of an answer that belong to the question: those owned by the queried name, or by
   * the names its CNAME chain leads to (a DNAME of a parent comes with the CNAME it implies). A
   * record owned by any other name is no part of an answer to this question, and a server that
   * sends one cannot be believed about the rest: the look-up fails, so that a forged or broken
   * answer never becomes a host, an address or a null MX.
   */
  private Answer owned(Name queried, String what, List<Record> records) {
    Set<Name> chain = new LinkedHashSet<>(List.of(queried));
    Name current = queried;
    for (int i = 0; i <= MAX_CNAME_CHAIN; i++) {
      Name next = null;
      for (Record record : records) {
        if (record instanceof CNAMERecord cname && cname.getName().equals(current)) {
          next = cname.getTarget();
        }
      }
      if (next == null) {
        break;
      }
      if (!chain.add(next) || i == MAX_CNAME_CHAIN) {
        return problem(
            DnsProblem.Kind.SERVER_FAILURE,
            what + ": " + describe() + " answered with an alias chain that loops or does not end");
      }
      current = next;
    }
    for (Record record : records) {
      boolean belongs =
          chain.contains(record.getName())
              || (record.getType() == Type.DNAME
                  && chain.stream().anyMatch(n -> n.subdomain(record.getName())));
      if (!belongs) {
        return problem(
            DnsProblem.Kind.SERVER_FAILURE,
            what
                + ": "
                + describe()
                + " answered with a record of another name ("
                + text(record.getName())
                + " "
                + Type.string(record.getType())
                + "), so its answer is not used");
      }
    }
    return new Answer(records, null);
  }

  private Resolver resolver(Duration timeout) {
    List<InetSocketAddress> servers =
        server == null ? ResolverConfig.getCurrentConfig().servers() : List.of(server);
    // The first server may take the whole timeout (a slow recursion is not a failure); it asks
    // again within it (one lost packet must not make a host unreachable) and takes only the reply
    // to its own query. The next is asked when one fails at once (nothing listens there).
    ExtendedResolver resolver =
        new ExtendedResolver(
            servers.stream()
                .map(
                    address -> {
                      OwnReplyResolver own = new OwnReplyResolver(address);
                      own.setTimeout(timeout);
                      return (Resolver) own;
                    })
                .toList());
    resolver.setRetries(1);
    resolver.setTimeout(timeout);
    return resolver;
  }

  /**
   * A query that ran out of time: dnsjava says so with a SocketTimeoutException from the last try,
   * or, when its own overall timeout wins the race, with a plain IOException "Timed out while
   * trying to resolve …". Both are a timeout, never a server failure.
   */
  private static boolean isTimeout(Throwable cause) {
    return cause instanceof InterruptedIOException
        || (cause instanceof IOException
            && cause.getMessage() != null
            && cause.getMessage().toLowerCase(Locale.ROOT).contains("timed out"));
  }

  /** A failure for people: its message, or what it is when it has none (EOFException, say). */
  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
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
}
