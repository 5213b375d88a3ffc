"""Shipped model files: the sentiment head (sentiment_head_v1.npz) and its MODEL_CARD.md."""
