-- An undo that takes back all a first coder gave while nobody else coded the response
-- removes that coding (store/codings.py ``UNCODED_SQL``): the response is uncoded again,
-- not in the others' Second coding. The moderators may delete that row.
GRANT DELETE ON codings TO reactieveld_moderator;
