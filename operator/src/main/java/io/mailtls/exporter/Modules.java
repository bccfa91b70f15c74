package io.mailtls.exporter;

import io.mailtls.policy.ProbeRound;
import io.mailtls.probe.EndpointProber;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The modules /probe answers with, each with its engine, which shares the connection limits of the
 * command line's engine (and so of the policies' probes). Immutable: a reload builds a new set.
 */
final class Modules {
  /** A module and the round that probes with its settings. */
  record Module(ProbeModule settings, ProbeRound round) {}

  private final Map<String, Module> byName;

  private Modules(Map<String, Module> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /**
   * {@code default} (the command line's, unless {@code fromFile} defines it) and the modules of the
   * file.
   *
   * @throws IllegalArgumentException when a module's CA file cannot be read (checked when the file
   *     was read; it may have changed since)
   */
  static Modules of(Map<String, ProbeModule> fromFile, EndpointProber commandLine) {
    Map<String, Module> byName = new LinkedHashMap<>();
    Map<String, ProbeModule> all = new LinkedHashMap<>();
    all.put(ProbeModule.DEFAULT_NAME, ProbeModule.defaults());
    all.putAll(fromFile);
    all.forEach(
        (name, module) ->
            byName.put(
                name,
                new Module(
                    module,
                    new ProbeRound(
                        commandLine.sharingLimits(module.settings(commandLine.settings()))))));
    return new Modules(byName);
  }

  /** The module of this name, or null. */
  Module get(String name) {
    return byName.get(name);
  }

  /** The names, sorted: for a message that lists them. */
  TreeSet<String> names() {
    return new TreeSet<>(byName.keySet());
  }

  int size() {
    return byName.size();
  }
}
