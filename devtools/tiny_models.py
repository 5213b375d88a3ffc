"""Random transformers models built on the spot, for the tests (tests/nlp_models) and the
NLP benchmark (bench/nlp.py): no download, and the backend loads them through its normal
path because they are saved the way a real model is.

torch, tokenizers and transformers are imported inside the functions: importing this module
stays cheap (nothing outside nlp/ imports them at module level).
"""

from __future__ import annotations

from typing import Any


def word_level_tokenizer(vocab: dict[str, int], *, unk: str, pad: str, cls: str, sep: str,
                         max_length: int, **special_tokens: str) -> Any:
    """A fast tokenizer that splits on white space and punctuation and looks each word up in
    `vocab` (else `unk`), with `cls` … `sep` around every text, as BERT-like models expect.

    `special_tokens`: further named tokens (bos_token, eos_token) for the model's config.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token=unk))
    core.normalizer = None
    core.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.Punctuation()]
    )
    core.post_processor = processors.TemplateProcessing(
        single=f"{cls} $A {sep}", special_tokens=[(cls, vocab[cls]), (sep, vocab[sep])]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token=unk,
        pad_token=pad,
        cls_token=cls,
        sep_token=sep,
        model_max_length=max_length,
        **special_tokens,
    )
