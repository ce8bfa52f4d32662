"""In-memory fake of the plan repository (routine.plans), beside storage/plans.py; the contract
in tests/storage/contract/test_plan_contract.py runs on both."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from routine.plans import Confirmation, Plan


class FakePlans:
    def __init__(self, store) -> None:
        self.store = store

    async def get(self, plan_id: int) -> Plan | None:
        return self.store.plans.get(plan_id)

    async def latest_of(self, case_ids: Collection[int]) -> dict[int, Plan]:
        found: dict[int, Plan] = {}
        for plan in sorted(self.store.plans.values(), key=lambda p: p.version):
            if plan.case_id in case_ids:
                found[plan.case_id] = plan
        return found

    async def versions(self, case_id: int) -> list[Plan]:
        mine = [p for p in self.store.plans.values() if p.case_id == case_id]
        return sorted(mine, key=lambda p: p.version)

    async def add_version(self, plan: Plan) -> Plan | None:
        if any(
            p.case_id == plan.case_id and p.version == plan.version
            for p in self.store.plans.values()
        ):
            return None
        stored = dataclasses.replace(plan, id=next(self.store.ids))
        self.store.plans[stored.id] = stored
        return stored

    async def record_pupil_agreement(self, plan_id: int, by: str, at: datetime) -> bool:
        plan = self.store.plans.get(plan_id)
        if plan is None or plan.pupil_agreed_at is not None:
            return False
        self.store.plans[plan_id] = dataclasses.replace(
            plan, pupil_agreed_by=by, pupil_agreed_at=at
        )
        return True

    async def confirm(self, plan_id: int, guardian_id: str, at: datetime) -> bool:
        key = (plan_id, guardian_id)
        if plan_id not in self.store.plans or key in self.store.plan_confirmations:
            return False
        self.store.plan_confirmations[key] = Confirmation(plan_id, guardian_id, at)
        return True

    async def confirmations(self, plan_ids: Collection[int]) -> dict[int, list[Confirmation]]:
        found: dict[int, list[Confirmation]] = defaultdict(list)
        for confirmation in sorted(
            self.store.plan_confirmations.values(), key=lambda c: (c.at, c.guardian_id)
        ):
            if confirmation.plan_id in plan_ids:
                found[confirmation.plan_id].append(confirmation)
        return dict(found)

    def forget_cases(self, case_ids: Collection[int]) -> None:
        """What the case fake's retention calls: a case's plans go with it."""
        gone = {i for i, p in self.store.plans.items() if p.case_id in case_ids}
        for plan_id in gone:
            del self.store.plans[plan_id]
        for key in [k for k in self.store.plan_confirmations if k[0] in gone]:
            del self.store.plan_confirmations[key]
