"""One module per table (or theme) of DfE SSDA903 validation rules; each holds RULES."""
