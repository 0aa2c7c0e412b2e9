"""PyTorch peer of the platform's `small` text-to-image network (io.recap.ml.diffusion).

The network written as one would write it in PyTorch, computing the same function as the DJL
blocks: it loads the weights PeerBenchmark exported, proves it reproduces the DJL text encoder and
UNet outputs on PeerBenchmark's fixed check inputs, then times the ops PeerBenchmark times:

    python t2i_peer.py --weights DIR --threads 1 --repeats 5 [--quick]

Only DiffusionConfig.small() is mirrored: patch size 1 (no patch folding), V prediction, cosine
noise schedule over 1000 steps. The one JSON line on stdout has the shape harness.report writes.
"""
import argparse
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import harness

PAD_ID = 0  # Vocabulary.PAD_ID
# MultiHeadAttention.MASKED: large negative rather than -inf, so a fully masked row stays finite.
MASKED = -1e9
STEPS_PER_RUN = 10  # PeerBenchmark.STEPS_PER_RUN


@dataclass(frozen=True)
class Config:
    """DiffusionConfig.small()."""
    image_size: int = 32
    base_channels: int = 16
    channel_multipliers: tuple = (1, 2, 4)
    residual_blocks: int = 1
    attention_levels: tuple = (2,)
    attention_heads: int = 4
    text_width: int = 64
    text_layers: int = 2
    text_heads: int = 4
    context_length: int = 77
    diffusion_steps: int = 1000

    @property
    def levels(self):
        return len(self.channel_multipliers)

    def channels(self, level):
        return self.base_channels * self.channel_multipliers[level]

    def side(self, level):
        return self.image_size >> level


@dataclass(frozen=True)
class Preset:
    """The parts of DiffusionTrainingPreset.small() and SamplingOptions that a step or a sample uses."""
    batch_size: int = 32
    learning_rate: float = 1e-3
    max_gradient_norm: float = 1.0
    ema_decay: float = 0.998
    prompt_dropout: float = 0.14
    foreground_weight: float = 10.0
    background_tolerance: int = 24  # TrainingBatches.BACKGROUND_TOLERANCE
    sampling_steps: int = 25
    guidance: float = 3.0
    sampling_batch: int = 16  # DiffusionModel.SAMPLING_BATCH: images per chunk, 2x rows with guidance


# ---------------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------------

def group_norm(channels):
    """GroupNorm.forChannels: 8 groups when they divide the channels, fewer otherwise; eps 1e-5."""
    groups = min(8, channels)
    while channels % groups:
        groups -= 1
    return nn.GroupNorm(groups, channels, eps=1e-5)


class Attention(nn.Module):
    """MultiHeadAttention: separate q/k/v/output projections, scores scaled by 1/sqrt(head width),
    an optional (B, Tk) additive key bias (0 or MASKED) shared by every query and head."""

    def __init__(self, width, heads, context_width=None):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(width, width)
        self.key = nn.Linear(context_width or width, width)
        self.value = nn.Linear(context_width or width, width)
        self.output = nn.Linear(width, width)

    def forward(self, x, context, key_bias=None):
        batch, length, width = x.shape

        def split(y):
            return y.view(batch, y.shape[1], self.heads, -1).transpose(1, 2)

        mask = None if key_bias is None else key_bias[:, None, None, :]
        attended = F.scaled_dot_product_attention(
            split(self.query(x)), split(self.key(context)), split(self.value(context)), attn_mask=mask)
        return self.output(attended.transpose(1, 2).reshape(batch, length, width))


