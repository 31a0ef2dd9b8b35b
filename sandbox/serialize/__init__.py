"""Per-version projections of domain objects into MX's JSON shapes."""
