package io.mailtls.policy;

/**
 * Where an endpoint of a mail domain came from.
 *
 * @param preference the MX preference; null for an entry of the domain itself (a null MX, a failed
 *     look-up)
 * @param implicit true when the domain has no MX record and its own name is its mail host
 */
public record MxOrigin(String domain, Integer preference, boolean implicit) {}
