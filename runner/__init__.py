"""Sandboxes: images, Docker backend, limits, test results, proofs. Knows nothing of GitHub."""
