package io.mailtls.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one counting rule of every summary: an endpoint that was not probed is unreachable. */
class VerdictCountsTest {
  @Test
  void forbiddenCountsAsUnreachableNotAsNonCompliant() {
    assertThat(
            VerdictCounts.of(
                List.of(
                    Verdict.COMPLIANT,
                    Verdict.DEPRECATED_TLS_ACCEPTED,
                    Verdict.NO_MODERN_TLS,
                    Verdict.STARTTLS_MISSING,
                    Verdict.UNREACHABLE,
                    Verdict.FORBIDDEN)))
        .isEqualTo(new VerdictCounts(6, 1, 3, 2));
  }
}
