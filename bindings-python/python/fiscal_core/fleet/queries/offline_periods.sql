-- Offline periods longer than allowed: a device silent for more than 7 days (NM-04, U-06).
-- The journal holds no upload times, so this is the silence between two consecutive
-- documents of a device: a kassa may work offline for at most 7 days, so a longer silence is
-- either a kassa that was closed or one whose documents of that time are not in its journal.
-- Another limit: `SET VARIABLE offline_days = 3` (CLI: --set offline_days=3).
WITH stepped AS (
    SELECT
        device,
        voen,
        number,
        time,
        lag(time) OVER (PARTITION BY device ORDER BY time, number) AS previous_time,
        lag(number) OVER (PARTITION BY device ORDER BY time, number) AS previous_number
    FROM documents
    WHERE device IS NOT NULL
)
SELECT
    device,
    voen,
    previous_number AS last_before,
    previous_time AS silent_from,
    number AS first_after,
    time AS silent_until,
    round(epoch(time - previous_time) / 86400, 1) AS days
FROM stepped
WHERE epoch(time - previous_time) > 86400 * coalesce(getvariable('offline_days'), 7)
ORDER BY days DESC, device;
