package io.recap.testsupport;

import io.recap.service.web.TestRequests;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A whole service under test on random ports: its ports, a client for them, and every test starting once the
 * service reports ready. The subclass carries {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} and the one
 * {@code @DynamicPropertySource} its own subclasses inherit, so that Spring's context cache gives them one
 * application.
 */
public abstract class ReadyServiceTest {

    @LocalServerPort
    protected int port;

    /** Actuator's own port: the service's only serves the API. */
    @LocalManagementPort
    protected int managementPort;

    @BeforeEach
    protected void awaitReady() {
        TestRequests.awaitReady(managementPort);
    }

    /** The service's API and Actuator, called with the admin test key. */
    protected TestClient client() {
        return new TestClient(port, managementPort);
    }
}
