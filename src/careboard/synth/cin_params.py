"""Calibration of the synthetic CIN census, each figure with the published one it targets.

Sources (Open Government Licence v3.0; copies in ``shared/reference``):

* B1   DfE *Characteristics of children in need* 2025, ``b1_children_in_need`` (England 2025: episodes
       of need starting 396,870, open at 31 March 402,400, children awaiting assessment 16,290).
* C1   the same release, ``c1_children_in_need_referrals_and_rereferrals`` (England 2025: referrals
       632,830; within 12 months of a previous referral 22.6%; no further action 6.5%; assessed not in
       need 30.8%; 557,810 children referred).
* C2   the same release, completed assessments by duration in working days (England 2025: same day
       1.8%, 1-10 11.7%, 11-20 17.3%, 21-30 15.8%, 31-40 20.2%, 41-45 18.9%, 46-50 5.8%, 51-60 4.3%,
       61+ 4.2%; 85.7% within 45), as published on explore-education-statistics.
* LAIT DfE Local Authority Interactive Tool, England 2025: section 47 enquiries 189.3 per 10,000
       children; initial conferences 59.2 per 10,000, by working days from the strategy discussion
       0-10: 6,240, 11-15: 52,430, 16-20: 6,430, 21+: 6,990 (81.4% within 15); plans starting
       61,840; plans at 31 March 49,420, of which 33,960 three months or more; plans ceasing after
       two years or more 4.4%; second or subsequent plans 24.5%; plans reviewed on time 90.6%;
       referrals by source: police 28.3%, schools 20.6%, health services 15.2%.
* CLA25 children looked after at 31 March 2025: 81,770.  The synthetic authority is sized by its
       children looked after, so flows are per child looked after.

Where no published figure exists the value is a judgement and says so ("assumed").  The rates of
outcomes are per referral; the simulation reproduces them (``report.CIN_TARGETS`` compares).
"""

from __future__ import annotations

# Referrals a year per child looked after at 31 March (C1 632,830 / CLA25 81,770).
REFERRALS_PER_CLA = 7.74
# Chains are cut by the 18th birthday and the end of the span, so more children are drawn than the
# plain count suggests (tuned until the generated referrals matched).
REFERRAL_VOLUME = 1.35

# What a referral leads to (C1): no further action, assessed and not in need; the rest are in need.
# The shares are a little above England's because children looked after bring referrals of their
# own and a case still open on 31 March is not yet 'not in need' (tuned).
NFA_SHARE = 0.072
NOT_IN_NEED_SHARE = 0.345
# Of referrals assessed not in need, closed as referred to early help (RC9) rather than RC8 (assumed).
EARLY_HELP_SHARE = 0.25

# Section 47 enquiries per referral (LAIT 189.3 / 519.4 per 10,000 = 0.364), all from referrals
# found in need (an RC8/RC9 case cannot hold a section 47: DfE rule 2990), so per in-need referral:
S47_OF_IN_NEED = 0.364 / (1 - NFA_SHARE - NOT_IN_NEED_SHARE)
# Initial conferences per section 47 (LAIT 59.2 / 189.3) and plans per conference (61,840 / 72,090).
ICPC_OF_S47 = 0.313
CPP_OF_ICPC = 0.858
# In-need referrals without a plan who get a CIN plan (assumed; the DfE publishes CIN plans at 31
# March only from 2022 and not in the files kept here).
CIN_PLAN_SHARE = 0.55
# Plans that step down to a CIN plan when the child protection plan ends (assumed).
STEP_DOWN_SHARE = 0.5

# Re-referrals (C1: 22.6% of referrals within 12 months of the child's previous referral;
# 632,830 referrals of 557,810 children, 1.13 a child a year).  A child's referrals follow one
# another (a new referral only after the last case closed); the gap after a closure is drawn from
# a mixture: soon (median 45 days) or later (median 700 days).  Tuned until the generated
# re-referral rate matched.
EXTRA_REFERRALS_MEAN = 0.9  # referrals after the first, Poisson mean per child over the window
SOON_SHARE = 0.62
GAP_SOON = (45, 0.8)  # median days, lognormal sigma
GAP_LATER = (700, 0.6)

# How long a case found in need stays open, days (B1: 402,400 open at 31 March against 396,870
# starting a year, so about a year on average including children looked after; cases without a
# plan close sooner).  Lognormal (median days, sigma); tuned.
DURATION_CIN_PLAN = (230, 0.7)
DURATION_NO_PLAN = (120, 0.8)
DURATION_AFTER_STEP_DOWN = (150, 0.6)
# Days from authorisation to closure of a case assessed not in need.
CLOSE_AFTER_NOT_IN_NEED = (0, 5)

