"""The model catalog and the cached results of attention_core that pages read."""
