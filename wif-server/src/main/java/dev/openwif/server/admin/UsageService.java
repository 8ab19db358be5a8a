package dev.openwif.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.server.http.RouteTable;
import dev.openwif.usage.UsageDimension;
import dev.openwif.usage.UsageQuery;
import dev.openwif.usage.UsageRepository;
import dev.openwif.usage.UsageTotal;
import io.helidon.webserver.http.ServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/organization/usage/completions}: the {@code /v1} gateway's calls in the shape of
 * OpenAI's completions usage API: a page of {@code bucket} objects, each with its {@code results}
 * ({@code organization.usage.completions.result}: {@code num_model_requests}, {@code input_tokens},
 * {@code output_tokens} and the grouped ids). Parameters: {@code start_time} (required, Unix
 * seconds), {@code end_time} (default now), {@code bucket_width} ({@code 1m}, {@code 1h} or {@code
 * 1d}, the default), {@code group_by} ({@code project_id}, {@code model}, {@code api_key_id} — the
 * service account, as workloads have no API key — and OpenWIF's {@code service_account_id}, {@code
 * identity_provider_id}, {@code status_class}), the filters {@code project_ids}, {@code models},
 * {@code api_key_ids}, {@code service_account_ids}, {@code identity_provider_ids}, {@code limit}
 * (buckets per page) and {@code page} (the {@code next_page} of the previous answer). Buckets are
 * aligned to whole minutes, hours or UTC days; calls are counted by the minute they started, from
 * {@code start_time}'s minute to before {@code end_time}. Every call counts, whatever its status.
 * Pending counts are flushed before reading. Thread-safe.
 */
public final class UsageService {
  private static final Map<String, Width> WIDTHS =
      Map.of(
          "1m", new Width(Duration.ofMinutes(1), 60, 1440),
          "1h", new Width(Duration.ofHours(1), 24, 168),
          "1d", new Width(Duration.ofDays(1), 7, 31));

