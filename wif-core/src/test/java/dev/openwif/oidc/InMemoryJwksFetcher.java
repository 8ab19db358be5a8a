package dev.openwif.oidc;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link JwksFetcher} answering from memory, counting fetches per URI, able to fail. Thread-safe.
 */
final class InMemoryJwksFetcher implements JwksFetcher {
  private final Map<URI, FetchedDocument> documents = new ConcurrentHashMap<>();
  private final Map<URI, AtomicInteger> counts = new ConcurrentHashMap<>();
  private volatile Optional<String> failure = Optional.empty();

  void serve(String uri, FetchedDocument document) {
    documents.put(URI.create(uri), document);
  }

  void serveJson(String uri, String body) {
    serve(uri, new FetchedDocument(200, "application/json; charset=utf-8", body));
  }

  /** Every fetch throws an IOException with this message until {@link #recover()}. */
  void failWith(String message) {
    failure = Optional.of(message);
  }

  void recover() {
    failure = Optional.empty();
  }

  int count(String uri) {
    return counts.getOrDefault(URI.create(uri), new AtomicInteger()).get();
  }

  @Override
  public FetchedDocument fetch(URI uri) throws IOException {
    counts.computeIfAbsent(uri, u -> new AtomicInteger()).incrementAndGet();
    if (failure.isPresent()) {
      throw new IOException(failure.get());
    }
    FetchedDocument document = documents.get(uri);
    if (document == null) {
      return new FetchedDocument(404, "text/plain", "not found");
    }
    return document;
  }
}
