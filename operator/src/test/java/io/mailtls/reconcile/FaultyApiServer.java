package io.mailtls.reconcile;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fabric8's mock API server in CRUD mode, with faults on demand: chosen requests answered with an
 * error, or carried out but answered too late for the client (a timeout whose write still landed),
 * and open watches closed by the server. Everything else is the CRUD mock's own answer.
 */
final class FaultyApiServer extends KubernetesCrudDispatcher {
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Set<WebSocket> openWatches = ConcurrentHashMap.newKeySet();
  private final AtomicInteger watchRequests = new AtomicInteger();
  private final List<String> faulted = new CopyOnWriteArrayList<>();
  private final KubernetesMockServer server;

  /** Answers requests whose method and path match; {@code times} below 0 means until cleared. */
  private record Fault(
      String method, String pathPart, AtomicInteger times, int code, Duration late) {
    boolean takes(RecordedRequest request) {
      return request.getMethod().equalsIgnoreCase(method)
          && request.getPath().contains(pathPart)
          && (times.get() < 0 || times.getAndDecrement() > 0);
    }
  }

  FaultyApiServer() {
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), this, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  KubernetesMockServer server() {
    return server;
  }

  /** Answers matching requests with {@code code} (nothing is carried out) until {@link #heal}. */
  void fail(String method, String pathPart, int code) {
    faults.add(new Fault(method, pathPart, new AtomicInteger(-1), code, null));
  }

  /** Carries out the next matching request but answers only after {@code late}. */
  void answerLate(String method, String pathPart, Duration late) {
    faults.add(new Fault(method, pathPart, new AtomicInteger(1), 0, late));
  }

  void heal() {
    faults.clear();
  }

  /** Closes every open watch from the server's side, as an API server restart would. */
  void closeWatches() {
    openWatches.forEach(w -> w.close(1001, "going away"));
  }

  /** How many requests whose path contains {@code pathPart} got a fault. */
  long faulted(String pathPart) {
    return faulted.stream().filter(path -> path.contains(pathPart)).count();
  }

  int watchRequests() {
    return watchRequests.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    for (Fault fault : faults) {
      if (fault.takes(request)) {
        faulted.add(request.getPath());
        if (fault.late() != null) {
          return super.dispatch(request).setBodyDelay(fault.late());
        }
        return new MockResponse()
            .setResponseCode(fault.code())
            .setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                    + fault.code()
                    + ",\"message\":\"injected fault\"}");
      }
    }
    MockResponse response = super.dispatch(request);
    if (response.getWebSocketListener() != null) {
      watchRequests.incrementAndGet();
      response.withWebSocketUpgrade(new TrackedWatch(response.getWebSocketListener()));
    }
    return response;
  }

  /** The CRUD mock's watch listener, with the socket remembered so that it can be closed. */
  private final class TrackedWatch extends WebSocketListener {
    private final WebSocketListener delegate;

    TrackedWatch(WebSocketListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      openWatches.add(webSocket);
      delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(webSocket, text);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      openWatches.remove(webSocket);
      delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      openWatches.remove(webSocket);
      delegate.onFailure(webSocket, t, response);
    }
  }
}
