"""Feature cogs: one module per feature, each a thin adapter over the core in bot/."""