  private static final Map<String, UsageDimension> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("project_id", UsageDimension.PROJECT);
    GROUPS.put("model", UsageDimension.MODEL);
    GROUPS.put("api_key_id", UsageDimension.SERVICE_ACCOUNT);
    GROUPS.put("service_account_id", UsageDimension.SERVICE_ACCOUNT);
    GROUPS.put("identity_provider_id", UsageDimension.PROVIDER);
    GROUPS.put("status_class", UsageDimension.STATUS_CLASS);
  }

  private static final Map<String, UsageDimension> FILTERS =
      Map.of(
          "project_ids", UsageDimension.PROJECT,
          "models", UsageDimension.MODEL,
          "api_key_ids", UsageDimension.SERVICE_ACCOUNT,
          "service_account_ids", UsageDimension.SERVICE_ACCOUNT,
          "identity_provider_ids", UsageDimension.PROVIDER);

  private record Width(Duration duration, int defaultLimit, int maxLimit) {}

  private final AdminHttp http;
  private final UsageRepository usage;
  private final Runnable flushPending;
  private final Clock clock;

  UsageService(AdminHttp http, UsageRepository usage, Runnable flushPending, Clock clock) {
    this.http = http;
    this.usage = usage;
    this.flushPending = flushPending;
    this.clock = clock;
  }

  /** Registers this service's routes (paths relative to {@link AdminApi#PREFIX}). */
  void register(RouteTable rules) {
    rules.get(
        "/usage/completions", http.guard((req, res, caller) -> http.ok(res, completions(req))));
  }

  private ObjectNode completions(ServerRequest req) {
    Instant requestedStart =
        ListParams.unixTime(req, "start_time")
            .orElseThrow(
                () ->
                    BadRequestException.field(
                        "start_time", "Missing required parameter: 'start_time'."));
    Instant end = ListParams.unixTime(req, "end_time").orElseGet(clock::instant);
    if (!end.isAfter(requestedStart)) {
      throw BadRequestException.field("end_time", "end_time must be after start_time.");
    }
    Instant start = requestedStart.truncatedTo(ChronoUnit.MINUTES);
    String widthName = ListParams.query(req, "bucket_width").orElse("1d");
    Width width = WIDTHS.get(widthName);
    if (width == null) {
      throw BadRequestException.field("bucket_width", "bucket_width must be 1m, 1h or 1d.");
    }
    int limit = limit(req, width);
    Set<UsageDimension> groupBy = groupBy(req);
    Map<UsageDimension, Set<String>> filters = filters(req);
    long w = width.duration().toSeconds();
    long first = Math.floorDiv(start.getEpochSecond(), w) * w;
    long pageStart = page(req, first, w, end);
    long pageEnd = pageStart + limit * w;
    boolean hasMore = pageEnd < end.getEpochSecond();
    Instant queryFrom = Instant.ofEpochSecond(Math.max(pageStart, start.getEpochSecond()));
    // a minute that started before end_time counts
    Instant roundedEnd = end.truncatedTo(ChronoUnit.MINUTES);
    if (roundedEnd.isBefore(end)) {
      roundedEnd = roundedEnd.plus(Duration.ofMinutes(1));
    }
    Instant queryTo = Instant.ofEpochSecond(Math.min(pageEnd, roundedEnd.getEpochSecond()));

    flushPending.run();
    Map<Long, List<UsageTotal>> byBucket = new LinkedHashMap<>();
    if (queryTo.isAfter(queryFrom)) {
      for (UsageTotal total :
          usage.totals(new UsageQuery(queryFrom, queryTo, width.duration(), groupBy, filters))) {
        byBucket
            .computeIfAbsent(total.bucketStart().getEpochSecond(), k -> new ArrayList<>())
            .add(total);
      }
    }
    ObjectNode page = http.json().createObjectNode();
    page.put("object", "page");
    ArrayNode data = page.putArray("data");
    for (long b = pageStart; b < pageEnd && b < end.getEpochSecond(); b += w) {
      ObjectNode bucket = data.addObject();
      bucket.put("object", "bucket");
      bucket.put("start_time", b);
      bucket.put("end_time", b + w);
      ArrayNode results = bucket.putArray("results");
      for (UsageTotal total : byBucket.getOrDefault(b, List.of())) {
        results.add(result(total));
      }
    }
    page.put("has_more", hasMore);
    page.put("next_page", hasMore ? "page_" + pageEnd : null);
    return page;
  }

  private ObjectNode result(UsageTotal total) {
    ObjectNode o = http.json().createObjectNode();
    o.put("object", "organization.usage.completions.result");
    o.put("input_tokens", total.counts().inputTokens());
    o.put("output_tokens", total.counts().outputTokens());
    o.put("input_cached_tokens", 0);
    o.put("input_audio_tokens", 0);
    o.put("output_audio_tokens", 0);
    o.put("num_model_requests", total.counts().requests());
    Map<UsageDimension, String> groups = total.groups();
    o.put("project_id", value(groups, UsageDimension.PROJECT));
    o.putNull("user_id");
    o.put("api_key_id", value(groups, UsageDimension.SERVICE_ACCOUNT));
    o.put("model", value(groups, UsageDimension.MODEL));
    o.putNull("batch");
    o.put("service_account_id", value(groups, UsageDimension.SERVICE_ACCOUNT));
    o.put("identity_provider_id", value(groups, UsageDimension.PROVIDER));
    o.put("status_class", value(groups, UsageDimension.STATUS_CLASS));
    return o;
  }

  /** The grouped value; null when not grouped by it, or when the upstream named no model. */
  private static @Nullable String value(
      Map<UsageDimension, String> groups, UsageDimension dimension) {
    String v = groups.get(dimension);
    return v == null || v.isEmpty() ? null : v;
  }

  private static int limit(ServerRequest req, Width width) {
    Optional<String> raw = ListParams.query(req, "limit");
    if (raw.isEmpty()) {
      return width.defaultLimit();
    }
    try {
      int limit = Integer.parseInt(raw.get().strip());
      if (limit >= 1 && limit <= width.maxLimit()) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw BadRequestException.field(
        "limit",
        "limit must be an integer between 1 and " + width.maxLimit() + " for this bucket_width.");
  }

  /** The first bucket of the page: {@code page} (a {@code next_page}) or the first bucket. */
  private static long page(ServerRequest req, long first, long width, Instant end) {
    Optional<String> raw = ListParams.query(req, "page");
    if (raw.isEmpty()) {
      return first;
    }
    try {
      if (raw.get().startsWith("page_")) {
        long at = Long.parseLong(raw.get().substring("page_".length()));
        if (at >= first && at < end.getEpochSecond() && (at - first) % width == 0) {
          return at;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw BadRequestException.field(
        "page", "page must be the next_page of an earlier answer to the same query.");
  }

  private static Set<UsageDimension> groupBy(ServerRequest req) {
    Set<UsageDimension> groups = EnumSet.noneOf(UsageDimension.class);
    for (String value : values(req, "group_by")) {
      UsageDimension d = GROUPS.get(value);
      if (d == null) {
        throw BadRequestException.field(
            "group_by",
            "group_by must be among "
                + String.join(", ", GROUPS.keySet())
                + "; got '"
                + value
                + "'.");
      }
      groups.add(d);
    }
    return groups;
  }

  private static Map<UsageDimension, Set<String>> filters(ServerRequest req) {
    Map<UsageDimension, Set<String>> filters = new EnumMap<>(UsageDimension.class);
    FILTERS.forEach(
        (name, dimension) -> {
          List<String> values = values(req, name);
          for (String v : values) {
            if (v.length() > 256 || ListParams.hasControl(v)) {
              throw BadRequestException.field(name, name + " must hold ids.");
            }
          }
          if (!values.isEmpty()) {
            filters.computeIfAbsent(dimension, k -> new LinkedHashSet<>()).addAll(values);
          }
        });
    return filters;
  }

  /** A list parameter: repeated, with or without {@code []}, or comma-separated. */
  private static List<String> values(ServerRequest req, String name) {
    Set<String> out = new LinkedHashSet<>();
    for (String key : List.of(name, name + "[]")) {
      for (String value : req.query().all(key, List::of)) {
        Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .forEach(out::add);
      }
    }
    return List.copyOf(out);
  }
}
