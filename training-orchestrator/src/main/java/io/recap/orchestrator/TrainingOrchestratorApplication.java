package io.recap.orchestrator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Training orchestrator: corpus catalog, jobs, scheduling, executors and model registry. */
@SpringBootApplication
public class TrainingOrchestratorApplication {

    public static void main(String[] args) {
        SpringApplication.run(TrainingOrchestratorApplication.class, args);
    }
}
