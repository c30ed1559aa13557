"""Every repository of one database, made in one place (the bot makes one set when it is built)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import WallClock, utc_now
from bot.storage.database import Database
from bot.storage.facts import FactRepo
from bot.storage.leaderboard import LeaderboardRepo
from bot.storage.meta import MetaRepo
from bot.storage.packs import PackRepo
from bot.storage.reports import ReportRepo
from bot.storage.rounds import RoundRepo
from bot.storage.servers import ServerRepo

__all__ = ["Repositories"]


@dataclass(frozen=True, slots=True)
class Repositories:
    """One repository per table group, all on the same database.

    Made once, so state a repository keeps (the settings cache) is shared by every cog.
    """

    meta: MetaRepo
    servers: ServerRepo
    facts: FactRepo
    rounds: RoundRepo
    leaderboard: LeaderboardRepo
    reports: ReportRepo
    packs: PackRepo

    @classmethod
    def on(cls, db: Database, wall_clock: WallClock = utc_now) -> Repositories:
        return cls(
            meta=MetaRepo(db),
            servers=ServerRepo(db, wall_clock),
            facts=FactRepo(db),
            rounds=RoundRepo(db),
            leaderboard=LeaderboardRepo(db),
            reports=ReportRepo(db, wall_clock),
            packs=PackRepo(db, wall_clock),
        )
