package io.recap.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.recap.core.json.Json;
import io.recap.core.security.ApiKeys;
import io.recap.core.security.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The shared security configuration on a real server with its management port apart: API keys from a file, a JWT
 * signed by a key the test made, and the role each route needs.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.probes.enabled=true"})
@ExtendWith(OutputCaptureExtension.class)
class AuthenticationAndRolesTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path KEY_FILE;
    private static final Path PUBLIC_KEY;
    private static final KeyPair SIGNING;
    private static final Map<Role, String> KEYS = new java.util.EnumMap<>(Role.class);

    static {
        try {
            Path dir = Files.createTempDirectory("recap-security");
            KEY_FILE = dir.resolve("api-keys");
            for (Role role : Role.values()) {
                String key = ApiKeys.generate();
                KEYS.put(role, key);
                ApiKeys.append(KEY_FILE, ApiKeys.entry("ci-" + role.label(), role, key));
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            SIGNING = generator.generateKeyPair();
            PUBLIC_KEY = dir.resolve("issuer.pub");
            Files.writeString(PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(SIGNING.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("recap.security.api-keys-file", KEY_FILE::toString);
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> PUBLIC_KEY.toUri().toString());
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void aCallWithoutCredentialsIsAnswered401AsProblemJsonAndDoesNotRun() throws Exception {
        HttpResponse<String> response = send("POST", "/jobs", Map.of());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("reason").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(response.body()).doesNotContain("j1");
    }

    @Test
    void anUnknownKeyIsRefusedEvenForAnEndpointAnyViewerMayRead() throws Exception {
        HttpResponse<String> response = send("GET", "/jobs", Map.of("X-API-Key", ApiKeys.generate()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(response.body()).get("reason").asString()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void eachRoleMayDoWhatItsRoleAndTheRolesBelowAllow() throws Exception {
        // route -> the least role that may call it
        Map<String, Role> routes = Map.of("GET /jobs", Role.VIEWER, "POST /caption", Role.USER,
                "POST /jobs", Role.OPERATOR, "POST /models/promote", Role.ADMIN);
        for (Map.Entry<String, Role> route : routes.entrySet()) {
            String[] parts = route.getKey().split(" ");
            for (Role role : Role.values()) {
                HttpResponse<String> response = send(parts[0], parts[1], Map.of("X-API-Key", KEYS.get(role)));
                int expected = role.compareTo(route.getValue()) >= 0 ? 200 : 403;
                assertThat(response.statusCode()).as("%s as %s", route.getKey(), role).isEqualTo(expected);
                if (expected == 403) {
                    assertThat(Json.mapper().readTree(response.body()).get("reason").asString())
                            .isEqualTo("FORBIDDEN_ROLE");
                }
            }
        }
    }

    @Test
    void anApiKeyAlsoWorksAsABearerToken() throws Exception {
        HttpResponse<String> response = send("POST", "/caption",
                Map.of("Authorization", "Bearer " + KEYS.get(Role.USER)));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void onlyLivenessAndReadinessAreOpenOnTheManagementPortAndTheRestNeedsAdmin() throws Exception {
        assertThat(management("/actuator/health/liveness", Map.of()).statusCode()).isEqualTo(200);
        assertThat(management("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200);
        assertThat(management("/actuator/metrics", Map.of()).statusCode()).isEqualTo(401);
        assertThat(management("/actuator/metrics", Map.of("X-API-Key", KEYS.get(Role.OPERATOR))).statusCode())
                .isEqualTo(403);
        HttpResponse<String> metrics = management("/actuator/metrics", Map.of("X-API-Key", KEYS.get(Role.ADMIN)));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm.memory.used");
        // The management endpoints are not on the service's port.
        assertThat(send("GET", "/actuator/health/liveness", Map.of()).statusCode()).isNotEqualTo(200);
    }

    @Test
    void aJwtFromTheConfiguredIssuerGrantsTheRolesInItsClaimAndNoOthers() throws Exception {
        String operator = jwt((RSAPrivateKey) SIGNING.getPrivate(), List.of("operator", "billing"));

        assertThat(send("POST", "/jobs", Map.of("Authorization", "Bearer " + operator)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/models/promote", Map.of("Authorization", "Bearer " + operator)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aJwtSignedByAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = jwt((RSAPrivateKey) generator.generateKeyPair().getPrivate(), List.of("admin"));

        HttpResponse<String> response = send("POST", "/models/promote", Map.of("Authorization", "Bearer " + forged));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Json.mapper().readTree(response.body()).get("reason").asString()).isEqualTo("INVALID_TOKEN");
    }

    @Test
    void aKeyAddedToTheFileWorksWithoutARestart() throws Exception {
        String key = ApiKeys.generate();
        assertThat(send("GET", "/jobs", Map.of("X-API-Key", key)).statusCode()).isEqualTo(401);

        ApiKeys.append(KEY_FILE, ApiKeys.entry("added-later", Role.VIEWER, key));
        // File times may be as coarse as a second: make the change visible as one.
        Files.setLastModifiedTime(KEY_FILE, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));

        assertThat(send("GET", "/jobs", Map.of("X-API-Key", key)).statusCode()).isEqualTo(200);
    }

    @Test
    void everyCallThatMayChangeSomethingIsAuditedWithWhoWhatAndTheAnswer(CapturedOutput output) throws Exception {
        send("POST", "/jobs", Map.of("X-API-Key", KEYS.get(Role.OPERATOR)));
        send("POST", "/models/promote", Map.of("X-API-Key", KEYS.get(Role.USER)));
        send("POST", "/models/promote", Map.of());
        send("GET", "/jobs", Map.of("X-API-Key", KEYS.get(Role.VIEWER)));

        assertThat(output.getOut())
                .contains("audit principal=ci-operator roles=operator action=POST /jobs status=200")
                .contains("audit principal=ci-user roles=user action=POST /models/promote status=403")
                .contains("audit principal=anonymous roles=- action=POST /models/promote status=401")
                .doesNotContain("action=GET /jobs");
    }

    private static String jwt(RSAPrivateKey key, List<String> roles) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").claim("roles", roles)
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
        SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        token.sign(new RSASSASigner(key));
        return token.serialize();
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        return request(port, method, path, headers);
    }

    private HttpResponse<String> management(String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        return request(managementPort, "GET", path, headers);
    }

    private static HttpResponse<String> request(int port, String method, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}", StandardCharsets.UTF_8))
                .header("Content-Type", "application/json");
        headers.forEach(builder::header);
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
