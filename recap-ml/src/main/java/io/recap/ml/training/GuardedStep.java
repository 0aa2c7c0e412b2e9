package io.recap.ml.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs optimisation steps that neither leak memory nor let a bad gradient through.
 *
 * <p>Forward and backward run inside their own {@link NDScope}, so every intermediate array,
 * including ones that land in the model's manager because they start from a parameter, is
 * closed when the step ends. {@link Trainer#step()} runs outside that scope: the optimizer
 * creates its state on the first update and a scope would close it.
 */
public final class GuardedStep {

    private static final Logger log = LoggerFactory.getLogger(GuardedStep.class);

    private final PairList<String, Parameter> parameters;
    private final Supplier<GradientCollector> collectors;
    private final Runnable fallbackUpdate;
    private final GradientGuard guard;
    private final ResumableAdam optimizer;

    public GuardedStep(Trainer trainer, float maxGradientNorm) {
        this(trainer, maxGradientNorm, null);
    }

    /**
     * @param optimizer the trainer's optimizer, when it is a {@link ResumableAdam}: it then updates
     *     every parameter in one multi-tensor call ({@link ResumableAdam#updateAll}) instead of
     *     through DJL's {@link Trainer#step()}, which calls it once per parameter
     */
    public GuardedStep(Trainer trainer, float maxGradientNorm, ResumableAdam optimizer) {
        this(trainer.getModel().getBlock().getParameters(), trainer::newGradientCollector, trainer::step,
                maxGradientNorm, optimizer);
    }

    private GuardedStep(PairList<String, Parameter> parameters, Supplier<GradientCollector> collectors,
            Runnable fallbackUpdate, float maxGradientNorm, ResumableAdam optimizer) {
        this.parameters = parameters;
        this.collectors = collectors;
        this.fallbackUpdate = fallbackUpdate;
        this.guard = new GradientGuard(parameters, maxGradientNorm);
        this.optimizer = optimizer;
    }

    /**
     * Steps over parameters that belong to no single DJL model (for example the graphs of an imported
     * TorchScript pipeline), updated by {@code optimizer} alone.
     */
    public static GuardedStep over(PairList<String, Parameter> parameters, float maxGradientNorm,
            ResumableAdam optimizer) {
        return new GuardedStep(parameters, () -> Engine.getInstance().newGradientCollector(), () -> {
            for (Pair<String, Parameter> parameter : parameters) {
                if (parameter.getValue().requiresGradient()) {
                    NDArray weight = parameter.getValue().getArray();
                    optimizer.update(parameter.getValue().getId(), weight, weight.getGradient());
                }
            }
        }, maxGradientNorm, optimizer);
    }

    /**
     * Computes the loss (creating all inputs inside the supplier, so they are scoped too),
     * back-propagates, clips, and updates unless the gradients were not finite.
     */
    public StepOutcome run(Supplier<NDArray> loss) {
        float lossValue;
        try (NDScope scope = new NDScope(); GradientCollector collector = collectors.get()) {
            scope.suppressNotUsedWarning();
            NDArray value = loss.get();
            collector.backward(value);
            lossValue = value.getFloat();
        }
        double norm = guard.clip();
        boolean finite = Double.isFinite(norm) && Float.isFinite(lossValue);
        if (finite) {
            if (optimizer == null || !optimizer.updateAll(parameters)) {
                fallbackUpdate.run();
            }
        } else {
            if (!Double.isFinite(norm)) {
                List<String> bad = guard.nonFiniteParameters();
                // A NaN in the forward pass reaches every parameter: the first few name where it starts.
                log.warn("non-finite gradients (loss {}), update skipped: {} of {} parameters, first {}", lossValue,
                        bad.size(), parameters.size(),
                        bad.subList(0, Math.min(5, bad.size())));
            }
            guard.zero();
        }
        return new StepOutcome(lossValue, (float) norm, finite);
    }
}
