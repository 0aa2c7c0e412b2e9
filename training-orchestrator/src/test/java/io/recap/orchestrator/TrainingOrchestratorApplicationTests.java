package io.recap.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingOrchestratorApplicationTests extends OrchestratorIntegrationTest {

    @Test
    void bootsAndReportsLivenessOverHttp() throws Exception {
        HttpResponse<String> response = get("/actuator/health/liveness");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void readinessIncludesTheDatabaseAndTheSchedulerWithItsPools() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
        String body = get("/actuator/health/readiness").body();
        assertThat(body).contains("\"orchestrator\"", "\"db\"", "\"scheduler\":\"running\"", "\"slots\":1",
                "\"executor\":\"local\"");
    }

    @Test
    void publishesOpenApiForEveryEndpoint() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"/jobs\"", "\"/jobs/{jobId}\"", "\"/jobs/{jobId}/cancel\"",
                "\"/corpora\"", "\"/corpora/{corpusId}\"", "\"/corpora/{corpusId}/snapshots\"", "\"/models\"",
                "\"/models/{kind}/{name}/{version}\"", "\"/models/{kind}/{name}/{version}/promote\"",
                "\"/jobs/{jobId}/losses\"", "\"/jobs/{jobId}/images\"", "\"/corpora/{corpusId}/images\"", "\"/corpora/{corpusId}/image\"");
    }

    @Test
    void exposesJobGaugesAndQueueWaitInPrometheusFormat() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("recap_orchestrator_jobs{", "state=\"QUEUED\"", "state=\"RUNNING\"",
                "recap_orchestrator_pool_slots{", "pool=\"cpu\"");
    }
}
