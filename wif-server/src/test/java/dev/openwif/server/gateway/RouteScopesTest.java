package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.ScopeCatalogue;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenAI's routes in {@link RouteScopes#TABLE}: each group's read and write routes, and gaps. */
class RouteScopesTest {

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // models
        "GET    | /v1/models                                                | api.model.read",
        "GET    | /v1/models/gpt-4.1-mini                                   | api.model.read",
        "GET    | /v1/models/ft:gpt-4o-mini-2024-07-18:acme:custom:abc123   | api.model.read",
        "DELETE | /v1/models/ft:gpt-4o-mini-2024-07-18:acme:custom:abc123   | api.fine_tuning.write",
        // model requests
        "POST   | /v1/responses                                             | api.model.request",
        "POST   | /v1/responses/input_tokens                                | api.model.request",
        "POST   | /v1/responses/compact                                     | api.model.request",
        "POST   | /v1/chat/completions                                      | api.model.request",
        "POST   | /v1/completions                                           | api.model.request",
        "POST   | /v1/embeddings                                            | api.model.request",
        "POST   | /v1/moderations                                           | api.model.request",
        "POST   | /v1/images/generations                                    | api.model.request",
        "POST   | /v1/images/edits                                          | api.model.request",
        "POST   | /v1/images/variations                                     | api.model.request",
        "POST   | /v1/audio/speech                                          | api.model.request",
        "POST   | /v1/audio/transcriptions                                  | api.model.request",
        "POST   | /v1/audio/translations                                    | api.model.request",
        "POST   | /v1/realtime/sessions                                     | api.model.request",
        "POST   | /v1/realtime/transcription_sessions                       | api.model.request",
        "POST   | /v1/realtime/client_secrets                               | api.model.request",
        "POST   | /v1/realtime/calls                                        | api.model.request",
        "POST   | /v1/realtime/calls/rtc_1/hangup                           | api.model.request",
        // stored responses
        "GET    | /v1/responses/resp_123                                    | api.responses.read",
        "GET    | /v1/responses/resp_123/input_items                        | api.responses.read",
        "DELETE | /v1/responses/resp_123                                    | api.responses.write",
        "POST   | /v1/responses/resp_123/cancel                             | api.responses.write",
        // stored chat completions
        "GET    | /v1/chat/completions                                      | api.chat_completions.read",
        "GET    | /v1/chat/completions/chatcmpl-1                           | api.chat_completions.read",
        "GET    | /v1/chat/completions/chatcmpl-1/messages                  | api.chat_completions.read",
        "POST   | /v1/chat/completions/chatcmpl-1                           | api.chat_completions.write",
        "DELETE | /v1/chat/completions/chatcmpl-1                           | api.chat_completions.write",
        // conversations
        "GET    | /v1/conversations/conv_1                                  | api.conversations.read",
        "GET    | /v1/conversations/conv_1/items                            | api.conversations.read",
        "GET    | /v1/conversations/conv_1/items/msg_1                      | api.conversations.read",
        "POST   | /v1/conversations                                         | api.conversations.write",
        "POST   | /v1/conversations/conv_1                                  | api.conversations.write",
        "DELETE | /v1/conversations/conv_1                                  | api.conversations.write",
        "POST   | /v1/conversations/conv_1/items                            | api.conversations.write",
        "DELETE | /v1/conversations/conv_1/items/msg_1                      | api.conversations.write",
        // files and uploads
        "GET    | /v1/files                                                 | api.files.read",
        "GET    | /v1/files/file-abc123                                     | api.files.read",
        "GET    | /v1/files/file-abc123/content                             | api.files.read",
        "POST   | /v1/files                                                 | api.files.write",
        "DELETE | /v1/files/file-abc123                                     | api.files.write",
        "POST   | /v1/uploads                                               | api.files.write",
        "POST   | /v1/uploads/upload_1/parts                                | api.files.write",
        "POST   | /v1/uploads/upload_1/complete                             | api.files.write",
        "POST   | /v1/uploads/upload_1/cancel                               | api.files.write",
        // vector stores, their files and file batches
        "GET    | /v1/vector_stores                                         | api.vector_store.read",
        "GET    | /v1/vector_stores/vs_1                                    | api.vector_store.read",
        "POST   | /v1/vector_stores/vs_1/search                             | api.vector_store.read",
        "GET    | /v1/vector_stores/vs_1/files                              | api.vector_store.read",
        "GET    | /v1/vector_stores/vs_1/files/file-1                       | api.vector_store.read",
        "GET    | /v1/vector_stores/vs_1/files/file-1/content               | api.vector_store.read",
        "GET    | /v1/vector_stores/vs_1/file_batches/vsfb_1                | api.vector_store.read",
        "GET    | /v1/vector_stores/vs_1/file_batches/vsfb_1/files          | api.vector_store.read",
        "POST   | /v1/vector_stores                                         | api.vector_store.write",
        "POST   | /v1/vector_stores/vs_1                                    | api.vector_store.write",
        "DELETE | /v1/vector_stores/vs_1                                    | api.vector_store.write",
        "POST   | /v1/vector_stores/vs_1/files                              | api.vector_store.write",
        "POST   | /v1/vector_stores/vs_1/files/file-1                       | api.vector_store.write",
        "DELETE | /v1/vector_stores/vs_1/files/file-1                       | api.vector_store.write",
        "POST   | /v1/vector_stores/vs_1/file_batches                       | api.vector_store.write",
        "POST   | /v1/vector_stores/vs_1/file_batches/vsfb_1/cancel         | api.vector_store.write",
        // assistants
        "GET    | /v1/assistants                                            | api.assistants.read",
        "GET    | /v1/assistants/asst_1                                     | api.assistants.read",
        "POST   | /v1/assistants                                            | api.assistants.write",
        "POST   | /v1/assistants/asst_1                                     | api.assistants.write",
        "DELETE | /v1/assistants/asst_1                                     | api.assistants.write",
        // threads, messages, runs, steps
        "GET    | /v1/threads/thread_1                                      | api.threads.read",
        "GET    | /v1/threads/thread_1/messages                             | api.threads.read",
        "GET    | /v1/threads/thread_1/messages/msg_1                       | api.threads.read",
        "GET    | /v1/threads/thread_1/runs                                 | api.threads.read",
        "GET    | /v1/threads/thread_1/runs/run_1                           | api.threads.read",
        "GET    | /v1/threads/thread_1/runs/run_1/steps                     | api.threads.read",
        "GET    | /v1/threads/thread_1/runs/run_1/steps/step_1              | api.threads.read",
        "POST   | /v1/threads                                               | api.threads.write",
        "POST   | /v1/threads/runs                                          | api.threads.write",
        "POST   | /v1/threads/thread_1                                      | api.threads.write",
        "DELETE | /v1/threads/thread_1                                      | api.threads.write",
        "POST   | /v1/threads/thread_1/messages                             | api.threads.write",
        "POST   | /v1/threads/thread_1/messages/msg_1                       | api.threads.write",
        "DELETE | /v1/threads/thread_1/messages/msg_1                       | api.threads.write",
        "POST   | /v1/threads/thread_1/runs                                 | api.threads.write",
        "POST   | /v1/threads/thread_1/runs/run_1                           | api.threads.write",
        "POST   | /v1/threads/thread_1/runs/run_1/cancel                    | api.threads.write",
        "POST   | /v1/threads/thread_1/runs/run_1/submit_tool_outputs       | api.threads.write",
        // fine-tuning
        "GET    | /v1/fine_tuning/jobs                                      | api.fine_tuning.read",
        "GET    | /v1/fine_tuning/jobs/ftjob-1                              | api.fine_tuning.read",
        "GET    | /v1/fine_tuning/jobs/ftjob-1/events                       | api.fine_tuning.read",
        "GET    | /v1/fine_tuning/jobs/ftjob-1/checkpoints                  | api.fine_tuning.read",
        "GET    | /v1/fine_tuning/checkpoints/ft:gpt-4o:o::x:ckpt-1/permissions | api.fine_tuning.read",
        "POST   | /v1/fine_tuning/jobs                                      | api.fine_tuning.write",
        "POST   | /v1/fine_tuning/jobs/ftjob-1/cancel                       | api.fine_tuning.write",
        "POST   | /v1/fine_tuning/jobs/ftjob-1/pause                        | api.fine_tuning.write",
        "POST   | /v1/fine_tuning/jobs/ftjob-1/resume                       | api.fine_tuning.write",
        "POST   | /v1/fine_tuning/checkpoints/ft:gpt-4o:o::x:ckpt-1/permissions | api.fine_tuning.write",
        "DELETE | /v1/fine_tuning/checkpoints/ft:gpt-4o:o::x:ckpt-1/permissions/cp_1 | api.fine_tuning.write",
        "POST   | /v1/fine_tuning/alpha/graders/run                         | api.fine_tuning.write",
        "POST   | /v1/fine_tuning/alpha/graders/validate                    | api.fine_tuning.write",
        // batches
        "GET    | /v1/batches                                               | api.batches.read",
        "GET    | /v1/batches/batch_1                                       | api.batches.read",
        "POST   | /v1/batches                                               | api.batches.write",
        "POST   | /v1/batches/batch_1/cancel                                | api.batches.write",
        // evals
        "GET    | /v1/evals                                                 | api.evals.read",
        "GET    | /v1/evals/eval_1                                          | api.evals.read",
        "GET    | /v1/evals/eval_1/runs                                     | api.evals.read",
        "GET    | /v1/evals/eval_1/runs/evalrun_1                           | api.evals.read",
        "GET    | /v1/evals/eval_1/runs/evalrun_1/output_items              | api.evals.read",
        "GET    | /v1/evals/eval_1/runs/evalrun_1/output_items/item_1       | api.evals.read",
        "POST   | /v1/evals                                                 | api.evals.write",
        "POST   | /v1/evals/eval_1                                          | api.evals.write",
        "DELETE | /v1/evals/eval_1                                          | api.evals.write",
        "POST   | /v1/evals/eval_1/runs                                     | api.evals.write",
        "POST   | /v1/evals/eval_1/runs/evalrun_1                           | api.evals.write",
        "DELETE | /v1/evals/eval_1/runs/evalrun_1                           | api.evals.write",
        // containers
        "GET    | /v1/containers                                            | api.containers.read",
        "GET    | /v1/containers/cntr_1                                     | api.containers.read",
        "GET    | /v1/containers/cntr_1/files                               | api.containers.read",
        "GET    | /v1/containers/cntr_1/files/cfile_1                       | api.containers.read",
        "GET    | /v1/containers/cntr_1/files/cfile_1/content               | api.containers.read",
        "POST   | /v1/containers                                            | api.containers.write",
        "DELETE | /v1/containers/cntr_1                                     | api.containers.write",
        "POST   | /v1/containers/cntr_1/files                               | api.containers.write",
        "DELETE | /v1/containers/cntr_1/files/cfile_1                       | api.containers.write",
        // videos
        "GET    | /v1/videos                                                | api.videos.read",
        "GET    | /v1/videos/video_1                                        | api.videos.read",
        "GET    | /v1/videos/video_1/content                                | api.videos.read",
        "POST   | /v1/videos                                                | api.videos.write",
        "POST   | /v1/videos/video_1/remix                                  | api.videos.write",
        "DELETE | /v1/videos/video_1                                        | api.videos.write",
      })
  void tableWhenOpenAiRouteThenItsScope(String method, String path, String scope) {
    assertThat(RouteScopes.TABLE.scopeFor(method, path)).contains(scope);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a method the resource does not have there
        "DELETE | /v1/models",
        "POST   | /v1/models",
        "PUT    | /v1/files/file-1",
        "PATCH  | /v1/vector_stores/vs_1",
        "GET    | /v1/embeddings",
        "GET    | /v1/batches/batch_1/cancel",
        "DELETE | /v1/threads",
        "HEAD   | /v1/files",
        // a literal shadowing the parameter (no backtracking)
        "GET    | /v1/threads/runs",
        "GET    | /v1/responses/input_tokens",
        // unknown, admin, websocket and odd paths
        "GET    | /v1/realtime",
        "GET    | /v1/organization/projects",
        "GET    | /v1/stream",
        "GET    | /v1/files/",
        "GET    | /v1//files",
        "GET    | /v1/files/file%2D1",
        "GET    | /v1/files/file-1/content/",
        "GET    | /v1/files/../models",
        "GET    | /v2/files",
        "GET    | /files",
      })
  void tableWhenNotAnOpenAiRouteOrOddThenUnmapped(String method, String path) {
    assertThat(RouteScopes.TABLE.scopeFor(method, path)).isEmpty();
  }

  @Test
  void tableWhenReadThenEveryScopeIsInTheCatalogueAndEveryCatalogueScopeHasARoute() {
    Set<String> used =
        RouteScopes.TABLE.routes().stream()
            .map(RouteScopeTable.Route::scope)
            .collect(Collectors.toSet());

    assertThat(ScopeCatalogue.ALL).containsAll(used);
    assertThat(used).containsExactlyInAnyOrderElementsOf(ScopeCatalogue.ALL);
  }

  @Test
  void tableWhenReadThenEveryRouteIsUnderV1AndNoneUnderTheAdminApi() {
    assertThat(RouteScopes.TABLE.routes())
        .allSatisfy(
            r -> {
              assertThat(r.pattern()).startsWith("/v1/");
              assertThat(r.pattern()).doesNotStartWith("/v1/organization");
              assertThat(r.method()).isIn("GET", "POST", "DELETE");
            });
  }

  @Test
  void tableWhenDemoRoutesThenTheScopesTheDemoModelHadAlways() {
    assertThat(RouteScopes.TABLE.scopeOfPattern("GET", "/v1/models"))
        .contains(RouteScopes.MODEL_READ);
    assertThat(RouteScopes.TABLE.scopeOfPattern("GET", "/v1/models/{id}"))
        .contains(RouteScopes.MODEL_READ);
    assertThat(RouteScopes.TABLE.scopeOfPattern("POST", "/v1/responses"))
        .contains(RouteScopes.MODEL_REQUEST);
  }

  @Test
  void tableWhenEveryPatternAskedWithConcreteIdsThenItsOwnScope() {
    for (RouteScopeTable.Route route : RouteScopes.TABLE.routes()) {
      String path = route.pattern().replaceAll("\\{[a-z_]+}", "id_1");

      assertThat(RouteScopes.TABLE.scopeFor(route.method(), path))
          .as(route.method() + " " + path)
          .contains(route.scope());
    }
  }
}
