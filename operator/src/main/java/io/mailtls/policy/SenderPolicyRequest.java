package io.mailtls.policy;

import io.mailtls.api.MailSenderPolicySpec;
import io.mailtls.api.MinimumVersion;
import io.mailtls.api.SenderSpec;
import io.mailtls.receiver.SessionHistory;
import io.mailtls.sender.AddressRange;
import io.mailtls.sender.ExpectedSender;
import io.mailtls.sender.SenderAssessment;
import io.mailtls.sender.SenderEvaluator;
import io.mailtls.sender.SenderRequirements;
import io.mailtls.sender.SenderSoftware;
import io.mailtls.text.Durations;
import io.mailtls.tls.TlsVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One MailSenderPolicy's spec, read into the terms of the {@code sender} package, as {@link
 * PolicyRequest} reads a MailEndpointPolicy's: the same in the operator and the standalone mode.
 * Problems the CRD schema cannot catch (an address that looks like one but is not) throw {@link
 * InvalidPolicyException} naming the field.
 */
public final class SenderPolicyRequest {
  private final List<ExpectedSender> senders;
  private final SenderRequirements requirements;

  private SenderPolicyRequest(List<ExpectedSender> senders, SenderRequirements requirements) {
    this.senders = senders;
    this.requirements = requirements;
  }

  public static SenderPolicyRequest from(MailSenderPolicySpec spec) throws InvalidPolicyException {
    if (spec == null || spec.senders() == null || spec.senders().isEmpty()) {
      throw new InvalidPolicyException("spec.senders: at least one sender is required");
    }
    List<String> problems = new ArrayList<>();
    List<ExpectedSender> senders = new ArrayList<>();
    for (int i = 0; i < spec.senders().size(); i++) {
      SenderSpec sender = spec.senders().get(i);
      List<AddressRange> ranges = new ArrayList<>();
      List<String> addresses = Objects.requireNonNullElse(sender.addresses(), List.of());
      for (int j = 0; j < addresses.size(); j++) {
        try {
          ranges.add(AddressRange.parse(addresses.get(j)));
        } catch (IllegalArgumentException e) {
          problems.add("spec.senders[" + i + "].addresses[" + j + "]: " + e.getMessage());
        }
      }
      List<String> names = Objects.requireNonNullElse(sender.ehloNames(), List.of());
      boolean nameOnly = Boolean.TRUE.equals(sender.ehloNameOnly());
      if (addresses.isEmpty() && !(nameOnly && !names.isEmpty())) {
        problems.add(
            "spec.senders["
                + i
                + "].addresses: a sender needs addresses (an EHLO name is a claim any client can"
                + " make), or ehloNames and ehloNameOnly: true");
      } else if (!addresses.isEmpty() && nameOnly) {
        problems.add(
            "spec.senders[" + i + "].ehloNameOnly: applies only to a sender without addresses");
      }
      senders.add(new ExpectedSender(sender.name(), ranges, names, software(sender.software())));
    }
    Duration maxAge = Duration.ofHours(24);
    try {
      maxAge = Durations.parse(Objects.requireNonNullElse(spec.maxRecordAge(), "24h"));
    } catch (IllegalArgumentException e) {
      problems.add("spec.maxRecordAge: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(String.join("; ", problems));
    }
    TlsVersion minimum =
        spec.minimumVersion() == MinimumVersion.TLS_1_3 ? TlsVersion.TLS_1_3 : TlsVersion.TLS_1_2;
    return new SenderPolicyRequest(
        senders,
        new SenderRequirements(minimum, !Boolean.FALSE.equals(spec.requireStartTls()), maxAge));
  }

  public List<ExpectedSender> senders() {
    return senders;
  }

  public SenderRequirements requirements() {
    return requirements;
  }

  /** One assessment per sender, in the spec's order. */
  public List<SenderAssessment> assess(SessionHistory history, Instant now) {
    return senders.stream()
        .map(s -> SenderEvaluator.assess(s, requirements, history, now))
        .toList();
  }

  private static SenderSoftware software(SenderSpec.Software software) {
    return software == null
        ? SenderSoftware.OTHER
        : switch (software) {
          case EXCHANGE -> SenderSoftware.EXCHANGE;
          case POSTFIX -> SenderSoftware.POSTFIX;
          case EXIM -> SenderSoftware.EXIM;
          case OTHER -> SenderSoftware.OTHER;
        };
  }
}
