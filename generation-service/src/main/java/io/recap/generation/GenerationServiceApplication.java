package io.recap.generation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Generation service: serves the promoted text-to-image model over REST. */
@SpringBootApplication
public class GenerationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(GenerationServiceApplication.class, args);
    }
}
