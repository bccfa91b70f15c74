package io.mailtls.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gauge and info samples of one scrape, gathered policy by policy. A family whose samples
 * repeat a label set fails as a whole when it is built, and with it every scrape; so a policy's
 * samples join the scrape only once all of them were made and none repeats a label set ({@link
 * #commit}); otherwise they are dropped ({@link #drop}) and the other policies are still shown. A
 * label without a value is checked here too: the model takes it, and the text writer fails on it.
 */
final class Samples {
  private final Map<String, Family> families = new LinkedHashMap<>();
  private final List<Sample> pending = new ArrayList<>();

  private record Sample(Family family, Labels labels, double value) {}

  private static final class Family {
    final String name;
    final String help;
    final boolean info;
    final List<Sample> samples = new ArrayList<>();
    final Set<Labels> labelSets = new HashSet<>();

    Family(String name, String help, boolean info) {
      this.name = name;
      this.help = help;
      this.info = info;
    }

    MetricSnapshot build() {
      if (info) {
        InfoSnapshot.Builder builder = InfoSnapshot.builder().name(name).help(help);
        samples.forEach(
            s -> builder.dataPoint(InfoDataPointSnapshot.builder().labels(s.labels).build()));
        return builder.build();
      }
      GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
      samples.forEach(
          s ->
              builder.dataPoint(
                  GaugeDataPointSnapshot.builder().labels(s.labels).value(s.value).build()));
      return builder.build();
    }
  }

  /** Declares a gauge family; families are rendered in the order they are declared. */
  Samples gauge(String name, String help) {
    families.put(name, new Family(name, help, false));
    return this;
  }

  /** Declares an info family; {@code name} ends in {@code _info}, which the model adds itself. */
  Samples info(String name, String help) {
    families.put(name, new Family(name.substring(0, name.length() - "_info".length()), help, true));
    return this;
  }

  void add(String family, Labels labels, double value) {
    pending.add(new Sample(families.get(family), labels, value));
  }

  /** An info sample (always 1). */
  void add(String family, Labels labels) {
    add(family, labels, 1);
  }

  /**
   * Adds the pending samples to the scrape; throws, and adds none, when one of them repeats a label
   * set of its family.
   */
  void commit() {
    Map<Family, Set<Labels>> added = new LinkedHashMap<>();
    for (Sample sample : pending) {
      for (int i = 0; i < sample.labels.size(); i++) {
        if (sample.labels.getValue(i) == null) {
          // The model takes it, and the text writer fails on it halfway through the scrape.
          pending.clear();
          throw new IllegalStateException(
              sample.family.name + " has no value for the label " + sample.labels.getName(i));
        }
      }
      Set<Labels> mine = added.computeIfAbsent(sample.family, f -> new HashSet<>());
      if (sample.family.labelSets.contains(sample.labels) || !mine.add(sample.labels)) {
        pending.clear();
        throw new IllegalStateException(
            "two samples of " + sample.family.name + " with the labels " + sample.labels);
      }
    }
    for (Sample sample : pending) {
      sample.family.samples.add(sample);
      sample.family.labelSets.add(sample.labels);
    }
    pending.clear();
  }

  /** Forgets the samples made since the last commit. */
  void drop() {
    pending.clear();
  }

  /** The families that have samples, in the order they were declared. */
  List<MetricSnapshot> snapshots() {
    return families.values().stream().filter(f -> !f.samples.isEmpty()).map(Family::build).toList();
  }
}
