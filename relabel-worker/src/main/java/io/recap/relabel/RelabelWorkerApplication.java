package io.recap.relabel;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Relabel worker: captions corpus image batches consumed from Kafka. */
@SpringBootApplication
public class RelabelWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RelabelWorkerApplication.class, args);
    }
}
