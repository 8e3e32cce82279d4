-- Responses without an author key (organisation accounts, anonymous posters) are found
-- by their author name within their source. That was a scan of every response (0.45 s
-- and the whole file through the page cache at 1M responses, for each response shown).
-- Now every response is in the author index under a name token as well as under its
-- key's token (reactieveld_author_tokens, a function the store registers).
INSERT INTO responses_by_author (responses_by_author) VALUES ('delete-all');
INSERT INTO responses_by_author (rowid, author_key)
    SELECT id, reactieveld_author_tokens(author_key, source_id, author_name) FROM responses;
