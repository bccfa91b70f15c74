package io.mailtls.cli;

import picocli.CommandLine.Option;

/** How many policies the probing services (operator, run) probe at once. */
final class ConcurrencyOption {
  @Option(
      names = "--max-concurrent-policies",
      defaultValue = "${env:MAILTLS_MAX_CONCURRENT_POLICIES:-10}",
      description = "Policies probed at once (default: ${DEFAULT-VALUE}).")
  int concurrentPolicies;
}
