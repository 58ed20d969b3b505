-- Issue 10, item 10: name blind indexes no longer hold every 2-10 letter
-- prefix of every word (128-bit HMACs) but one 12-bit bucket per word.
-- Drop the old name rows now, so the name tree they leak leaves the
-- database with this migration; they would no longer match any query
-- anyway. `torque migrate` refills the index from the event store right
-- after applying this file (cmd/torque rebuildAfterMigration); document,
-- e-mail, phone and plate rows are unchanged.
DELETE FROM customer_search
 WHERE kind IN ('name_word', 'name_prefix') AND length(term_hash) <> 3;
