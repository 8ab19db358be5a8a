package dev.openwif.server.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body up to a byte limit and cancels the transfer as soon as the limit is
 * passed, so a hostile server cannot make us buffer more than {@code maxBytes} (plus one network
 * buffer). One instance per response.
 */
final class BoundedBodySubscriber implements BodySubscriber<byte[]> {
  private final int maxBytes;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.@Nullable Subscription subscription;

  BoundedBodySubscriber(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      if (body.size() + buffer.remaining() > maxBytes) {
        Flow.Subscription current = subscription;
        if (current != null) { // always set: onSubscribe precedes onNext (Flow's contract)
          current.cancel();
        }
        result.completeExceptionally(
            new IOException("the response body is larger than " + maxBytes + " bytes"));
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      body.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(body.toByteArray());
  }
}
