package io.recap.core.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a job. QUEUED may go straight to FAILED (executor could not start it) or CANCELLED;
 * terminal states never change, so a late or duplicated event cannot resurrect a finished job.
 */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** States this one may move to; empty for terminal states. */
    public Set<JobState> allowedNext() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobState.class);
        };
    }

    public boolean canTransitionTo(JobState next) {
        return next != null && allowedNext().contains(next);
    }

    /** Returns {@code next}, or throws {@link IllegalStateException} naming both states. */
    public JobState transitionTo(JobState next) {
        if (!canTransitionTo(next)) {
            throw new IllegalStateException("job cannot move from " + this + " to " + next);
        }
        return next;
    }
}
