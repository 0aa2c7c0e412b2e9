package io.recap.orchestrator.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.orchestrator.catalog.CatalogRepository;
import io.recap.orchestrator.jobs.EvaluateSpec;
import io.recap.orchestrator.jobs.Job;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.jobs.T2iFinetuneSpec;
import io.recap.orchestrator.registry.PromotionRepository;
import io.recap.testsupport.TestDatabases;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The same Flyway migrations and the same repository SQL, run against each database the orchestrator
 * supports (subclasses: H2 in PostgreSQL mode, PostgreSQL).
 */
abstract class RepositoryContract {

    private static final ModelRef CAPTIONER = ModelRef.captioner("shapes", "v1");
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private TestDatabases.TestDatabase db;
    private JdbcClient jdbc;
    private CatalogRepository catalog;
    private JobRepository jobs;

    abstract TestDatabases.TestDatabase open() throws Exception;

    @BeforeEach
    void migrate() throws Exception {
        db = open();
        jdbc = JdbcClient.create(db.dataSource());
        catalog = new CatalogRepository(jdbc);
        jobs = new JobRepository(jdbc, db.tx());
    }

    @AfterEach
    void drop() throws Exception {
        db.close();
    }

    @Test
    void migrationsCreateEveryTable() {
        List<String> tables = jdbc.sql("SELECT LOWER(table_name) FROM information_schema.tables "
                        + "WHERE LOWER(table_name) IN ('corpora', 'ingest_batches', 'images', 'captions', 'relabel_failures', "
                        + "'snapshots', 'jobs', 'job_attempts', 'job_checkpoints', 'job_metrics', 'job_logs', "
                        + "'model_promotions')")
                .query(String.class).list();
        assertThat(tables).hasSize(12);
    }

