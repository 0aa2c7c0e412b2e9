#!/usr/bin/env python3
"""Export a diffusers Stable Diffusion 1.x pipeline to the platform's TorchScript layout (docs/byo-models.md).

    python export_stable_diffusion.py --model CompVis/stable-diffusion-v1-4 --out sd-v1-4
    python export_stable_diffusion.py --model /path/to/local/pipeline --out sd-local --no-encoder

Writes OUT/text_encoder.pt  (input_ids (B, 77) int64 -> last_hidden_state (B, 77, D)),
       OUT/unet.pt          (latents (B, 4, h, w), timestep (B,) int64, encoder_hidden_states -> noise or v),
       OUT/vae_decoder.pt   (latents / scaling_factor (B, 4, h, w) -> image (B, 3, 8h, 8w) in [-1, 1]),
       OUT/vae_encoder.pt   (image -> latent mean, before the scaling factor; only fine-tuning needs it),
       OUT/tokenizer.json (CLIP's, as a fast tokenizer) and OUT/torchscript.json (latent space, scheduler).
Then import it: ImportCli --folder OUT --kind text-to-image --name sd-v1-4 (training-orchestrator/README.md).

Needs torch, transformers and diffusers. NOT RUN on the machine this platform is built on (diffusers cannot be
installed there, and no checkpoint can be downloaded): the graph signatures it writes are the ones the platform's
tests exercise with scripts/torchscript/make_tiny_fixtures.py's stand-ins. Each traced graph is compared with the
eager module on a second input shape before it is written, so a trace that froze a shape fails here, not later.
"""
import argparse
import json
import os

import torch
from torch import nn


class TextEncoder(nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.encoder(input_ids=input_ids, return_dict=False)[0]


class UNet(nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, latents: torch.Tensor, timestep: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
        return self.unet(latents, timestep, encoder_hidden_states=hidden, return_dict=False)[0]


class VaeDecoder(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        return self.vae.decode(latents, return_dict=False)[0].clamp(-1, 1)


class VaeEncoder(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.vae.encode(image, return_dict=False)[0].mean


def trace(module, inputs, other_inputs, path):
    """Traces on one batch size, checks against eager on another, writes the graph."""
    with torch.no_grad():
        traced = torch.jit.trace(module, inputs, check_trace=False)
        torch.testing.assert_close(traced(*other_inputs), module(*other_inputs), rtol=1e-3, atol=1e-3)
    traced.save(path)
    return traced


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="a diffusers model id or a local pipeline folder")
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-encoder", action="store_true", help="skip vae_encoder.pt (serving only, no fine-tune)")
    args = parser.parse_args()

    from diffusers import StableDiffusionPipeline
    from transformers import CLIPTokenizerFast

    pipe = StableDiffusionPipeline.from_pretrained(args.model, torch_dtype=torch.float32, safety_checker=None)
    tokenizer = CLIPTokenizerFast.from_pretrained(args.model, subfolder="tokenizer")
    os.makedirs(args.out, exist_ok=True)
    length = tokenizer.model_max_length
    channels = pipe.unet.config.in_channels
    size = pipe.unet.config.sample_size
    downsample = 2 ** (len(pipe.vae.config.block_out_channels) - 1)

    ids = torch.full((1, length), tokenizer.eos_token_id, dtype=torch.long)
    text = TextEncoder(pipe.text_encoder).eval()
    trace(text, (ids,), (ids.repeat(2, 1),), os.path.join(args.out, "text_encoder.pt"))
    with torch.no_grad():
        hidden = text(ids.repeat(2, 1))
    latents = torch.randn(2, channels, size, size)
    timesteps = torch.tensor([999, 500], dtype=torch.long)
    trace(UNet(pipe.unet).eval(), (latents[:1], timesteps[:1], hidden[:1]), (latents, timesteps, hidden),
          os.path.join(args.out, "unet.pt"))
    trace(VaeDecoder(pipe.vae).eval(), (latents[:1],), (latents,), os.path.join(args.out, "vae_decoder.pt"))
    if not args.no_encoder:
        images = torch.rand(2, 3, size * downsample, size * downsample) * 2 - 1
        trace(VaeEncoder(pipe.vae).eval(), (images[:1],), (images,), os.path.join(args.out, "vae_encoder.pt"))
    tokenizer.backend_tokenizer.save(os.path.join(args.out, "tokenizer.json"))
    scheduler = pipe.scheduler.config
    with open(os.path.join(args.out, "torchscript.json"), "w") as f:
        json.dump({
            "format": "torchscript",
            "kind": "TEXT_TO_IMAGE",
            "architecture": "stable-diffusion " + args.model,
            "tokens": {"bos": tokenizer.bos_token, "eos": tokenizer.eos_token, "pad": tokenizer.pad_token,
                       "maxTokens": length},
            "latent": {"channels": channels, "size": size, "downsample": downsample,
                       "scale": pipe.vae.config.scaling_factor},
            "scheduler": {"trainTimesteps": scheduler.num_train_timesteps, "betaStart": scheduler.beta_start,
                          "betaEnd": scheduler.beta_end, "betaSchedule": scheduler.beta_schedule,
                          "predictionType": scheduler.get("prediction_type", "epsilon")},
        }, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
