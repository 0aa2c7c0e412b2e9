package io.recap.core.image;

/** No room in the {@link DecodeBudget} within its wait: a transient refusal, worth a retry. */
public final class DecodeBudgetExhaustedException extends RuntimeException {

    public DecodeBudgetExhaustedException(String message) {
        super(message);
    }
}
