-- Issue 10, item 9: the service orders' free text (description, item
-- descriptions, status-history notes) is now stored in the read model
-- sealed under the customer's key, and read back through the cipher.
-- Drop the text written in clear before this change, so it leaves the
-- database with this migration; `torque migrate` rebuilds the registry
-- read models from the event store right after applying this file
-- (cmd/torque rebuildAfterMigration), which writes the text sealed.
UPDATE registry_service_orders SET
    description = '',
    items = coalesce((SELECT jsonb_agg(x - 'description' || '{"description": ""}'::jsonb ORDER BY n)
                        FROM jsonb_array_elements(items) WITH ORDINALITY AS e(x, n)), '[]'::jsonb),
    status_history = coalesce((SELECT jsonb_agg(x - 'note' || '{"note": ""}'::jsonb ORDER BY n)
                        FROM jsonb_array_elements(status_history) WITH ORDINALITY AS e(x, n)), '[]'::jsonb);
