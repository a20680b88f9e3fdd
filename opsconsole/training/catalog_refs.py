"""What a scenario may name: gateways, regions, customers and satellites of a catalog."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from opsconsole.core.site_files import MAX_DEMAND_MBPS


@dataclass(frozen=True)
class CatalogRefs:
    """Known gateway ids, region ids, customer names and satellite catalog numbers."""

    gateways: frozenset[str]
    regions: frozenset[str]
    customers: frozenset[str]
    satellites: frozenset[int]

    @classmethod
    def builtin(cls) -> CatalogRefs:
        """The shipped catalog and the synthetic constellation's catalog numbers (built
        once per process: ~0.1 s, and scenarios are loaded on the UI thread)."""
        return _builtin()

    @classmethod
    def _build_builtin(cls) -> CatalogRefs:
        from datetime import UTC, datetime

        from opsconsole.core.catalog import cloud_regions, demo_customers, gateways
        from opsconsole.core.walker import synthetic_constellation

        ids = synthetic_constellation(datetime(2026, 1, 1, tzinfo=UTC)).norad_ids
        return cls.of(
            (g.id for g in gateways()),
            (r.id for r in cloud_regions()),
            (c.name for c in demo_customers()),
            (int(n) for n in ids),
        )

    @classmethod
    def of(cls, gateways: Iterable[str], regions: Iterable[str], customers: Iterable[str],
           satellites: Iterable[int]) -> CatalogRefs:  # fmt: skip
        return cls(frozenset(gateways), frozenset(regions), frozenset(customers),
                   frozenset(satellites))  # fmt: skip

    def check_event(
        self, kind: str, fields: dict[str, Any], fail: Callable[[str | None, str], Exception]
    ) -> None:
        """Raise ``fail(key, reason)`` for an unknown name or a value out of range."""
        if "gateway" in fields and fields["gateway"] not in self.gateways:
            raise fail("gateway", f"no gateway {fields['gateway']!r}")
        if "region" in fields and fields["region"] not in self.regions:
            raise fail("region", f"no region {fields['region']!r}")
        if "customer" in fields and kind != "new_site" and fields["customer"] not in self.customers:
            raise fail("customer", f"no customer called {fields['customer']!r}")
        for number in fields.get("satellites", []):
            if not isinstance(number, int) or number not in self.satellites:
                raise fail("satellites", f"no satellite with catalog number {number!r}")
        if "plane_of" in fields and fields["plane_of"] not in self.satellites:
            raise fail("plane_of", f"no satellite with catalog number {fields['plane_of']!r}")
        ranges = {
            "remaining_pct": (0.0, 100.0, False),
            "factor": (0.0, 100.0, True),
            "lat": (-90.0, 90.0, False),
            "lon": (-180.0, 180.0, False),
            "demand_mbps": (0.0, MAX_DEMAND_MBPS, True),
            "priority": (1, 5, False),
            "max_rtt_ms": (0.0, 1e4, True),
            "along_track_s": (-600.0, 600.0, False),
        }
        if fields.get("along_track_s") == 0:
            raise fail("along_track_s", "an update that moves nothing changes nothing")
        for key, (low, high, open_low) in ranges.items():
            if key in fields:
                value = fields[key]
                if value < low or value > high or (open_low and value == low):
                    bound = f"more than {low:g}" if open_low else f"at least {low:g}"
                    raise fail(key, f"must be {bound} and at most {high:g}, got {value!r}")


@lru_cache(maxsize=1)
def _builtin() -> CatalogRefs:
    return CatalogRefs._build_builtin()
