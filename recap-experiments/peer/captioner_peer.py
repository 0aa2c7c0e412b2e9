"""PyTorch-eager peer of the platform's small captioner (CaptionerConfig.small()).

Computes the same function as io.recap.ml.captioner.CaptionerBlock with the weights the DJL side
exported (io.recap.experiments.peer.PeerBenchmark --network captioner), proves it on the exported
check batch, then times the same operations as the DJL side:

  cap_greedy_b1, cap_greedy_b32  CaptionerModel.caption(images, "long", DecodingOptions(1, 15, 1, 12))
  cap_train_step_b32             one CaptionerTrainer step (mean of 10 consecutive steps per run)

  python captioner_peer.py --weights DIR --threads 1 --repeats 5 [--quick]
"""
import argparse
import json
import math
import os
import re
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

import harness

# --- Architecture: CaptionerConfig.small() ---
IMAGE_SIZE = 64
GRID_SIZE = 8
ENCODER_CHANNELS = 16
WIDTH = 128
LAYERS = 3
HEADS = 4
DROPOUT = 0.1
MAX_TOKENS = 77  # CaptionTokenizer.CLIP_CONTEXT

# --- Vocabulary as PeerBenchmark builds it: Vocabulary.build(400 words, styles [short, long, terse]) ---
PAD_ID, BOS_ID, EOS_ID = 0, 1, 2  # Vocabulary.SPECIAL is <pad> <bos> <eos> <unk>, ids 0..3
SPECIAL_TOKENS = 4
STYLES = ("short", "long", "terse")  # style tokens follow the specials, so ids 4..6
WORDS = 400
LONG_ID = SPECIAL_TOKENS + STYLES.index("long")
PROMPT = (BOS_ID, LONG_ID)  # CaptionTokenizer.prompt("long")
CONTROL_TOKENS = SPECIAL_TOKENS + len(STYLES)  # Vocabulary.isControl: specials and style markers

# --- Benchmark settings: PeerBenchmark.captioner and CaptionerTrainingPreset.small() ---
CAPTION_WORDS = 12
CAPTION_TOKENS = len(PROMPT) + CAPTION_WORDS + 1  # maxTokens of the greedy DecodingOptions: 15
BATCH = 32
LEARNING_RATE = 1e-3
MAX_GRADIENT_NORM = 1.0
TRAINING_EXAMPLES = 64
STEPS_PER_RUN = 10
MASKED = -1e9  # MultiHeadAttention.MASKED: large negative instead of -inf


class ConvNormActivation(nn.Module):
    """io.recap.ml.nn.ConvNormActivation: 3x3 conv ("same" padding), GroupNorm, SiLU."""

    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        # GroupNorm.forChannels: 8 groups when they divide the channels, fewer otherwise; eps 1e-5.
        groups = min(8, out_channels)
        while out_channels % groups:
            groups -= 1
        self.norm = nn.GroupNorm(groups, out_channels, eps=1e-5)

    def forward(self, x):
        return F.silu(self.norm(self.conv(x)))


