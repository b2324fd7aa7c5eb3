"""Scoring translators: the metrics (exact match, alignment, AER, BLEU) and the shipped evaluation file."""
