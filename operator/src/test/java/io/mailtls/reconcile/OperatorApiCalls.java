package io.mailtls.reconcile;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes API calls the operator makes, as "group resource verb" (core group empty). The
 * operator tests check that every call they record is in this list, and the chart test checks that
 * the chart's RBAC grants exactly this list.
 */
public final class OperatorApiCalls {
  public static final Set<String> ON_POLICIES =
      Set.of(
          "mailtls.io mailendpointpolicies get",
          "mailtls.io mailendpointpolicies list",
          "mailtls.io mailendpointpolicies watch",
          "mailtls.io mailendpointpolicies/status patch",
          " events create");

  /** In the release namespace only: the leader-election Lease (Fabric8 renews it by patch). */
  public static final Set<String> ON_LEASES =
      Set.of(
          "coordination.k8s.io leases get",
          "coordination.k8s.io leases create",
          "coordination.k8s.io leases patch");

  /** The user agent of the operator's client in tests, to tell its calls from the test's own. */
  public static final String USER_AGENT = "mailtls-operator-under-test";

  private static final Pattern RESOURCE_PATH =
      Pattern.compile(
          "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/[^/]+)?/([^/]+)(/[^/]+)?(/[^/]+)?$");

  private OperatorApiCalls() {}

  /**
   * "group resource verb" for a request; null for discovery and for SelfSubjectRulesReview, which
   * every authenticated user may make (system:basic-user) and need no grant.
   */
  public static String of(RecordedRequest request) {
    URI uri = URI.create(request.getPath());
    Matcher m = RESOURCE_PATH.matcher(uri.getPath());
    if (!m.matches() || "selfsubjectrulesreviews".equals(m.group(2))) {
      return null;
    }
    String group = m.group(1) == null ? "" : m.group(1);
    String resource = m.group(2) + (m.group(4) == null ? "" : m.group(4));
    boolean named = m.group(3) != null;
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb =
        switch (request.getMethod()) {
          case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> request.getMethod();
        };
    return group + " " + resource + " " + verb;
  }
}
