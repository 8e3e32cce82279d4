-- Search finds styled letters as the moderation rules do: the vectors now take the texts
-- with their compatibility forms as plain letters (normalize(..., NFKC): "𝐇𝐀𝐓𝐄",
-- "ｈａｔｅ", "ᴴᴬᵀᴱ", "ﬁ"; store/pg/ingest.py search_vector), so every row's vector is
-- made again, as ingest makes it: body (A), author (B), its thread's title (C).
UPDATE responses r SET search =
    setweight(to_tsvector('reactieveld', normalize(r.body_text, NFKC)), 'A')
    || setweight(to_tsvector('reactieveld', normalize(r.author_name, NFKC)), 'B')
    || setweight(to_tsvector('reactieveld', normalize(coalesce((SELECT th.title FROM threads th
        WHERE th.source_id = r.source_id AND th.external_id = r.thread_external_id), ''),
        NFKC)), 'C');
