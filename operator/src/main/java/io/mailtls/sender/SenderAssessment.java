package io.mailtls.sender;

import io.mailtls.receiver.SessionRecord;

/**
 * A verdict on one expected sender and why.
 *
 * @param evidence the session the verdict rests on, or the latest one seen; null when none
 * @param remediation what to change on the sender, or null when nothing needs changing
 */
public record SenderAssessment(
    String sender,
    SenderVerdict verdict,
    String message,
    String remediation,
    SessionRecord evidence) {

  /** The same finding under another verdict: its remediation and evidence stay. */
  SenderAssessment as(SenderVerdict otherVerdict, String otherMessage) {
    return new SenderAssessment(sender, otherVerdict, otherMessage, remediation, evidence);
  }
}
