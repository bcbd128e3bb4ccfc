"""The approved portfolio under a budget: the exact selection of requirements that
maximises the council's value within the budget and capacity, with dependencies and
alternatives respected and every requirement's reason for being in or out
(:func:`portfolio`); the exact efficient frontier (:func:`efficient_frontier`); and which
requirements stay in whatever the weights, the core index of Robust Portfolio Modelling
(:func:`portfolio_acceptability`). Solved with ``scipy.optimize.milp`` (HiGHS).
"""

from __future__ import annotations

from prioritize.portfolio.frontier import NextStep, efficient_frontier, next_step
from prioritize.portfolio.instance import VALUES, Instance, build_instance, value_basis
from prioritize.portfolio.robust import CLASSES, PortfolioAcceptability, portfolio_acceptability
from prioritize.portfolio.select import Portfolio, decided, portfolio, values_at

__all__ = [
    "CLASSES",
    "VALUES",
    "Instance",
    "NextStep",
    "Portfolio",
    "PortfolioAcceptability",
    "build_instance",
    "decided",
    "efficient_frontier",
    "next_step",
    "portfolio",
    "portfolio_acceptability",
    "value_basis",
    "values_at",
]
