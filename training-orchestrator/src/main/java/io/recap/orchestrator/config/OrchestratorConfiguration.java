package io.recap.orchestrator.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.Topics;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.registry.ModelImporter;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.captioner.CaptionerFinetuneTask;
import io.recap.orchestrator.catalog.CaptionBrowser;
import io.recap.orchestrator.catalog.CatalogListeners;
import io.recap.orchestrator.catalog.CatalogRepository;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.diffusion.T2iFinetuneTask;
import io.recap.orchestrator.evaluation.EvaluateTask;
import io.recap.orchestrator.events.EventPublisher;
import io.recap.orchestrator.executor.ExecutorRegistry;
import io.recap.orchestrator.executor.JobExecutor;
import io.recap.orchestrator.executor.local.LocalExecutor;
import io.recap.orchestrator.export.CorpusExporter;
import io.recap.orchestrator.export.ExportReports;
import io.recap.orchestrator.ingest.CorpusIngestService;
import io.recap.orchestrator.jobs.JobImages;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.jobs.JobService;
import io.recap.orchestrator.jobs.TrainingEventListener;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.registry.ModelRegistry;
import io.recap.orchestrator.registry.PromotionPolicy;
import io.recap.orchestrator.registry.PromotionRepository;
import io.recap.orchestrator.relabel.RelabelTask;
import io.recap.orchestrator.scheduling.Scheduler;
import io.recap.orchestrator.scheduling.SchedulerHealthIndicator;
import io.recap.orchestrator.scheduling.SchedulerSignal;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.orchestrator.task.TrainingTaskRegistry;
import io.recap.service.security.EndpointRules;
import io.recap.core.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the orchestrator: stores, repositories, services, executors, scheduler, Kafka listeners. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OrchestratorProperties.class, SchedulingProperties.class,
        LocalExecutorProperties.class, KubernetesExecutorProperties.class, IngestProperties.class,
        RelabelProperties.class, PromotionProperties.class, ModelImportProperties.class})
class OrchestratorConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LocalBlobStore blobStore(OrchestratorProperties properties) {
        return new LocalBlobStore(properties.store());
    }

    @Bean
    ModelStore modelStore(LocalBlobStore blobStore) {
        return new ModelStore(blobStore);
    }

    @Bean
    MessageCodec messageCodec() {
        return new MessageCodec();
    }

    @Bean
    OrchestratorMetrics orchestratorMetrics(MeterRegistry registry, SchedulingProperties scheduling) {
        return new OrchestratorMetrics(registry, scheduling.slots());
    }

    @Bean
    SchedulerSignal schedulerSignal() {
        return new SchedulerSignal();
    }

    @Bean
    JobRepository jobRepository(JdbcClient jdbc, TransactionTemplate tx) {
        return new JobRepository(jdbc, tx);
    }

    @Bean
    CatalogRepository catalogRepository(JdbcClient jdbc) {
        return new CatalogRepository(jdbc);
    }

    @Bean
    PromotionRepository promotionRepository(JdbcClient jdbc) {
        return new PromotionRepository(jdbc);
    }

    @Bean
    CatalogService catalogService(CatalogRepository repository, TransactionTemplate tx, LocalBlobStore blobStore,
            AllowedRoots ingestAllowedRoots, Clock clock, OrchestratorProperties properties) {
        return new CatalogService(repository, tx, blobStore, new LocalBlobStore(ingestAllowedRoots.roots().get(0)), clock,
                properties.snapshotShardSize());
    }

    @Bean
    JobImages jobImages(JobRepository jobs, LocalBlobStore blobStore) {
        return new JobImages(jobs, blobStore);
    }

    @Bean
    CaptionBrowser captionBrowser(CatalogRepository repository, AllowedRoots ingestAllowedRoots) {
        return new CaptionBrowser(repository, ingestAllowedRoots);
    }

    @Bean
    CorpusExporter corpusExporter(CatalogRepository repository, AllowedRoots ingestAllowedRoots, Clock clock) {
        return new CorpusExporter(repository, ingestAllowedRoots, clock);
    }

    @Bean
    ExportReports exportReports() {
        return new ExportReports();
    }

    @Bean
    EventPublisher eventPublisher(KafkaTemplate<String, byte[]> kafka, MessageCodec codec,
            OrchestratorProperties properties) {
        return new EventPublisher(kafka, codec, properties.eventSendTimeout());
    }

    @Bean
    JobLifecycle jobLifecycle(JobRepository jobs, SchedulerSignal signal, OrchestratorMetrics metrics, Clock clock,
            OrchestratorProperties properties) {
        return new JobLifecycle(jobs, signal, metrics, clock, properties.retryBackoff(), properties.logKeepLines());
    }

    /** The directories ingest requests may read manifests and reference images from (created when missing). */
    @Bean
    AllowedRoots ingestAllowedRoots(IngestProperties properties) {
        try {
            for (Path root : properties.allowedRoots()) {
                Files.createDirectories(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an allowed image root", e);
        }
        return new AllowedRoots(properties.allowedRoots());
    }

    @Bean
    CorpusIngestService corpusIngestService(AllowedRoots ingestAllowedRoots, EventPublisher events,
            IngestProperties properties) {
        return new CorpusIngestService(ingestAllowedRoots, events, properties.batchSize(), properties.publishTimeout());
    }

    /** RECAP step 1: pretrain and fine-tune a captioner on a ShapesWorld corpus directory under the image roots. */
    @Bean
    CaptionerFinetuneTask captionerFinetuneTask(IngestProperties properties) {
        return new CaptionerFinetuneTask(properties.allowedRoots());
    }

    /** RECAP step 2: the real task for RELABEL jobs. */
    @Bean
    RelabelTask relabelTask(CatalogService catalog, EventPublisher events, RelabelProperties properties) {
        return new RelabelTask(catalog, events, properties);
    }

    /** RECAP step 3: train the text-to-image model on a dataset snapshot; images only from the image roots. */
    @Bean
    T2iFinetuneTask t2iFinetuneTask(IngestProperties properties) {
        return new T2iFinetuneTask(properties.allowedRoots());
    }

    @Bean
    EvaluateTask evaluateTask() {
        return new EvaluateTask();
    }

    /** One task bean per job kind; the same tasks run in a trainer pod ({@code TrainerMain}). */
    @Bean
    TrainingTaskRegistry trainingTaskRegistry(ObjectProvider<TrainingTask> tasks) {
        return new TrainingTaskRegistry(tasks.orderedStream().toList());
    }

    @Bean
    LocalExecutor localExecutor(TrainingTaskRegistry tasks, JobLifecycle lifecycle, JobRepository jobs,
            EventPublisher events, LocalBlobStore blobStore, ModelStore models, LocalExecutorProperties properties) {
        return new LocalExecutor(tasks, lifecycle, jobs, events, blobStore, models, properties);
    }

    @Bean
    ExecutorRegistry executorRegistry(List<JobExecutor> executors) {
        return new ExecutorRegistry(executors);
    }

    @Bean
    JobService jobService(JobRepository jobs, JobLifecycle lifecycle, ExecutorRegistry executors,
            SchedulerSignal signal, CatalogService catalog, ModelStore models, SchedulingProperties scheduling,
            Clock clock, OrchestratorProperties properties) {
        return new JobService(jobs, lifecycle, executors, signal, catalog, models, scheduling, clock,
                properties.maxAttempts(), properties.logTailLines());
    }

    @Bean
    Scheduler scheduler(JobRepository jobs, JobLifecycle lifecycle, ExecutorRegistry executors, CatalogService catalog,
            SchedulingProperties scheduling, SchedulerSignal signal, OrchestratorMetrics metrics, Clock clock) {
        return new Scheduler(jobs, lifecycle, executors, catalog, scheduling, signal, metrics, clock);
    }

    @Bean("orchestrator")
    SchedulerHealthIndicator orchestratorHealthIndicator(Scheduler scheduler, JobRepository jobs,
            SchedulingProperties scheduling, ExecutorRegistry executors, Clock clock) {
        return new SchedulerHealthIndicator(scheduler, jobs, scheduling, executors, clock);
    }

    /** Imports unpack beside the store's models, so publishing moves files instead of copying gigabytes. */
    @Bean
    ModelImporter modelImporter(ModelStore store, LocalBlobStore blobStore, ModelImportProperties limits, Clock clock) {
        return new ModelImporter(store, blobStore.root().resolve("imports-scratch"), limits, clock);
    }

    @Bean
    ModelRegistry modelRegistry(ModelStore store, PromotionRepository promotions, EventPublisher events, Clock clock,
            PromotionProperties promotion) {
        // Parsed at start-up: a misspelt rule stops the orchestrator instead of letting every promotion through.
        return new ModelRegistry(store, promotions, events, clock, PromotionPolicy.parse(promotion.require()));
    }

    @Bean
    CatalogListeners catalogListeners(CatalogService catalog, MessageCodec codec, OrchestratorMetrics metrics) {
        return new CatalogListeners(catalog, codec, metrics);
    }

    @Bean
    TrainingEventListener trainingEventListener(JobService jobs, MessageCodec codec, OrchestratorMetrics metrics) {
        return new TrainingEventListener(jobs, codec, metrics);
    }

    /**
     * Every listener's error handler: poison records to {@code <topic>.dlq} with their reason, anything else
     * retried without limit from the same offset ({@link ListenerErrorHandling}).
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, byte[]> kafka, OrchestratorMetrics metrics,
            OrchestratorProperties properties) {
        return ListenerErrorHandling.errorHandler(kafka, metrics, properties.listenerRetryMaxInterval());
    }

    /** Creates the topics this service uses where they are missing (a managed cluster may pre-create them). */
    @Bean
    KafkaAdmin.NewTopics recapTopics(OrchestratorProperties properties) {
        int partitions = properties.topicPartitions();
        return new KafkaAdmin.NewTopics(java.util.stream.Stream.of(Topics.CORPUS_INGEST, Topics.RELABEL_REQUESTS,
                        Topics.RELABEL_RESULTS, Topics.RELABEL_DLQ, Topics.TRAINING_EVENTS, Topics.MODEL_EVENTS,
                        Topics.CORPUS_INGEST_DLQ, Topics.RELABEL_RESULTS_DLQ, Topics.TRAINING_EVENTS_DLQ)
                .map(name -> TopicBuilder.name(name).partitions(partitions).build())
                .toArray(NewTopic[]::new));
    }

    /**
     * Operators run the platform: ingest, snapshot, submit and cancel jobs, and export captions (a bulk read of a
     * whole corpus). Promotion, and any route not named here that is not a read, is admin's (the shared default).
     */
    @Bean
    EndpointRules orchestratorEndpointRules() {
        return requests -> requests
                // The console's static pages hold no data: the browser fetches data with the user's key.
                .requestMatchers(HttpMethod.GET, "/console", "/console/", "/console/**").permitAll()
                .requestMatchers(HttpMethod.POST, "/jobs", "/jobs/*/cancel", "/corpora/*/ingest", "/corpora/*/snapshots")
                .hasRole(Role.OPERATOR.name())
                .requestMatchers(HttpMethod.GET, "/corpora/*/export", "/corpora/*/exports/*")
                .hasRole(Role.OPERATOR.name());
    }
}
