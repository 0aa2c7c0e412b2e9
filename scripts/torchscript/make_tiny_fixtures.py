#!/usr/bin/env python3
"""Tiny random-weight TorchScript models with exactly the signatures the platform imports.

They stand in, in tests, for a BLIP captioner and a Stable Diffusion 1.x pipeline exported by
export_blip.py and export_stable_diffusion.py: same file names, same tensor signatures, same
config file, a few hundred KB instead of gigabytes. Run with Debian's python3-torch (1.13), whose
TorchScript files DJL's PyTorch 2.7 loads:

    python3 -m venv --system-site-packages /tmp/ts && /tmp/ts/bin/pip install tokenizers
    /tmp/ts/bin/python scripts/torchscript/make_tiny_fixtures.py recap-ml/src/test/resources/torchscript

Writes OUT/blip-tiny/ and OUT/sd-tiny/. Seeded: a rerun writes the same weights.
"""
import json
import math
import os
import sys

import torch
from torch import nn
from tokenizers import Tokenizer, models, pre_tokenizers, normalizers

# The words of ShapesWorld captions, so that fine-tuning a fixture on them has no unknown tokens.
WORDS = """a an the of and with in on at to is are there one two three four five six seven eight nine
red green blue yellow purple orange white black grey gray beige light dark
circle circles square squares triangle triangles cross crosses shape shapes object objects
small large big little top bottom left right middle centre center corner upper lower
picture photo image detailed showing shows background next above below beside near""".split()


def word_tokenizer(specials, lowercase=True):
    vocab = {token: i for i, token in enumerate(specials + [w for w in dict.fromkeys(WORDS)])}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token=specials[1]))
    if lowercase:
        tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    # Registered as special, as in BLIP's and CLIP's tokenizer.json: matched whole, before normalisation.
    tokenizer.add_special_tokens(specials)
    return tokenizer, vocab


class VisionEncoder(nn.Module):
    """pixel_values (B, 3, S, S), normalised → image_embeds (B, 1 + (S/P)^2, D), as BLIP's ViT."""

    def __init__(self, size: int, patch: int, width: int):
        super().__init__()
        self.patch = nn.Conv2d(3, width, patch, stride=patch)
        self.cls = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.position = nn.Parameter(torch.randn(1, 1 + (size // patch) ** 2, width) * 0.02)
        self.norm = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width))

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.position
        return x + self.mlp(self.norm(x))


class Attention(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.q = nn.Linear(width, width)
        self.kv = nn.Linear(width, 2 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x: torch.Tensor, context: torch.Tensor, causal: bool) -> torch.Tensor:
        k, v = self.kv(context).chunk(2, dim=-1)
        scores = self.q(x) @ k.transpose(1, 2) / math.sqrt(x.shape[-1])
        if causal:
            t = x.shape[1]
            mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
            scores = scores.masked_fill(mask, -1e9)
        return self.out(scores.softmax(-1) @ v)


class TextDecoder(nn.Module):
    """input_ids (B, T) int64, image_embeds (B, N, D) → logits (B, T, V), as BLIP's text decoder."""

    def __init__(self, vocab: int, width: int, max_tokens: int):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.position = nn.Parameter(torch.randn(max_tokens, width) * 0.02)
        self.norm1 = nn.LayerNorm(width)
        self.self_attention = Attention(width)
        self.norm2 = nn.LayerNorm(width)
        self.cross_attention = Attention(width)
        self.norm3 = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def forward(self, input_ids: torch.Tensor, image_embeds: torch.Tensor) -> torch.Tensor:
        x = self.embed(input_ids) + self.position[: input_ids.shape[1]]
        h = self.norm1(x)
        x = x + self.self_attention(h, h, True)
        x = x + self.cross_attention(self.norm2(x), image_embeds, False)
        return self.head(self.norm3(x))


class TextEncoder(nn.Module):
    """input_ids (B, 77) int64 → last_hidden_state (B, 77, D), as CLIP's text model."""

    def __init__(self, vocab: int, width: int, length: int):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.position = nn.Parameter(torch.randn(length, width) * 0.02)
        self.norm1 = nn.LayerNorm(width)
        self.attention = Attention(width)
        self.norm2 = nn.LayerNorm(width)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(input_ids) + self.position[: input_ids.shape[1]]
        h = self.norm1(x)
        return self.norm2(x + self.attention(h, h, True))


class UNet(nn.Module):
    """latents (B, 4, h, w), timestep (B,) int64, encoder_hidden_states (B, 77, D) → (B, 4, h, w)."""

    def __init__(self, channels: int, width: int, text_width: int):
        super().__init__()
        self.width = width
        self.inp = nn.Conv2d(channels, width, 3, padding=1)
        self.time = nn.Sequential(nn.Linear(width, width), nn.SiLU(), nn.Linear(width, width))
        self.text = nn.Linear(text_width, width)
        self.mid = nn.Conv2d(width, width, 3, padding=1)
        self.attention = Attention(width)
        self.out = nn.Conv2d(width, channels, 3, padding=1)

    def forward(self, latents: torch.Tensor, timestep: torch.Tensor,
                encoder_hidden_states: torch.Tensor) -> torch.Tensor:
        half = self.width // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=latents.device) / half)
        angles = timestep.float()[:, None] * freqs[None, :]
        t = self.time(torch.cat([angles.sin(), angles.cos()], dim=1))
        x = torch.nn.functional.silu(self.inp(latents) + t[:, :, None, None])
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)
        tokens = tokens + self.attention(tokens, self.text(encoder_hidden_states), False)
        x = tokens.transpose(1, 2).reshape(b, c, h, w)
        x = torch.nn.functional.silu(self.mid(x))
        return self.out(x)


class VaeDecoder(nn.Module):
    """latents (B, 4, h, w), already divided by the latent scale → image (B, 3, 8h, 8w) in [-1, 1]."""

    def __init__(self, channels: int, width: int):
        super().__init__()
        self.inp = nn.Conv2d(channels, width, 3, padding=1)
        self.up = nn.Sequential(
            nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(width, width, 3, padding=1), nn.SiLU(),
            nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(width, width, 3, padding=1), nn.SiLU(),
            nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(width, 3, 3, padding=1))

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.up(self.inp(latents)))


