package io.recap.ml.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Small constant arrays made once per value, device and type and then reused by every forward
 * pass: scalars to multiply by, causal masks, the unit weights of an affine-free layer norm.
 *
 * <p>DJL's {@code x.mul(0.25f)} makes a scalar array, multiplies and frees it: three native calls
 * for one op, and the allocation costs more than the multiply on small tensors. These arrays
 * belong to one base manager per device that lives as long as the JVM, never to a model or a
 * scope (an {@link NDScope} open when one is made would otherwise close it), so they may be
 * shared by every model and thread; the cache only grows with distinct values, which callers keep
 * few (attention scales, context lengths, group sizes).
 */
public final class ConstantArrays {

    private record Key(String kind, Device device, DataType type, Object value) {
    }

    private static final Map<Device, NDManager> OWNERS = new ConcurrentHashMap<>();
    private static final Map<Key, NDArray> CACHE = new ConcurrentHashMap<>();

    private ConstantArrays() {
    }

    /** A 0-d array holding {@code value}, on the device and of the type of {@code like}. */
    public static NDArray scalar(NDArray like, float value) {
        return get("scalar", like, value, manager -> manager.create(value).toType(like.getDataType(), false));
    }

    /** Ones of {@code shape}, on the device and of the type of {@code like}. */
    public static NDArray ones(NDArray like, Shape shape) {
        return get("ones", like, shape, manager -> manager.ones(shape, like.getDataType()));
    }

    /** Zeros of {@code shape}, on the device and of the type of {@code like}. */
    public static NDArray zeros(NDArray like, Shape shape) {
        return get("zeros", like, shape, manager -> manager.zeros(shape, like.getDataType()));
    }

    /**
     * The additive (Tq, Tk) mask that hides from query i every key j &gt; i + (Tk - Tq), with
     * {@code masked} there and 0 elsewhere.
     */
    public static NDArray causalMask(NDArray like, long queryLength, long keyLength, float masked) {
        return get("causal", like, Arrays.asList(queryLength, keyLength, masked), manager -> {
            long offset = keyLength - queryLength;
            float[] mask = new float[Math.toIntExact(queryLength * keyLength)];
            for (int i = 0; i < queryLength; i++) {
                for (long j = Math.max(0, i + offset + 1); j < keyLength; j++) {
                    mask[Math.toIntExact(i * keyLength + j)] = masked;
                }
            }
            return manager.create(mask, new Shape(queryLength, keyLength)).toType(like.getDataType(), false);
        });
    }

    private static NDArray get(String kind, NDArray like, Object value, Function<NDManager, NDArray> make) {
        Key key = new Key(kind, like.getDevice(), like.getDataType(), value);
        NDArray cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        return CACHE.computeIfAbsent(key, k -> {
            NDManager owner = OWNERS.computeIfAbsent(k.device(), NDManager::newBaseManager);
            NDArray made = make.apply(owner);
            // Made inside a caller's scope, the array (and any temporary) would be closed with it.
            NDScope.unregister(made);
            return made;
        });
    }
}
