"""The schedule filter: months and online/offline, without a reload, as a progressive enhancement."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_filter_by_month_and_mode(new_page, site_url: str) -> None:
    page = new_page(javascript=True)
    page.goto(site_url + "2022/caq/schedule/")
    rows = page.locator(".schedule-table tbody tr")
    total = rows.count()
    assert total == 22

    def visible() -> list[dict]:
        return page.evaluate("""() => [...document.querySelectorAll('.schedule-table tbody tr')]
            .filter(tr => !tr.hidden).map(tr => ({months: tr.dataset.months.split(' '), mode: tr.dataset.mode}))""")

    page.select_option(".schedule-filter select[name=month]", "7")
    july = visible()
    assert 0 < len(july) < total and all("7" in r["months"] for r in july)
    assert page.locator(".schedule-filter output").inner_text().count(str(len(july))) >= 1

    page.select_option(".schedule-filter select[name=month]", "")
    page.select_option(".schedule-filter select[name=mode]", "online")
    online = visible()
    assert 0 < len(online) < total and all(r["mode"] in ("online", "mixed") for r in online)

    page.select_option(".schedule-filter select[name=mode]", "offline")
    assert all(r["mode"] in ("offline", "mixed") for r in visible())

    page.select_option(".schedule-filter select[name=mode]", "")
    assert len(visible()) == total  # nothing was reloaded or lost: every row is back