# Child protection plan length, days: lognormal chosen so that about 4.4% of plans ending last two
# years or more and about 70% of plans open at 31 March have lasted 3 months or more (LAIT).
CPP_DURATION = (235, 0.67)
# Of plans that reach two years, the share ended at the review around the anniversary (assumed;
# keeps plans open two years or more on 31 March near 2.3% while 4.4% of plans ending are that old).
ENDS_AT_TWO_YEARS = 0.6
# First review within 3 months of the plan starting, then at most 6 months apart; 90.6% of plans
# are reviewed on time (LAIT RevCP): the rest have one review late (by 5 to 40 days).
REVIEW_LATE_SHARE = 0.094
# Plans that are second or subsequent (LAIT 24.5%): a child's earlier plans in the simulation
# count, and a child with none is given plans before the window with this chance (tuned).
PREVIOUS_PLAN_BEFORE_WINDOW = 0.19

# Working days from the start of a section 47 (the strategy discussion) to the initial conference,
# by band (LAIT 2025): 0-10, 11-15, 16-20, 21-40.
ICPC_WORKING_DAYS = {(1, 10): 6240, (11, 15): 52430, (16, 20): 6430, (21, 40): 6990}
# Working days from the start to the authorisation of an assessment, by band (C2 2025).
ASSESSMENT_WORKING_DAYS = {(0, 0): 11680, (1, 10): 75590, (11, 20): 112180, (21, 30): 102260,
                           (31, 40): 131380, (41, 45): 122730, (46, 50): 37640, (51, 60): 27860,
                           (61, 90): 27500}
# Long cases are assessed again (C2: 648,830 assessments completed for 591,490 referrals that were
# not NFA): the share of in-need cases open over 200 days that have a second assessment (tuned).
SECOND_ASSESSMENT_SHARE = 0.35

# Source of referral (C1 and LAIT shares; the split within health, LA services and individuals is
# assumed).  Early help (5D) is a code from 2022-23: before that its share goes to 5B.
REFERRAL_SOURCE = {
    "6": 0.283, "2A": 0.206, "2B": 0.012,
    "3A": 0.035, "3B": 0.030, "3C": 0.010, "3D": 0.030, "3E": 0.030, "3F": 0.017,
    "5A": 0.035, "5B": 0.040, "5C": 0.020, "5D": 0.030,
    "1A": 0.040, "1B": 0.010, "1C": 0.015, "1D": 0.005,
    "4": 0.012, "7": 0.030, "8": 0.040, "9": 0.010, "10": 0.010,
}

# Primary need of referrals found in need (DfE 2025 children in need at 31 March by primary need,
# approximate shares).
PRIMARY_NEED = {"N1": 0.57, "N2": 0.095, "N3": 0.035, "N4": 0.08, "N5": 0.15, "N6": 0.03, "N7": 0.002,
                "N8": 0.018, "N9": 0.02}

# Initial category of abuse of plans starting (DfE 2025: neglect about half, emotional about 38%).
ABUSE_CATEGORY = {"NEG": 0.49, "EMO": 0.38, "PHY": 0.07, "SAB": 0.04, "MUL": 0.02}
# Plans whose latest category differs from the initial one by the time they end (assumed).
CATEGORY_CHANGE_SHARE = 0.08

# Factors identified at assessment (assumed mix weighted to the DfE's most common: domestic abuse,
# mental health of the parent, emotional abuse, neglect, drug and alcohol misuse of the parent).
FACTORS = {
    "3B": 0.16, "4B": 0.14, "17A": 0.10, "16A": 0.09, "2B": 0.06, "1B": 0.05, "4A": 0.06, "3A": 0.05,
    "5A": 0.02, "6A": 0.02, "6B": 0.02, "7A": 0.01, "10A": 0.02, "11A": 0.02, "13A": 0.01, "14A": 0.03,
    "15A": 0.02, "18B": 0.02, "18C": 0.03, "19B": 0.005, "19C": 0.015, "24A": 0.01, "20": 0.02,
}
# Completed assessments with 'no factors identified' (code 21), among those assessed not in need.
NO_FACTORS_SHARE = 0.35

# Children (not looked after) referred: age when first referred (DfE 2025 children in need by age,
# approximate): unborn (pre-birth), under 1, 1-4, 5-9, 10-15, 16-17.
AGE_AT_FIRST_REFERRAL = {(-0.6, 0.0): 0.03, (0.0, 1.0): 0.07, (1.0, 5.0): 0.17, (5.0, 10.0): 0.24,
                         (10.0, 16.0): 0.36, (16.0, 17.9): 0.13}
MALE_SHARE = 0.52
# Children in need with a disability (DfE 2025: about 13% of children in need at 31 March), and
# how many disability codes each has (assumed).
DISABLED_SHARE = 0.13
DISABILITY_CODES = ("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA")
DISABILITY_WEIGHTS = (0.06, 0.03, 0.05, 0.04, 0.15, 0.20, 0.03, 0.03, 0.15, 0.02, 0.22, 0.02)
EXTRA_DISABILITIES = (0.6, 0.3, 0.1)  # one, two, three codes
# Children who die while the case is open (assumed: a few in a thousand cases).
DEATH_SHARE = 0.001
