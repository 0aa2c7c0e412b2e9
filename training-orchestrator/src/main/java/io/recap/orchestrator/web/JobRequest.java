package io.recap.orchestrator.web;

import java.util.Map;

/**
 * Body of {@code POST /jobs}.
 *
 * @param kind CAPTIONER_FINETUNE, RELABEL, T2I_FINETUNE or EVALUATE
 * @param spec the kind's fields (see {@link io.recap.orchestrator.jobs.JobSpecParser})
 * @param priority higher runs first (default 0, -1000..1000)
 * @param pool the pool to run in (default: the kind's pool from {@code recap.scheduling.kind-pools})
 * @param params free-form string overrides handed to the trainer
 */
public record JobRequest(String kind, Map<String, Object> spec, Integer priority, String pool,
        Map<String, Object> params) {
}
