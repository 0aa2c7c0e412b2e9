package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import io.recap.core.json.Json;
import io.recap.orchestrator.db.Db;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Jobs, their attempts, checkpoints, metrics and logs. Plain SQL that runs unchanged on PostgreSQL and on
 * H2 in PostgreSQL mode. State changes are conditional updates ({@code WHERE state = ...}), so concurrent
 * writers (scheduler, executors, event consumer, API) cannot move a job along an illegal edge.
 */
public class JobRepository {

    private static final String COLUMNS = "job_id, seq, kind, state, pool, priority, spec, params, executor, attempt, "
            + "failed_attempts, max_attempts, awaiting_retry, next_attempt_at, progress_step, progress_total, "
            + "progress_loss, progress_rate, progress_eta, progress_at, snapshot_id, failure_reason, created_at, "
            + "started_at, finished_at";

    private final JdbcClient jdbc;
    private final TransactionOperations tx;

    public JobRepository(JdbcClient jdbc, TransactionOperations tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    public void insert(String jobId, JobSpec spec, String pool, int priority, Map<String, String> params,
            int maxAttempts, Instant now) {
        jdbc.sql("INSERT INTO jobs (job_id, kind, state, pool, priority, spec, params, max_attempts, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(jobId, spec.kind().name(), JobState.QUEUED.name(), pool, priority, toJson(spec),
                        toJson(params), maxAttempts, Db.ts(now))
                .update();
    }

    public Optional<Job> find(String jobId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE job_id = ?").param(jobId).query(this::job).optional();
    }

    /** Newest first; either filter may be null. */
    public List<Job> list(JobState state, JobKind kind, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            params.add(state.name());
        }
        if (kind != null) {
            sql.append(" AND kind = ?");
            params.add(kind.name());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(this::job).list();
    }

    public Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        jdbc.sql("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
                .query((rs, i) -> counts.put(JobState.valueOf(rs.getString("state")), rs.getLong("n")))
                .list();
        return counts;
    }

    /** RUNNING jobs per pool (those waiting for a retry included: they hold their slot). */
    public Map<String, Long> runningByPool() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("SELECT pool, COUNT(*) AS n FROM jobs WHERE state = 'RUNNING' GROUP BY pool")
                .query((rs, i) -> counts.put(rs.getString("pool"), rs.getLong("n")))
                .list();
        return counts;
    }

