package io.recap.orchestrator.config;

import io.recap.orchestrator.executor.process.ProcessExecutor;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.jobs.JobRepository;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The process executor, when {@code recap.executor.process.enabled=true}: trainers in child JVMs that read the
 * orchestrator's store and image roots and publish to its brokers.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "recap.executor.process.enabled", havingValue = "true")
@EnableConfigurationProperties(ProcessExecutorProperties.class)
class ProcessExecutorConfiguration {

    @Bean
    ProcessExecutor processExecutor(ProcessExecutorProperties properties, JobLifecycle lifecycle, JobRepository jobs,
            OrchestratorProperties orchestrator, IngestProperties ingest, KafkaProperties kafka) {
        return new ProcessExecutor(properties, lifecycle, jobs, orchestrator.store(),
                String.join(",", kafka.getBootstrapServers()), ingest.allowedRoots());
    }
}
