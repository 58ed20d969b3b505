-- Analytics facts hold pseudonymous ids only; see docs/privacy.md.
CREATE TABLE IF NOT EXISTS schema_probe (id UInt8) ENGINE = Memory;
