package io.mailtls.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import org.junit.jupiter.api.Test;

class MailConnectionTest {
  /** Out of descriptors is this process's trouble, not the server's (the JDK's wording). */
  @Test
  void runningOutOfFileDescriptorsIsALocalFailure() {
    assertThat(MailConnection.connectFailure(new SocketException("Too many open files")))
        .isEqualTo(FailureKind.LOCAL_RESOURCES);
    assertThat(FailureKind.LOCAL_RESOURCES.isLocal()).isTrue();
    assertThat(MailConnection.connectFailure(new SocketException("Network is unreachable")))
        .isEqualTo(FailureKind.CONNECTION_FAILED);
    assertThat(FailureKind.CONNECTION_FAILED.isLocal()).isFalse();
  }
}
