"""Seeded factories and brute-force oracles for the weight tests: reciprocal matrices built
cell by cell, and the principal eigenvector straight from ``numpy.linalg.eig``."""

from __future__ import annotations

import numpy as np

#: Saaty's 1-9 judgements and their reciprocals.
SAATY_VALUES = np.array([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1.0, 3.0, 5.0, 7.0, 9.0, 2.0, 0.5])


def random_reciprocal(rng: np.random.Generator, n: int) -> np.ndarray:
    """An n x n reciprocal matrix with Saaty-scale judgements above the diagonal."""
    matrix = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i, j] = rng.choice(SAATY_VALUES)
            matrix[j, i] = 1.0 / matrix[i, j]
    return matrix


def consistent(weights: np.ndarray) -> np.ndarray:
    """The perfectly consistent matrix ``a_ij = w_i / w_j``."""
    column = np.asarray(weights, dtype=float)
    return np.outer(column, 1.0 / column)


def eig_principal(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """The principal eigenvector (summing to 1) and eigenvalue, by numpy.linalg.eig."""
    values, vectors = np.linalg.eig(matrix)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    return vector / vector.sum(), float(values[k].real)
