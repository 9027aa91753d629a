"""Targeting: indicator catalogues and the Alkire–Foster multidimensional-poverty engine."""
