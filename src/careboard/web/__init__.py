"""Stage: web (see docs/architecture.md)."""
