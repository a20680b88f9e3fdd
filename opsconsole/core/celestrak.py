"""Optional online refresh of element sets from CelesTrak's GP service (OMM JSON).

Never called unless the operator asks (``opsconsole elements refresh``). Responses are
cached on disk; a cached file younger than ``max_age_s`` is used without any request
(CelesTrak asks clients not to fetch the same data more than once every two hours).
When the service cannot be reached and a cache exists, the cache is used and the result
says so.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from opsconsole.atomic_files import write_bytes_atomic
from opsconsole.core.element_readers import parse_elements
from opsconsole.core.element_sets import ElementSet

GP_URL = "https://celestrak.org/NORAD/elements/gp.php?GROUP={group}&FORMAT=json"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_AGE_S = 2 * 3600.0


class RefreshError(RuntimeError):
    """The service could not be reached and there is no cached copy."""


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh produced: the elements, the cache file, and where they came from."""

    elements: ElementSet
    cache_file: Path
    from_cache: bool
    note: str


def refresh_group(
    group: str,
    cache_dir: Path,
    *,
    url_template: str = GP_URL,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_age_s: float = DEFAULT_MAX_AGE_S,
    skip_invalid: bool = False,
) -> RefreshResult:
    """Fetch GP group ``group`` (e.g. ``starlink``) as OMM JSON, through the disk cache."""
    url = url_template.format(group=urllib.parse.quote(group))
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache_file = cache_dir / f"gp-{group.lower()}.json"
    age = time.time() - cache_file.stat().st_mtime if cache_file.exists() else None
    if age is not None and age < max_age_s:
        data = cache_file.read_bytes()
        elements = parse_elements(data, url, skip_invalid=skip_invalid)
        return RefreshResult(elements, cache_file, True, f"cached copy, {age / 60:.0f} min old")
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "opsconsole"})
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            data = response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        if cache_file.exists():
            data = cache_file.read_bytes()
            elements = parse_elements(data, url, skip_invalid=skip_invalid)
            return RefreshResult(
                elements, cache_file, True, f"service unreachable ({exc}); using the cached copy"
            )
        raise RefreshError(f"could not fetch {url}: {exc}") from None
    elements = parse_elements(data, url, skip_invalid=skip_invalid)
    write_bytes_atomic(cache_file, data)  # whole or not at all
    return RefreshResult(elements, cache_file, False, "downloaded")
