"""The CIN census rules: one declarative ``Rule`` per DfE code (and careboard's own CIN checks)."""
