"""The source article, named, and its TensorFlow code, quoted as printed.

The article is a chapter in Chinese, "第二章：AI大模型的基本原理 - 2.3 AI大模型的关键技术 - 2.3.2
Attention机制" by 禅与计算机程序设计艺术. Its equations are the ones this project computes; its
code example (section 2.3.2.4.1) has the bugs the Pitfalls page runs. The pages quote the lines
below so a learner can see where each bug sits in the code they may have copied.
"""

from __future__ import annotations

TITLE = "第二章：AI大模型的基本原理 - 2.3 AI大模型的关键技术 - 2.3.2 Attention机制"
AUTHOR = "禅与计算机程序设计艺术"
CODE_SECTION = "2.3.2.4.1 代码实例"

CODE = """\
import tensorflow as tf
from tensorflow import keras

class BahdanauAttention(keras.layers.Layer):
   def __init__(self):
       super(BahdanauAttention, self).__init__()

       # Define the trainable weights for this layer
       self.W1 = keras.layers.Dense(64)
       self.W2 = keras.layers.Dense(64)
       self.V = keras.layers.Dense(1)

   def call(self, query, values, mask=None):
       # Calculate the attention scores
       score = self.V(tf.nn.tanh(
           self.W1(query) + self.W2(values)))

       # Mask the padded values and calculate the sum of the scores
       if mask is not None:
           score = tf.where(mask, score, tf.reduce_min(score))
       attn_weights = tf.nn.softmax(score, axis=-1)

       # Sum the attended values based on their weight
       context = tf.reduce_sum(values * attn_weights, axis=-2)

       return context, attn_weights

# Create an instance of the attention layer
attention = BahdanauAttention()

# Define the input sequences
input_seq = tf.constant([[1, 2, 3], [4, 5, 6]])

# Define the output sequence
output_seq = tf.constant([[7], [8]])

# Reshape the input and output sequences
input_seq = tf.reshape(input_seq, (1, -1, input_seq.shape[-1]))
output_seq = tf.reshape(output_seq, (-1, output_seq.shape[-1]))

# Pass the input and output sequences through the attention layer
context, attn_weights = attention(output_seq, input_seq)

# Print the context vector and attention weights
print("Context Vector: ", context)
print("Attention Weights: ", attn_weights)
"""
"""The article's code example, as printed (three-space indents included)."""

BUG_LINES: dict[str, tuple[str, ...]] = {
    # softmax over the last axis of V's (batch, T_x, 1) scores: every weight is 1
    "softmax_axis": ("self.V = keras.layers.Dense(1)", "attn_weights = tf.nn.softmax(score, axis=-1)"),
    # padded scores replaced by the minimum score keep a weight of exp(min − max) each
    "min_fill": ("score = tf.where(mask, score, tf.reduce_min(score))",),
    # the query (batch, d) is added to the values (batch, T_x, d) without a time axis
    "no_time_axis": ("self.W1(query) + self.W2(values)))",),
    # token ids fed in as encoder states: an int32 tensor
    "integer_inputs": ("input_seq = tf.constant([[1, 2, 3], [4, 5, 6]])",),
}
"""Pitfall key → the article's lines that carry that bug (each a line of ``CODE``, stripped)."""


def bug_line_numbers(key: str) -> list[int]:
    """The 1-based numbers of ``CODE``'s lines that carry pitfall ``key`` (empty: not in the article)."""
    lines = [line.strip() for line in CODE.splitlines()]
    return [n for n, line in enumerate(lines, start=1) if line in BUG_LINES.get(key, ())]
