-- Issue 10 item 4: a workshop may require a second factor (TOTP, AAL2) of
-- every staff member. The flag lives on the workshops read model (filled by
-- the tenancy projection from workshop.mfa_requirement_changed.v1), which the
-- API's and back office's workshop scoping already reads on every request.
-- The table's row-level security (0007) covers the new column.
ALTER TABLE workshops ADD COLUMN mfa_required boolean NOT NULL DEFAULT false;