class TransformerLayer(nn.Module):
    """TransformerLayer, pre-norm: x += SelfAttn(LN(x)), [x += CrossAttn(LN(x), context)],
    x += MLP(LN(x)) with an exact (erf) GELU, as DJL's Activation.gelu on PyTorch. Residual dropout
    is 0 in both users, so there is none. LayerNorm eps is DJL's default, 1e-5."""

    def __init__(self, width, heads, mlp_ratio, context_width=None):
        super().__init__()
        self.self_norm = nn.LayerNorm(width, eps=1e-5)
        self.self_attention = Attention(width, heads)
        if context_width is not None:
            self.cross_norm = nn.LayerNorm(width, eps=1e-5)
            self.cross_attention = Attention(width, heads, context_width)
        self.mlp_norm = nn.LayerNorm(width, eps=1e-5)
        self.mlp_in = nn.Linear(width, width * mlp_ratio)
        self.mlp_out = nn.Linear(width * mlp_ratio, width)

    def forward(self, x, self_bias=None, context=None, context_bias=None):
        # Java masks the self-attention only in layers without cross-attention (the text
        # encoder's); with cross-attention the bias masks the context instead.
        normed = self.self_norm(x)
        x = x + self.self_attention(normed, normed, self_bias)
        if context is not None:
            x = x + self.cross_attention(self.cross_norm(x), context, context_bias)
        return x + self.mlp_out(F.gelu(self.mlp_in(self.mlp_norm(x))))


class TextEncoder(nn.Module):
    """TextEncoder: token + learned position embeddings, bidirectional layers whose attention
    skips padding, a final LayerNorm. Returns (tokens (B, L, D), key bias (B, L))."""

    def __init__(self, vocabulary, cfg):
        super().__init__()
        self.token_embedding = nn.Embedding(vocabulary, cfg.text_width)
        self.position_embedding = nn.Embedding(cfg.context_length, cfg.text_width)
        self.layers = nn.ModuleList(
            TransformerLayer(cfg.text_width, cfg.text_heads, 4) for _ in range(cfg.text_layers))
        self.final_norm = nn.LayerNorm(cfg.text_width, eps=1e-5)

    def forward(self, ids):
        key_bias = (ids == PAD_ID).float() * MASKED
        x = self.token_embedding(ids) + self.position_embedding.weight[:ids.shape[1]]
        for layer in self.layers:
            x = layer(x, self_bias=key_bias)
        return self.final_norm(x), key_bias


class ResidualBlock(nn.Module):
    """ResidualBlock: x + conv(SiLU(GN(conv(SiLU(GN(x))) + W SiLU(c)))), a 1x1 convolution on the
    skip path when the channels change. Takes SiLU(c), which the UNet computes once per pass."""

    def __init__(self, in_channels, out_channels, conditioning_width):
        super().__init__()
        self.input_norm = group_norm(in_channels)
        self.input_conv = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.conditioning = nn.Linear(conditioning_width, out_channels)
        self.output_norm = group_norm(out_channels)
        self.output_conv = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.skip = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else None

    def forward(self, x, activated_conditioning):
        h = self.input_conv(F.silu(self.input_norm(x)))
        h = h + self.conditioning(activated_conditioning)[:, :, None, None]
        h = self.output_conv(F.silu(self.output_norm(h)))
        return (x if self.skip is None else self.skip(x)) + h


class SpatialTransformer(nn.Module):
    """SpatialTransformer: GN, pixels as tokens, a linear projection plus a learned row + column
    position, one transformer layer (MLP ratio 2) with cross-attention to the text, a linear
    projection back, added to the input."""

    def __init__(self, channels, side, heads, text_width):
        super().__init__()
        self.norm = group_norm(channels)
        self.project_in = nn.Linear(channels, channels)
        self.row_positions = nn.Parameter(torch.zeros(side, channels))
        self.column_positions = nn.Parameter(torch.zeros(side, channels))
        self.layer = TransformerLayer(channels, heads, 2, context_width=text_width)
        self.project_out = nn.Linear(channels, channels)

    def forward(self, x, text, text_bias):
        batch, channels, height, width = x.shape
        tokens = self.project_in(self.norm(x).flatten(2).transpose(1, 2))
        # GridPositions.grid: token r * side + c gets row r's plus column c's embedding.
        positions = (self.row_positions[:, None, :] + self.column_positions[None, :, :]).reshape(-1, channels)
        tokens = self.layer(tokens + positions, context=text, context_bias=text_bias)
        return x + self.project_out(tokens).transpose(1, 2).reshape(batch, channels, height, width)


