"""Targeting runs: starting one and running it as a background task (`services`,
`tasks`), and the reads of run rows the pages list (`selectors`)."""
