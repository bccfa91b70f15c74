package io.mailtls.policy;

/**
 * Where an endpoint of a mail domain came from.
 *
 * @param preference the MX preference (0 for a domain without MX records, whose own name is its
 *     mail host); null for an entry of the domain itself (a null MX, a failed look-up)
 */
public record MxOrigin(String domain, Integer preference) {}
