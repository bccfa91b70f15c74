package io.mailtls.policy;

import io.mailtls.dns.MailDomain;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.Target;

/** One entry of a target list: a mail endpoint, or a mail domain whose MX hosts are probed. */
public sealed interface PolicyTarget {

  record Host(Target target) implements PolicyTarget {}

  record Domain(MailDomain domain) implements PolicyTarget {}

  /**
   * Parses {@code scheme://host[:port]} or {@code mx://domain[:port]}; the message of the exception
   * says what is wrong.
   */
  static PolicyTarget parse(String text, String serverName) {
    if (MailDomain.isDomainTarget(text)) {
      if (serverName != null) {
        throw new IllegalArgumentException(
            "a server name does not apply to "
                + text
                + ": each MX host is checked by its own name");
      }
      return new Domain(MailDomain.parse(text));
    }
    return new Host(new Target(Endpoint.parse(text), serverName));
  }
}
