-- Every statement the Panel's business runs on the SQLite file, by name (panel/store.py loads them).
-- Tables: store/webdb_schema/002_panel.sql.  Parameters are named (:name).

-- name: revision
SELECT value FROM meta WHERE key = 'panel_revision';

-- name: bump_revision
UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'panel_revision';

-- name: meetings
SELECT * FROM meetings ORDER BY held_on DESC, meeting_id DESC;

-- name: meeting
SELECT * FROM meetings WHERE meeting_id = :meeting_id;

-- name: insert_meeting
INSERT INTO meetings (held_on, title, created_by, created_at) VALUES (:held_on, :title, :by, :now);

-- name: agenda
SELECT * FROM agenda_items WHERE meeting_id = :meeting_id ORDER BY position, item_id;

-- name: insert_agenda_item
INSERT INTO agenda_items (meeting_id, position, title, link, measure_id, year, created_by, created_at)
SELECT :meeting_id, coalesce(max(position), 0) + 1, :title, :link, :measure_id, :year, :by, :now
FROM agenda_items WHERE meeting_id = :meeting_id;

-- name: questions
SELECT * FROM questions ORDER BY asked_at DESC, question_id DESC;

-- name: insert_question
INSERT INTO questions (asked_by, asked_on, asked_at, question, measure_id, year, area, figure_shown, due_on, updated_at)
VALUES (:by, :asked_on, :now, :question, :measure_id, :year, :area, :figure_shown, :due_on, :now);

-- name: question_due
SELECT due_on FROM questions WHERE question_id = :question_id;

-- An officer assigned, a new due date, and (when given) the answer, by whom and when.
-- name: answer_question
UPDATE questions SET officer = coalesce(:officer, officer), due_on = :due_on, answer = coalesce(:answer, answer),
    answered_by = CASE WHEN :answer IS NOT NULL THEN :by ELSE answered_by END,
    answered_on = CASE WHEN :answer IS NOT NULL THEN :today ELSE answered_on END,
    updated_at = :now
WHERE question_id = :question_id;

-- name: actions
SELECT a.*, m.held_on AS meeting_on, r.recommendation, r.plan_id, r.position AS recommendation_no
FROM actions a LEFT JOIN meetings m USING (meeting_id) LEFT JOIN recommendations r USING (recommendation_id)
ORDER BY a.due_on, a.action_id;

-- name: action_exists
SELECT 1 FROM actions WHERE action_id = :action_id;

-- name: recommendation_exists
SELECT 1 FROM recommendations WHERE recommendation_id = :recommendation_id;

-- name: insert_action
INSERT INTO actions (meeting_id, recommendation_id, action, owner, due_on, status, rag, evidence_measure,
                     created_by, created_at, updated_at)
VALUES (:meeting_id, :recommendation_id, :action, :owner, :due_on, 'not_started', :rag, :evidence_measure,
        :by, :now, :now);

-- name: action_updates
SELECT * FROM action_updates WHERE action_id = :action_id ORDER BY update_id DESC;

-- name: insert_action_update
INSERT INTO action_updates (action_id, written_by, written_at, note, status, rag)
VALUES (:action_id, :by, :now, :note, :status, :rag);

-- The action takes the status and RAG of its latest update; completed_on is the day it first became complete.
-- name: set_action_status
UPDATE actions SET status = :status, rag = coalesce(:rag, rag), updated_at = :now,
    completed_on = CASE WHEN :status = 'complete' THEN coalesce(completed_on, :today) END
WHERE action_id = :action_id;

-- name: scores
SELECT s.*, m.held_on FROM scores s JOIN meetings m USING (meeting_id) ORDER BY m.held_on, s.theme, s.username;

-- name: member_scores
SELECT * FROM scores WHERE meeting_id = :meeting_id AND username = :by;

-- name: delete_score
DELETE FROM scores WHERE meeting_id = :meeting_id AND username = :by AND theme = :theme;

-- name: upsert_score
INSERT INTO scores (meeting_id, username, theme, score, comment, updated_at)
VALUES (:meeting_id, :by, :theme, :score, :comment, :now)
ON CONFLICT (meeting_id, username, theme)
DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at;

-- name: cards
SELECT * FROM challenge_cards ORDER BY raised_on DESC, card_id DESC;

-- name: card_exists
SELECT 1 FROM challenge_cards WHERE card_id = :card_id;

-- name: insert_card
INSERT INTO challenge_cards (raised_on, theme, issue, recorded_by, recorded_at, officer, due_on, updated_at)
VALUES (:raised_on, :theme, :issue, :by, :now, :officer, :due_on, :now);

-- name: respond_card
UPDATE challenge_cards SET response = :response, we_did = :we_did, responded_by = :by, responded_on = :today,
    updated_at = :now
WHERE card_id = :card_id;

-- name: plans
SELECT * FROM plans ORDER BY inspected_on DESC, plan_id DESC;

-- name: plan
SELECT * FROM plans WHERE plan_id = :plan_id;

-- name: insert_plan
INSERT INTO plans (title, inspected_on, created_by, created_at) VALUES (:title, :inspected_on, :by, :now);

-- name: recommendations
SELECT * FROM recommendations WHERE plan_id = :plan_id ORDER BY position, recommendation_id;

-- name: insert_recommendation
INSERT INTO recommendations (plan_id, position, recommendation, created_by, created_at)
SELECT :plan_id, coalesce(max(position), 0) + 1, :recommendation, :by, :now
FROM recommendations WHERE plan_id = :plan_id;