    @Test
    void catalogInsertsAreIdempotentAndCaptionsKeepTheirLineage() {
        assertThat(catalog.insertCorpus("c1", T0)).isTrue();
        assertThat(catalog.insertCorpus("c1", T0)).isFalse();
        assertThat(catalog.insertBatch("c1", "b1", 2, T0)).isTrue();
        assertThat(catalog.insertBatch("c1", "b1", 2, T0)).isFalse();
        assertThat(catalog.insertImage("c1", "img/b", "file:/data/b.png", "stock photo", "b1", T0)).isTrue();
        assertThat(catalog.insertImage("c1", "img/a", "file:/data/a.png", "", "b1", T0)).isTrue();
        assertThat(catalog.insertImage("c1", "img/a", "file:/data/other.png", "changed", "b2", T0)).isFalse();

        assertThat(catalog.insertCaption("c1", "img/a", CaptionStyle.SHORT, "captioner/shapes/v1", "a red circle", "r1", T0))
                .isTrue();
        assertThat(catalog.insertCaption("c1", "img/a", CaptionStyle.SHORT, "captioner/shapes/v1", "replayed", "r1", T0))
                .isFalse();
        assertThat(catalog.insertCaption("c1", "img/a", CaptionStyle.SHORT, "captioner/shapes/v2", "v2 caption", "r2", T0))
                .isTrue();
        assertThat(catalog.insertCaption("c1", "img/a", CaptionStyle.LONG, "captioner/shapes/v1", "a long one", "r1", T0))
                .isTrue();
        assertThat(catalog.insertFailure("c1", "img/b", "captioner/shapes/v1", "TRUNCATED", "half a png", T0)).isTrue();
        assertThat(catalog.insertFailure("c1", "img/b", "captioner/shapes/v1", "TRUNCATED", "again", T0)).isFalse();

        assertThat(catalog.corpora()).singleElement().satisfies(c -> assertThat(c.imageCount()).isEqualTo(2));
        assertThat(catalog.batchCount("c1")).isEqualTo(1);
        assertThat(catalog.captionCounts("c1")).isEqualTo(Map.of(
                "captioner/shapes/v1", Map.of(CaptionStyle.SHORT, 1L, CaptionStyle.LONG, 1L),
                "captioner/shapes/v2", Map.of(CaptionStyle.SHORT, 1L)));
        assertThat(catalog.failureCounts("c1")).isEqualTo(Map.of("captioner/shapes/v1", 1L));

        // Keyset pages in the database's own order, and the caption range query of a page.
        List<CatalogRepository.ImageRow> first = catalog.images("c1", null, 1);
        List<CatalogRepository.ImageRow> second = catalog.images("c1", first.get(0).imageId(), 1);
        assertThat(catalog.images("c1", second.get(0).imageId(), 1)).isEmpty();
        assertThat(List.of(first.get(0).imageId(), second.get(0).imageId())).containsExactlyInAnyOrder("img/a", "img/b");
        assertThat(catalog.captions("c1", "captioner/shapes/v1", "img/a", "img/b"))
                .isEqualTo(Map.of("img/a", Map.of(CaptionStyle.SHORT, "a red circle", CaptionStyle.LONG, "a long one")));

        // The caption browser's filters: styles present or missing, failures, words (LIKE's wildcards escaped).
        String v1 = "captioner/shapes/v1";
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(v1, null, CaptionStyle.LONG, null, null)))
                .containsExactly("img/b");
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(v1, CaptionStyle.LONG, null, null, null)))
                .containsExactly("img/a");
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(v1, null, null,
                CatalogRepository.ImageFilter.ANY_FAILURE, null))).containsExactly("img/b");
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(v1, null, null, "DECODE", null))).isEmpty();
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(v1, null, null, null, "RED CIRCLE")))
                .containsExactly("img/a");
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(null, null, null, null, "stock")))
                .containsExactly("img/b");
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(v1, null, null, null, "a_long"))).isEmpty();
        assertThat(filtered(catalog, new CatalogRepository.ImageFilter(v1, null, null, null, "%"))).isEmpty();
        assertThat(catalog.images("c1", null, 10)).filteredOn(i -> i.imageId().equals("img/a"))
                .singleElement().satisfies(i -> assertThat(i.uri()).isEqualTo("file:/data/a.png"));
    }

    @Test
    void queueOrdersByPriorityThenSubmissionAndClaimsOnce() {
        insertJob("low", 0, "cpu");
        insertJob("high", 5, "cpu");
        insertJob("low2", 0, "cpu");
        insertJob("gpu", 9, "gpu");

        assertThat(jobs.queued("cpu", 10)).extracting(Job::jobId).containsExactly("high", "low", "low2");
        assertThat(jobs.queued("cpu", 2)).extracting(Job::jobId).containsExactly("high", "low");
        assertThat(jobs.claim("high", "local", T0)).isTrue();
        assertThat(jobs.claim("high", "local", T0)).isFalse();
        assertThat(jobs.runningByPool()).isEqualTo(Map.of("cpu", 1L));
        assertThat(jobs.queuedByPool()).isEqualTo(Map.of("cpu", 2L, "gpu", 1L));
        assertThat(jobs.countByState()).containsEntry(JobState.RUNNING, 1L).containsEntry(JobState.QUEUED, 3L);
        assertThat(jobs.list(JobState.QUEUED, null, 10)).extracting(Job::jobId).containsExactly("gpu", "low2", "low");
        assertThat(jobs.list(null, JobKind.EVALUATE, 10)).hasSize(4);
        assertThat(jobs.list(null, JobKind.T2I_FINETUNE, 10)).isEmpty();
    }

    @Test
    void specsRoundTripThroughTheDatabase() {
        T2iFinetuneSpec spec = new T2iFinetuneSpec("c1", CAPTIONER, CaptionMix.RECAP_MIX, "smoke", null);
        jobs.insert("t2i", spec, "cpu", 0, Map.of("steps", "20"), 3, T0);
        Job job = jobs.find("t2i").orElseThrow();
        assertThat(job.spec()).isEqualTo(spec);
        assertThat(job.params()).isEqualTo(Map.of("steps", "20"));
        assertThat(job.createdAt()).isEqualTo(T0);
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void attemptsProgressCheckpointsMetricsAndLogs() {
        insertJob("j", 0, "cpu");
        assertThat(jobs.claim("j", "local", T0)).isTrue();
        assertThat(jobs.startAttempt("j", 1, "local", null, T0)).isTrue();
        assertThat(jobs.startAttempt("j", 1, "local", null, T0)).as("same attempt twice").isFalse();

        assertThat(jobs.updateProgress("j", 5, 10, 0.5, 2.0, 2.5, T0.plusSeconds(1))).isTrue();
        assertThat(jobs.updateProgress("j", 5, 10, 0.5, 2.0, 2.5, T0.plusSeconds(1))).as("redelivered").isFalse();
        assertThat(jobs.updateProgress("j", 3, 10, 0.7, 2.0, 3.5, T0.plusSeconds(2))).as("older").isFalse();
        assertThat(jobs.find("j").orElseThrow().progress().step()).isEqualTo(5);

        assertThat(jobs.insertCheckpoint("j", 4, "checkpoints/j/step-4", T0)).isTrue();
        assertThat(jobs.insertCheckpoint("j", 4, "checkpoints/j/step-4", T0)).isFalse();
        assertThat(jobs.insertCheckpoint("j", 2, "checkpoints/j/step-2", T0)).isTrue();
        assertThat(jobs.lastCheckpoint("j")).hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(4));

        assertThat(jobs.insertMetrics("j", 2L, Map.of("loss", 0.9, "lr", 1e-5), T0)).isEqualTo(2);
        assertThat(jobs.insertMetrics("j", 4L, Map.of("loss", 0.4), T0)).isEqualTo(1);
        assertThat(jobs.insertMetrics("j", 4L, Map.of("loss", 0.4), T0)).isZero();
        assertThat(jobs.insertMetrics("j", null, Map.of("fid", 14.84), T0)).isEqualTo(1);
        assertThat(jobs.latestMetrics("j")).isEqualTo(Map.of(
                "loss", new JobRepository.MetricValue(0.4, 4L),
                "lr", new JobRepository.MetricValue(1e-5, 2L),
                "fid", new JobRepository.MetricValue(14.84, null)));

        // A transient failure keeps the job RUNNING (its slot held) and the next attempt resumes.
        assertThat(jobs.finishAttempt("j", 1, "FAILED", "pod evicted", T0)).isTrue();
        assertThat(jobs.finishAttempt("j", 1, "FAILED", "again", T0)).isFalse();
        assertThat(jobs.scheduleRetry("j", 1, true, T0.plusSeconds(5))).isTrue();
        assertThat(jobs.dueRetries(T0)).isEmpty();
        assertThat(jobs.dueRetries(T0.plusSeconds(5))).extracting(Job::jobId).containsExactly("j");
        assertThat(jobs.startAttempt("j", 2, "local", 4L, T0.plusSeconds(6))).isTrue();
        Job resumed = jobs.find("j").orElseThrow();
        assertThat(resumed.attempt()).isEqualTo(2);
        assertThat(resumed.failedAttempts()).isEqualTo(1);
        assertThat(resumed.awaitingRetry()).isFalse();
        assertThat(resumed.progress().step()).as("progress restarts at the resume point").isEqualTo(4);
        assertThat(jobs.attempts("j")).extracting(a -> a.attempt() + ":" + a.outcome() + ":" + a.resumedFromStep())
                .containsExactly("1:FAILED:null", "2:null:4");

        assertThat(jobs.finish("j", JobState.RUNNING, JobState.SUCCEEDED, null, T0.plusSeconds(9))).isTrue();
        assertThat(jobs.finish("j", JobState.RUNNING, JobState.FAILED, "late", T0.plusSeconds(9))).isFalse();
        assertThat(jobs.updateProgress("j", 10, 10, null, null, null, T0)).as("the last report may race the end").isTrue();
        assertThat(jobs.updateProgress("j", 9, 10, null, null, null, T0)).isFalse();

        for (int i = 0; i < 10; i++) {
            jobs.appendLog("j", "line " + i, T0);
        }
        assertThat(jobs.logTail("j", 3)).containsExactly("line 7", "line 8", "line 9");
        assertThat(jobs.pruneLogs("j", 4)).isEqualTo(6);
        assertThat(jobs.logTail("j", 10)).containsExactly("line 6", "line 7", "line 8", "line 9");
    }

    @Test
    void promotionsAreRecordedNewestFirst() {
        PromotionRepository promotions = new PromotionRepository(jdbc);
        promotions.insert(CAPTIONER, T0);
        promotions.insert(ModelRef.captioner("shapes", "v2"), T0.plusSeconds(1));
        promotions.insert(ModelRef.textToImage("sd", "v1"), T0.plusSeconds(2));
        assertThat(promotions.history(ModelKind.CAPTIONER, 10)).extracting(p -> p.model().version())
                .containsExactly("v2", "v1");
        assertThat(promotions.history(ModelKind.CAPTIONER, 10).get(1).promotedAt())
                .isEqualTo(T0.truncatedTo(ChronoUnit.MICROS));
    }

    private void insertJob(String id, int priority, String pool) {
        jobs.insert(id, new EvaluateSpec(CAPTIONER), pool, priority, Map.of(), 3, T0);
    }

    private static List<String> filtered(CatalogRepository catalog, CatalogRepository.ImageFilter filter) {
        return catalog.images("c1", filter, null, 10).stream().map(CatalogRepository.ImageRow::imageId).toList();
    }
}
