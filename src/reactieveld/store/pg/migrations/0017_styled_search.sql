-- Search finds styled letters as the moderation rules do: the vectors now take the texts
-- with their compatibility forms as plain letters (normalize(..., NFKC): "𝐇𝐀𝐓𝐄",
-- "ｈａｔｅ", "ᴴᴬᵀᴱ", "ﬁ"; store/pg/ingest.py search_vector), so a row's vector is made
-- again, as ingest makes it: body (A), author (B), its thread's title (C).
-- A final sigma is taken as sigma, as SQLite's tokenizer reads it ("οδος" finds "ΟΔΟΣ").
-- Only the rows whose vector changes: a text NFKC changes is not ASCII (fewer bytes than
-- characters, as ingest tests it) and not already NFKC (plain accented letters, "é", are)
-- or has a final sigma, in the body, the author's name or the thread's title. Every other
-- vector is ingest's already; rewriting them all would write every tuple and the GIN
-- index again (the table twice its size until a vacuum) for nothing.
UPDATE responses r SET search =
    setweight(to_tsvector('reactieveld',
        translate(normalize(r.body_text, NFKC), 'ς', 'σ')), 'A')
    || setweight(to_tsvector('reactieveld',
        translate(normalize(r.author_name, NFKC), 'ς', 'σ')), 'B')
    || setweight(to_tsvector('reactieveld', translate(normalize(coalesce((SELECT th.title
        FROM threads th WHERE th.source_id = r.source_id
        AND th.external_id = r.thread_external_id), ''), NFKC), 'ς', 'σ')), 'C')
WHERE (octet_length(r.body_text) <> char_length(r.body_text)
        AND (r.body_text IS NOT NFKC NORMALIZED OR strpos(r.body_text, 'ς') > 0))
    OR (octet_length(r.author_name) <> char_length(r.author_name)
        AND (r.author_name IS NOT NFKC NORMALIZED OR strpos(r.author_name, 'ς') > 0))
    OR (r.source_id, r.thread_external_id) IN (SELECT th.source_id, th.external_id
        FROM threads th WHERE octet_length(th.title) <> char_length(th.title)
        AND (th.title IS NOT NFKC NORMALIZED OR strpos(th.title, 'ς') > 0));
