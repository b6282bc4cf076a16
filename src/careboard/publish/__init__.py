"""Stage: publish (see docs/architecture.md)."""
