"""Calibration parameters of the synthetic authority, each with the published figure it targets.

Sources (all Open Government Licence v3.0, copies in ``shared/reference``):

* CLA24  DfE *Children looked after in England including adoptions*, 2024 release, national tables
         (``national_cla_started_to_be_looked_after.csv``,
         ``national_cla_on_31_march_by_characteristics.csv``,
         ``national_cla_on_31_march_by_placement_distance_and_placement_locality.csv``,
         ``la_children_who_ceased_during_the_year.csv`` (England rows), ``la_care_leavers_intouch.csv``,
         ``la_care_leavers_stayput.csv``,
         ``la_children_who_were_missing_or_away_from_placement_without_authorisation.csv``).
* CLA25  the 2025 release (``la_cla_placement_stability.csv``, ``la_conviction_health_outcome_cla.csv``,
         ``la_care_leavers_activity.csv``, ``la_care_leavers_accommodation_suitability.csv``,
         ``la_cla_during_year_new_placements.csv``, ``la_cla_swcount.csv`` (2024),
         ``cla_number_and_rate_per_10k_children.csv``,
         ``national_cla_adopted_average_time_between_adoption_process_stages.csv``).
* CIN25  DfE *Characteristics of children in need* 2025 (``c1_children_in_need_referrals_and_rereferrals``).
* REG    Care Planning, Placement and Case Review (England) Regulations 2010, reg 33 (review schedule).
* LOCAL  corporate parenting panel minutes (review timeliness about 90%, Harrow 2022).

Where no published figure exists the value is a judgement and says so ("assumed").  Shares that
the simulation does not reproduce one-to-one (because exits, re-entries and ageing interact) are
the *inputs* that were tuned until the generated figures in ``report.TARGETS`` matched England.
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# Flows.  CLA25: 32,270 starts against 81,770 looked after at 31 March 2025 (ratio 0.39).
# The simulation solves for the entry rate that gives the requested stock, so only shapes matter.
# --------------------------------------------------------------------------------------------

# Age at starting, non-UASC starters (CLA24 starters by age minus the UASC starters, who are
# mostly 16-17: 33,050 starters of whom 7,270 UASC).  Bands: <1, 1-4, 5-9, 10-15, 16-17.
ENTRY_AGE_BANDS = ((0, 1), (1, 5), (5, 10), (10, 16), (16, 18))
ENTRY_AGE_SHARE = (0.215, 0.19, 0.19, 0.245, 0.16)
# Share of starters who are unaccompanied asylum-seeking children (CLA24: 22% of starters in 2024;
# about 8% of the stock because they leave at 18).  Tuned so the stock share lands near 7-8%.
UASC_START_SHARE = 0.19
# UASC ages on arrival (assumed from CLA24: UASC are "mostly boys aged 16-17"): 14, 15, 16, 17.
UASC_AGE_SHARE = {14: 0.06, 15: 0.14, 16: 0.38, 17: 0.42}
UASC_MALE_SHARE = 0.94  # assumed; DfE 2024 commentary: the great majority of UASC are boys
# Sex of non-UASC starters: CLA25 commentary "56% male (53% excluding UASC)".
MALE_SHARE = 0.53

# Ethnicity of non-UASC children (CLA24 at 31 March, shares of all; UASC ethnicity drawn
# separately below).  Code -> weight.
ETHNIC_SHARE = {
    "WBRI": 0.700, "WIRI": 0.002, "WOTH": 0.035, "WIRT": 0.002, "WROM": 0.007,
    "MWBC": 0.035, "MWBA": 0.013, "MWAS": 0.021, "MOTH": 0.038,
    "AIND": 0.004, "APKN": 0.013, "ABAN": 0.005, "AOTH": 0.010,
    "BCRB": 0.015, "BAFR": 0.020, "BOTH": 0.015,
    "CHNE": 0.001, "OOTH": 0.015, "REFU": 0.002, "NOBT": 0.007,
}
# UASC countries of origin are mostly Afghanistan, Eritrea, Sudan, Iran, Vietnam (assumed mix).
UASC_ETHNIC_SHARE = {"AOTH": 0.35, "BAFR": 0.30, "OOTH": 0.30, "CHNE": 0.01, "WOTH": 0.04}

# Category of need of a period of care (CLA24 starters): N1 56% ... UASC are N8 absent parenting.
CIN_SHARE = {"N1": 0.70, "N2": 0.025, "N3": 0.03, "N4": 0.09, "N5": 0.13, "N6": 0.02, "N7": 0.002, "N8": 0.003}

# --------------------------------------------------------------------------------------------
# Pathways.  A period of care follows one pathway, chosen at entry by age band; the pathway fixes
# the legal-status path, the exit route and the duration.  Tuned to CLA24 "reason episode ceased"
# (adopted 9%, SGO 11%, CAO 3%, home 20%, E13 6%, aged 18 routes 34%, transfer 6%, other 8%) and
# to the age profile and legal status of the stock at 31 March.
# --------------------------------------------------------------------------------------------
PATHWAYS = ("HOME", "ADOPT", "SGO", "CAO", "LONG", "LEAVE16", "TRANSFER", "YOUTH", "OTHER")
# rows: age bands <1, 1-4, 5-9, 10-15, 16-17 (non-UASC)
PATHWAY_SHARE = {
    "HOME":     (0.20, 0.28, 0.30, 0.26, 0.20),
    "ADOPT":    (0.38, 0.16, 0.01, 0.00, 0.00),
    "SGO":      (0.18, 0.23, 0.17, 0.04, 0.00),
    "CAO":      (0.05, 0.06, 0.05, 0.02, 0.00),
    "LONG":     (0.14, 0.20, 0.40, 0.42, 0.40),
    "LEAVE16":  (0.00, 0.00, 0.00, 0.07, 0.18),
    "TRANSFER": (0.02, 0.03, 0.03, 0.04, 0.05),
    "YOUTH":    (0.00, 0.00, 0.00, 0.05, 0.06),
    "OTHER":    (0.03, 0.04, 0.04, 0.09, 0.08),
}
# UASC: most stay until 18; some are transferred under the National Transfer Scheme (E3).
UASC_PATHWAY_SHARE = {"LONG": 0.80, "TRANSFER": 0.14, "OTHER": 0.06}

# Duration of a period of care by pathway: lognormal (median days, sigma).  CLA24 national
# ceased file: average duration of the last period of care 864 days.  Adoption: CLA25 stages,
# entry into care -> placed 1y7m, placed -> adopted 0y9m.  Others assumed.
DURATION = {
    "HOME": (300, 0.95),
    "SGO": (800, 0.45),
    "CAO": (600, 0.45),
    "TRANSFER": (100, 1.0),
    "YOUTH": (35, 0.8),
    "OTHER": (220, 1.1),
}
ADOPT_TO_PLACED = (620, 0.35)  # days from entry to moving in with adopters (CLA25: 1y7m)
PLACED_TO_ADOPTED = (290, 0.35)  # days from placement to adoption order (CLA25: 0y9m)
ADOPT_DECISION_AFTER_ENTRY = (270, 0.35)  # entry -> decision should be placed (CLA25: 0y9m)
ADOPT_MATCH_BEFORE_PLACED = (30, 0.4)  # match -> placed (CLA25: 0y1m)
ADOPT_DISRUPTED = 0.08  # decision reversed before placement (assumed; RD1-RD4)

# Re-entry after returning home (assumed: about a quarter of children who go home come back).
REENTRY_PROB = {"HOME": 0.24, "CAO": 0.06, "SGO": 0.03, "OTHER": 0.15, "YOUTH": 0.25}
REENTRY_GAP = (320, 0.9)  # lognormal days out of care before re-entry

# --------------------------------------------------------------------------------------------
# Legal status.  CLA24 at 31 March: care orders 75%, s20 19%, placement order 6%, youth justice and
# detained for child protection under 0.5% each.  Starters: s20 57%, detained for CP 10%, care order 31%.
# --------------------------------------------------------------------------------------------
# Court pathways: how the period starts (V2 then court, police protection L1, EPO L2, straight to C1).
COURT_START = {"V2": 0.45, "L1": 0.12, "L2": 0.05, "C1": 0.38}
V2_BEFORE_COURT = (75, 0.7)  # days on s20 before an interim care order (assumed)
PROCEEDINGS = (340, 0.30)  # days from interim to final order (care proceedings average about 43 weeks)
LONG_COURT_SHARE = (0.94, 0.94, 0.92, 0.86, 0.50)  # LONG pathway: share on care orders by entry age band
SGO_COURT_SHARE = 0.9
HOME_COURT_SHARE = 0.45
HOME_PLACED_WITH_PARENTS = 0.45  # court-route home pathway: last placement P1 before discharge (assumed)

# --------------------------------------------------------------------------------------------
# Placements.  CLA24 at 31 March: foster 67% (relatives or friends 16%), placed for adoption 2%,
# with parents 6%, children's homes 10%, supported accommodation 7%, other residential 2%,
# residential schools 0.1%, other 5%.
# --------------------------------------------------------------------------------------------
# Placement type of a new (non-temporary) placement by age band at the placement's start.
# Category keys are mapped to codes in lives.py: KIN (U3), FOSTER (U6), RESI (K2), SUPP (K3/H5/P2),
# P1, R3 (mother and baby), S1, R1, K1, R5, Z (other).
PLACEMENT_MIX = {
    # age <1
    0: {"KIN": 0.16, "FOSTER": 0.73, "R3": 0.07, "P1": 0.04},
    # 1-4
    1: {"KIN": 0.17, "FOSTER": 0.68, "RESI": 0.005, "Z": 0.005, "R3": 0.03, "P1": 0.11},
    # 5-9
    2: {"KIN": 0.17, "FOSTER": 0.64, "RESI": 0.06, "Z": 0.01, "R1": 0.01, "P1": 0.11},
    # 10-15
    3: {"KIN": 0.11, "FOSTER": 0.41, "RESI": 0.26, "S1": 0.01, "R1": 0.01, "K1": 0.012,
        "Z": 0.09, "R5": 0.005, "P1": 0.09},
    # 16-17
    4: {"KIN": 0.06, "FOSTER": 0.22, "RESI": 0.13, "SUPP": 0.42, "Z": 0.16, "R5": 0.01, "R1": 0.01,
        "P1": 0.03},
}
UASC_PLACEMENT_MIX = {  # UASC: supported accommodation and foster care (assumed)
    "young": {"FOSTER": 0.85, "RESI": 0.15},
    "old": {"FOSTER": 0.30, "SUPP": 0.62, "RESI": 0.05, "Z": 0.03},
}
# Placement moves: yearly hazard of a carer change by age band, times a gamma frailty (shape below)
# so that instability concentrates in some children.  Tuned to CLA25: 10% of children looked after
# at 31 March had 3+ placements in the year; 69% of under-16s in care 2.5+ years with the same
# carer for 2+ years; 23% of those looked after 2 years had 3+ placements in 2 years.  Retuned (issue
# 10) when temporary placements stopped counting as placement changes: more real moves, concentrated
# in fewer children, and more short emergency first placements, so that 3+ placements stays at
# England's 10% while long-term stability stays near 69%.
MOVE_RATE = (0.27, 0.30, 0.36, 0.57, 0.61)
MOVE_FRAILTY_SHAPE = 0.3
EMERGENCY_FIRST_PLACEMENT = 0.75  # share of periods whose first placement is a short emergency one
EMERGENCY_LENGTH = (14, 0.9)
# Provider of foster placements: in-house share of non-relative fostering (assumed 55%).
FOSTER_INHOUSE = 0.55
RESI_PROVIDER = {"PR1": 0.15, "PR4": 0.80, "PR5": 0.05}
SUPP_PROVIDER = {"PR1": 0.10, "PR4": 0.75, "PR5": 0.15}
# Temporary placements inside a foster placement (per placement-year): carers' holiday T3,
# hospital T1, other up to seven days T4 (assumed).
TEMP_RATE = {"T3": 0.05, "T1": 0.02, "T4": 0.03}
TEMP_LENGTH = {"T3": (3, 14), "T1": (2, 30), "T4": (1, 6)}
# Long-term: non-relative fostering becomes long-term (U6 -> U4, relatives U3 -> U1) after about a year
# for children who stay (assumed; CLA24 has most foster children in long-term placements).
LONG_TERM_AFTER = (420, 0.35)
# Reasons for placement change (CLA25, 59,140 changes; "status of placement only" is used for
# same-carer changes and code changes, the rest are shared among carer changes).
REASON_PLACE_CHANGE = {
    "CARPL": 0.415, "OTHER": 0.30, "CREQB": 0.10, "CREQO": 0.085, "CHILD": 0.035,
    "LAREQ": 0.025, "STAND": 0.012, "CLOSE": 0.008, "ALLEG": 0.008, "APPRR": 0.004,
}

# Placement location by category (CLA24 at 31 March by distance and locality: all children:
# inside <=20 miles 47%, outside <=20 22%, inside >20 4%, outside >20 17%, not known 9%; placed
# for adoption 51% over 20 miles; children's homes two thirds outside the boundary).
# Bands: IN_NEAR, IN_FAR, OUT_NEAR, OUT_FAR.
LOCATION_BANDS = {
    "KIN": (0.62, 0.04, 0.26, 0.08),
    "IFA": (0.40, 0.06, 0.34, 0.20),
    "ADOPT": (0.16, 0.06, 0.27, 0.51),
    "OTHER": (0.40, 0.05, 0.23, 0.32),
}
# Pools of providers (their own locations): in-house foster households, children's homes,
# supported accommodation.  Share of each pool placed in each band relative to the authority.
POOL_BANDS = {
    "INHOUSE": (0.92, 0.08, 0.0, 0.0),  # own provision is inside the authority (rule 1015)
    "RESI": (0.28, 0.05, 0.20, 0.47),
    "SUPP": (0.50, 0.05, 0.25, 0.20),
}
FOSTER_HOUSEHOLD_PLACES = {1: 0.38, 2: 0.40, 3: 0.17, 4: 0.05}  # approved places (assumed)
RESI_HOME_PLACES = {2: 0.15, 3: 0.25, 4: 0.30, 5: 0.15, 6: 0.15}  # registered places (assumed)

# --------------------------------------------------------------------------------------------
# Missing and away (CLA24 official statistics): 11% of children looked after in the year had a
# missing incident, 6.5 incidents each; 2% away without authorisation, 4 incidents each; incidents
# by age 16+ 56%, 10-15 44%, under 10 under 0.2%.
# --------------------------------------------------------------------------------------------
MISSING_RUNNER_PROB = {"RESI": 0.62, "SUPP": 0.34, "FOSTER": 0.17, "OTHER": 0.14}
MISSING_MIN_AGE = 10.5
MISSING_RATE = 8.5  # episodes per year for a child who goes missing (gamma-mixed, shape below)
MISSING_RATE_SHAPE = 1.2
AWAY_SHARE = 0.16  # share of children who go away without authorisation (their episodes are 'A') rather than missing
MISSING_LENGTH = (1.0, 1.1)  # lognormal days (median about a day; assumed)
MISSING_FOUND = {"returned_self": 0.55, "police": 0.25, "carer_or_staff": 0.12, "family_or_friends": 0.08}
RHI_OFFERED = 0.88  # return-home interview offered (assumed; statutory guidance requires one)
RHI_ACCEPTED = 0.55  # of offered (assumed)

# --------------------------------------------------------------------------------------------
# Reviews (REG: first within 20 working days of entry, second within 3 months of the first, then
# every 6 months).  LOCAL: about 90% held in time.
# --------------------------------------------------------------------------------------------
REVIEW_ON_TIME = 0.95  # per review; about 90% of children have all their reviews in time in a year
REVIEW_EARLY_DAYS = 21  # on-time reviews are held up to three weeks before the due date
REVIEW_LATE_DAYS = (5, 60)
REVIEW_CODE_SHARE = {"PN1": 0.62, "PN2": 0.05, "PN3": 0.03, "PN4": 0.07, "PN5": 0.05, "PN6": 0.10, "PN7": 0.08}

# --------------------------------------------------------------------------------------------
# Social workers (CLA25 la_cla_swcount 2024: 27% of children looked after at 31 March had 3+
# social workers in the year).
# --------------------------------------------------------------------------------------------
SW_CHANGE_RATE = 1.2  # changes per year (gamma-mixed); tuned to 27% with 3+ workers
SW_CHANGE_SHAPE = 1.1
SW_CASELOAD = 15.2  # LAIT 2025 average cases per children's social worker
SW_REASON = {
    "LEFTRL": 0.34, "TSPROC": 0.22, "MANAGE": 0.13, "ORGRST": 0.08, "ABSENC": 0.08,
    "CHCHAN": 0.03, "PCCHAN": 0.03, "OTHERS": 0.09,
}

# --------------------------------------------------------------------------------------------
# Health (OC2, CLA25, looked after 12+ months at 31 March).
# --------------------------------------------------------------------------------------------
HEALTH_ASSESSMENT = 0.90
IMMUNISATIONS = 0.84
TEETH_CHECK = 0.81
DEVELOPMENT_CHECK = 0.88  # under 5s
CONVICTED = 0.02  # aged 10-17
SUBSTANCE_MISUSE = 0.03
INTERVENTION_RECEIVED = 0.41 / 0.85  # of those identified and answering (41% received, 44% refused)
SDQ_RECEIVED = 0.78
SDQ_MEAN = 14.9
SDQ_NO_SCORE_REASON = {"SDQ2": 0.25, "SDQ3": 0.15, "SDQ4": 0.40, "SDQ5": 0.20}

# --------------------------------------------------------------------------------------------
# Care leavers (OC3).  CLA24 in touch 17-18: 94% in touch, 4% not, 2% no longer require services;
# CLA25 activity 17-18 EET 64% / NEET 30% / not known 6%, 19-21 EET 54% / NEET 40%; suitable
# accommodation 91% (17-18) and 89% (19-21); staying put CLA24: 62% at 18, 32% at 19-20 of those who
# left foster care on their 18th birthday.
# --------------------------------------------------------------------------------------------
IN_TOUCH = {"YES": 0.935, "NO": 0.045, "NREQ": 0.015, "REFU": 0.005}
ACTIV_17_18 = {"F2": 0.48, "F1": 0.03, "F4": 0.10, "P4": 0.015, "F5": 0.02, "G4": 0.035, "G5": 0.27, "G6": 0.02}
ACTIV_19_21 = {"F2": 0.19, "P2": 0.03, "F1": 0.06, "F4": 0.21, "P4": 0.05, "F5": 0.02, "G4": 0.10,
               "G5": 0.29, "G6": 0.05}
ACCOM_17_18 = {"D1": 0.33, "E1": 0.12, "B1": 0.17, "U1": 0.12, "C1": 0.08, "K1": 0.04,
               "Y1": 0.03, "D2": 0.02, "B2": 0.01, "V2": 0.005, "X2": 0.005, "S2": 0.003}
ACCOM_19_21 = {"U1": 0.38, "D1": 0.12, "B1": 0.16, "E1": 0.04, "T1": 0.04, "K1": 0.08, "Y1": 0.05,
               "U2": 0.02, "D2": 0.01, "B2": 0.01, "X2": 0.015, "S2": 0.01, "W2": 0.005}
STAYING_PUT_18 = 0.62
STAYING_PUT_19_20 = 0.32

# --------------------------------------------------------------------------------------------
# Previous permanence of children starting a period of care (CLA24 starters): none 78%,
# unknown 20%, SGO 1%, adoption 0.5%, residence or child arrangements order 0.3%.
# --------------------------------------------------------------------------------------------
PREV_PERM = {"Z1": 0.78, "P4": 0.20, "P2": 0.011, "P1": 0.005, "P3": 0.004}

# Mothers (CLA24: 200 of 18,590 girls aged 12+ looked after at 31 March were mothers).
MOTHER_PROB_GIRL_14_PLUS = 0.012

# --------------------------------------------------------------------------------------------
# Children in need (CIN25): referrals 632,830 in 2024-25 against 81,770 looked after (7.7 per
# child looked after); re-referrals within 12 months 22.6%.  Conversion rates are assumed from the
# CIN census commentary (about 1 in 3 referrals leads to a section 47 enquiry, about 1 in 10 to a
# child protection plan).
# --------------------------------------------------------------------------------------------
CIN_REFERRALS_PER_CLA = 7.7
CIN_REREFERRAL_12M = 0.226
CIN_NFA_AT_REFERRAL = 0.07
CIN_ASSESSMENT_NOT_IN_NEED = 0.30
CIN_S47_SHARE = 0.30
CIN_ICPC_OF_S47 = 0.40
CIN_CPP_OF_ICPC = 0.82
CIN_PLAN_SHARE = 0.45
CIN_REFERRAL_SOURCE = {"6": 0.29, "2A": 0.19, "3A": 0.06, "3B": 0.03, "3C": 0.04, "3D": 0.02, "3E": 0.02,
                       "5A": 0.06, "5B": 0.03, "5C": 0.02, "1A": 0.03, "1B": 0.03, "1C": 0.02, "4": 0.02,
                       "7": 0.03, "8": 0.05, "9": 0.02, "10": 0.04}
CIN_DISABILITY_SHARE = 0.09
CIN_DISABILITIES = ("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA")
CIN_FACTORS = ("1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C",
               "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A",
               "15A", "16A", "17A", "18A", "19A", "20", "21", "22A", "23A")
CIN_ABUSE = {"NEG": 0.50, "EMO": 0.36, "PHY": 0.07, "SAB": 0.04, "MUL": 0.03}

# --------------------------------------------------------------------------------------------
# Unit costs per placement type, pounds per week.  ILLUSTRATIVE ONLY: round figures of the order
# seen in published council budget papers, not any authority's real costs.
# --------------------------------------------------------------------------------------------
UNIT_COSTS = {
    "U1": 350, "U2": 350, "U3": 350, "U4": 550, "U5": 550, "U6": 550,
    "IFA": 950, "K2": 6500, "K1": 9500, "K3": 2200, "H5": 2000, "P2": 900, "R1": 5000, "R2": 6000,
    "R3": 4500, "R5": 0, "S1": 5500, "P1": 150, "P3": 500, "A3": 300, "A4": 300, "A5": 300, "A6": 300,
    "Z1": 4000, "Z11": 4000, "Z12": 4000, "Z13": 4000, "Z14": 4000, "T0": 550, "T1": 0, "T2": 550, "T3": 550,
    "T4": 550,
}
