"""DfE rules that each Episodes code is one of the year's valid codes."""

from careboard.validate.rule import Rule

RULES = [
    Rule("143", table="Episodes", where="RNE IS NULL OR NOT valid_code('RNE', RNE)"),
    Rule("144", table="Episodes", where="LS IS NULL OR NOT valid_code('LS', LS)"),
    Rule("145", table="Episodes", where="CIN IS NULL OR NOT valid_code('CIN', CIN)"),
    Rule(
        "146",
        table="Episodes",
        where="PLACE IS NULL OR NOT valid_code('PLACE', PLACE)",
        note="Codes are compared in upper case, so a valid K3 is accepted in 2024-25 and later.",
    ),
    Rule("149", table="Episodes", where="REC IS NOT NULL AND NOT valid_code('REC', REC)"),
    Rule("141", invalid=("Episodes", "DECOM")),
]
