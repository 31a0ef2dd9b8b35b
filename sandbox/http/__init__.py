"""The HTTP layer: parse, call the core, serialize per API version. Thin by design."""
