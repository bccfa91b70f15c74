package io.mailtls.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A list of mail endpoints and the TLS they must speak. The operator probes every endpoint on the
 * policy's interval and writes the verdicts into the status.
 */
@Group(MailEndpointPolicy.GROUP)
@Version(MailEndpointPolicy.VERSION)
@Plural("mailendpointpolicies")
@ShortNames({"mep", "meps"})
public class MailEndpointPolicy
    extends CustomResource<MailEndpointPolicySpec, MailEndpointPolicyStatus> implements Namespaced {
  public static final String GROUP = "mailtls.io";
  public static final String VERSION = "v1alpha1";
}
