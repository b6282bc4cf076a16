"""DfE rules on the Header table (one row per child): identity and characteristics."""

from careboard.validate.rule import Rule

RULES = [
    Rule("101", table="Header", where="SEX IS NULL OR NOT valid_code('SEX', SEX)"),
    Rule("102", invalid=("Header", "DOB")),
    Rule("103", table="Header", where="ETHNIC IS NULL OR NOT valid_code('ETHNIC', ETHNIC)"),
    Rule(
        "168",
        table="Header",
        where=(
            "UPN IS NULL OR NOT ("
            "regexp_full_match(UPN, '[A-HJ-NP-RT-Z][0-9]{12}')"
            " OR regexp_full_match(UPN, '[A-HJ-NP-RT-Z][0-9]{11}[A-Z]')"
            " OR UPN IN ('UN1', 'UN2', 'UN3', 'UN4', 'UN5'))"
        ),
        note="Format only (a letter other than I, O or S, then 12 digits or 11 digits and a letter); "
        "the DfE check letter is not tested, as the DfE wording does not ask for it.",
    ),
]