    public Map<String, Long> queuedByPool() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("SELECT pool, COUNT(*) AS n FROM jobs WHERE state = 'QUEUED' GROUP BY pool")
                .query((rs, i) -> counts.put(rs.getString("pool"), rs.getLong("n")))
                .list();
        return counts;
    }

    /** The queue of one pool in dispatch order: priority (high first), then submission (FIFO). */
    public List<Job> queued(String pool, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE state = 'QUEUED' AND pool = ? "
                        + "ORDER BY priority DESC, seq ASC LIMIT ?")
                .params(pool, limit).query(this::job).list();
    }

    /** QUEUED → RUNNING; false if someone else moved the job first (e.g. a cancel). */
    public boolean claim(String jobId, String executor, Instant now) {
        return jdbc.sql("UPDATE jobs SET state = 'RUNNING', executor = ?, started_at = ? "
                        + "WHERE job_id = ? AND state = 'QUEUED'")
                .params(executor, Db.ts(now), jobId).update() == 1;
    }

    public List<Job> running() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE state = 'RUNNING' ORDER BY seq")
                .query(this::job).list();
    }

    public List<Job> dueRetries(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs WHERE state = 'RUNNING' AND awaiting_retry = TRUE "
                        + "AND next_attempt_at <= ? ORDER BY priority DESC, seq ASC")
                .param(Db.ts(now)).query(this::job).list();
    }

    /**
     * Starts attempt {@code attempt}: the job's progress restarts at the step it resumes from. False if the
     * job is no longer RUNNING or that attempt already exists.
     */
    public boolean startAttempt(String jobId, int attempt, String executor, Long resumedFromStep, Instant now) {
        Boolean started = tx.execute(status -> startAttemptInTransaction(jobId, attempt, executor, resumedFromStep, now));
        return Boolean.TRUE.equals(started);
    }

    private boolean startAttemptInTransaction(String jobId, int attempt, String executor, Long resumedFromStep,
            Instant now) {
        int updated = jdbc.sql("UPDATE jobs SET attempt = ?, executor = ?, awaiting_retry = FALSE, "
                        + "next_attempt_at = NULL, progress_step = ?, progress_rate = NULL, progress_eta = NULL, "
                        + "progress_at = ? WHERE job_id = ? AND state = 'RUNNING' AND attempt = ?")
                .params(attempt, executor, resumedFromStep, Db.ts(now), jobId, attempt - 1).update();
        if (updated != 1) {
            return false;
        }
        jdbc.sql("INSERT INTO job_attempts (job_id, attempt, executor, resumed_from_step, started_at) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .params(jobId, attempt, executor, resumedFromStep, Db.ts(now)).update();
        return true;
    }

    public void setExternalRef(String jobId, int attempt, String externalRef) {
        jdbc.sql("UPDATE job_attempts SET external_ref = ? WHERE job_id = ? AND attempt = ?")
                .params(externalRef, jobId, attempt).update();
    }

    /** Closes an attempt once; false if it was already closed. */
    public boolean finishAttempt(String jobId, int attempt, String outcome, String reason, Instant now) {
        return jdbc.sql("UPDATE job_attempts SET outcome = ?, reason = ?, finished_at = ? "
                        + "WHERE job_id = ? AND attempt = ? AND outcome IS NULL")
                .params(outcome, reason, Db.ts(now), jobId, attempt).update() == 1;
    }

    /** Keeps the job RUNNING (holding its slot) and schedules its next attempt. */
    public boolean scheduleRetry(String jobId, int attempt, boolean countsAsFailure, Instant nextAttemptAt) {
        return jdbc.sql("UPDATE jobs SET awaiting_retry = TRUE, next_attempt_at = ?, "
                        + "failed_attempts = failed_attempts + ? WHERE job_id = ? AND state = 'RUNNING' AND attempt = ?")
                .params(Db.ts(nextAttemptAt), countsAsFailure ? 1 : 0, jobId, attempt).update() == 1;
    }

    /** Moves the job to a terminal state if it is in {@code from}; the first writer wins. */
    public boolean finish(String jobId, JobState from, JobState to, String reason, Instant now) {
        if (!from.canTransitionTo(to)) {
            throw new IllegalStateException("job cannot move from " + from + " to " + to);
        }
        return jdbc.sql("UPDATE jobs SET state = ?, failure_reason = COALESCE(?, failure_reason), finished_at = ?, "
                        + "awaiting_retry = FALSE, next_attempt_at = NULL WHERE job_id = ? AND state = ?")
                .params(to.name(), reason, Db.ts(now), jobId, from.name()).update() == 1;
    }

    public void setSnapshot(String jobId, String snapshotId) {
        jdbc.sql("UPDATE jobs SET snapshot_id = ? WHERE job_id = ?").params(snapshotId, jobId).update();
    }

    /**
     * Applies a PROGRESS report unless an equal or later step is already recorded (redelivery). Reports that
     * arrive after the job finished still apply: the trainer's last steps race its own exit.
     */
    public boolean updateProgress(String jobId, long step, long total, Double loss, Double rate, Double eta, Instant at) {
        return jdbc.sql("UPDATE jobs SET progress_step = ?, progress_total = ?, progress_loss = ?, progress_rate = ?, "
                        + "progress_eta = ?, progress_at = ? WHERE job_id = ? "
                        + "AND (progress_step IS NULL OR progress_step < ?)")
                .params(step, total, loss, rate, eta, Db.ts(at), jobId, step).update() == 1;
    }

    /** Keeps one PROGRESS event's loss for the job's loss curve; a redelivered step inserts nothing. */
    public void insertLoss(String jobId, long step, double loss) {
        jdbc.sql("INSERT INTO job_losses (job_id, step, loss) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .params(jobId, step, loss).update();
    }

    /** Every loss the job reported, in step order. */
    public List<LossPoint> losses(String jobId) {
        return jdbc.sql("SELECT step, loss FROM job_losses WHERE job_id = ? ORDER BY step")
                .param(jobId)
                .query((rs, i) -> new LossPoint(rs.getLong("step"), rs.getDouble("loss")))
                .list();
    }

    /** The loss a job reported at one step. */
    public record LossPoint(long step, double loss) {
    }

    /** Records a checkpoint once per (job, step). */
    public boolean insertCheckpoint(String jobId, long step, String path, Instant now) {
        return jdbc.sql("INSERT INTO job_checkpoints (job_id, step, path, created_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(jobId, step, path, Db.ts(now)).update() == 1;
    }

    /** The newest checkpoint: highest step. */
    public Optional<StoredCheckpoint> lastCheckpoint(String jobId) {
        return jdbc.sql("SELECT step, path FROM job_checkpoints WHERE job_id = ? ORDER BY step DESC LIMIT 1")
                .param(jobId)
                .query((rs, i) -> new StoredCheckpoint(rs.getLong("step"), rs.getString("path")))
                .optional();
    }

    /** Checkpoint as recorded: step and store key. */
    public record StoredCheckpoint(long step, String path) {
    }

    /** Records metrics once per (job, step, name); {@code step} null is stored as -1. */
    public int insertMetrics(String jobId, Long step, Map<String, Double> metrics, Instant now) {
        int inserted = 0;
        for (Map.Entry<String, Double> metric : new TreeMap<>(metrics).entrySet()) {
            inserted += jdbc.sql("INSERT INTO job_metrics (job_id, step, name, metric_value, created_at) "
                            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(jobId, step == null ? -1L : step, metric.getKey(), metric.getValue(), Db.ts(now))
                    .update();
        }
        return inserted;
    }

    /** For every metric name, its value at the highest step it was reported at. */
    public Map<String, MetricValue> latestMetrics(String jobId) {
        Map<String, MetricValue> latest = new TreeMap<>();
        jdbc.sql("SELECT m.name, m.step, m.metric_value FROM job_metrics m WHERE m.job_id = ? AND m.step = "
                        + "(SELECT MAX(x.step) FROM job_metrics x WHERE x.job_id = m.job_id AND x.name = m.name)")
                .param(jobId)
                .query((rs, i) -> latest.put(rs.getString("name"),
                        new MetricValue(rs.getDouble("metric_value"), rs.getLong("step") < 0 ? null : rs.getLong("step"))))
                .list();
        return latest;
    }

    /** A metric's latest value and the step it was reported at (null: the run as a whole). */
    public record MetricValue(double value, Long step) {
    }

    public void appendLog(String jobId, String line, Instant now) {
        jdbc.sql("INSERT INTO job_logs (job_id, logged_at, line) VALUES (?, ?, ?)")
                .params(jobId, Db.ts(now), line.length() > 4000 ? line.substring(0, 4000) + "…" : line).update();
    }

    /** The last {@code lines} log lines, oldest first. */
    public List<String> logTail(String jobId, int lines) {
        List<String> tail = new ArrayList<>(jdbc.sql("SELECT line FROM job_logs WHERE job_id = ? ORDER BY id DESC LIMIT ?")
                .params(jobId, lines).query((rs, i) -> rs.getString("line")).list());
        Collections.reverse(tail);
        return tail;
    }

    /** Deletes all but the newest {@code keep} log lines of a job. */
    public int pruneLogs(String jobId, int keep) {
        return jdbc.sql("DELETE FROM job_logs WHERE job_id = ? AND id < (SELECT MIN(t.id) FROM "
                        + "(SELECT id FROM job_logs WHERE job_id = ? ORDER BY id DESC LIMIT ?) t)")
                .params(jobId, jobId, keep).update();
    }

    public List<JobAttempt> attempts(String jobId) {
        return jdbc.sql("SELECT attempt, executor, external_ref, resumed_from_step, started_at, finished_at, outcome, "
                        + "reason FROM job_attempts WHERE job_id = ? ORDER BY attempt")
                .param(jobId)
                .query((rs, i) -> new JobAttempt(rs.getInt("attempt"), rs.getString("executor"),
                        rs.getString("external_ref"), Db.longOrNull(rs, "resumed_from_step"),
                        Db.instant(rs, "started_at"), Db.instant(rs, "finished_at"), rs.getString("outcome"),
                        rs.getString("reason")))
                .list();
    }

    private Job job(ResultSet rs, int row) throws SQLException {
        JobKind kind = JobKind.valueOf(rs.getString("kind"));
        return new Job(
                rs.getString("job_id"),
                rs.getLong("seq"),
                kind,
                JobState.valueOf(rs.getString("state")),
                rs.getString("pool"),
                rs.getInt("priority"),
                Json.read(rs.getString("spec").getBytes(StandardCharsets.UTF_8), JobSpec.typeOf(kind)),
                params(rs.getString("params")),
                rs.getString("executor"),
                rs.getInt("attempt"),
                rs.getInt("failed_attempts"),
                rs.getInt("max_attempts"),
                rs.getBoolean("awaiting_retry"),
                Db.instant(rs, "next_attempt_at"),
                new Job.Progress(Db.longOrNull(rs, "progress_step"), Db.longOrNull(rs, "progress_total"),
                        Db.doubleOrNull(rs, "progress_loss"), Db.doubleOrNull(rs, "progress_rate"),
                        Db.doubleOrNull(rs, "progress_eta"), Db.instant(rs, "progress_at")),
                rs.getString("snapshot_id"),
                rs.getString("failure_reason"),
                Db.instant(rs, "created_at"),
                Db.instant(rs, "started_at"),
                Db.instant(rs, "finished_at"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> params(String json) {
        Map<String, Object> raw = Json.read(json.getBytes(StandardCharsets.UTF_8), Map.class);
        Map<String, String> params = new LinkedHashMap<>();
        raw.forEach((k, v) -> params.put(k, String.valueOf(v)));
        return Collections.unmodifiableMap(params);
    }

    private static String toJson(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
