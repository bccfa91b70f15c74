package io.mailtls.bench;

import io.mailtls.probe.Endpoint;
import io.mailtls.probe.EndpointProber;
import io.mailtls.probe.EndpointResult;
import io.mailtls.probe.ProbeSettings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Figure (a), engine side: one full {@link EndpointProber#probe} of one endpoint (every version, in
 * parallel, plus the certificate), sampled one call at a time in a warm JVM. {@link BenchMain} runs
 * it through the JMH runner with the target of the day.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProbeBenchmark {
  @Param("smtp://127.0.0.1:24026")
  public String target;

  private EndpointProber prober;
  private Endpoint endpoint;

  @Setup
  public void setUp() {
    prober = new EndpointProber(ProbeSettings.defaults());
    endpoint = Endpoint.parse(target);
    EndpointResult first = prober.probe(endpoint, null).only();
    if (first.acceptedVersions().isEmpty()) {
      throw new IllegalStateException(
          target + " accepts no version (" + first.failure() + "): is the testbed running?");
    }
  }

  @Benchmark
  public EndpointResult probe() {
    return prober.probe(endpoint, null).only();
  }
}
