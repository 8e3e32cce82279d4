-- A tag's response_created is looked up only when its writer left it out (another
-- tool): every writer of ours gives it, and the row trigger's PL/pgSQL call ran for every
-- tag of every page a sync stored (the connector's role tags: about 1 ms a page).
DROP TRIGGER tags_response_created ON tags;
CREATE TRIGGER tags_response_created BEFORE INSERT ON tags
    FOR EACH ROW WHEN (NEW.response_created IS NULL)
    EXECUTE FUNCTION reactieveld_tag_created();
