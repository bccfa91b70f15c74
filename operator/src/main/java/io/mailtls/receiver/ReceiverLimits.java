package io.mailtls.receiver;

import java.time.Duration;

/**
 * What one sender can make the receiver spend. Sessions past a limit are cut and classified, never
 * left to run: the receiver is reachable by anything that can reach its port.
 *
 * @param maxSessions sessions at once, from all senders
 * @param maxSessionsPerAddress sessions at once from one client address
 * @param idleTimeout how long the receiver waits for the sender's next bytes
 * @param sessionTimeout how long a session may last in all
 * @param maxLineBytes the longest command line (RFC 5321 asks for at least 512)
 * @param maxSessionBytes the most a sender may send in one session
 * @param maxBadCommands unknown or out-of-order commands before the session is cut
 * @param maxRecords sessions remembered in all
 * @param maxRecordsPerAddress sessions remembered per client address, newest kept
 */
public record ReceiverLimits(
    int maxSessions,
    int maxSessionsPerAddress,
    Duration idleTimeout,
    Duration sessionTimeout,
    int maxLineBytes,
    int maxSessionBytes,
    int maxBadCommands,
    int maxRecords,
    int maxRecordsPerAddress) {

  public static ReceiverLimits defaults() {
    return new ReceiverLimits(
        256, 8, Duration.ofSeconds(60), Duration.ofMinutes(3), 2048, 256 * 1024, 20, 10_000, 32);
  }

  public ReceiverLimits withTimeouts(Duration idle, Duration session) {
    return new ReceiverLimits(
        maxSessions,
        maxSessionsPerAddress,
        idle,
        session,
        maxLineBytes,
        maxSessionBytes,
        maxBadCommands,
        maxRecords,
        maxRecordsPerAddress);
  }

  public ReceiverLimits withSessions(int total, int perAddress) {
    return new ReceiverLimits(
        total,
        perAddress,
        idleTimeout,
        sessionTimeout,
        maxLineBytes,
        maxSessionBytes,
        maxBadCommands,
        maxRecords,
        maxRecordsPerAddress);
  }

  public ReceiverLimits withRecords(int total, int perAddress) {
    return new ReceiverLimits(
        maxSessions,
        maxSessionsPerAddress,
        idleTimeout,
        sessionTimeout,
        maxLineBytes,
        maxSessionBytes,
        maxBadCommands,
        total,
        perAddress);
  }
}
