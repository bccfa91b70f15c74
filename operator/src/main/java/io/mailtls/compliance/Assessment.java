package io.mailtls.compliance;

/**
 * A verdict with a one-line explanation of what it means for mail flow, and what to change.
 *
 * @param remediation a hint fitted to the detected server software; null when compliant
 */
public record Assessment(Verdict verdict, String explanation, String remediation) {}
