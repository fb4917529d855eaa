"""Bộ chỉ số 766: the analytics suite for Vietnam's public-service quality index.

The data's way through the package, one module a stage:
``load`` (files) → ``units`` → ``facts`` → ``score`` → ``charts`` → ``report``.
"""

__version__ = "0.1.0"
