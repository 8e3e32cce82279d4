-- Several moderators on one memory (issue 13): a version per response, so an action taken
-- on what a moderator saw is refused when the row changed since, and a claim (a lease)
-- per response, so others see who has it open.

-- Only compared for equality (``seen`` of the actions): two bumps for one change, as a
-- moderation that also changes the remote status gets, are harmless.
ALTER TABLE responses ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every moderator change is journalled with its response (decide, handle, tag, untag,
-- role, note, reply, undo, written history): bumping here covers each kind, today's and
-- tomorrow's, in the action's own transaction, instead of a bump in every action.
CREATE TRIGGER responses_version_journal AFTER INSERT ON actions
WHEN NEW.response_id IS NOT NULL
BEGIN
    UPDATE responses SET version = version + 1 WHERE id = NEW.response_id;
END;

-- A sync that changes what the moderator would act on (the remote status, the text) is a
-- change too; a re-fetch of the same content is not. (Setting only ``version`` fires no
-- trigger of migration 0006: those watch triage, remote_status and source_id.)
CREATE TRIGGER responses_version_remote AFTER UPDATE OF remote_status, body_text ON responses
WHEN OLD.remote_status IS NOT NEW.remote_status OR OLD.body_text IS NOT NEW.body_text
BEGIN
    UPDATE responses SET version = version + 1 WHERE id = NEW.id;
END;

-- One claim per response; ``until`` in Unix seconds. An expired claim counts as absent
-- everywhere (the readers compare ``until`` with the clock) and is overwritten by the
-- next claim; nothing hides a row, so a claim that is never released costs nothing.
CREATE TABLE claims (
    response_id INTEGER PRIMARY KEY REFERENCES responses(id),
    actor       TEXT NOT NULL,
    claimed_at  INTEGER NOT NULL,
    until       INTEGER NOT NULL
);
CREATE INDEX claims_actor ON claims (actor);
