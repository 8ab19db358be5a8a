package dev.openwif.federation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The documented catalogue of scopes a federation rule may restrict an access token to, with what
 * each allows. It follows how OpenAI groups the permissions of a restricted API key: one {@code
 * read} and one {@code write} scope per kind of stored object (files, vector stores, assistants,
 * threads, fine-tuning jobs, batches, evals, ...), plus {@code api.model.read} to list models and
 * {@code api.model.request} for everything that asks a model for output (responses, chat
 * completions, embeddings, images, audio, moderations, realtime sessions).
 *
 * <p>Names are {@code api.<resource>.<access>}. The resource is the first segment of the URL path
 * after {@code /v1} ({@code chat_completions} for {@code /v1/chat/completions}); {@code
 * api.model.*} and {@code api.vector_store.*} keep the singular they had from the start, since
 * stored rules use them. {@code read} allows the {@code GET} routes of a resource (and searching
 * it), {@code write} creating, changing, cancelling and deleting. The gateway's route table maps
 * each {@code /v1} route to exactly one of these scopes; a route it does not list is open only to
 * tokens with the service account's default permissions.
 *
 * <p>Immutable; thread-safe.
 */
public final class ScopeCatalogue {
  /** Scope name to a one-line description, in documentation order. */
  public static final Map<String, String> SCOPES;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("api.model.read", "List and retrieve models (GET /v1/models, GET /v1/models/{model}).");
    m.put(
        "api.model.request",
        "Ask a model for output: create responses, chat completions, completions, embeddings,"
            + " moderations, images and audio, and start realtime sessions and calls.");
    m.put(
        "api.responses.read",
        "Retrieve stored responses and their input items (GET /v1/responses/{response_id}...).");
    m.put("api.responses.write", "Delete and cancel stored responses.");
    m.put(
        "api.chat_completions.read",
        "List and retrieve stored chat completions and their messages (GET"
            + " /v1/chat/completions...).");
    m.put(
        "api.chat_completions.write", "Update the metadata of and delete stored chat completions.");
    m.put(
        "api.conversations.read",
        "Retrieve conversations and their items (GET /v1/conversations...).");
    m.put("api.conversations.write", "Create, update and delete conversations and their items.");
    m.put("api.files.read", "List and read files and their content (GET /v1/files...).");
    m.put("api.files.write", "Upload (also in parts, /v1/uploads) and delete files.");
    m.put(
        "api.vector_store.read",
        "List, retrieve and search vector stores, their files and file batches (GET"
            + " /v1/vector_stores..., POST /v1/vector_stores/{vector_store_id}/search).");
    m.put(
        "api.vector_store.write",
        "Create, change and delete vector stores; add, change and remove their files and file"
            + " batches.");
    m.put("api.assistants.read", "List and retrieve assistants (GET /v1/assistants...).");
    m.put("api.assistants.write", "Create, change and delete assistants.");
    m.put(
        "api.threads.read",
        "Retrieve threads and list or retrieve their messages, runs and run steps (GET"
            + " /v1/threads...).");
    m.put(
        "api.threads.write",
        "Create, change and delete threads and messages; create, change, cancel runs and submit"
            + " tool outputs.");
    m.put(
        "api.fine_tuning.read",
        "List and retrieve fine-tuning jobs, their events, checkpoints and checkpoint permissions"
            + " (GET /v1/fine_tuning...).");
    m.put(
        "api.fine_tuning.write",
        "Create, cancel, pause and resume fine-tuning jobs; grant and revoke checkpoint"
            + " permissions; run and validate graders; delete fine-tuned models.");
    m.put("api.batches.read", "List and retrieve batches (GET /v1/batches...).");
    m.put("api.batches.write", "Create and cancel batches.");
    m.put(
        "api.evals.read",
        "List and retrieve evals, their runs and output items (GET /v1/evals...).");
    m.put(
        "api.evals.write", "Create, change and delete evals; start, cancel and delete eval runs.");
    m.put(
        "api.containers.read",
        "List and retrieve containers and their files and file content (GET /v1/containers...).");
    m.put("api.containers.write", "Create and delete containers; add and delete their files.");
    m.put("api.videos.read", "List and retrieve videos and their content (GET /v1/videos...).");
    m.put("api.videos.write", "Create (generate), remix and delete videos.");
    SCOPES = Collections.unmodifiableMap(m);
  }

  /** Every scope of the catalogue: what {@code service_account_default} grants. */
  public static final Set<String> ALL = Set.copyOf(SCOPES.keySet());

  private ScopeCatalogue() {}

  public static boolean contains(String scope) {
    return SCOPES.containsKey(scope);
  }
}