class Stage(nn.Module):
    """ConditionalUNet.Stage: a residual block, optionally followed by a spatial transformer."""

    def __init__(self, in_channels, out_channels, conditioning_width, attention=None):
        super().__init__()
        self.residual = ResidualBlock(in_channels, out_channels, conditioning_width)
        self.attention = attention

    def forward(self, h, activated_conditioning, text, text_bias):
        h = self.residual(h, activated_conditioning)
        return h if self.attention is None else self.attention(h, text, text_bias)


class ConditionalUNet(nn.Module):
    """ConditionalUNet: input conv; per level residual stages (+ transformer at attention levels)
    and a stride-2 conv down; middle stage with transformer and a residual block; per level one
    more stage than on the way down, each on the concatenated skip, then nearest 2x upsampling
    and a conv straight to the finer level's width; GN, SiLU and a per-pixel Linear to RGB.

    The conditioning is MLP(sinusoidal(t)) + Linear(masked mean of the text tokens). `up` and
    `upsample` are in execution order (coarsest level first), as the Java lists are."""

    def __init__(self, cfg):
        super().__init__()
        base = cfg.base_channels
        width = 4 * base
        self.time_in = nn.Linear(base, width)
        self.time_out = nn.Linear(width, width)
        self.text_summary = nn.Linear(cfg.text_width, width)
        self.input_conv = nn.Conv2d(3, base, 3, padding=1)

        def stage(in_channels, level):
            attention = (SpatialTransformer(cfg.channels(level), cfg.side(level), cfg.attention_heads, cfg.text_width)
                         if level in cfg.attention_levels else None)
            return Stage(in_channels, cfg.channels(level), width, attention)

        skip_channels = [base]
        channels = base
        self.down = nn.ModuleList()
        self.downsample = nn.ModuleList()
        for level in range(cfg.levels):
            stages = nn.ModuleList()
            for _ in range(cfg.residual_blocks):
                stages.append(stage(channels, level))
                channels = cfg.channels(level)
                skip_channels.append(channels)
            self.down.append(stages)
            if level < cfg.levels - 1:
                self.downsample.append(nn.Conv2d(channels, channels, 3, stride=2, padding=1))
                skip_channels.append(channels)
        lowest = cfg.levels - 1
        self.middle_in = Stage(channels, channels, width, SpatialTransformer(
            channels, cfg.side(lowest), cfg.attention_heads, cfg.text_width))
        self.middle_out = ResidualBlock(channels, channels, width)

        self.up = nn.ModuleList()
        self.upsample = nn.ModuleList()
        for level in range(lowest, -1, -1):
            stages = nn.ModuleList()
            for _ in range(cfg.residual_blocks + 1):
                stages.append(stage(channels + skip_channels.pop(), level))
                channels = cfg.channels(level)
            self.up.append(stages)
            if level > 0:
                self.upsample.append(nn.Conv2d(channels, cfg.channels(level - 1), 3, padding=1))
                channels = cfg.channels(level - 1)
        self.output_norm = group_norm(channels)
        # A per-pixel Linear, not a 1x1 convolution, because the Java side uses one: PyTorch's CPU
        # convolution gave NaN input gradients with fewer than 16 output channels.
        self.output_projection = nn.Linear(channels, 3)
        half = base // 2
        # SinusoidalEmbedding.embed: frequencies exp(-ln(10000) i / half), i < half.
        self.register_buffer("frequencies", torch.exp(torch.arange(half, dtype=torch.float32)
                                                      * (-math.log(10_000.0) / half)), persistent=False)

    def conditioning(self, t, text, text_bias):
        angles = t.float()[:, None] * self.frequencies[None, :]
        time = self.time_out(F.silu(self.time_in(torch.cat([angles.sin(), angles.cos()], 1))))
        # Mean over the real tokens: the bias is 0 there and MASKED on padding.
        mask = (text_bias == 0).to(text.dtype).unsqueeze(2)
        pooled = (text * mask).sum(1) / mask.sum(1).clamp_min(1)
        return time + self.text_summary(pooled)

    def forward(self, x, t, text, text_bias):
        activated = F.silu(self.conditioning(t, text, text_bias))
        h = self.input_conv(x)
        skips = [h]
        for level, stages in enumerate(self.down):
            for stage in stages:
                h = stage(h, activated, text, text_bias)
                skips.append(h)
            if level < len(self.downsample):
                h = self.downsample[level](h)
                skips.append(h)
        h = self.middle_in(h, activated, text, text_bias)
        h = self.middle_out(h, activated)
        for i, stages in enumerate(self.up):
            for stage in stages:
                h = stage(torch.cat([h, skips.pop()], 1), activated, text, text_bias)
            if i < len(self.upsample):
                h = self.upsample[i](F.interpolate(h, scale_factor=2, mode="nearest"))
        h = F.silu(self.output_norm(h))
        batch, _, height, width = h.shape
        rgb = self.output_projection(h.flatten(2).transpose(1, 2))
        return rgb.transpose(1, 2).reshape(batch, 3, height, width)


