package io.mailtls.receiver;

import java.net.InetSocketAddress;

/**
 * How a test receiver listens and behaves.
 *
 * @param listen the address and port to listen on (port 0: any free port)
 * @param hostName the name in the greeting and in the EHLO reply
 */
public record ReceiverSettings(
    InetSocketAddress listen,
    String hostName,
    ReceiverMode mode,
    ReceiverLimits limits,
    ReceiverCertificate certificate) {}
