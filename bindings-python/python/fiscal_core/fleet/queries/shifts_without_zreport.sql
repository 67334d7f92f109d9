-- Shifts without a Z-report: every shift opened (open_shift) that no Z-report closes (PK-02).
-- `last_shift` is true for the device's latest shift: a journal may end inside it (the shift is
-- still open), which an inspector checks against the device; false means a Z-report is missing
-- from the middle of the journal.
WITH opened AS (
    SELECT device, voen, shift, min(time) AS opened_at
    FROM documents
    WHERE kind = 'open_shift'
    GROUP BY device, voen, shift
),
closed AS (
    SELECT DISTINCT device, shift FROM documents WHERE kind = 'zreport'
),
activity AS (
    SELECT device, shift, count(*) AS documents, max(time) AS last_time
    FROM documents
    WHERE shift > 0
    GROUP BY device, shift
),
latest AS (
    SELECT device, max(shift) AS shift FROM documents GROUP BY device
)
SELECT
    o.device,
    o.voen,
    o.shift,
    o.opened_at,
    a.last_time,
    a.documents,
    o.shift = l.shift AS last_shift
FROM opened AS o
LEFT JOIN closed AS c ON c.device = o.device AND c.shift = o.shift
LEFT JOIN activity AS a ON a.device = o.device AND a.shift = o.shift
LEFT JOIN latest AS l ON l.device = o.device
WHERE c.shift IS NULL
ORDER BY o.device, o.shift;
