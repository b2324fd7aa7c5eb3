"""Translating with a trained model: greedy and beam decoding, every step's trace, and the
interventions (picks, overrides, swaps).
"""