class TextToImage(nn.Module):
    """TextToImageBlock: text encoder and UNet as one module, so one optimizer trains both."""

    def __init__(self, vocabulary, cfg):
        super().__init__()
        self.text_encoder = TextEncoder(vocabulary, cfg)
        self.unet = ConditionalUNet(cfg)

    def encode_text(self, ids):
        return self.text_encoder(ids)

    def denoise(self, x, t, text):
        return self.unet(x, t, *text)

    def forward(self, x, t, ids):
        return self.denoise(x, t, self.encode_text(ids))


# ---------------------------------------------------------------------------------------------
# DJL weights
# ---------------------------------------------------------------------------------------------

def torch_name(djl_name, lowest_level):
    """The state-dict key of a DJL parameter. DJL names nest child blocks as `NNname` (NN: the
    child's position) joined by `_`, with the parameter name last, for example
    `02unet_10down2_0_attention_03layer_04crossAttention_01query_weight`."""
    body, leaf = djl_name.rsplit("_", 1)
    path = []
    for block in (re.sub(r"^\d\d", "", part) for part in re.split(r"_(?=\d\d)", body)):
        if m := re.fullmatch(r"(down|up)(\d+)_(\d+)(_attention)?", block):
            direction, level, index, attention = m.groups()
            position = int(level) if direction == "down" else lowest_level - int(level)
            path += [direction, str(position), index, "attention" if attention else "residual"]
        elif m := re.fullmatch(r"(downsample|upsample)(\d+)", block):
            level = int(m.group(2))
            path += [m.group(1), str(level if m.group(1) == "downsample" else lowest_level - level)]
        elif m := re.fullmatch(r"layer(\d+)", block):
            path += ["layers", m.group(1)]
        elif block in ("middleIn", "middleAttention"):
            path += ["middle_in", "residual" if block == "middleIn" else "attention"]
        else:
            path.append(re.sub(r"(?<!^)([A-Z])", r"_\1", block).lower())
    leaf = {"gamma": "weight", "beta": "bias", "table": "weight"}.get(leaf, leaf)
    path.append(re.sub(r"(?<!^)([A-Z])", r"_\1", leaf).lower())
    return ".".join(path)


