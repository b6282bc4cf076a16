-- Shared definitions for the model and the measures: one place for each banding and grouping.

-- Whole years of age on a date.
CREATE OR REPLACE TEMP MACRO age_at(dob, d) AS
    (year(d) - year(dob))
    - CASE WHEN month(d) < month(dob) OR (month(d) = month(dob) AND day(d) < day(dob)) THEN 1 ELSE 0 END;

-- DfE age bands (children looked after and starters tables).
CREATE OR REPLACE TEMP MACRO age_band(a) AS
    CASE WHEN a IS NULL THEN 'Unknown'
         WHEN a < 1 THEN 'Under 1' WHEN a < 5 THEN '1 to 4' WHEN a < 10 THEN '5 to 9'
         WHEN a < 16 THEN '10 to 15' ELSE '16 and over' END;

-- DfE ethnicity groups from the 903 ETHNIC codes.
CREATE OR REPLACE TEMP MACRO ethnic_group(e) AS
    CASE WHEN e IN ('WBRI', 'WIRI', 'WOTH', 'WIRT', 'WROM') THEN 'White'
         WHEN e IN ('MWBC', 'MWBA', 'MWAS', 'MOTH') THEN 'Mixed or Multiple ethnic groups'
         WHEN e IN ('AIND', 'APKN', 'ABAN', 'AOTH', 'CHNE') THEN 'Asian or Asian British'
         WHEN e IN ('BCRB', 'BAFR', 'BOTH') THEN 'Black, African, Caribbean or Black British'
         WHEN e = 'OOTH' THEN 'Other ethnic group'
         ELSE 'Refused or not yet obtained' END;

-- DfE legal status groups.
CREATE OR REPLACE TEMP MACRO legal_status_group(ls) AS
    CASE WHEN ls IN ('C1', 'C2') THEN 'Care order'
         WHEN ls IN ('D1', 'E1') THEN 'Placement order'
         WHEN ls = 'V2' THEN 'Voluntary agreement (section 20)'
         WHEN ls IN ('J1', 'J2', 'J3') THEN 'Youth justice legal status'
         WHEN ls IN ('L1', 'L2', 'L3') THEN 'Detained for child protection'
         WHEN ls IN ('V3', 'V4') THEN 'Short breaks'
         ELSE 'Unknown' END;

-- careboard's placement categories (used by the scorecard mix and by sufficiency planning).
-- Fostering with a relative or friend is kinship; other fostering is in-house when the provider
-- is the authority or another public body (PR1-PR3) and agency when private or voluntary (PR4-PR5).
CREATE OR REPLACE TEMP MACRO placement_category(place, provider) AS
    CASE WHEN place IN ('U1', 'U2', 'U3') THEN 'Kinship fostering'
         WHEN place IN ('U4', 'U5', 'U6') AND provider IN ('PR4', 'PR5') THEN 'Agency fostering'
         WHEN place IN ('U4', 'U5', 'U6') THEN 'In-house fostering'
         WHEN place IN ('K1', 'K2', 'R1') THEN 'Children''s homes'
         WHEN place IN ('K3', 'H5', 'P2') THEN 'Supported accommodation'
         WHEN place = 'P1' THEN 'With parents'
         WHEN place IN ('A3', 'A4', 'A5', 'A6') THEN 'Placed for adoption'
         WHEN place IS NULL THEN 'Unknown'
         ELSE 'Other' END;

-- 'ME14 1XX' -> 'ME14 1' (the postcode sector); NULL when not shaped like a full UK postcode.
CREATE OR REPLACE TEMP MACRO postcode_sector(p) AS
    CASE WHEN regexp_full_match(replace(upper(p), ' ', ''), '[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}')
         THEN regexp_replace(replace(upper(p), ' ', ''), '^(.*)([0-9])[A-Z]{2}$', '\1 \2') END;

-- 'me14 1xx' -> 'ME141XX' (how the postcode directory is keyed); NULL when not shaped like a full UK postcode.
CREATE OR REPLACE TEMP MACRO postcode_key(p) AS
    CASE WHEN regexp_full_match(replace(upper(trim(p)), ' ', ''), '[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}')
         THEN replace(upper(trim(p)), ' ', '') END;

-- The date n working days (England: no weekends or bank holidays) after d.
CREATE OR REPLACE TEMP MACRO add_working_days(d, n) AS (
    SELECT min(w.day) FROM ref_working_day w
    WHERE w.is_working_day
      AND w.working_day_no = (SELECT s.working_day_no FROM ref_working_day s WHERE s.day = d) + n
);

-- Periods of care and placements: one definition each for the model (model/histories.sql) and the
-- DfE rules (validate/rules/).  A reader that deliberately reads either differently (a DfE rule
-- written to match the community validator, the model repairing contradictory data) says so where
-- it does.  A child's episodes are taken in order: by start date, then end date (an open episode
-- last), then place in the files (validate/rules/_shared.py EPISODE_ORDER; the model puts the return
-- year before the place in the files, since its episodes come from several returns).

-- An episode carries on the period of care of the episode before it when that one ended X1 ("episode
-- ceases and new episode begins on the same day, for any reason, within the same period of care") on
-- the day this one starts.  Anything else (another reason, a gap, an overlap, no previous episode)
-- starts a new period.
CREATE OR REPLACE TEMP MACRO continues_period_of_care(prev_rec, prev_dec, decom) AS
    coalesce(prev_rec = 'X1' AND prev_dec = decom, false);

-- An episode within a period moves the child to another carer: RNE P (change of placement and
-- carer(s) only) or B (change of legal status and of placement and carer(s) at the same time).
-- L (legal status only), T and U (change of placement with the same carer(s)) keep the child where
-- they are, so a foster child adopted by their foster carers has not moved.  This is careboard's
-- placement, for the model and every stability measure.
CREATE OR REPLACE TEMP MACRO changes_carer(rne) AS
    coalesce(rne IN ('P', 'B'), false);

-- A temporary placement (T0-T4): a short stay away from the normal placement, to which the child
-- returns (DfE rules 383, 380/381, 226); never a change of placement of its own.
CREATE OR REPLACE TEMP MACRO temporary_placement(place) AS
    coalesce(place IN ('T0', 'T1', 'T2', 'T3', 'T4'), false);
