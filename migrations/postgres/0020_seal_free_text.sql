-- Issue 10, item 9: free text and identifying fields about a person are
-- now stored in the read models sealed under that person's key, and read
-- back through the cipher:
--   * registry_service_orders: the order's description, item
--     descriptions and status-history notes (the customer's key);
--   * booking_appointments.note (the customer's key);
--   * staff_members.email and name (the key of the membership's own data
--     subject, subject_id, shredded when the member is removed).
-- Drop the text written in clear before this change, so it leaves the
-- database with this migration; `torque migrate` rebuilds the registry,
-- booking and tenancy read models from the event store right after
-- applying this file (cmd/torque rebuildAfterMigration), which writes the
-- text sealed.
UPDATE registry_service_orders SET
    description = '',
    items = coalesce((SELECT jsonb_agg(x - 'description' || '{"description": ""}'::jsonb ORDER BY n)
                        FROM jsonb_array_elements(items) WITH ORDINALITY AS e(x, n)), '[]'::jsonb),
    status_history = coalesce((SELECT jsonb_agg(x - 'note' || '{"note": ""}'::jsonb ORDER BY n)
                        FROM jsonb_array_elements(status_history) WITH ORDINALITY AS e(x, n)), '[]'::jsonb);

UPDATE booking_appointments SET note = '';

ALTER TABLE staff_members ADD COLUMN IF NOT EXISTS subject_id uuid;
UPDATE staff_members SET email = '', name = '';

-- Messages enqueued on a status change carried its note in clear in their
-- template variables; new ones carry it sealed (messaging triggers). Those
-- already queued or sent lose the note.
UPDATE messages SET vars = jsonb_set(vars, '{note}', '""') WHERE coalesce(vars->>'note', '') <> '';
