package dev.openwif.server.gateway;

import dev.openwif.federation.ScopeCatalogue;
import java.util.ArrayList;
import java.util.List;

/**
 * The scope every route of OpenAI's REST API under {@code /v1} needs: one {@link RouteScopeTable}
 * covering models, model requests (responses, chat completions, completions, embeddings,
 * moderations, images, audio, realtime), stored responses, stored chat completions, conversations,
 * files and uploads, vector stores (with their files and file batches), assistants, threads (with
 * messages, runs and steps), fine-tuning, batches, evals, containers and videos. Every scope comes
 * from the {@link ScopeCatalogue}; the table, grouped by scope, is in {@code docs/scopes.md}, which
 * a test keeps equal to this class.
 *
 * <p>{@link GatewayRoutes} uses this one table in both modes: the demo model's three routes take
 * their scope from it when registered, and with an upstream every {@code /v1} request is looked up
 * here by method and raw path. {@link BearerGuard} then lets a request through when the route's
 * scope is both in the token and granted by its rule now ({@link RouteAuthorization}); a route not
 * in the table (or a path the table does not understand) is open only to tokens whose rule grants
 * the service account's default permissions. A valid token refused here gets 403 {@code
 * insufficient_scope}, never 401, which would make the SDKs exchange again for nothing.
 *
 * <p>Reading is {@code read}, even through {@code POST} (searching a vector store); creating,
 * changing, cancelling and deleting is {@code write}. Uploads create files, so they need {@code
 * api.files.write}; deleting a fine-tuned model ({@code DELETE /v1/models/{model}}) needs {@code
 * api.fine_tuning.write}. WebSocket routes ({@code GET /v1/realtime}) and the admin API ({@code
 * /v1/organization}, not proxied) are not in the table.
 *
 * <p>Immutable; thread-safe.
 */
final class RouteScopes {
  static final String MODEL_READ = "api.model.read";
  static final String MODEL_REQUEST = "api.model.request";
  static final String RESPONSES_READ = "api.responses.read";
  static final String RESPONSES_WRITE = "api.responses.write";
  static final String CHAT_COMPLETIONS_READ = "api.chat_completions.read";
  static final String CHAT_COMPLETIONS_WRITE = "api.chat_completions.write";
  static final String CONVERSATIONS_READ = "api.conversations.read";
  static final String CONVERSATIONS_WRITE = "api.conversations.write";
  static final String FILES_READ = "api.files.read";
  static final String FILES_WRITE = "api.files.write";
  static final String VECTOR_STORE_READ = "api.vector_store.read";
  static final String VECTOR_STORE_WRITE = "api.vector_store.write";
  static final String ASSISTANTS_READ = "api.assistants.read";
  static final String ASSISTANTS_WRITE = "api.assistants.write";
  static final String THREADS_READ = "api.threads.read";
  static final String THREADS_WRITE = "api.threads.write";
  static final String FINE_TUNING_READ = "api.fine_tuning.read";
  static final String FINE_TUNING_WRITE = "api.fine_tuning.write";
  static final String BATCHES_READ = "api.batches.read";
  static final String BATCHES_WRITE = "api.batches.write";
  static final String EVALS_READ = "api.evals.read";
  static final String EVALS_WRITE = "api.evals.write";
  static final String CONTAINERS_READ = "api.containers.read";
  static final String CONTAINERS_WRITE = "api.containers.write";
  static final String VIDEOS_READ = "api.videos.read";
  static final String VIDEOS_WRITE = "api.videos.write";

  /** OpenAI's {@code /v1} routes and their scopes. */
  static final RouteScopeTable TABLE = RouteScopeTable.of(routes());

  private RouteScopes() {}

