"""Oversight of the service (issue 15): the IRO service, missing children and their common themes,
and the social-work workforce; computed from the model and the local extracts, for analysts'
child-level views and members' aggregates."""
