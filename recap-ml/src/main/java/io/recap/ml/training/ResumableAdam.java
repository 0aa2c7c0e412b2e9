package io.recap.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.recap.ml.nn.TorchKernels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam whose state (first and second moments, update count) can be written into a checkpoint
 * and read back, so a resumed run continues exactly where the saved one stopped. DJL's own
 * {@code Adam} keeps that state private and keyed by parameter ids, which are random per model
 * instance; this one keys it by parameter name. The update itself is DJL's fused Adam kernel,
 * with the same bias correction as DJL's {@code Adam}.
 */
public final class ResumableAdam extends Optimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final List<String> names = new ArrayList<>();
    private final Map<String, String> nameOfId = new HashMap<>();
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> updates = new HashMap<>();
    private int restoredUpdates;

    /**
     * @param parameters the model's parameters; their names key the state
     * @param learningRate learning rate by update number (DJL counts from 1)
     */
    public ResumableAdam(PairList<String, Parameter> parameters, ParameterTracker learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.epsilon = 1e-8f;
        for (Pair<String, Parameter> parameter : parameters) {
            if (parameter.getValue().requiresGradient()) {
                names.add(parameter.getKey());
                nameOfId.put(parameter.getValue().getId(), parameter.getKey());
            }
        }
    }

    @Override
    public synchronized void update(String parameterId, NDArray weight, NDArray grad) {
        String name = nameOfId.getOrDefault(parameterId, parameterId);
        int t = updates.merge(name, 1, Integer::sum) + restoredUpdates;
        double biasCorrection = Math.sqrt(1.0 - Math.pow(beta2, t)) / (1.0 - Math.pow(beta1, t));
        float rate = learningRate.getNewValue(name, t);
        // Moments live in the weight's (the model's) manager, as long as the model.
        NDArray mean = means.computeIfAbsent(name, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(name, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight),
                rate, (float) (rate * biasCorrection), getWeightDecay(), rescaleGrad, clipGrad, beta1, beta2,
                epsilon, true, false);
    }

    /**
     * Updates every parameter that takes gradients at once, with {@link TorchKernels#adam}'s
     * multi-tensor kernels: the update {@link #update} applies parameter by parameter (which
     * DJL's {@code Trainer.step()} calls), in a few native calls instead of some thirteen per
     * tensor, and without the gradient copy DJL's parameter server makes for each. Zeroes the
     * gradients, as the per-parameter kernel does. Returns false, having changed nothing, when the
     * kernels are not available: the caller then steps through DJL.
     */
    public synchronized boolean updateAll(PairList<String, Parameter> parameters) {
        TorchKernels kernels = TorchKernels.get();
        if (kernels == null) {
            return false;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList weights = new NDList();
            NDList gradients = new NDList();
            NDList firstMoments = new NDList();
            NDList secondMoments = new NDList();
            int t = 0;
            String first = null;
            for (Pair<String, Parameter> parameter : parameters) {
                String name = parameter.getKey();
                // Frozen parts (requiresGradient off for this run) are left alone, as DJL's step does.
                if (!parameter.getValue().requiresGradient()) {
                    continue;
                }
                if (nameOfId.putIfAbsent(parameter.getValue().getId(), name) == null) {
                    names.add(name); // frozen when this optimizer was made: its moments join the checkpoint
                }
                NDArray weight = parameter.getValue().getArray();
                weights.add(weight);
                gradients.add(weight.getGradient());
                firstMoments.add(means.computeIfAbsent(name, k -> detached(weight.zerosLike())));
                secondMoments.add(variances.computeIfAbsent(name, k -> detached(weight.zerosLike())));
                t = updates.merge(name, 1, Integer::sum) + restoredUpdates;
                first = first == null ? name : first;
            }
            if (first == null) {
                return true;
            }
            double biasCorrection = Math.sqrt(1.0 - Math.pow(beta2, t)) / (1.0 - Math.pow(beta1, t));
            float rate = learningRate.getNewValue(first, t);
            kernels.adam(weights, gradients, firstMoments, secondMoments, rate * biasCorrection, beta1, beta2, epsilon);
        }
        return true;
    }

    /** Moments outlive the step's scope: they belong to the weight's manager, as in {@link #update}. */
    private static NDArray detached(NDArray moment) {
        NDScope.unregister(moment);
        return moment;
    }

    /** Updates applied so far (the optimizer's step count), including those before a restore. */
    public synchronized int appliedUpdates() {
        return restoredUpdates + updates.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Moments in parameter order (means, then variances); empty before the first update. */
    public synchronized byte[] encodeState() {
        NDList state = new NDList();
        if (means.isEmpty()) {
            return state.encode();
        }
        for (String name : names) {
            state.add(means.get(name));
        }
        for (String name : names) {
            state.add(variances.get(name));
        }
        return state.encode();
    }

    /**
     * Restores moments written by {@link #encodeState()} and the update count they belong to;
     * the arrays are created in {@code manager}, which must live as long as the model.
     */
    public synchronized void restoreState(byte[] encoded, int updateCount, NDManager manager) {
        NDList state = NDList.decode(manager, encoded);
        if (!state.isEmpty() && state.size() != 2 * names.size()) {
            throw new IllegalArgumentException("optimizer state holds " + state.size() + " arrays, expected "
                    + 2 * names.size());
        }
        means.values().forEach(NDArray::close);
        variances.values().forEach(NDArray::close);
        means.clear();
        variances.clear();
        updates.clear();
        for (int i = 0; i < state.size() / 2; i++) {
            means.put(names.get(i), state.get(i));
            variances.put(names.get(i), state.get(names.size() + i));
        }
        restoredUpdates = updateCount;
    }

    /** Only to satisfy {@link Optimizer}'s constructor: hyper-parameters are set directly. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
