package dev.openwif.bench.soak;

/** How the server answered one request, from the driver's point of view. */
enum Outcome {
  /** 2xx: the server accepted the request. */
  ACCEPTED,
  /** 4xx other than 429: the server refused it. */
  REFUSED,
  /** 429: rate limited (refused, never accepted). */
  LIMITED,
  /** 503: temporarily unavailable (refused, never accepted). */
  UNAVAILABLE,
  /** Another 5xx. */
  SERVER_ERROR,
  /** No HTTP answer: connection refused, reset or timed out. */
  NO_ANSWER;

  /** The outcome of an HTTP status code. */
  static Outcome of(int status) {
    if (status >= 200 && status < 300) {
      return ACCEPTED;
    }
    if (status == 429) {
      return LIMITED;
    }
    if (status == 503) {
      return UNAVAILABLE;
    }
    if (status >= 500) {
      return SERVER_ERROR;
    }
    return REFUSED;
  }

  /** True when the server gave an HTTP answer (so it saw the request). */
  boolean answered() {
    return this != NO_ANSWER;
  }
}