def load_djl_weights(model, directory, cfg):
    """Copies index.json/weights.f32 into the model: every DJL tensor lands on exactly one
    parameter of the same shape, and every parameter gets one. Returns the index entries."""
    index = json.loads((directory / "index.json").read_text())
    values = np.fromfile(directory / "weights.f32", dtype="<f4")
    parameters = dict(model.named_parameters())
    loaded = set()
    end = 0
    for entry in index:
        key = torch_name(entry["name"], cfg.levels - 1)
        assert key in parameters, f"{entry['name']} -> {key}: no such parameter"
        assert key not in loaded, f"{entry['name']} -> {key}: loaded twice"
        shape = tuple(entry["shape"])
        assert parameters[key].shape == shape, f"{entry['name']}: {shape} vs {tuple(parameters[key].shape)}"
        count = math.prod(shape)
        begin = entry["offset"]
        with torch.no_grad():
            parameters[key].copy_(torch.from_numpy(values[begin:begin + count].reshape(shape)))
        loaded.add(key)
        end = max(end, begin + count)
    assert loaded == set(parameters), f"parameters without DJL weights: {sorted(set(parameters) - loaded)}"
    assert end == values.size, f"weights.f32 holds {values.size} floats, index covers {end}"
    return index


def check(model, directory, cfg):
    """PeerBenchmark.exportDiffusionCheck's inputs through this model; max abs differences of the
    text tokens and the UNet output from DJL's. Also returns the check's token ids."""
    spec = json.loads((directory / "check.json").read_text())
    ids = torch.tensor(spec["token_ids"], dtype=torch.int64).view(spec["token_shape"])
    size = spec["image_size"]
    x = torch.sin(torch.arange(2 * 3 * size * size, dtype=torch.float32) * 0.37).view(2, 3, size, size)
    t = torch.tensor(spec["t"], dtype=torch.float32)
    with torch.inference_mode():
        text = model.encode_text(ids)
        out = model.denoise(x, t, text)
    djl_text = torch.from_numpy(np.fromfile(directory / "check-text.f32", dtype="<f4")).view(text[0].shape)
    djl_out = torch.from_numpy(np.fromfile(directory / "check-output.f32", dtype="<f4")).view(out.shape)
    return (text[0] - djl_text).abs().max().item(), (out - djl_out).abs().max().item(), ids


# ---------------------------------------------------------------------------------------------
# Sampling: NoiseSchedule, DdimSampler, DiffusionModel.sample, ImageTensors.toImages
# ---------------------------------------------------------------------------------------------

