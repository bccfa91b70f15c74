package io.mailtls.cli;

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

  void apply() {
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
  }
}
