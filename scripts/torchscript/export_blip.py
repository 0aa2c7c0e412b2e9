#!/usr/bin/env python3
"""Export a Hugging Face BLIP captioner to the platform's TorchScript layout (docs/byo-models.md).

    python export_blip.py --model Salesforce/blip-image-captioning-base --out blip-base
    python export_blip.py --tiny-random --out /tmp/blip-tiny-hf      # no download: a random-weight check

Writes OUT/vision_encoder.pt  (pixel_values (B, 3, S, S) float32 -> image_embeds (B, N, D)),
       OUT/text_decoder.pt    (input_ids (B, T) int64, image_embeds (B, N, D) -> logits (B, T, V)),
       OUT/tokenizer.json and OUT/torchscript.json (preprocessing, special tokens, the prompt per caption style).
Then import it: ImportCli --folder OUT --kind captioner --name blip-base (training-orchestrator/README.md).

Needs torch and transformers (any recent version; the graphs are traced, so the platform runs them without Python).
The graphs are checked against the eager model at two sequence lengths before anything is written.
"""
import argparse
import json
import os

import torch
from torch import nn

# BLIP's conditional captioning prompt for SHORT; LONG gets its own prefix so that the platform's captioner
# fine-tune (CAPTIONER_FINETUNE on the human captions) can teach the two styles apart.
PROMPTS = {"SHORT": "a picture of", "LONG": "a detailed picture of"}


class VisionEncoder(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.vision = model.vision_model

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.vision(pixel_values=pixel_values, return_dict=False)[0]


class TextDecoder(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.decoder = model.text_decoder

    def forward(self, input_ids: torch.Tensor, image_embeds: torch.Tensor) -> torch.Tensor:
        attention = torch.ones_like(input_ids)
        image_attention = torch.ones(image_embeds.shape[:2], dtype=torch.long, device=image_embeds.device)
        return self.decoder(input_ids=input_ids, attention_mask=attention, encoder_hidden_states=image_embeds,
                            encoder_attention_mask=image_attention, return_dict=False)[0]


def tiny_random():
    """A BLIP with the real architecture and a tiny random configuration, and a matching tiny WordPiece tokenizer."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BlipConfig, BlipForConditionalGeneration, PreTrainedTokenizerFast

    words = ("a an the of picture photo detailed red green blue yellow purple orange circle square triangle cross "
             "one two three small large left right top bottom middle on in white background").split()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {token: i for i, token in enumerate(specials + words)}
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]",
                                        sep_token="[SEP]", mask_token="[MASK]", bos_token="[DEC]")
    config = BlipConfig(
        vision_config={"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
                       "image_size": 32, "patch_size": 8},
        text_config={"vocab_size": len(tokenizer), "hidden_size": 32, "intermediate_size": 64,
                     "num_hidden_layers": 2, "num_attention_heads": 2, "encoder_hidden_size": 32,
                     "bos_token_id": tokenizer.convert_tokens_to_ids("[DEC]"), "sep_token_id": 3, "pad_token_id": 0,
                     "max_position_embeddings": 64})
    torch.manual_seed(0)
    return BlipForConditionalGeneration(config).eval(), tokenizer, {
        "size": 32, "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711]}


def pretrained(name):
    from transformers import BlipForConditionalGeneration, BlipProcessor

    processor = BlipProcessor.from_pretrained(name)
    model = BlipForConditionalGeneration.from_pretrained(name, torch_dtype=torch.float32).eval()
    image = processor.image_processor
    return model, processor.tokenizer, {"size": image.size["height"], "mean": list(image.image_mean),
                                        "std": list(image.image_std)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="a Hugging Face model id or a local folder (BlipForConditionalGeneration)")
    source.add_argument("--tiny-random", action="store_true", help="a random-weight BLIP of the same architecture")
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-tokens", type=int, default=40)
    args = parser.parse_args()

    model, tokenizer, image = tiny_random() if args.tiny_random else pretrained(args.model)
    size = image["size"]
    os.makedirs(args.out, exist_ok=True)
    with torch.no_grad():
        pixels = torch.randn(2, 3, size, size)
        vision = torch.jit.trace(VisionEncoder(model), (pixels,), check_trace=False)
        embeds = vision(pixels)
        ids = torch.full((2, 5), model.config.text_config.bos_token_id, dtype=torch.long)
        decoder = torch.jit.trace(TextDecoder(model), (ids, embeds), check_trace=False)
        # The decoder runs at every length of a caption: a trace that froze the length would be wrong.
        for length in (3, 9):
            probe = torch.randint(0, model.config.text_config.vocab_size, (2, length))
            eager = TextDecoder(model)(probe, embeds)
            torch.testing.assert_close(decoder(probe, embeds), eager, rtol=1e-4, atol=1e-4)
        torch.testing.assert_close(vision(pixels), VisionEncoder(model)(pixels), rtol=1e-4, atol=1e-4)
    vision.save(os.path.join(args.out, "vision_encoder.pt"))
    decoder.save(os.path.join(args.out, "text_decoder.pt"))
    tokenizer.backend_tokenizer.save(os.path.join(args.out, "tokenizer.json"))
    with open(os.path.join(args.out, "torchscript.json"), "w") as f:
        json.dump({
            "format": "torchscript",
            "kind": "CAPTIONER",
            "architecture": "blip " + ("tiny random" if args.tiny_random else args.model),
            "image": {"size": size, "resize": "bicubic", "mean": image["mean"], "std": image["std"]},
            "tokens": {"bos": "[DEC]", "eos": tokenizer.sep_token, "pad": tokenizer.pad_token,
                       "maxTokens": args.max_tokens},
            "prompts": PROMPTS,
        }, f, indent=2, sort_keys=True)
        f.write("\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
