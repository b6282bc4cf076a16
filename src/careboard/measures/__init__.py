"""Stage: measures (see docs/architecture.md)."""
