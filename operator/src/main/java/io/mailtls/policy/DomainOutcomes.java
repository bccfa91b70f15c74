package io.mailtls.policy;

import io.mailtls.compliance.Assessment;
import io.mailtls.compliance.DomainAssessments;
import io.mailtls.dns.DnsProblem;
import io.mailtls.dns.MailDns;
import io.mailtls.dns.MailDomain;
import io.mailtls.probe.Endpoint;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.Failure;
import io.mailtls.probe.FailureKind;
import io.mailtls.probe.MailProtocol;
import io.mailtls.probe.Target;
import io.mailtls.tls.TlsVersion;
import java.time.Instant;
import java.util.List;

/** The entries of a mail domain that are decided by its MX look-up alone, with no probe. */
final class DomainOutcomes {
  private DomainOutcomes() {}

  /** An MX host of the domain, probed with SMTP STARTTLS on the domain's port. */
  static Target mxTarget(MailDomain domain, String host) {
    return new Target(new Endpoint(MailProtocol.SMTP, host, domain.port()), null);
  }

  static EndpointOutcome nullMx(MailDomain domain) {
    return decided(domain, null, List.of(), DomainAssessments.nullMx(domain.name()));
  }

  static EndpointOutcome lookupFailed(
      MailDomain domain, DnsProblem problem, List<TlsVersion> versions) {
    return decided(
        domain,
        Failure.of(FailureKind.of(problem.kind()), problem.detail()),
        versions,
        DomainAssessments.lookupFailed(domain.name(), problem.detail()));
  }

  /** An MX record whose target is an address literal: not a mail host anyone delivers to. */
  static EndpointOutcome mxTargetIsAddress(MailDomain domain, String host, int preference) {
    Target target = mxTarget(domain, host);
    return new EndpointOutcome(
        target,
        new MxOrigin(domain.name(), preference),
        EndpointResult.notProbed(target, List.of(), null, Instant.now()),
        DomainAssessments.mxTargetIsAddress(host),
        List.of());
  }

  static EndpointOutcome tooManyMxHosts(MailDomain domain, int found, List<TlsVersion> versions) {
    return decided(
        domain, null, List.of(), DomainAssessments.tooManyMxHosts(found, MailDns.MAX_MX_HOSTS));
  }

  private static EndpointOutcome decided(
      MailDomain domain, Failure failure, List<TlsVersion> versions, Assessment assessment) {
    Target target = mxTarget(domain, domain.name());
    return new EndpointOutcome(
        target,
        new MxOrigin(domain.name(), null),
        EndpointResult.notProbed(target, versions, failure, Instant.now()),
        assessment,
        List.of());
  }
}
