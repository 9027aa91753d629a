"""OneHome: people, households, cases and targeting for Thailand's social assistance network."""
