"""Training and cross-validating the learned extraction scorers from gold files."""
