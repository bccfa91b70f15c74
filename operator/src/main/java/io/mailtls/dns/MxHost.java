package io.mailtls.dns;

/** One MX record of a mail domain: the host that receives its mail, and its preference. */
public record MxHost(String name, int preference) {}