class ConvImageEncoder(nn.Module):
    """io.recap.ml.nn.ConvImageEncoder: (B, 3, S, S) images to (B, G*G, D) grid tokens.

    The Java encoder runs a lone image as a batch of two copies to dodge a slow DJL/libtorch
    convolution path; same result, and here batch 1 measured faster than two copies, so a
    lone image goes through as it is.
    """

    def __init__(self):
        super().__init__()
        stages = (IMAGE_SIZE // GRID_SIZE).bit_length() - 1
        self.stem = ConvNormActivation(3, ENCODER_CHANNELS, 1)
        self.down = nn.ModuleList()
        self.refine = nn.ModuleList()
        channels = ENCODER_CHANNELS
        for i in range(stages):
            # Each stage doubles the stem's channels, up to 4x: 32, 64, 64 for the small config.
            out = ENCODER_CHANNELS * min(2 << i, 4)
            self.down.append(ConvNormActivation(channels, out, 2))
            self.refine.append(ConvNormActivation(out, out, 1))
            channels = out
        self.projection = nn.Linear(channels, WIDTH)
        # GridPositions: one learned row and one column embedding, summed per grid cell.
        self.row_positions = nn.Parameter(torch.zeros(GRID_SIZE, WIDTH))
        self.column_positions = nn.Parameter(torch.zeros(GRID_SIZE, WIDTH))
        self.output_norm = nn.LayerNorm(WIDTH, eps=1e-5)

    def forward(self, images):
        x = self.stem(images)
        for down, refine in zip(self.down, self.refine):
            x = down(x)
            x = x + refine(x)  # residual refinement, as the Java stage loop
        tokens = self.projection(x.flatten(2).transpose(1, 2))  # (B, C, G, G) -> (B, G*G, C) -> D
        # Row-major grid: token r * G + c gets rows[r] + columns[c].
        grid = (self.row_positions[:, None, :] + self.column_positions[None, :, :]).reshape(-1, WIDTH)
        return self.output_norm(tokens + grid)


class MultiHeadAttention(nn.Module):
    """io.recap.ml.nn.MultiHeadAttention: separate query/key/value/output projections."""

    def __init__(self):
        super().__init__()
        self.query = nn.Linear(WIDTH, WIDTH)
        self.key = nn.Linear(WIDTH, WIDTH)
        self.value = nn.Linear(WIDTH, WIDTH)
        self.output = nn.Linear(WIDTH, WIDTH)

    def _split_heads(self, x):
        batch, length, _ = x.shape
        return x.view(batch, length, HEADS, WIDTH // HEADS).transpose(1, 2)

    def forward(self, queries, context, mask=None):
        q = self._split_heads(self.query(queries))
        k = self._split_heads(self.key(context))
        v = self._split_heads(self.value(context))
        # Default scale 1/sqrt(D/heads), as Java; no attention dropout (Java drops residual branches only).
        attended = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.output(attended.transpose(1, 2).reshape(queries.shape))


def causal_mask(length, device):
    """MultiHeadAttention's additive causal mask for self-attention (keys = queries): MASKED where
    a key lies after its query, 0 elsewhere."""
    return torch.full((length, length), MASKED, device=device).triu(1)


class DecoderLayer(nn.Module):
    """io.recap.ml.nn.TransformerLayer.decoder: pre-norm causal self-attention, cross-attention
    to the image tokens, then a GELU MLP (4x), each residual branch dropped out while training."""

    def __init__(self):
        super().__init__()
        self.self_norm = nn.LayerNorm(WIDTH, eps=1e-5)
        self.self_attention = MultiHeadAttention()
        self.cross_norm = nn.LayerNorm(WIDTH, eps=1e-5)
        self.cross_attention = MultiHeadAttention()
        self.mlp_norm = nn.LayerNorm(WIDTH, eps=1e-5)
        self.mlp_in = nn.Linear(WIDTH, 4 * WIDTH)
        self.mlp_out = nn.Linear(4 * WIDTH, WIDTH)
        self.dropout = nn.Dropout(DROPOUT)

    def forward(self, x, image_tokens, mask):
        normed = self.self_norm(x)
        x = x + self.dropout(self.self_attention(normed, normed, mask))
        # CaptionerBlock.decode passes no key bias: cross-attention sees every image token.
        x = x + self.dropout(self.cross_attention(self.cross_norm(x), image_tokens))
        # DJL's Activation.gelu is torch's exact (erf) gelu.
        return x + self.dropout(self.mlp_out(F.gelu(self.mlp_in(self.mlp_norm(x)))))


class Captioner(nn.Module):
    """io.recap.ml.captioner.CaptionerBlock: (images, tokens) to next-token logits (B, T, V)."""

    def __init__(self, vocabulary):
        super().__init__()
        self.image_encoder = ConvImageEncoder()
        self.token_embedding = nn.Embedding(vocabulary, WIDTH)
        # PositionEmbedding: a learned (maxTokens, D) table; a sequence of T adds its first T rows.
        self.position_table = nn.Parameter(torch.zeros(MAX_TOKENS, WIDTH))
        self.layers = nn.ModuleList(DecoderLayer() for _ in range(LAYERS))
        self.final_norm = nn.LayerNorm(WIDTH, eps=1e-5)
        self.head = nn.Linear(WIDTH, vocabulary)

    def encode_images(self, images):
        return self.image_encoder(images)

    def decode(self, image_tokens, tokens):
        length = tokens.shape[1]
        x = self.token_embedding(tokens) + self.position_table[:length]
        mask = causal_mask(length, x.device)
        for layer in self.layers:
            x = layer(x, image_tokens, mask)
        return self.head(self.final_norm(x))

    def forward(self, images, tokens):
        return self.decode(self.encode_images(images), tokens)


# --- Weights exported by PeerBenchmark.exportWeights ---

def read_floats(path, shape=None):
    """Little-endian float32 values back to back, as PeerBenchmark.writeFloats writes them."""
    flat = torch.from_file(path, size=os.path.getsize(path) // 4, dtype=torch.float32)
    return flat if shape is None else flat.view(shape)


def torch_name(djl_name):
    """A DJL parameter path (e.g. 04layer0_02selfAttention_01query_weight) as this module's
    state_dict key (layers.0.self_attention.query.weight)."""
    parts = [re.sub(r"^\d\d", "", part) for part in djl_name.split("_")]
    parts = [re.sub(r"([a-z])([A-Z])", r"\1_\2", part).lower() for part in parts]
    # Numbered children (layer0, down1, refine2) are ModuleList entries.
    parts = [re.sub(r"^(down|refine)(\d+)$", r"\1.\2", re.sub(r"^layer(\d+)$", r"layers.\1", part))
             for part in parts]
    name = ".".join(parts)
    name = re.sub(r"\.gamma$", ".weight", re.sub(r"\.beta$", ".bias", name))  # GroupNorm / LayerNorm
    return {"token_embedding.table": "token_embedding.weight",
            "position_embedding.table": "position_table"}.get(name, name)


def load_weights(model, directory):
    """Copies every exported tensor into its module; each must be used exactly once, shapes equal."""
    with open(os.path.join(directory, "index.json")) as f:
        index = json.load(f)
    flat = read_floats(os.path.join(directory, "weights.f32"))
    state = model.state_dict()
    assert len(index) == len(state), f"{len(index)} DJL tensors for {len(state)} module tensors"
    used = set()
    for entry in index:
        name = torch_name(entry["name"])
        assert name in state and name not in used, f"{entry['name']} -> {name} unknown or used twice"
        shape = tuple(entry["shape"])
        assert tuple(state[name].shape) == shape, f"{name}: {tuple(state[name].shape)} != {shape}"
        size = math.prod(shape)
        state[name].copy_(flat[entry["offset"]:entry["offset"] + size].view(shape))
        used.add(name)
    assert used == set(state), f"never loaded: {set(state) - used}"
    assert index[-1]["offset"] + math.prod(index[-1]["shape"]) == flat.numel(), "weights.f32 size mismatch"


def check(model, directory):
    """Max |logits - DJL logits| on the exported check batch (inference mode: no dropout)."""
    with open(os.path.join(directory, "check.json")) as f:
        spec = json.load(f)
    tokens = torch.tensor(spec["token_ids"], dtype=torch.long).view(spec["token_shape"])
    # exportCaptionerCheck starts every row with the "long" prompt: the same one decoded below.
    assert all(tuple(row[:len(PROMPT)].tolist()) == PROMPT for row in tokens), "check rows do not start with the prompt"
    images = read_floats(os.path.join(directory, "check-images.f32"), spec["image_shape"])
    expected = read_floats(os.path.join(directory, "check-output.f32"), spec["logits_shape"])
    model.eval()
    with torch.inference_mode():
        logits = model(images, tokens)
    return (logits - expected).abs().max().item()


# --- Inputs ---

def scenes(count, generator):
    """Synthetic 64x64 scenes like PeerBenchmark.images: one to three coloured discs or squares
    on light grey, scaled to [-1, 1] as ImageTensors does."""
    colours = torch.tensor([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255]],
                           dtype=torch.float32)
    ys, xs = torch.meshgrid(torch.arange(IMAGE_SIZE), torch.arange(IMAGE_SIZE), indexing="ij")
    images = torch.full((count, 3, IMAGE_SIZE, IMAGE_SIZE), 192.0)
    for image in images:
        for _ in range(1 + int(torch.randint(3, (1,), generator=generator))):
            side = IMAGE_SIZE // 6 + int(torch.randint(IMAGE_SIZE // 4, (1,), generator=generator))
            x, y = (int(v) for v in torch.randint(IMAGE_SIZE - side, (2,), generator=generator))
            if torch.rand(1, generator=generator) < 0.5:
                radius = side / 2
                inside = (xs - x - radius + 0.5) ** 2 + (ys - y - radius + 0.5) ** 2 <= radius ** 2
            else:
                inside = (xs >= x) & (xs < x + side) & (ys >= y) & (ys < y + side)
            colour = colours[int(torch.randint(len(colours), (1,), generator=generator))]
            image[:, inside] = colour[:, None]
    return images / 127.5 - 1


# --- Operations ---

def greedy_caption(model, images):
    """CaptionerModel.caption(images, "long", DecodingOptions(1, CAPTION_TOKENS, 1, CAPTION_WORDS)).

    Java's BeamSearch with one beam encodes the images once, then for every prefix length from
    the prompt's to maxTokens - 1 re-runs the decoder on the whole prefix (no key/value cache),
    takes the log-softmax of the last position and keeps the best allowed token: control tokens
    never, <eos> only after CAPTION_WORDS words, and only <eos> in the last slot. With
    maxTokens = prompt + CAPTION_WORDS + 1 every caption is exactly CAPTION_WORDS words and <eos>,
    so all rows stay the same length. Returns the generated tokens and their log-probability.
    """
    image_tokens = model.encode_images(images)
    batch = images.shape[0]
    tokens = torch.tensor(PROMPT).expand(batch, -1)
    log_probability = torch.zeros(batch)
    control = torch.zeros(model.head.out_features, dtype=torch.bool)
    control[:CONTROL_TOKENS] = True
    for length in range(len(PROMPT), CAPTION_TOKENS):
        log_probs = model.decode(image_tokens, tokens)[:, -1].log_softmax(-1)
        if length == CAPTION_TOKENS - 1:
            chosen = torch.full((batch,), EOS_ID)
        else:
            forbidden = control.clone()
            forbidden[EOS_ID] = length - len(PROMPT) < CAPTION_WORDS
            # argmax keeps the first of equal scores, as BeamSearch.topTokens' insertion does.
            chosen = log_probs.masked_fill(forbidden, float("-inf")).argmax(-1)
        log_probability += log_probs.gather(1, chosen[:, None]).squeeze(1)
        tokens = torch.cat([tokens, chosen[:, None]], 1)
    return tokens[:, len(PROMPT):], log_probability


def training_examples(generator):
    """PeerBenchmark's 64 training examples: a scene and a LONG caption of CAPTION_WORDS random
    words, tokenised as TeacherForcingBatch does: inputs are <bos> <long> w1..w12 (14 tokens),
    targets the sequence shifted left, with the target inside the prompt set to <pad>."""
    words = torch.randint(CONTROL_TOKENS, CONTROL_TOKENS + WORDS, (TRAINING_EXAMPLES, CAPTION_WORDS),
                          generator=generator)
    sequences = torch.cat([torch.tensor(PROMPT).expand(TRAINING_EXAMPLES, -1), words,
                           torch.full((TRAINING_EXAMPLES, 1), EOS_ID)], 1)
    inputs = sequences[:, :-1]
    targets = sequences[:, 1:].clone()
    targets[:, :len(PROMPT) - 1] = PAD_ID
    return scenes(TRAINING_EXAMPLES, generator), inputs, targets


def shuffled_batches(count, batch, generator):
    """CaptionBatchSource.shuffled: cycles through the examples in a new random order each epoch."""
    order = torch.empty(0, dtype=torch.long)
    while True:
        while len(order) < batch:
            order = torch.cat([order, torch.randperm(count, generator=generator)])
        yield order[:batch]
        order = order[batch:]


class Trainer:
    """CaptionerTrainer's step (GuardedStep): teacher-forced forward in training mode (residual
    dropout 0.1), MaskedSoftmaxCrossEntropy, backward, global-norm clip to 1, Adam update
    unless the loss or the gradient norm is not finite."""

    def __init__(self, model, generator, adam="fused"):
        self.model = model
        self.images, self.inputs, self.targets = training_examples(generator)
        self.batches = shuffled_batches(TRAINING_EXAMPLES, BATCH, generator)
        # DJL's Optimizer.adam() defaults. Java decays the rate (cosine) within each run, which
        # does not change the work of a step; a constant rate stands for it here. fused by default
        # (--adam): the fastest CPU implementation, as in t2i_peer.py.
        self.optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8,
                                          fused=adam == "fused", foreach=adam == "foreach")

    def step(self):
        self.model.train()
        rows = next(self.batches)
        logits = self.model(self.images[rows], self.inputs[rows])
        # MaskedSoftmaxCrossEntropy: mean over the targets that are not <pad>. Every row here has
        # 13 real targets, so its clamp of the count at 1 never matters.
        loss = F.cross_entropy(logits.flatten(0, 1), self.targets[rows].flatten(), ignore_index=PAD_ID)
        loss.backward()
        loss_value = loss.item()
        norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), MAX_GRADIENT_NORM)
        if math.isfinite(norm) and math.isfinite(loss_value):
            self.optimizer.step()
        self.optimizer.zero_grad()

    def steps(self, count):
        for _ in range(count):
            self.step()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", required=True, help="directory PeerBenchmark exported (index.json, ...)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--adam", choices=["fused", "foreach", "default"], default="fused",
                        help="torch.optim.Adam implementation (default fused, the fastest on CPU)")
    args = parser.parse_args()
    harness.setup(args.threads)
    torch.manual_seed(7)  # CaptionerTrainingPreset.small().seed: dropout masks
    generator = torch.Generator().manual_seed(42)

    with open(os.path.join(args.weights, "index.json")) as f:
        vocabulary = next(e["shape"][0] for e in json.load(f) if e["name"].endswith("head_bias"))
    assert vocabulary == CONTROL_TOKENS + WORDS, f"vocabulary {vocabulary} is not PeerBenchmark's"
    model = Captioner(vocabulary)
    with torch.no_grad():
        load_weights(model, args.weights)
    difference = check(model, args.weights)
    if difference > 1e-3:
        print(f"captioner peer: logits differ from DJL's by {difference}; the timings compare different networks",
              file=sys.stderr)

    ops = {}
    one, batch = scenes(1, generator), scenes(BATCH, generator)
    model.eval()
    with torch.inference_mode():
        ops["cap_greedy_b1"] = harness.time_op(lambda: greedy_caption(model, one),
                                               warmup=3, repeats=2 if args.quick else 4 * args.repeats,
                                               warmup_seconds=0.5 if args.quick else harness.WARMUP_SECONDS)
        ops["cap_greedy_b32"] = harness.time_op(lambda: greedy_caption(model, batch),
                                                warmup=2, repeats=1 if args.quick else args.repeats,
                                                warmup_seconds=0.5 if args.quick else harness.WARMUP_SECONDS)
    trainer = Trainer(model, generator, args.adam)
    trainer.steps(1 if args.quick else STEPS_PER_RUN)  # warm-up, as Java's first untimed train()
    ops["cap_train_step_b32"] = [run / STEPS_PER_RUN for run in harness.time_op(
        lambda: trainer.steps(STEPS_PER_RUN), warmup=0, repeats=1 if args.quick else args.repeats)]

    harness.report("captioner", model, args.threads, ops, extra={
        "check_output_max_abs_diff": difference,
        "vocabulary": vocabulary,
        "caption_tokens": CAPTION_TOKENS,
    })


if __name__ == "__main__":
    main()
