"""Stage: sufficiency (see docs/architecture.md)."""
