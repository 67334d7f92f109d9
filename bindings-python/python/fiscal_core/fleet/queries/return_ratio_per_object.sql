-- The return ratio per object (shop): money returned over money taken.
-- sales: Σ `sum` of sales, advances and instalments; returns: Σ `sum` of returns
-- (money_back); cancels (rollback) are counted apart, a cancel being the same shift's undo.
-- A high ratio is where to look for fake returns.
SELECT
    voen,
    object_code,
    sales_count,
    sales,
    returns_count,
    returns,
    CASE WHEN sales > 0 THEN round(CAST(returns AS DOUBLE) / CAST(sales AS DOUBLE), 4) END AS return_ratio,
    cancels_count
FROM (
    SELECT
        voen,
        object_code,
        count(*) FILTER (WHERE kind IN ('sale', 'prepay', 'creditpay')) AS sales_count,
        coalesce(sum("sum") FILTER (WHERE kind IN ('sale', 'prepay', 'creditpay')), 0) AS sales,
        count(*) FILTER (WHERE kind = 'money_back') AS returns_count,
        coalesce(sum("sum") FILTER (WHERE kind = 'money_back'), 0) AS returns,
        count(*) FILTER (WHERE kind = 'rollback') AS cancels_count
    FROM documents
    WHERE object_code IS NOT NULL
    GROUP BY voen, object_code
)
ORDER BY return_ratio DESC NULLS LAST, voen, object_code;
