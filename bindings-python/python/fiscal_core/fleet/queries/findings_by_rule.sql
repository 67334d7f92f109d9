-- Findings by rule and code, and in how many journals.
-- The verifier's findings and the fleet's own (unreadable_journal, journal_not_processed,
-- which have no rule).
SELECT
    rule,
    code,
    count(DISTINCT journal) AS journals,
    count(*) AS findings
FROM findings
GROUP BY rule, code
ORDER BY findings DESC, rule NULLS LAST, code;
