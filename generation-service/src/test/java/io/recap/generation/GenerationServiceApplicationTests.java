package io.recap.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.TestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GenerationServiceApplicationTests {

    @LocalServerPort
    int port;

    /** Actuator's own port: the service's only serves the API. */
    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("recap.security.api-keys", TestApiKeys::property);
    }

    @Test
    void bootsAndReportsLivenessOverHttp() throws Exception {
        HttpResponse<String> response = new TestClient(port, managementPort).get("/actuator/health/liveness");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }
}