  private static List<RouteScopeTable.Route> routes() {
    List<RouteScopeTable.Route> r = new ArrayList<>();
    add(r, MODEL_READ, "GET /v1/models", "GET /v1/models/{model}");
    add(
        r,
        MODEL_REQUEST,
        "POST /v1/responses",
        "POST /v1/responses/input_tokens",
        "POST /v1/responses/compact",
        "POST /v1/chat/completions",
        "POST /v1/completions",
        "POST /v1/embeddings",
        "POST /v1/moderations",
        "POST /v1/images/generations",
        "POST /v1/images/edits",
        "POST /v1/images/variations",
        "POST /v1/audio/speech",
        "POST /v1/audio/transcriptions",
        "POST /v1/audio/translations",
        "POST /v1/realtime/sessions",
        "POST /v1/realtime/transcription_sessions",
        "POST /v1/realtime/client_secrets",
        "POST /v1/realtime/calls",
        "POST /v1/realtime/calls/{call_id}/accept",
        "POST /v1/realtime/calls/{call_id}/hangup",
        "POST /v1/realtime/calls/{call_id}/refer",
        "POST /v1/realtime/calls/{call_id}/reject");
    add(
        r,
        RESPONSES_READ,
        "GET /v1/responses/{response_id}",
        "GET /v1/responses/{response_id}/input_items");
    add(
        r,
        RESPONSES_WRITE,
        "DELETE /v1/responses/{response_id}",
        "POST /v1/responses/{response_id}/cancel");
    add(
        r,
        CHAT_COMPLETIONS_READ,
        "GET /v1/chat/completions",
        "GET /v1/chat/completions/{completion_id}",
        "GET /v1/chat/completions/{completion_id}/messages");
    add(
        r,
        CHAT_COMPLETIONS_WRITE,
        "POST /v1/chat/completions/{completion_id}",
        "DELETE /v1/chat/completions/{completion_id}");
    add(
        r,
        CONVERSATIONS_READ,
        "GET /v1/conversations/{conversation_id}",
        "GET /v1/conversations/{conversation_id}/items",
        "GET /v1/conversations/{conversation_id}/items/{item_id}");
    add(
        r,
        CONVERSATIONS_WRITE,
        "POST /v1/conversations",
        "POST /v1/conversations/{conversation_id}",
        "DELETE /v1/conversations/{conversation_id}",
        "POST /v1/conversations/{conversation_id}/items",
        "DELETE /v1/conversations/{conversation_id}/items/{item_id}");
    add(
        r,
        FILES_READ,
        "GET /v1/files",
        "GET /v1/files/{file_id}",
        "GET /v1/files/{file_id}/content");
    add(
        r,
        FILES_WRITE,
        "POST /v1/files",
        "DELETE /v1/files/{file_id}",
        "POST /v1/uploads",
        "POST /v1/uploads/{upload_id}/parts",
        "POST /v1/uploads/{upload_id}/complete",
        "POST /v1/uploads/{upload_id}/cancel");
    add(
        r,
        VECTOR_STORE_READ,
        "GET /v1/vector_stores",
        "GET /v1/vector_stores/{vector_store_id}",
        "POST /v1/vector_stores/{vector_store_id}/search",
        "GET /v1/vector_stores/{vector_store_id}/files",
        "GET /v1/vector_stores/{vector_store_id}/files/{file_id}",
        "GET /v1/vector_stores/{vector_store_id}/files/{file_id}/content",
        "GET /v1/vector_stores/{vector_store_id}/file_batches/{batch_id}",
        "GET /v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/files");
    add(
        r,
        VECTOR_STORE_WRITE,
        "POST /v1/vector_stores",
        "POST /v1/vector_stores/{vector_store_id}",
        "DELETE /v1/vector_stores/{vector_store_id}",
        "POST /v1/vector_stores/{vector_store_id}/files",
        "POST /v1/vector_stores/{vector_store_id}/files/{file_id}",
        "DELETE /v1/vector_stores/{vector_store_id}/files/{file_id}",
        "POST /v1/vector_stores/{vector_store_id}/file_batches",
        "POST /v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel");
    add(r, ASSISTANTS_READ, "GET /v1/assistants", "GET /v1/assistants/{assistant_id}");
    add(
        r,
        ASSISTANTS_WRITE,
        "POST /v1/assistants",
        "POST /v1/assistants/{assistant_id}",
        "DELETE /v1/assistants/{assistant_id}");
    add(
        r,
        THREADS_READ,
        "GET /v1/threads/{thread_id}",
        "GET /v1/threads/{thread_id}/messages",
        "GET /v1/threads/{thread_id}/messages/{message_id}",
        "GET /v1/threads/{thread_id}/runs",
        "GET /v1/threads/{thread_id}/runs/{run_id}",
        "GET /v1/threads/{thread_id}/runs/{run_id}/steps",
        "GET /v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}");
    add(
        r,
        THREADS_WRITE,
        "POST /v1/threads",
        "POST /v1/threads/runs",
        "POST /v1/threads/{thread_id}",
        "DELETE /v1/threads/{thread_id}",
        "POST /v1/threads/{thread_id}/messages",
        "POST /v1/threads/{thread_id}/messages/{message_id}",
        "DELETE /v1/threads/{thread_id}/messages/{message_id}",
        "POST /v1/threads/{thread_id}/runs",
        "POST /v1/threads/{thread_id}/runs/{run_id}",
        "POST /v1/threads/{thread_id}/runs/{run_id}/cancel",
        "POST /v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs");
    add(
        r,
        FINE_TUNING_READ,
        "GET /v1/fine_tuning/jobs",
        "GET /v1/fine_tuning/jobs/{fine_tuning_job_id}",
        "GET /v1/fine_tuning/jobs/{fine_tuning_job_id}/events",
        "GET /v1/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints",
        "GET /v1/fine_tuning/checkpoints/{checkpoint}/permissions");
    add(
        r,
        FINE_TUNING_WRITE,
        "POST /v1/fine_tuning/jobs",
        "POST /v1/fine_tuning/jobs/{fine_tuning_job_id}/cancel",
        "POST /v1/fine_tuning/jobs/{fine_tuning_job_id}/pause",
        "POST /v1/fine_tuning/jobs/{fine_tuning_job_id}/resume",
        "POST /v1/fine_tuning/checkpoints/{checkpoint}/permissions",
        "DELETE /v1/fine_tuning/checkpoints/{checkpoint}/permissions/{permission_id}",
        "POST /v1/fine_tuning/alpha/graders/run",
        "POST /v1/fine_tuning/alpha/graders/validate",
        "DELETE /v1/models/{model}");
    add(r, BATCHES_READ, "GET /v1/batches", "GET /v1/batches/{batch_id}");
    add(r, BATCHES_WRITE, "POST /v1/batches", "POST /v1/batches/{batch_id}/cancel");
    add(
        r,
        EVALS_READ,
        "GET /v1/evals",
        "GET /v1/evals/{eval_id}",
        "GET /v1/evals/{eval_id}/runs",
        "GET /v1/evals/{eval_id}/runs/{run_id}",
        "GET /v1/evals/{eval_id}/runs/{run_id}/output_items",
        "GET /v1/evals/{eval_id}/runs/{run_id}/output_items/{output_item_id}");
    add(
        r,
        EVALS_WRITE,
        "POST /v1/evals",
        "POST /v1/evals/{eval_id}",
        "DELETE /v1/evals/{eval_id}",
        "POST /v1/evals/{eval_id}/runs",
        "POST /v1/evals/{eval_id}/runs/{run_id}",
        "DELETE /v1/evals/{eval_id}/runs/{run_id}");
    add(
        r,
        CONTAINERS_READ,
        "GET /v1/containers",
        "GET /v1/containers/{container_id}",
        "GET /v1/containers/{container_id}/files",
        "GET /v1/containers/{container_id}/files/{file_id}",
        "GET /v1/containers/{container_id}/files/{file_id}/content");
    add(
        r,
        CONTAINERS_WRITE,
        "POST /v1/containers",
        "DELETE /v1/containers/{container_id}",
        "POST /v1/containers/{container_id}/files",
        "DELETE /v1/containers/{container_id}/files/{file_id}");
    add(
        r,
        VIDEOS_READ,
        "GET /v1/videos",
        "GET /v1/videos/{video_id}",
        "GET /v1/videos/{video_id}/content");
    add(
        r,
        VIDEOS_WRITE,
        "POST /v1/videos",
        "POST /v1/videos/{video_id}/remix",
        "DELETE /v1/videos/{video_id}");
    return r;
  }

  /** Adds each {@code "METHOD /pattern"} with {@code scope}, which must be in the catalogue. */
  private static void add(List<RouteScopeTable.Route> into, String scope, String... routes) {
    if (!ScopeCatalogue.contains(scope)) {
      throw new IllegalArgumentException("scope not in the catalogue: " + scope);
    }
    for (String route : routes) {
      int space = route.indexOf(' ');
      into.add(
          new RouteScopeTable.Route(route.substring(0, space), route.substring(space + 1), scope));
    }
  }
}
