package io.recap.ml.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PyTorch's fused kernels that DJL's NDArray API does not reach: group norm (optionally followed
 * by SiLU), SiLU, and scaled dot-product attention with the head split and merge around it.
 *
 * <p>DJL 0.36 has no group norm, SiLU or attention op; built from its ops they take 5-9 native
 * ops each, forward and backward (a layer norm, a per-channel scale and shift, a sigmoid and a
 * multiply; two matrix products, a mask, a softmax). The same libtorch that DJL runs has one
 * kernel for each, and DJL can call a TorchScript module's methods with autograd on. So the
 * module's code is written here, as TorchScript source, packed into a TorchScript archive in
 * memory and compiled by libtorch at first use: no Python, no file, nothing downloaded. Its
 * methods hold no state and may be called from any thread; gradients flow through them when
 * the calling thread records them.
 *
 * <p>Off with {@code -Drecap.ml.fused-kernels=false} (or {@link #setEnabled}), and whenever the
 * engine is not PyTorch or the module does not load: callers then use their DJL-op forms,
 * which compute the same function (FusedOpsTest compares them).
 */
public final class TorchKernels {

    private static final Logger log = LoggerFactory.getLogger(TorchKernels.class);

    /** Group counts and head counts with a method of their own (TorchScript methods take tensors only). */
    static final int MAX_GROUPS = 32;
    static final int MAX_HEADS = 16;
    /** The one group-norm epsilon with methods; another falls back to DJL ops. */
    static final float GROUP_NORM_EPSILON = 1e-5f;

    private static volatile boolean enabled = !"false".equalsIgnoreCase(System.getProperty("recap.ml.fused-kernels"));
    private static volatile TorchKernels instance;
    private static volatile boolean failed;

    private final PtSymbolBlock module;
    private final NDManager owner;
    private final Map<String, NDArray> methodMarkers = new ConcurrentHashMap<>();

    private TorchKernels(NDManager owner, PtSymbolBlock module) {
        this.owner = owner;
        this.module = module;
    }

    /** The kernels, or null when they are off or cannot run here (callers then use DJL ops). */
    public static TorchKernels get() {
        if (!enabled || failed) {
            return null;
        }
        TorchKernels kernels = instance;
        if (kernels == null) {
            synchronized (TorchKernels.class) {
                if (instance == null && !failed) {
                    instance = load();
                    failed = instance == null;
                }
                kernels = instance;
            }
        }
        return kernels;
    }

    /** Turns the kernels on or off for every later call (benchmarks and tests compare both forms). */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    private static TorchKernels load() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return null;
        }
        NDManager owner = NDManager.newBaseManager();
        try {
            PtSymbolBlock module = JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive()), true,
                    false);
            return new TorchKernels(owner, module);
        } catch (RuntimeException | IOException e) {
            log.warn("fused PyTorch kernels unavailable, the layers use DJL ops: {}", e.toString());
            owner.close();
            return null;
        }
    }

    /** Whether {@link #groupNorm} has a method for this group count and epsilon. */
    public boolean supportsGroupNorm(int groups, float epsilon) {
        return groups >= 1 && groups <= MAX_GROUPS && epsilon == GROUP_NORM_EPSILON;
    }

    /** Group norm of (B, C, ...) per channel group, then {@code x * gamma + beta} per channel, then SiLU if asked. */
    public NDArray groupNorm(NDArray x, NDArray gamma, NDArray beta, int groups, boolean silu) {
        return call((silu ? "group_norm_silu_" : "group_norm_") + groups, x, gamma, beta);
    }

    /** SiLU, {@code x * sigmoid(x)}, in one kernel. */
    public NDArray silu(NDArray x) {
        return call("silu", x);
    }

    public boolean supportsHeads(int heads) {
        return heads >= 1 && heads <= MAX_HEADS;
    }

    /**
     * Multi-head scaled dot-product attention of projected queries (B, Tq, D) over projected keys
     * and values (B, Tk, D): split into heads, {@code softmax(q k^T / sqrt(D / heads) + mask) v},
     * heads merged back to (B, Tq, D). The additive mask (null for none) broadcasts to
     * (B, heads, Tq, Tk).
     */
    public NDArray attention(NDArray queries, NDArray keys, NDArray values, NDArray mask, int heads) {
        return mask == null
                ? call("attention_" + heads, queries, keys, values)
                : call("attention_masked_" + heads, queries, keys, values, mask);
    }

    /**
     * One Adam update of every tensor at once, in the formula DJL's {@code adamUpdate} applies
     * tensor by tensor: {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
     * w -= rate * m / (sqrt(v) + eps)} with the bias correction folded into {@code rate}; then the
     * gradients are zeroed. A few multi-tensor kernels instead of some thirteen ops per tensor.
     */
    public void adam(NDList weights, NDList gradients, NDList means, NDList variances, double rate, double beta1,
            double beta2, double epsilon) {
        run("adam", list(weights), list(gradients), list(means), list(variances), IValue.from(rate),
                IValue.from(beta1), IValue.from(beta2), IValue.from(epsilon)).close();
    }

    /** Every tensor's L2 norm, as one 1-D array (on the first tensor's manager). */
    public NDArray norms(NDList tensors) {
        try (IValue result = run("norms", list(tensors))) {
            return result.toTensor((PtNDManager) tensors.get(0).getManager());
        }
    }

    /** Multiplies every tensor in place by {@code factor}. */
    public void scale(NDList tensors, double factor) {
        run("scale", list(tensors), IValue.from(factor)).close();
    }

    /** {@code average = decay * average + (1 - decay) * live}, every tensor in place. */
    public void movingAverage(NDList average, NDList live, double decay) {
        run("moving_average", list(average), list(live), IValue.from(decay)).close();
    }

    private static IValue list(NDList arrays) {
        PtNDArray[] tensors = new PtNDArray[arrays.size()];
        for (int i = 0; i < tensors.length; i++) {
            tensors[i] = (PtNDArray) arrays.get(i);
        }
        return IValue.listFrom(tensors);
    }

    /** Runs a method outside autograd (DJL runs methods with isTrain false under no-grad) and closes the arguments. */
    private IValue run(String method, IValue... arguments) {
        try {
            return IValueUtils.runMethod(module, method, arguments);
        } finally {
            for (IValue argument : arguments) {
                argument.close();
            }
        }
    }

    private NDArray call(String method, NDArray... inputs) {
        NDList arguments = new NDList(inputs.length + 1);
        for (NDArray input : inputs) {
            arguments.add(input);
        }
        // DJL picks the method from an array so named; that array is not passed to it.
        arguments.add(methodMarkers.computeIfAbsent(method, this::marker));
        // isTrain true: run with the calling thread's grad mode, so training records the graph.
        return IValueUtils.forward(module, arguments, true).singletonOrThrow();
    }

    private NDArray marker(String method) {
        NDArray marker = owner.create(0f);
        NDScope.unregister(marker);
        marker.setName("module_method:" + method);
        return marker;
    }

    /** The TorchScript source of the module: one method per group count and head count. */
    static String source() {
        StringBuilder code = new StringBuilder("""
                class Kernels(Module):
                  __parameters__ = []
                  __buffers__ = []
                  training : bool
                  def forward(self: __torch__.Kernels, x: Tensor) -> Tensor:
                    return x
                  def silu(self: __torch__.Kernels, x: Tensor) -> Tensor:
                    return torch.silu(x)
                  def adam(self: __torch__.Kernels, weights: List[Tensor], grads: List[Tensor], means: List[Tensor], variances: List[Tensor], rate: float, beta1: float, beta2: float, eps: float) -> Tensor:
                    torch._foreach_mul_(means, beta1)
                    torch._foreach_add_(means, grads, alpha=torch.sub(1.0, beta1))
                    torch._foreach_mul_(variances, beta2)
                    torch._foreach_addcmul_(variances, grads, grads, torch.sub(1.0, beta2))
                    denominators = torch._foreach_sqrt(variances)
                    torch._foreach_add_(denominators, eps)
                    torch._foreach_addcdiv_(weights, means, denominators, torch.neg(rate))
                    torch._foreach_zero_(grads)
                    return weights[0]
                  def norms(self: __torch__.Kernels, tensors: List[Tensor]) -> Tensor:
                    return torch.stack(torch._foreach_norm(tensors, 2))
                  def scale(self: __torch__.Kernels, tensors: List[Tensor], factor: float) -> Tensor:
                    torch._foreach_mul_(tensors, factor)
                    return tensors[0]
                  def moving_average(self: __torch__.Kernels, average: List[Tensor], live: List[Tensor], decay: float) -> Tensor:
                    torch._foreach_lerp_(average, live, torch.sub(1.0, decay))
                    return average[0]
                """);
        for (int groups = 1; groups <= MAX_GROUPS; groups++) {
            code.append(String.format(java.util.Locale.ROOT, """
                      def group_norm_%1$d(self: __torch__.Kernels, x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
                        return torch.group_norm(x, %1$d, weight, bias, %2$s, False)
                      def group_norm_silu_%1$d(self: __torch__.Kernels, x: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
                        return torch.silu(torch.group_norm(x, %1$d, weight, bias, %2$s, False))
                    """, groups, Double.toString(GROUP_NORM_EPSILON)));
        }
        for (int heads = 1; heads <= MAX_HEADS; heads++) {
            for (boolean masked : new boolean[] {false, true}) {
                code.append(String.format(java.util.Locale.ROOT, """
                          def attention_%2$s%1$d(self: __torch__.Kernels, q: Tensor, k: Tensor, v: Tensor%3$s) -> Tensor:
                            b = q.size(0)
                            tq = q.size(1)
                            tk = k.size(1)
                            width = q.size(2)
                            qh = torch.transpose(torch.reshape(q, [b, tq, %1$d, torch.floordiv(width, %1$d)]), 1, 2)
                            kh = torch.transpose(torch.reshape(k, [b, tk, %1$d, torch.floordiv(width, %1$d)]), 1, 2)
                            vh = torch.transpose(torch.reshape(v, [b, tk, %1$d, torch.floordiv(width, %1$d)]), 1, 2)
                            out = torch.scaled_dot_product_attention(qh, kh, vh, %4$s)
                            return torch.reshape(torch.transpose(out, 1, 2), [b, tq, width])
                        """, heads, masked ? "masked_" : "", masked ? ", mask: Tensor" : "", masked ? "mask" : "None"));
            }
        }
        return code.toString();
    }

    /** A TorchScript archive (the zip torch.jit.save writes) holding {@link #source()} and a pickled Kernels object. */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        // Pickle protocol 2: GLOBAL __torch__.Kernels, EMPTY_TUPLE, NEWOBJ, then its state
        // {"training": True} set by BUILD; STOP.
        pickle.write(new byte[] {(byte) 0x80, 2, 'c'});
        pickle.write("__torch__\nKernels\n".getBytes(StandardCharsets.US_ASCII));
        pickle.write(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0});
        pickle.write("training".getBytes(StandardCharsets.US_ASCII));
        pickle.write(new byte[] {(byte) 0x88, 's', 'b', '.'});
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            stored(out, "kernels/data.pkl", pickle.toByteArray());
            stored(out, "kernels/code/__torch__.py", source().getBytes(StandardCharsets.UTF_8));
            stored(out, "kernels/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(out, "kernels/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(out, "kernels/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        }
        return zip.toByteArray();
    }

    private static void stored(ZipOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
    }
}
