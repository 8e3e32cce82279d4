-- Versions (issue 13), as SQLite's migration 0009: an action given the versions the
-- moderator saw is refused when a row changed since (store/pg/claims.py checks them).
-- Only ever compared for equality: two bumps for one change are harmless.

-- Every moderator change is journalled with its response (decide, handle, tag, untag,
-- role, note, reply, undo, written history): one bump here covers every kind, in the
-- action's own transaction, instead of a bump in every action.
CREATE FUNCTION reactieveld_version_journal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE responses SET version = version + 1 WHERE id = NEW.response_id;
    RETURN NULL;
END $$;
CREATE TRIGGER actions_version AFTER INSERT ON actions
    FOR EACH ROW WHEN (NEW.response_id IS NOT NULL)
    EXECUTE FUNCTION reactieveld_version_journal();

-- A sync that changes what the moderator would act on (the remote status, the text) is a
-- change too; a re-fetch of the same content is not.
CREATE FUNCTION reactieveld_version_remote() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END $$;
CREATE TRIGGER responses_version BEFORE UPDATE OF remote_status, body_text ON responses
    FOR EACH ROW WHEN (OLD.remote_status IS DISTINCT FROM NEW.remote_status
        OR OLD.body_text IS DISTINCT FROM NEW.body_text)
    EXECUTE FUNCTION reactieveld_version_remote();
