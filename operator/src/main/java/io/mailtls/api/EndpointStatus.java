package io.mailtls.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the last probe round found for one endpoint. */
// Fields a newer or older operator wrote must not stop this one from reading the policy.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointStatus(
    @JsonPropertyDescription(
            "The endpoint, as scheme://host:port; mx://domain for an entry of a mail domain itself"
                + " (a null MX, a failed MX look-up).")
        String target,
    @JsonPropertyDescription("The name sent in SNI and matched against the certificate.")
        String serverName,
    @JsonPropertyDescription("The protocol versions the endpoint accepted, oldest first.")
        List<String> acceptedVersions,
    @JsonPropertyDescription(
            "The versions that could not be tested (a timeout or a lost connection), so neither"
                + " accepted nor refused.")
        List<String> untestedVersions,
    @JsonPropertyDescription("The newest accepted version.") String bestVersion,
    @JsonPropertyDescription(
            "Compliant, DeprecatedTLSAccepted, NoModernTLS, StartTLSMissing, Unreachable,"
                + " Forbidden (the operator may not connect there) or NullMX (a mail domain that"
                + " accepts no mail, RFC 7505).")
        String verdict,
    @JsonPropertyDescription(
            "For Unreachable, Forbidden and StartTLSMissing, the failure class that decided the"
                + " verdict: "
                + FAILURE_CLASSES
                + ". Absent when the verdict comes from the versions the endpoint accepted.")
        String failure,
    @JsonPropertyDescription("The verdict explained for people.") String message,
    @JsonPropertyDescription("What to change on the server, fitted to the detected software.")
        String remediation,
    @JsonPropertyDescription("When the server certificate expires (RFC 3339).")
        String certificateNotAfter,
    @JsonPropertyDescription("The mail server software recognised from its banner and replies.")
        String serverSoftware,
    @JsonPropertyDescription("When this endpoint was last probed (RFC 3339).") String lastProbeTime,
    @JsonPropertyDescription(
            "For an endpoint that comes from an mx:// target: the mail domain whose MX host it is.")
        String domain,
    @JsonPropertyDescription(
            "The MX preference of this host (lower is tried first); 0 for a domain without MX"
                + " records, whose own name receives its mail (implicit MX).")
        Integer mxPreference,
    @JsonPropertyDescription(
            "One entry per address when the host name has several (A and AAAA, at most 8): the"
                + " endpoint's verdict is the worst of them, and its message names that address.")
        List<AddressStatus> addresses) {

  /**
   * Every value {@link #failure} can take, as the engine names them (FailureKind.reason()); a test
   * holds this list to the code.
   */
  static final String FAILURE_CLASSES =
      "DnsFailure, DnsNameNotFound, DnsNoAddress, DnsServerFailure, DnsTimeout, Forbidden, ConnectionRefused, ConnectionFailed, ConnectTimeout, GreetingTimeout,"
          + " StartTLSTimeout, StartTLSNotAdvertised, StartTLSRefused, ServiceRefused,"
          + " TemporarilyRefused, StartTLSStripped,"
          + " NotAMailServer, ProtocolError, ProbeError, OperatorBusy, LocalResources, DeadlineExceeded, TLSAlert, HandshakeDropped, OtherVersion,"
          + " HandshakeTimeout, NotTLS";
}
