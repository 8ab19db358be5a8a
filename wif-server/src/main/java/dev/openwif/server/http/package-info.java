/**
 * HTTP helpers shared by the server's routes: size-capped bodies, OpenAI's error shape, a token
 * bucket limiter, and the listener's connection caps.
 */
@NullMarked
package dev.openwif.server.http;

import org.jspecify.annotations.NullMarked;
