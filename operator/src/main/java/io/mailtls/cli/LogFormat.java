package io.mailtls.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Text for people, JSON lines for log collectors; chosen by a flag, so set after start-up. */
enum LogFormat {
  text("logback.xml"),
  json("logback-json.xml");

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  /** Configures logging in this format, with the root level at {@code level}. */
  void apply(String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL config = LogFormat.class.getClassLoader().getResource(resource);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    context.reset();
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("bad logging configuration " + resource, e);
    }
    Level wanted = Level.toLevel(level, Level.INFO);
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(wanted);
    if (wanted == Level.INFO) {
      return; // the client's and the framework's configured levels (warn, info) stay
    }
    context.getLogger("io.fabric8").setLevel(wanted);
    context.getLogger("io.javaoperatorsdk").setLevel(wanted);
  }
}
