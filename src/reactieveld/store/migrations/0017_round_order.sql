-- The order of a source's sync rounds, so that an older round's end never replaces a
-- newer one's (two windows, a sync service: a round that started while the site was
-- down can end after a later round's success). ``rounds``: how many rounds began, each
-- taking the next number at its start; ``recorded_round``: the number of the round
-- whose end the bookkeeping columns hold (NULL: none numbered yet).
ALTER TABLE sources ADD COLUMN rounds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN recorded_round INTEGER;
