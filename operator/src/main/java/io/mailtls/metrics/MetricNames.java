package io.mailtls.metrics;

/** The names of the mailtls series, in one place (dashboards and alert rules use them). */
final class MetricNames {
  static final String TLS_VERSION_ACCEPTED = "mailtls_endpoint_tls_version_accepted";
  static final String COMPLIANT = "mailtls_endpoint_compliant";
  static final String UP = "mailtls_endpoint_up";
  static final String INFO = "mailtls_endpoint_info";
  static final String ADDRESS_INFO = "mailtls_endpoint_address_info";
  static final String CERTIFICATE_EXPIRY = "mailtls_endpoint_certificate_expiry_timestamp_seconds";
  static final String LAST_PROBE = "mailtls_endpoint_last_probe_timestamp_seconds";
  static final String INTERVAL = "mailtls_policy_interval_seconds";
  static final String PROBE_DURATION = "mailtls_probe_duration";
  static final String PROBE_FAILURES = "mailtls_probe_failures";
  static final String BUILD_INFO = "mailtls_build_info";
  static final String RENDER_FAILURES = "mailtls_metrics_render_failures";
  static final String PROBE_SUCCESS = "probe_success";
  static final String PROBE_SECONDS = "probe_duration_seconds";
  static final String PROBE_FAILURE_INFO = "mailtls_probe_failure_info";
  static final String PROBE_CONFIG_RELOAD_SUCCESSFUL =
      "mailtls_probe_config_last_reload_successful";
  static final String PROBE_CONFIG_RELOAD_TIMESTAMP =
      "mailtls_probe_config_last_reload_success_timestamp_seconds";
  static final String SENDER_COMPLIANT = "mailtls_sender_compliant";
  static final String SENDER_INFO = "mailtls_sender_info";
  static final String SENDER_OFFERED = "mailtls_sender_tls_version_offered";
  static final String SENDER_LAST_SEEN = "mailtls_sender_last_seen_timestamp_seconds";
  static final String SENDER_SESSIONS = "mailtls_sender_sessions";

  private MetricNames() {}
}
