package io.recap.caption;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Caption service: serves the promoted captioner over REST. */
@SpringBootApplication
public class CaptionServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CaptionServiceApplication.class, args);
    }
}