class NoiseSchedule:
    """The cosine schedule (Nichol and Dhariwal): alphaBar in float64, each beta capped at 0.999;
    signal and noise coefficients rounded to float32 as Java's signal(t) and noise(t) are."""

    def __init__(self, steps):
        def f(u):
            angle = (u / steps + 0.008) / 1.008 * math.pi / 2
            return math.cos(angle) * math.cos(angle)

        alpha_bar = []
        product = 1.0
        for t in range(steps):
            product *= 1 - min(0.999, 1 - f(t + 1) / f(t))
            alpha_bar.append(product)
        self.steps = steps
        self.signal = torch.tensor([math.sqrt(a) for a in alpha_bar], dtype=torch.float32)
        self.noise = torch.tensor([math.sqrt(1 - a) for a in alpha_bar], dtype=torch.float32)

    def sampling_steps(self, count):
        """Trailing spacing, from T - 1 down."""
        return [self.steps - 1 - i * self.steps // count for i in range(count)]


def ddim_sample(model, schedule, noise, prompt_ids, empty_ids, steps, guidance):
    """DdimSampler.sample with guidance: the text is encoded once for prompts then empty prompts;
    at each step the images are doubled into one batch of 2B rows, combined as u + w (c - u), and
    moved along the DDIM (eta 0) line through the clipped clean estimate of the v prediction."""
    batch = noise.shape[0]
    text = model.encode_text(torch.cat([prompt_ids, empty_ids]))
    timesteps = schedule.sampling_steps(steps)
    x = noise
    for i, t in enumerate(timesteps):
        output = model.denoise(torch.cat([x, x]), torch.full((2 * batch,), float(t)), text)
        conditional, unconditional = output[:batch], output[batch:]
        output = unconditional + (conditional - unconditional) * guidance
        a, s = schedule.signal[t].item(), schedule.noise[t].item()
        clean = (x * a - output * s).clamp(-1, 1)
        if i + 1 == len(timesteps):
            return clean
        following = timesteps[i + 1]
        implied_noise = (x - clean * a) / s
        x = clean * schedule.signal[following].item() + implied_noise * schedule.noise[following].item()


def to_images(x):
    """ImageTensors.toImages: Math.round(clamp((v + 1) * 127.5, 0, 255)), i.e. half rounds up
    (torch.round would round half to even), as (B, S, S, 3) uint8."""
    return torch.floor(((x + 1) * 127.5).clamp(0, 255) + 0.5).to(torch.uint8).permute(0, 2, 3, 1).numpy()


def initial_noise(seed, images, size):
    """DiffusionModel.initialNoise: image k's noise from its own stream seeded by (seed, k), so an
    image does not depend on the chunk it is drawn in."""
    return torch.stack([torch.randn(3, size, size, generator=torch.Generator().manual_seed(seed * 1_000_003 + k))
                        for k in images])


def sample(model, schedule, cfg, preset, prompt_ids, empty_ids, count, seed):
    """DiffusionModel.sample for one prompt, `count` images, in chunks of SAMPLING_BATCH images."""
    images = []
    for begin in range(0, count, preset.sampling_batch):
        rows = min(count, begin + preset.sampling_batch) - begin
        noise = initial_noise(seed, range(begin, begin + rows), cfg.image_size)
        x = ddim_sample(model, schedule, noise, prompt_ids.expand(rows, -1), empty_ids.expand(rows, -1),
                        preset.sampling_steps, preset.guidance)
        images.append(to_images(x))
    return np.concatenate(images)


# ---------------------------------------------------------------------------------------------
# Training: TrainingBatches, DiffusionTrainer.loss, GuardedStep, ExponentialMovingAverage
# ---------------------------------------------------------------------------------------------

def scenes(count, size, generator):
    """ShapesWorld-like examples as uint8 (N, 3, S, S): 1-3 coloured squares or discs on a flat
    background. Only their pixel statistics matter here (through the foreground weights)."""
    rows, columns = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    images = torch.empty(count, 3, size, size, dtype=torch.uint8)
    for i in range(count):
        images[i] = torch.randint(150, 256, (3, 1, 1), generator=generator, dtype=torch.uint8)
        for _ in range(int(torch.randint(1, 4, (1,), generator=generator))):
            side, x0, y0 = (int(v) for v in torch.randint(size // 6, size // 6 + size // 4, (3,), generator=generator))
            x0, y0 = x0 % (size - side), y0 % (size - side)
            if torch.rand(1, generator=generator) < 0.5:
                inside = (columns >= x0) & (columns < x0 + side) & (rows >= y0) & (rows < y0 + side)
            else:
                radius = side / 2
                inside = (columns + 0.5 - x0 - radius) ** 2 + (rows + 0.5 - y0 - radius) ** 2 <= radius ** 2
            images[i][:, inside] = torch.randint(0, 256, (3, 1), generator=generator, dtype=torch.uint8)
    return images


def foreground_weights(images, weight, tolerance):
    """TrainingBatches.foregroundWeights: `weight` where a pixel's sum of absolute RGB differences
    from its image's most common colour exceeds `tolerance`, else 1; shaped (N, 1, S, S)."""
    pixels = images.flatten(2).long()
    packed = (pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]
    mode = packed.mode(dim=1).values
    mode_rgb = torch.stack([(mode >> 16) & 0xFF, (mode >> 8) & 0xFF, mode & 0xFF], 1)
    distance = (pixels - mode_rgb[:, :, None]).abs().sum(1)
    weights = torch.where(distance > tolerance, weight, 1.0)
    return weights.view(images.shape[0], 1, images.shape[2], images.shape[3])


class TrainingBatches:
    """TrainingBatches.next: per row an example (uniform, with replacement), the empty prompt with
    the dropout's probability, a uniform time step and Gaussian noise; x_t = a x0 + s eps and the
    V target a eps - s x0. The examples' tensors and foreground weights are made once up front."""

    def __init__(self, examples, prompt_ids, empty_ids, schedule, preset):
        self.clean = examples.float() / 127.5 - 1  # ImageTensors.toTensor
        self.weights = foreground_weights(examples, preset.foreground_weight, preset.background_tolerance)
        self.prompt_ids = prompt_ids
        self.empty_ids = empty_ids
        self.schedule = schedule
        self.preset = preset

    def next(self):
        size = self.preset.batch_size
        rows = torch.randint(len(self.clean), (size,))
        dropped = torch.rand(size) < self.preset.prompt_dropout
        ids = torch.where(dropped[:, None], self.empty_ids, self.prompt_ids)
        t = torch.randint(self.schedule.steps, (size,))
        clean = self.clean[rows]
        epsilon = torch.randn_like(clean)
        a = self.schedule.signal[t].view(size, 1, 1, 1)
        s = self.schedule.noise[t].view(size, 1, 1, 1)
        return clean * a + epsilon * s, t.float(), ids, epsilon * a - clean * s, self.weights[rows]


class ExponentialMovingAverage:
    """ExponentialMovingAverage: a separate copy of every parameter, moved after each applied
    update n by ema = d ema + (1 - d) live with d = min(decay, (1 + n) / (10 + n))."""

    def __init__(self, model, decay):
        self.live = list(model.parameters())
        self.average = [p.detach().clone() for p in self.live]
        self.decay = decay

    @torch.no_grad()
    def update(self, updates):
        d = min(self.decay, (1 + updates) / (10 + updates))
        torch._foreach_lerp_(self.average, self.live, 1 - d)


class Trainer:
    """DiffusionTrainer's step under GuardedStep: the foreground-weighted MSE normalised by the mean
    weight, backward, global-norm clipping, and the Adam update and EMA only when loss and norm are
    finite (a skipped step just clears the gradients).

    Adam: ResumableAdam's betas (0.9, 0.999) and eps 1e-8, the preset's peak learning rate (the
    warm-up/cosine schedule does not change the cost of a step). DJL's kernel adds eps to sqrt(v)
    before the bias correction, torch after it: a negligible numerical difference, same cost.
    fused=True by default (--adam): the fused CPU kernel an expert would pick; on this model the
    default per-tensor implementation took about 10x and foreach about 6x as long per update."""

    def __init__(self, model, batches, preset, adam="fused"):
        self.model = model
        self.batches = batches
        self.parameters = list(model.parameters())
        self.optimizer = torch.optim.Adam(self.parameters, lr=preset.learning_rate, betas=(0.9, 0.999), eps=1e-8,
                                          fused=adam == "fused", foreach=adam == "foreach")
        self.average = ExponentialMovingAverage(model, preset.ema_decay)
        self.max_norm = preset.max_gradient_norm
        self.updates = 0
        self.skipped = 0

    def step(self):
        noisy, t, ids, target, weights = self.batches.next()
        output = self.model(noisy, t, ids)
        loss = ((output - target).square() * weights).mean() / weights.mean()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(self.parameters, self.max_norm)
        if torch.isfinite(norm) and torch.isfinite(loss):
            self.optimizer.step()
            self.updates += 1
            self.average.update(self.updates)
        else:
            self.skipped += 1
        self.optimizer.zero_grad(set_to_none=True)


# ---------------------------------------------------------------------------------------------

def profile(model, cfg, preset, schedule, prompt_ids, empty_ids, args):
    """Traces one UNet forward at batch 2 and one training step after warm-ups, in the Chrome trace
    format PeerBenchmark's --profile option writes, for profile_summary.py."""
    args.profile.mkdir(parents=True, exist_ok=True)
    with torch.inference_mode():
        text = model.encode_text(prompt_ids.expand(2, -1))
        x = torch.randn(2, 3, cfg.image_size, cfg.image_size)
        t = torch.full((2,), 500.0)
        for _ in range(5):
            model.denoise(x, t, text)
        with torch.profiler.profile() as forward:
            model.denoise(x, t, text)
    forward.export_chrome_trace(str(args.profile / "t2i_forward_b2-pytorch.json"))
    model.train()
    examples = scenes(512, cfg.image_size, torch.Generator().manual_seed(11))
    trainer = Trainer(model, TrainingBatches(examples, prompt_ids, empty_ids, schedule, preset), preset, args.adam)
    for _ in range(2):
        trainer.step()
    with torch.profiler.profile() as step:
        trainer.step()
    step.export_chrome_trace(str(args.profile / "t2i_train_step_b32-pytorch.json"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", type=Path, required=True, help="directory PeerBenchmark exported (--network t2i)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--adam", choices=["fused", "foreach", "default"], default="fused",
                        help="torch.optim.Adam implementation (default fused, the fastest on CPU)")
    parser.add_argument("--profile", type=Path,
                        help="write profiler traces of one forward and one training step here instead of timing")
    args = parser.parse_args()
    harness.setup(args.threads)
    torch.manual_seed(0)
    cfg = Config()
    preset = Preset()

    index = json.loads((args.weights / "index.json").read_text())
    vocabulary = next(e["shape"][0] for e in index if e["name"].endswith("tokenEmbedding_table"))
    model = TextToImage(vocabulary, cfg)
    load_djl_weights(model, args.weights, cfg)
    model.eval()
    text_diff, output_diff, check_ids = check(model, args.weights, cfg)
    # The check's ids are PeerBenchmark.PROMPT's ("a red circle in the top left corner and a blue
    # square on the right") and the empty prompt's, as the Java tokenizer made them (no tokenizer
    # here). DiffusionModel.tokenize pads the empty prompt to
    # the prompt's length in sample() and a batch to its longest row in training, as here.
    prompt_ids, empty_ids = check_ids[0:1], check_ids[1:2]

    schedule = NoiseSchedule(cfg.diffusion_steps)
    size = cfg.image_size
    ops = {}
    if args.profile:
        profile(model, cfg, preset, schedule, prompt_ids, empty_ids, args)
        return
    with torch.inference_mode():
        text = model.encode_text(prompt_ids.expand(2, -1))
        x = torch.randn(2, 3, size, size)
        t = torch.full((2,), 500.0)
        warmup = 0.5 if args.quick else harness.WARMUP_SECONDS
        ops["t2i_forward_b2"] = harness.time_op(lambda: model.denoise(x, t, text), 5,
                                                3 if args.quick else 10 * args.repeats, warmup)
        ops["t2i_sample_b1"] = harness.time_op(
            lambda: sample(model, schedule, cfg, preset, prompt_ids, empty_ids, 1, 0),
            1, 1 if args.quick else args.repeats, warmup)
        ops["t2i_sample_b16"] = harness.time_op(
            lambda: sample(model, schedule, cfg, preset, prompt_ids, empty_ids, 16, 0),
            1, 1 if args.quick else args.repeats)

    model.train()
    examples = scenes(512, size, torch.Generator().manual_seed(11))
    trainer = Trainer(model, TrainingBatches(examples, prompt_ids, empty_ids, schedule, preset), preset, args.adam)
    for _ in range(1 if args.quick else 5):
        trainer.step()
    warmup_skipped = trainer.skipped  # PeerBenchmark counts the timed steps' skips only

    def steps():
        for _ in range(STEPS_PER_RUN):
            trainer.step()

    runs = harness.time_op(steps, 0, 1 if args.quick else args.repeats)
    ops["t2i_train_step_b32"] = [ms / STEPS_PER_RUN for ms in runs]

    harness.report("t2i", model, args.threads, ops, extra={
        "vocabulary": vocabulary,
        "check_text_max_abs_diff": text_diff,
        "check_output_max_abs_diff": output_diff,
        "skipped_steps": trainer.skipped - warmup_skipped,
    })


if __name__ == "__main__":
    main()
