/**
 * HTTP helpers shared by the server's routes: size-capped bodies, OpenAI's error shape, a token
 * bucket limiter, the listener's connection caps, request ids, the access log and the port through
 * which every route reports its answers ({@link dev.openwif.server.http.RequestObserver}).
 */
@NullMarked
package dev.openwif.server.http;

import org.jspecify.annotations.NullMarked;
