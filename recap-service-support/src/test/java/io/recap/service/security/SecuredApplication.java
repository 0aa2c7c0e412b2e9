package io.recap.service.security;

import io.recap.core.security.Role;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A service with one route per role, secured by the shared configuration as every RECAP service is. */
@SpringBootApplication
class SecuredApplication {

    @Bean
    EndpointRules rules() {
        return requests -> requests
                .requestMatchers(HttpMethod.POST, "/caption").hasRole(Role.USER.name())
                .requestMatchers(HttpMethod.POST, "/jobs").hasRole(Role.OPERATOR.name());
    }

    @RestController
    static class Routes {

        @GetMapping("/jobs")
        Map<String, Object> list() {
            return Map.of("jobs", 0);
        }

        @PostMapping("/caption")
        Map<String, Object> caption() {
            return Map.of("caption", "a red circle");
        }

        @PostMapping("/jobs")
        Map<String, Object> submit() {
            return Map.of("jobId", "j1");
        }

        @PostMapping("/models/promote")
        Map<String, Object> promote() {
            return Map.of("promoted", true);
        }
    }
}
