-- Who changed a response after a moderator saw it (issue 13): the version each journal
-- entry made, and the version the platform's last change (a sync saw its text or status
-- change) made. A change after the version a moderator saw is then told exactly: an
-- entry with a higher version is a moderator's, a higher ``site_version`` the platform's;
-- neither (NULL for what was stored before) is said in general words.
ALTER TABLE actions ADD COLUMN version INTEGER;
ALTER TABLE responses ADD COLUMN site_version INTEGER;
