package io.recap.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Requests refused before any controller runs, by Spring Security's firewall or by Tomcat itself, are answered
 * problem+json with a reason like every other refusal, not a container error page.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefusedBeforeTheApplicationTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("recap.security.api-keys", TestApiKeys::property);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a path that climbs out with ..     | /jobs/../caption   | REQUEST_REJECTED
            an encoded dot                     | /jobs/%2e%2e/x     | REQUEST_REJECTED
            a path parameter                   | /jobs;x=1          | REQUEST_REJECTED
            an empty path segment              | /models//promote   | REQUEST_REJECTED
            an encoded slash                   | /jobs/a%2Fb        | BAD_REQUEST
            an encoded backslash               | /jobs/a%5Cb        | BAD_REQUEST
            an encoded NUL                     | /jobs/a%00b        | BAD_REQUEST
            bytes that are not UTF-8           | /jobs/a%C3%28      | BAD_REQUEST
            """)
    @Order(1)
    void aPathRefusedBeforeTheApplicationIsAProblemWithAReason(String name, String path, String reason)
            throws Exception {
        HttpResponse<String> response = HTTP.send(TestApiKeys.request(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).as(response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("reason").asString()).isEqualTo(reason);
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("detail").asString("")).isNotBlank();
    }

    @Test
    @Order(2)
    void theServiceStillAnswersAfterwards() throws Exception {
        HttpResponse<String> response = HTTP.send(TestApiKeys.request(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }
}
