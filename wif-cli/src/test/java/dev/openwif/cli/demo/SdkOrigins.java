package dev.openwif.cli.demo;

import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Points the official openai-java SDK's hard-coded origins at the local servers: its {@code
 * GcpIdTokenProvider} asks {@code http://metadata.google.internal} and its {@code
 * WorkloadIdentityAuth} posts to {@code https://auth.openai.com/oauth/token}; neither is
 * configurable. An OkHttp application interceptor (added with the SDK builder's public {@code
 * addInterceptor}) runs before any connection is made, so it rewrites scheme, host and port
 * (keeping path and query) and counts what it forwarded. Thread-safe.
 */
final class SdkOrigins implements Interceptor {
  static final String METADATA_HOST = "metadata.google.internal";
  static final String TOKEN_HOST = "auth.openai.com";

  private final HttpUrl metadata;
  private final HttpUrl tokenEndpoint;
  final AtomicInteger metadataRequests = new AtomicInteger();
  final AtomicInteger exchanges = new AtomicInteger();

  /**
   * @param metadataBaseUrl the metadata emulator, {@code http://127.0.0.1:PORT}
   * @param serverBaseUrl the OpenWIF server, {@code http://127.0.0.1:PORT}
   */
  SdkOrigins(String metadataBaseUrl, String serverBaseUrl) {
    this.metadata = HttpUrl.get(metadataBaseUrl);
    this.tokenEndpoint = HttpUrl.get(serverBaseUrl + "/oauth/token");
  }

  @Override
  public Response intercept(Chain chain) throws java.io.IOException {
    Request request = chain.request();
    String host = request.url().host();
    if (host.equals(METADATA_HOST)) {
      metadataRequests.incrementAndGet();
      HttpUrl rewritten =
          request
              .url()
              .newBuilder()
              .scheme(metadata.scheme())
              .host(metadata.host())
              .port(metadata.port())
              .build();
      request = request.newBuilder().url(rewritten).build();
    } else if (host.equals(TOKEN_HOST)) {
      exchanges.incrementAndGet();
      request = request.newBuilder().url(tokenEndpoint).build();
    }
    return chain.proceed(request);
  }
}
