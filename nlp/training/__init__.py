"""Training and evaluation of the embedded sentiment head (`newsroom train`, `newsroom eval`).

Uses scikit-learn (a dev dependency) for fitting; the result is a numpy-only head file.
"""
