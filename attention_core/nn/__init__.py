"""The network: one function per equation, the attention layers, the encoder-decoder models, and the
classic bugs beside the correct code.
"""
