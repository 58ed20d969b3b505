-- Franchise settings (issue 14): whether the owners of member shops may see
-- the franchise comparison (API.md: "franchise managers and owners of
-- member shops"). Filled by the franchise projection from
-- franchise.settings_changed.v1; the table's row-level security (0007:
-- readable by all, written only in the franchise's own tenant) covers the
-- new column.
ALTER TABLE franchises ADD COLUMN share_comparison_with_members boolean NOT NULL DEFAULT false;
