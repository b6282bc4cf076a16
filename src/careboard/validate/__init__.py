"""Stage: validate (see docs/architecture.md)."""
