package io.mailtls.sender;

/** The sending server's software, as the policy names it: it decides the remediation text. */
public enum SenderSoftware {
  EXCHANGE,
  POSTFIX,
  EXIM,
  OTHER
}
