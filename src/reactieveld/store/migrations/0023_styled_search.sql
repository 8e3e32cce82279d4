-- Search finds styled letters as the moderation rules do: the index now holds the texts
-- with their compatibility forms as plain letters (NFKC: "𝐇𝐀𝐓𝐄", "ｈａｔｅ", "ᴴᴬᵀᴱ", "ﬁ";
-- store/fts.py searchable), so every row is indexed again. The index is contentless: its
-- old rows go all at once (they were written as the texts were, which a delete would
-- have to repeat), then every response as ingest and copy write it. reactieveld_searchable
-- is the store's own function (schema.register_functions), called here once and by no
-- trigger: the file needs nothing of ours to be read or written.
-- Meanwhile FTS5 keeps 64 MiB of new words in memory before it writes a segment (1 MiB
-- is its default, and ingest's): ~25 % less CPU for the rebuild of a big memory (200k
-- responses: 2.0 s, now 1.5 s; ~45 MB more memory while it runs); set back after.
INSERT INTO responses_fts (responses_fts) VALUES ('delete-all');
INSERT INTO responses_fts (responses_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO responses_fts (rowid, body, author, title)
SELECT r.id, reactieveld_searchable(r.body_text), reactieveld_searchable(r.author_name),
    reactieveld_searchable(coalesce(t.title, '')) FROM responses r
LEFT JOIN threads t ON t.source_id = r.source_id AND t.external_id = r.thread_external_id;
INSERT INTO responses_fts (responses_fts, rank) VALUES ('hashsize', 1048576);
