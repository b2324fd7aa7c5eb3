"""Training: batching by length, the fit loop, the toy recipe and the recipe for one's own pairs."""
