-- Every loss a job's PROGRESS events carried, by step: the console draws the loss curve from it (jobs keeps only
-- the latest). Idempotent by (job, step) like checkpoints and metrics.
CREATE TABLE job_losses (
    job_id  VARCHAR(64)      NOT NULL REFERENCES jobs (job_id),
    step    BIGINT           NOT NULL,
    loss    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (job_id, step)
);
