package io.recap.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.service.security.TestApiKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who may do what on the orchestrator, on the whole service: reads, operations, promotion, management. */
class EndpointRolesTests extends OrchestratorIntegrationTest {

    private static final String JOB = """
            {"kind":"T2I_FINETUNE",
             "spec":{"corpusId":"roles-corpus","captioner":"captioner/roles-captioner/v1","captionMix":"mix","preset":"smoke"},
             "params":{"simulate":true,"steps":2,"stepMillis":10}}""";

    @Test
    void aViewerReadsButCannotSubmitCancelIngestExportOrPromote() throws Exception {
        assertThat(call("GET", "/jobs", TestApiKeys.VIEWER, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/jobs", TestApiKeys.VIEWER, JOB).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/jobs/j-1/cancel", TestApiKeys.VIEWER, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/corpora/roles/ingest", TestApiKeys.VIEWER, "{}").statusCode()).isEqualTo(403);
        assertThat(call("GET", "/corpora/roles/export?format=sidecar", TestApiKeys.VIEWER, null).statusCode())
                .isEqualTo(403);
        assertThat(call("POST", "/models/captioner/c/v1/promote", TestApiKeys.VIEWER, null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void anOperatorMaySubmitJobsButOnlyAnAdminPromotes() throws Exception {
        HttpResponse<String> submitted = call("POST", "/jobs", TestApiKeys.OPERATOR, JOB);
        HttpResponse<String> promote = call("POST", "/models/captioner/c/v1/promote", TestApiKeys.OPERATOR, null);
        HttpResponse<String> adminPromote = call("POST", "/models/captioner/c/v1/promote", TestApiKeys.ADMIN, null);

        // Past authorization, into validation: this corpus was never ingested.
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(400);
        assertThat(submitted.body()).contains("is not in the catalog");
        assertThat(promote.statusCode()).isEqualTo(403);
        assertThat(promote.body()).contains("\"reason\":\"FORBIDDEN_ROLE\"");
        // Past authorization: the model does not exist.
        assertThat(adminPromote.statusCode()).isEqualTo(404);
    }

    @Test
    void theConsolesPagesNeedNoKeySinceTheyHoldNoDataTheyFetchItWithTheUsersKey() throws Exception {
        for (String page : List.of("/console/index.html", "/console/app.js", "/console/pages/jobs.js",
                "/console/console.css")) {
            assertThat(anonymous(page).statusCode()).as(page).isEqualTo(200);
        }
        HttpResponse<String> console = anonymous("/console");
        assertThat(console.statusCode()).isEqualTo(302);
        assertThat(console.headers().firstValue("Location").orElseThrow()).endsWith("/console/index.html");
        assertThat(anonymous("/jobs/j-1/losses").statusCode()).isEqualTo(401);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri("/console/index.html"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).as("reads only").isEqualTo(401);
    }

    private HttpResponse<String> anonymous(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nobodyWithoutAKeyReadsAnythingButTheProbes() throws Exception {
        HttpResponse<String> jobs = HTTP.send(HttpRequest.newBuilder(uri("/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> readiness = HTTP.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> prometheus = HTTP.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(jobs.statusCode()).isEqualTo(401);
        assertThat(readiness.statusCode()).isEqualTo(200);
        // The status only: the details (database, scheduler) are for admins.
        assertThat(readiness.body()).doesNotContain("components");
        assertThat(prometheus.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> call(String method, String path, String key, String json) throws Exception {
        HttpRequest.Builder request = TestApiKeys.request(uri(path), key);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