class VaeEncoder(nn.Module):
    """image (B, 3, 8h, 8w) in [-1, 1] → latent mean (B, 4, h, w), before the latent scale; only fine-tuning needs it."""

    def __init__(self, channels: int, width: int):
        super().__init__()
        self.down = nn.Sequential(
            nn.Conv2d(3, width, 3, stride=2, padding=1), nn.SiLU(),
            nn.Conv2d(width, width, 3, stride=2, padding=1), nn.SiLU(),
            nn.Conv2d(width, channels, 3, stride=2, padding=1))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.down(image)


def save(module: nn.Module, path: str) -> None:
    module.eval()
    torch.jit.script(module).save(path)


def write_json(path: str, value: dict) -> None:
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def blip(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    tokenizer, vocab = word_tokenizer(["[PAD]", "[UNK]", "[DEC]", "[SEP]"])
    tokenizer.save(os.path.join(out, "tokenizer.json"))
    size, patch, width, max_tokens = 32, 8, 32, 40
    save(VisionEncoder(size, patch, width), os.path.join(out, "vision_encoder.pt"))
    save(TextDecoder(len(vocab), width, max_tokens), os.path.join(out, "text_decoder.pt"))
    write_json(os.path.join(out, "torchscript.json"), {
        "format": "torchscript",
        "kind": "CAPTIONER",
        "architecture": "blip-tiny (random weights, test fixture)",
        "image": {"size": size, "resize": "bicubic", "mean": [0.48145466, 0.4578275, 0.40821073],
                  "std": [0.26862954, 0.26130258, 0.27577711]},
        "tokens": {"bos": "[DEC]", "eos": "[SEP]", "pad": "[PAD]", "maxTokens": max_tokens},
        "prompts": {"SHORT": "a picture of", "LONG": "a detailed picture of"},
    })


def stable_diffusion(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    tokenizer, vocab = word_tokenizer(["<|endoftext|>", "<|unk|>", "<|startoftext|>"])
    tokenizer.save(os.path.join(out, "tokenizer.json"))
    length, text_width, channels, latent_size = 77, 32, 4, 8
    save(TextEncoder(len(vocab), text_width, length), os.path.join(out, "text_encoder.pt"))
    save(UNet(channels, 32, text_width), os.path.join(out, "unet.pt"))
    save(VaeDecoder(channels, 16), os.path.join(out, "vae_decoder.pt"))
    save(VaeEncoder(channels, 16), os.path.join(out, "vae_encoder.pt"))
    write_json(os.path.join(out, "torchscript.json"), {
        "format": "torchscript",
        "kind": "TEXT_TO_IMAGE",
        "architecture": "stable-diffusion-tiny (random weights, test fixture)",
        "tokens": {"bos": "<|startoftext|>", "eos": "<|endoftext|>", "pad": "<|endoftext|>",
                   "maxTokens": length},
        "latent": {"channels": channels, "size": latent_size, "downsample": 8, "scale": 0.18215},
        "scheduler": {"trainTimesteps": 1000, "betaStart": 0.00085, "betaEnd": 0.012,
                      "betaSchedule": "scaled_linear", "predictionType": "epsilon"},
    })


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_tiny_fixtures.py OUT")
    torch.manual_seed(20261208)
    blip(os.path.join(sys.argv[1], "blip-tiny"))
    stable_diffusion(os.path.join(sys.argv[1], "sd-tiny"))
    print("wrote", sys.argv[1])
