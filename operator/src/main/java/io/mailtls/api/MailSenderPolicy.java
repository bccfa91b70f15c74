package io.mailtls.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The sending servers expected at the test receiver and the TLS they must offer when they send. The
 * operator matches the receiver's sessions to these senders and writes a verdict per sender.
 */
@Group(MailEndpointPolicy.GROUP)
@Version(MailEndpointPolicy.VERSION)
@Plural("mailsenderpolicies")
@ShortNames({"msp", "msps"})
public class MailSenderPolicy extends CustomResource<MailSenderPolicySpec, MailSenderPolicyStatus>
    implements Namespaced {}
