"""axe-core in the browser tests: the engine's script as the `axe-playwright-python` package
ships it (decision 0017), evaluated in the page through Playwright (DevTools evaluation is
not subject to the page's Content-Security-Policy, which refuses inline scripts).

    found = serious_violations(page)
    assert not found, describe(found)
"""

from functools import cache
from importlib.resources import files

SERIOUS = frozenset({"serious", "critical"})


@cache
def axe_source() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def violations(page, *, impacts: frozenset[str] = SERIOUS) -> list[dict]:
    """The page's axe-core violations of the given impacts (WCAG 2 A/AA rules and axe's
    best practices, as axe runs by default)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def serious_violations(page) -> list[dict]:
    return violations(page, impacts=SERIOUS)


def describe(found: list[dict], where: str = "") -> str:
    """One line per violation and up to five of its elements, with axe's summary of the
    first (the contrast ratio and colours for a contrast failure)."""
    lines = []
    for v in found:
        nodes = v.get("nodes", [])
        lines.append(f"{where} {v['id']} ({v['impact']}, {len(nodes)}×): {v['help']}".strip())
        for node in nodes[:5]:
            lines.append(f"    {' '.join(map(str, node.get('target', [])))}")
        if nodes:
            summary = (nodes[0].get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    → {summary[:300]}")
    return "\n".join(lines)
