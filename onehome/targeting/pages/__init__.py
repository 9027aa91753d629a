"""Targeting pages (thin: parse, call, render): rounds, runs and imports (`runs`), area and
comparison pages (`areas`, aggregates only), household pages (`households`, personal
data), and their `forms`."""
