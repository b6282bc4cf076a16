"""Stage: benchmark (see docs/architecture.md)."""
