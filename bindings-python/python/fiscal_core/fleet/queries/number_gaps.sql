-- Devices with number gaps: documents missing between two numbers present (NM-03).
-- Computed from the exported documents alone, not from the verifier's findings: each
-- device's distinct numbers in order, and every jump of more than one. (Documents cut from
-- the end of a journal leave no gap: compare the last number with the device's, SPEC.md §15.3.)
WITH numbers AS (
    SELECT DISTINCT device, voen, number FROM documents WHERE device IS NOT NULL
),
stepped AS (
    SELECT device, voen, number, lead(number) OVER (PARTITION BY device ORDER BY number) AS next_number
    FROM numbers
)
SELECT
    device,
    voen,
    number + 1 AS first_missing,
    next_number - 1 AS last_missing,
    next_number - number - 1 AS missing
FROM stepped
WHERE next_number > number + 1
ORDER BY device, first_missing;
