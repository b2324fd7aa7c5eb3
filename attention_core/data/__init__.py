"""Text in: tokenizing, the toy languages and their lexicons, pairs files, and the models folder on disk."""
