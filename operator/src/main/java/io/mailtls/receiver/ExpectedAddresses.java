package io.mailtls.receiver;

import java.util.function.Predicate;

/**
 * Which client addresses belong to expected senders. By address only: an address is what a client
 * cannot claim, an EHLO name anyone can say. Expected senders' sessions get a reserved share of the
 * receiver's sessions and a memory of their own, so that no number of strangers locks them out or
 * pushes their records out.
 */
public interface ExpectedAddresses {
  ExpectedAddresses NONE =
      new ExpectedAddresses() {
        @Override
        public boolean any() {
          return false;
        }

        @Override
        public boolean contains(String clientAddress) {
          return false;
        }
      };

  /** Expected senders known by the addresses {@code contains} accepts. */
  static ExpectedAddresses of(Predicate<String> contains) {
    return new ExpectedAddresses() {
      @Override
      public boolean any() {
        return true;
      }

      @Override
      public boolean contains(String clientAddress) {
        return contains.test(clientAddress);
      }
    };
  }

  /** Whether some expected sender is known by an address at all. */
  boolean any();

  boolean contains(String clientAddress);
}
