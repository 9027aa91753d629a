"""A household's whole story (read-only): a page for staff and the assigned volunteer, and
the same through the API (`selectors.household_story`)."""
