-- Z-reports that differ from the documents of their shift.
-- Each kind's count and Σ `sum` on the Z-report, and the same counted from the shift's
-- exported documents; only the rows that differ (a document removed, altered or added after
-- the Z-report was printed).
WITH z AS (
    SELECT device, shift, kind, count, "sum"
    FROM zreports
    WHERE kind IS NOT NULL
),
closed AS (
    SELECT DISTINCT device, shift FROM zreports
),
counted AS (
    SELECT d.device, d.shift, d.kind, count(*) AS count, sum(d."sum") AS "sum"
    FROM documents AS d
    SEMI JOIN closed AS c ON c.device = d.device AND c.shift = d.shift
    WHERE d.kind NOT IN ('activation', 'open_shift', 'zreport', 'decommission')
    GROUP BY d.device, d.shift, d.kind
)
SELECT
    coalesce(z.device, d.device) AS device,
    coalesce(z.shift, d.shift) AS shift,
    coalesce(z.kind, d.kind) AS kind,
    z.count AS z_count,
    d.count AS documents,
    z."sum" AS z_sum,
    d."sum" AS documents_sum
FROM z
FULL JOIN counted AS d ON d.device = z.device AND d.shift = z.shift AND d.kind = z.kind
WHERE z.count IS DISTINCT FROM d.count OR z."sum" IS DISTINCT FROM d."sum"
ORDER BY device, shift, kind;
