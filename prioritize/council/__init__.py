"""The council's own rules: how far its members agree, what it should debate, what it
decided and why, and what moved between two rounds.

- :mod:`~prioritize.council.agreement` — disagreement per requirement x criterion;
- :mod:`~prioritize.council.concordance` — Kendall's W over the members' rankings;
- :mod:`~prioritize.council.flags` — the debate flags and their severity order;
- :mod:`~prioritize.council.decisions` — outcomes, the override rule, the hash chain;
- :mod:`~prioritize.council.rounds` — a round's states and what each allows;
- :mod:`~prioritize.council.round_diff` — what moved between two rounds, and why;
- :mod:`~prioritize.council.analysis` — one round analysed the one way every face shows it.
"""
