"""Shipped model files and their MODEL_CARD.md: the fine-tuned embedded default
(sentiment_lora_v2.npz, a LoRA adapter for e5) and the v1 head (sentiment_head_v1.npz)."""
