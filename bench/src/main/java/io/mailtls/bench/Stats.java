package io.mailtls.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median and p90 of a set of timings (nearest-rank percentiles, milliseconds). */
record Stats(int n, double median, double p90, double min, double max) {

  static Stats of(List<Double> samples) {
    if (samples.isEmpty()) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return new Stats(
        sorted.size(),
        percentile(sorted, 50),
        percentile(sorted, 90),
        sorted.getFirst(),
        sorted.getLast());
  }

  /** Nearest rank: the smallest sample with at least p% of the samples at or below it. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
