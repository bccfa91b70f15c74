package io.mailtls.sender;

import io.mailtls.receiver.ExpectedAddresses;
import io.mailtls.receiver.SessionRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The senders every sender policy expects, to tell expected sessions from strangers'. */
public final class KnownSenders implements ExpectedAddresses {
  private final Map<String, List<ExpectedSender>> byPolicy = new ConcurrentHashMap<>();

  public void put(String policyKey, List<ExpectedSender> senders) {
    byPolicy.put(policyKey, List.copyOf(senders));
  }

  public void remove(String policyKey) {
    byPolicy.remove(policyKey);
  }

  public boolean isExpected(SessionRecord session) {
    return byPolicy.values().stream().flatMap(List::stream).anyMatch(s -> s.matches(session));
  }

  @Override
  public boolean any() {
    return byPolicy.values().stream().flatMap(List::stream).anyMatch(s -> !s.addresses().isEmpty());
  }

  /** Whether an expected sender is known by this address (see {@link ExpectedAddresses}). */
  @Override
  public boolean contains(String clientAddress) {
    return byPolicy.values().stream()
        .flatMap(List::stream)
        .anyMatch(s -> s.hasAddress(clientAddress));
  }
}
