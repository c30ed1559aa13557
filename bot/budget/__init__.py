"""The bot's REST budget: its own requests kept under Discord's global limit, by priority."""

from bot.budget.gate import RestBudget
from bot.budget.rules import DISCORD_GLOBAL_LIMIT, BudgetRules, Priority, Ticket

__all__ = ["DISCORD_GLOBAL_LIMIT", "BudgetRules", "Priority", "RestBudget", "Ticket"]
